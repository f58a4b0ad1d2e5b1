#!/usr/bin/env python3
"""The side-by-side benchmark: generates the corpus once, measures Vakt and its peers in the same
run, checks Vakt's verdicts against the corpus manifest and writes results.json (report.py turns
it into benchmarks/RESULTS.md and the plots). Called by benchmarks/run; see that file for usage.

Sections (each is independent; a failing one is recorded as such and the rest still run):
  matcher     vakt scan of plain text vs rg -c -f / ugrep -c -f with the same patterns, dd
  extraction  per format: vakt scan (1 thread) vs pdftotext, mutool, unzip | sed, iconv
  e2e         mixed corpus: vakt scan vs rg --pre (ripgrep-all style), 1 thread and all threads
  scaling     corpus size 1x/4x/16x, file size 1x/4x/16x, rule count 10/100/1000 patterns
  agent       vakt run: close -> logged verdict latency, a file burst, idle CPU
  micro       Google Benchmark matcher_bench (TextScanner MB/s per core)
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "corpus"))

import generate  # noqa: E402
import machine  # noqa: E402
import measure  # noqa: E402
import peers  # noqa: E402
import rulepacks  # noqa: E402
import vakt_tool  # noqa: E402

MB = 1e6

PROFILES = {
    "smoke": {
        "reps": 2, "warmup": 0,
        "text_sizes": ["1M", "8M"],
        "formats_size": "1M", "formats_file": "128K",
        "mixed_size": "4M", "mixed_max_file": "512K", "mixed_big": [],
        "scale_base": "512K", "file_scale_base": "256K", "file_scale_formats": ["txt-utf8", "docx", "pdf"],
        "rules_counts": [10, 100, 1000], "rules_text": "2M",
        "agent_burst": 200, "agent_latency_samples": 10, "agent_idle_s": 10,
        "micro_min_time": "0.2",
        "peer_timeout": 5, "vakt_timeout": 120, "startup_reps": 1,
        "short_reps": 0, "short_below_s": 0.0,
    },
    "full": {
        "reps": 3, "warmup": 0,
        "text_sizes": ["1M", "16M", "128M", "1G"],
        "formats_size": "16M", "formats_file": "2M",
        "mixed_size": "32M", "mixed_max_file": "8M", "mixed_big": ["120M", "8M", "4M"],
        "scale_base": "2M", "file_scale_base": "1M", "file_scale_formats": ["txt-utf8", "docx", "pdf"],
        "rules_counts": [10, 100, 1000], "rules_text": "16M",
        "agent_burst": 10000, "agent_latency_samples": 100, "agent_idle_s": 60,
        "micro_min_time": "1",
        "peer_timeout": 60, "vakt_timeout": 900, "startup_reps": 3,
        "short_reps": 9, "short_below_s": 1.0,
    },
}


def net_rate(nbytes, wall, startup):
    """MB/s once start-up is subtracted; None when the run was not clearly longer than start-up."""
    return nbytes / MB / (wall - startup) if wall > 1.2 * startup else None


class Bench:
    def __init__(self, args):
        self.args = args
        self.p = dict(PROFILES[args.profile])
        if args.reps:
            self.p["reps"] = args.reps
        self.work = os.path.abspath(args.work)
        self.corpus = os.path.join(self.work, "corpus")
        self.vakt = os.path.abspath(args.vakt) if args.vakt else ""
        self.patterns_tool = os.path.abspath(args.patterns_tool) if args.patterns_tool else ""
        self.rules_dir = os.path.abspath(args.rules) if args.rules else None
        self.cache = os.path.join(self.work, "hs-cache")
        self.threads = os.cpu_count() or 1
        self.results_path = os.path.join(self.work, "results.json")
        self.results = {"profile": args.profile, "reps": self.p["reps"],
                        "short_reps": self.p["short_reps"], "short_below_s": self.p["short_below_s"], "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                        "seed": args.seed, "threads_all": self.threads, "sections": {}}
        self.rules = []
        self.identity_ids = set()
        self.patterns = None

    # --- helpers ----------------------------------------------------------------------------
    def log(self, msg):
        print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", flush=True)

    def save(self):
        with open(self.results_path, "w") as f:
            json.dump(self.results, f, indent=1, ensure_ascii=False)

    def run(self, cmd, shell=False, stdout_path="", reps=None, peer=None):
        """A measured run; peers (shell pipelines) get the profile's peer timeout, Vakt its own."""
        peer = shell if peer is None else peer
        timeout = self.p["peer_timeout"] if peer else self.p["vakt_timeout"]
        # Output always goes to a real file: grep-like tools (ugrep, GNU grep) notice a stdout of
        # /dev/null and stop at the first match, which would measure nothing.
        return measure.run(cmd, reps=reps or self.p["reps"], shell=shell,
                           stdout_path=stdout_path or os.path.join(self.work, "stdout.tmp"),
                           warmup=self.p["warmup"], timeout=timeout,
                           short_reps=self.p["short_reps"], short_below_s=self.p["short_below_s"])

    def job(self, cmd, shell=False, stdout_path="", peer=None):
        """A command for side_by_side(), with the timeout run() would give it."""
        peer = shell if peer is None else peer
        return measure.Job(cmd, shell=shell,
                           stdout_path=stdout_path or os.path.join(self.work, "stdout.tmp"),
                           timeout=self.p["peer_timeout"] if peer else self.p["vakt_timeout"])

    def side_by_side(self, jobs, reps=None):
        """Vakt and its peers measured in rounds (measure.run_side_by_side), so a ratio between
        them is not a change of the host's load between one tool's runs and the other's."""
        return measure.run_side_by_side(jobs, reps=reps or self.p["reps"], warmup=self.p["warmup"],
                                        short_reps=self.p["short_reps"],
                                        short_below_s=self.p["short_below_s"])

    def vakt_ready(self):
        return bool(self.vakt) and os.access(self.vakt, os.X_OK)

    def load_rules(self):
        if self.patterns is not None:
            return
        self.rules = vakt_tool.load_rules(self.patterns_tool, self.rules_dir)
        self.identity_ids = vakt_tool.identity_rule_ids(self.rules)
        self.patterns = vakt_tool.rule_patterns(self.rules)
        self.pattern_files = peers.export_patterns(self.patterns, os.path.join(self.work, "patterns"))
        self.results["rules"] = {
            "rules": len(self.rules), "patterns": len(self.patterns),
            "identity_rules": sorted(self.identity_ids),
            "peer_patterns": {t: {"kept": v[1], "dropped": v[2]} for t, v in self.pattern_files.items()}}

    def scan_cmd(self, paths, threads):
        """`vakt scan` with the run's rules and a warm Hyperscan cache (--cache-dir), as deployed;
        the cold start (database compiled from the rules) is measured on its own."""
        return vakt_tool.scan_cmd(self.vakt, paths, threads, self.rules_dir, ["--cache-dir", self.cache])

    def vakt_startup(self):
        """Wall time of `vakt scan` on a one-line file: process start + engine load, cold (no cache:
        Hyperscan compiles the database) and warm (--cache-dir)."""
        tiny = os.path.join(self.work, "tiny.txt")
        with open(tiny, "w") as f:
            f.write("Hej\n")
        cold = self.run(vakt_tool.scan_cmd(self.vakt, [tiny], 1, self.rules_dir), reps=self.p["startup_reps"])
        warm = measure.run(self.scan_cmd([tiny], 1), reps=3, warmup=1, timeout=self.p["vakt_timeout"],
                           short_reps=self.p["short_reps"], short_below_s=self.p["short_below_s"])
        return cold, warm

    def check(self, jsonl, manifest_files, root):
        results, _ = vakt_tool.parse_scan_jsonl(jsonl, self.identity_ids)
        if not results:
            return {"files": len(manifest_files), "ok": 0, "error": "no per-file records in vakt output",
                    "mismatches": []}
        return vakt_tool.check_against_manifest(results, manifest_files, root)

    # --- corpus -----------------------------------------------------------------------------
    def generate(self):
        t0 = time.time()
        size = generate.parse_size
        if self.args.regenerate and os.path.isdir(self.corpus):
            shutil.rmtree(self.corpus)
        import hashlib
        key = hashlib.sha256(json.dumps([self.p, generate.GENERATOR_VERSION], sort_keys=True)
                             .encode()).hexdigest()[:12]
        stamp = os.path.join(self.corpus, f".done-{self.args.profile}-{self.args.seed}-{key}")
        if os.path.exists(stamp):
            self.log("corpus present (same profile, sizes and seed): reusing")
            return
        shutil.rmtree(self.corpus, ignore_errors=True)
        seed = self.args.seed
        self.log("generating corpus")
        for s in self.p["text_sizes"]:
            generate.generate_text(os.path.join(self.corpus, "text", f"{s}.txt"), seed, size(s))
        if self.p["rules_text"] not in self.p["text_sizes"]:
            generate.generate_text(os.path.join(self.corpus, "text", f"{self.p['rules_text']}.txt"),
                                   seed, size(self.p["rules_text"]))
        generate.generate_formats(os.path.join(self.corpus, "formats"), seed,
                                  size(self.p["formats_size"]), size(self.p["formats_file"]))
        generate.generate_mixed(os.path.join(self.corpus, "mixed"), seed, size(self.p["mixed_size"]),
                                size(self.p["mixed_max_file"]), [size(b) for b in self.p["mixed_big"]])
        base = size(self.p["scale_base"])
        for k in (1, 4, 16):
            generate.generate_mixed(os.path.join(self.corpus, f"scale-corpus-{k}x"), seed, base * k,
                                    min(base, size(self.p["mixed_max_file"])))
        fbase = size(self.p["file_scale_base"])
        for fmt in self.p["file_scale_formats"]:
            for k in (1, 4, 16):
                out = os.path.join(self.corpus, f"scale-file-{k}x", fmt)
                data, rec = generate.make_file(fmt, "motesanteckningar",
                                               generate.random.Random(f"fs:{seed}:{fmt}:{k}"), fbase * k, 0)
                generate._write(out, f"stor.{generate.writers.EXTENSION[fmt]}", data, rec, {})
                with open(os.path.join(out, "manifest.json"), "w") as f:
                    json.dump({"files": {f"stor.{generate.writers.EXTENSION[fmt]}": rec}}, f)
        open(stamp, "w").close()
        self.results["corpus_seconds"] = round(time.time() - t0, 1)
        self.log(f"corpus generated in {time.time() - t0:.1f} s")

    # --- sections ---------------------------------------------------------------------------
    def section_matcher(self):
        self.load_rules()
        cold, startup = self.vakt_startup()
        rows = []
        block_total = None
        for s in self.p["text_sizes"]:
            path = os.path.join(self.corpus, "text", f"{s}.txt")
            with open(path + ".json") as f:
                truth = json.load(f)
            nbytes = os.path.getsize(path)
            out = os.path.join(self.work, f"matcher-{s}.jsonl")
            peer_cmds = peers.matcher_cmds(self.pattern_files, path)
            self.log(f"matcher {s}: vakt, {', '.join(peer_cmds)} (side by side)")
            v, *peer_runs = self.side_by_side(
                [self.job(self.scan_cmd([path], 1), stdout_path=out)] +
                [self.job(cmd, shell=True) for cmd in peer_cmds.values()])
            res, _ = vakt_tool.parse_scan_jsonl(out, self.identity_ids)
            got = next(iter(res.values())) if res else None
            row = {"size": s, "bytes": nbytes, "tool": "vakt scan (validated)", **v.as_json(),
                   "mb_s": nbytes / MB / v.wall.median,
                   "net_mb_s": net_rate(nbytes, v.wall.median, startup.wall.median),
                   "repeats": truth["repeats"], "expected_identities": truth["identity_total"],
                   "found_identities": got.identity if got else None,
                   "findings_total": got.findings_total if got else None}
            # One block is checked exactly; N blocks must give exactly N times the block's findings.
            if truth["repeats"] == 1:
                block_total = row["findings_total"]
                row["check"] = "exact" if row["found_identities"] == truth["identity_total"] else \
                    f"identities {row['found_identities']} != expected {truth['identity_total']}"
            elif block_total is None or row["findings_total"] is None:
                row["check"] = "no single-block scan to compare with"
            else:
                want = block_total * truth["repeats"]
                row["check"] = "consistent" if row["findings_total"] == want else \
                    f"findings_total {row['findings_total']} != {truth['repeats']} x {block_total}"
            rows.append(row)
            for name, r in zip(peer_cmds, peer_runs):
                rows.append({"size": s, "bytes": nbytes, "tool": name, **r.as_json(),
                             "mb_s": nbytes / MB / r.wall.median})
        return {"startup": startup.as_json(), "startup_cold": cold.as_json(), "rows": rows}

    def section_extraction(self):
        self.load_rules()
        root = os.path.join(self.corpus, "formats")
        with open(os.path.join(root, "manifest.json")) as f:
            manifest = json.load(f)["files"]
        rows, checks = [], {}
        # One process scans a whole folder, so its fixed start (rule packs, the cached Hyperscan
        # database, libmagic) is paid once per run, not per file: measured here on an empty
        # folder, it is reported beside each row and taken out of the steady-state figure.
        empty = os.path.join(self.work, "empty-folder")
        os.makedirs(empty, exist_ok=True)
        self.log("extraction: vakt start-up (empty folder)")
        startup = self.run(self.scan_cmd([empty], 1))
        for fmt in generate.writers.FORMATS:
            files = {k: v for k, v in manifest.items() if k.startswith(fmt + "/")}
            folder = os.path.join(root, fmt)
            text_bytes = sum(v["text_bytes"] for v in files.values())
            in_bytes = sum(v["bytes"] for v in files.values())
            out = os.path.join(self.work, f"extract-{fmt}.jsonl")
            # Warm: the same files once more, as copies in a second folder, in the same process.
            # Their extra time is the per-core rate after the first file's warm-up (fresh memory
            # for the inflate buffers and findings, first use of each code path), which on a VM
            # with dear page faults is a large share of an 8-file run. The copies must be
            # scanned, not recognised: their findings are checked to be the folder's, twice.
            twice = os.path.join(self.work, "extract-copy", fmt)
            shutil.rmtree(twice, ignore_errors=True)  # fresh: the corpus may have been regenerated
            shutil.copytree(folder, twice)
            out2 = os.path.join(self.work, f"extract-{fmt}-twice.jsonl")
            peer_cmds = peers.extraction_cmds(fmt, folder, os.path.join(self.work, "peer-out.tmp"))
            self.log(f"extraction {fmt}: vakt, vakt on the folder and a copy, "
                     f"{', '.join(peer_cmds) or 'no peer'} (side by side)")
            # The start-up runs in the same rounds, so the steady figure subtracts a start-up of
            # the same moments of load.
            start, v, v2, *peer_runs = self.side_by_side(
                [self.job(self.scan_cmd([empty], 1)),
                 self.job(self.scan_cmd([folder], 1), stdout_path=out),
                 self.job(self.scan_cmd([folder, twice], 1), stdout_path=out2)] +
                [self.job(cmd, shell=True) for cmd in peer_cmds.values()])
            checks[fmt] = self.check(out, files, root)
            base = {"format": fmt, "files": len(files), "bytes": in_bytes, "text_bytes": text_bytes}
            steady_wall = v.wall.median - start.wall.median
            steady_cpu = v.cpu.median - start.cpu.median
            once_total = sum(json.loads(line).get("findings_total", 0) for line in open(out))
            twice_total = sum(json.loads(line).get("findings_total", 0) for line in open(out2))
            extra_wall = v2.wall.median - v.wall.median
            rows.append({**base, "tool": "vakt scan -j1", **v.as_json(),
                         "text_mb_s": text_bytes / MB / v.wall.median,
                         "startup_s": start.wall.median,
                         "steady_text_mb_s": text_bytes / MB / steady_wall if steady_wall > 0 else None,
                         "steady_cpu_text_mb_s": text_bytes / MB / steady_cpu if steady_cpu > 0 else None,
                         "warm_text_mb_s": text_bytes / MB / extra_wall
                         if extra_wall > 0 and twice_total == 2 * once_total else None,
                         "warm_check": "ok" if twice_total == 2 * once_total else
                         f"findings {twice_total} != 2 x {once_total}"})
            for name, r in zip(peer_cmds, peer_runs):
                rows.append({**base, "tool": name, **r.as_json(),
                             "text_mb_s": text_bytes / MB / r.wall.median})
        return {"rows": rows, "checks": checks, "startup": startup.as_json()}

    def section_e2e(self):
        self.load_rules()
        root = os.path.join(self.corpus, "mixed")
        with open(os.path.join(root, "manifest.json")) as f:
            manifest = json.load(f)["files"]
        nfiles = len(manifest)
        in_bytes = sum(v["bytes"] for v in manifest.values())
        text_bytes = sum(v["text_bytes"] for v in manifest.values())
        rows, check = [], None
        for t in sorted({1, self.threads}):
            out = os.path.join(self.work, f"e2e-vakt-{t}.jsonl")
            self.log(f"e2e: vakt --threads {t}, rg --pre -j{t} (side by side)")
            v, r = self.side_by_side([
                self.job(self.scan_cmd([root], t), stdout_path=out),
                self.job(peers.rga_cmd(self.pattern_files["rg"][0], root, t), shell=True)])
            if check is None:
                check = self.check(out, manifest, root)
            rows.append({"tool": "vakt scan", "threads": t, **v.as_json()})
            rows.append({"tool": "rg --pre (rga-style)", "threads": t, **r.as_json()})
        for row in rows:
            w = row["wall_s"]["median"]
            row.update({"files_s": nfiles / w, "mb_s": in_bytes / MB / w, "text_mb_s": text_bytes / MB / w})
        return {"files": nfiles, "bytes": in_bytes, "text_bytes": text_bytes, "rows": rows, "check": check}

    def section_scaling(self):
        self.load_rules()
        corpus_rows, file_rows, rule_rows = [], [], []
        for k in (1, 4, 16):
            root = os.path.join(self.corpus, f"scale-corpus-{k}x")
            with open(os.path.join(root, "manifest.json")) as f:
                man = json.load(f)["files"]
            self.log(f"scaling corpus {k}x")
            v = self.run(self.scan_cmd([root], self.threads))
            corpus_rows.append({"factor": k, "files": len(man), "bytes": sum(x["bytes"] for x in man.values()),
                                "text_bytes": sum(x["text_bytes"] for x in man.values()), **v.as_json()})
        for fmt in self.p["file_scale_formats"]:
            for k in (1, 4, 16):
                folder = os.path.join(self.corpus, f"scale-file-{k}x", fmt)
                with open(os.path.join(folder, "manifest.json")) as f:
                    man = json.load(f)["files"]
                rec = next(iter(man.values()))
                out = os.path.join(self.work, f"scale-file-{fmt}-{k}.jsonl")
                self.log(f"scaling file {fmt} {k}x")
                v = self.run(self.scan_cmd([folder], 1), stdout_path=out)
                chk = self.check(out, man, folder)
                file_rows.append({"format": fmt, "factor": k, "bytes": rec["bytes"],
                                  "text_bytes": rec["text_bytes"], **v.as_json(),
                                  "text_mb_s": rec["text_bytes"] / MB / v.wall.median,
                                  "check_ok": chk.get("ok") == 1, "problems": chk.get("mismatches", [])})
        text = os.path.join(self.corpus, "text", f"{self.p['rules_text']}.txt")
        nbytes = os.path.getsize(text)
        shipped = self.rules_dir or os.path.join(self.args.source, "rules")
        base_dir = os.path.join(self.work, "rules-base")
        rulepacks.make_rules_dir(shipped, base_dir, 0)
        try:
            base_patterns = len(vakt_tool.rule_patterns(vakt_tool.load_rules(self.patterns_tool, base_dir)))
            packs = None
        except RuntimeError as e:
            # The policy may name rules outside the identity packs: keep every shipped pack instead.
            self.log(f"identity-only rule dir did not load ({e}); using all shipped packs as base")
            packs = [n for n in os.listdir(shipped) if n.endswith(".yaml") and not n.startswith("policy")]
            base_patterns = len(self.patterns)
        for n in self.p["rules_counts"]:
            d = os.path.join(self.work, f"rules-{n}")
            rulepacks.make_rules_dir(shipped, d, max(0, n - base_patterns), packs)
            loaded = vakt_tool.load_rules(self.patterns_tool, d)
            total = len(vakt_tool.rule_patterns(loaded))
            self.log(f"scaling rules {n} ({total} patterns)")
            # Compiling the Hyperscan database dominates start-up with many rules: measured once
            # cold (empty --cache-dir), then every timed run uses the warm cache, as the agent does.
            cache = os.path.join(self.work, f"hs-cache-{n}")
            shutil.rmtree(cache, ignore_errors=True)
            tiny = os.path.join(self.work, "tiny.txt")
            cold = measure.run(vakt_tool.scan_cmd(self.vakt, [tiny], 1, d, ["--cache-dir", cache]),
                               reps=1, warmup=0, timeout=self.p["vakt_timeout"])
            warm = self.run(vakt_tool.scan_cmd(self.vakt, [tiny], 1, d, ["--cache-dir", cache]), reps=3)
            v = self.run(vakt_tool.scan_cmd(self.vakt, [text], 1, d, ["--cache-dir", cache]))
            row = {"patterns": total, "target": n, "bytes": nbytes, "startup_cold": cold.as_json(),
                   "startup": warm.as_json(), **v.as_json(), "mb_s": nbytes / MB / v.wall.median,
                   "net_mb_s": net_rate(nbytes, v.wall.median, warm.wall.median)}
            pf = peers.export_patterns(vakt_tool.rule_patterns(loaded), os.path.join(d, "peer"), "p")
            r = self.run(f"rg -c -f {pf['rg'][0]} {text}", shell=True)
            row["rg"] = {**r.as_json(), "mb_s": nbytes / MB / r.wall.median, "patterns": pf["rg"][1]}
            rule_rows.append(row)
        return {"corpus": corpus_rows, "file": file_rows, "rules": rule_rows}

    def section_agent(self):
        import agent_bench
        return agent_bench.run(self.vakt, self.work, self.p, self.log, self.rules_dir)

    def section_micro(self):
        exe = self.args.micro
        if not exe or not os.access(exe, os.X_OK):
            return {"error": f"matcher_bench not built ({exe or 'no path'})"}
        out = os.path.join(self.work, "micro.json")
        # The suite generates its own dense text (a finding every ~140 bytes) in-process.
        env = dict(os.environ, VAKT_BENCH_RULES=self.rules_dir or "")
        proc = subprocess.run([exe, f"--benchmark_min_time={self.p['micro_min_time']}",
                               "--benchmark_format=json", f"--benchmark_out={out}",
                               "--benchmark_out_format=json"], env=env, capture_output=True, text=True)
        if proc.returncode != 0:
            return {"error": proc.stderr[-2000:]}
        with open(out) as f:
            data = json.load(f)
        return {"context": data.get("context", {}), "benchmarks": data.get("benchmarks", [])}

    # --- driver -----------------------------------------------------------------------------
    def main(self):
        os.makedirs(self.work, exist_ok=True)
        self.results["machine"] = machine.describe(self.vakt if self.vakt_ready() else "")
        self.results["load_start"] = os.getloadavg()
        shutil.rmtree(self.cache, ignore_errors=True)
        self.generate()
        sections = self.args.only.split(",") if self.args.only else \
            ["matcher", "extraction", "e2e", "scaling", "agent", "micro"]
        for name in sections:
            t0 = time.time()
            if name != "micro" and not self.vakt_ready():
                self.results["sections"][name] = {"error": f"vakt binary not found at {self.vakt!r}"}
                continue
            self.log(f"section {name}")
            try:
                res = getattr(self, f"section_{name}")()
            except Exception as e:  # noqa: BLE001 - one broken section must not hide the others
                traceback.print_exc()
                res = {"error": f"{type(e).__name__}: {e}"}
            res["seconds"] = round(time.time() - t0, 1)
            self.results["sections"][name] = res
            self.save()
        self.results["finished"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        self.results["load_end"] = os.getloadavg()
        self.save()
        self.log(f"results in {self.results_path}")
        return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--profile", choices=sorted(PROFILES), default="smoke")
    ap.add_argument("--vakt", default="")
    ap.add_argument("--micro", default="", help="path of the matcher_bench binary")
    ap.add_argument("--patterns-tool", default="", help="path of vakt_bench_patterns")
    ap.add_argument("--rules", default="", help="rules directory for every run (default: embedded packs)")
    ap.add_argument("--source", default=os.path.dirname(os.path.dirname(HERE)))
    ap.add_argument("--work", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--reps", type=int, default=0)
    ap.add_argument("--only", default="", help="comma-separated sections")
    ap.add_argument("--regenerate", action="store_true")
    return Bench(ap.parse_args()).main()


if __name__ == "__main__":
    sys.exit(main())
