"""Talks to the built `vakt` binary: scan commands, the loaded rules, and reading scan output.

  scan_cmd(vakt, [dir], threads=1, rules_dir=None)  -> argv for `vakt scan --format jsonl`
  rules = load_rules(patterns_tool)                 -> rules with patterns and flags (vakt_bench_patterns)
  results = parse_scan_jsonl(path)                  -> {path: FileResult}
  check_against_manifest(results, manifest, root)   -> mismatch report (nothing hidden)

The JSONL reader accepts the field names of ScanResult/Finding (scanner/include/vakt/scanner/) and a
few obvious aliases, so a renamed field shows up as a clear "no per-file records" error, not as a
silent pass.
"""

import dataclasses
import json
import os
import subprocess

IDENTITY_VALIDATORS = ("personnummer", "samordningsnummer")


def scan_cmd(vakt, paths, threads=1, rules_dir=None, extra=()):
    cmd = [vakt, "scan", "--format", "jsonl", "--threads", str(threads)]
    if rules_dir:
        cmd += ["--rules", str(rules_dir)]
    return cmd + list(extra) + [str(p) for p in paths]


def load_rules(patterns_tool, rules_dir=None):
    """The loaded rules with their patterns and flags, from benchmarks/tools/export_patterns.cpp
    (`vakt rules list --format json` gives pattern counts, not the patterns)."""
    cmd = [patterns_tool] + ([str(rules_dir)] if rules_dir else [])
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if proc.returncode != 0:
        raise RuntimeError(f"`{' '.join(cmd)}` failed ({proc.returncode}): {proc.stderr.strip()[:500]}")
    return json.loads(proc.stdout)["rules"]


def identity_rule_ids(rules):
    ids = set()
    for r in rules:
        if r.get("validator") in IDENTITY_VALIDATORS:
            ids.add(r["id"])
    return ids


def peer_pattern(p):
    """One Vakt pattern as an rg/ugrep regex with the same flags, inline."""
    flags = ("i" if p.get("caseless") else "") + ("s" if p.get("dotall") else "") + \
            ("m" if p.get("multiline") else "")
    expr = p["expression"]
    if p.get("word_bounded"):
        expr = f"\\b(?:{expr})\\b"
    return (f"(?{flags})" if flags else "") + expr


def rule_patterns(rules):
    """Every pattern of every loaded rule, in peer syntax (inline flags)."""
    return [peer_pattern(p) for r in rules for p in r.get("patterns", [])]


@dataclasses.dataclass
class FileResult:
    path: str
    status: str
    info_class: int
    identity: int
    findings_total: int
    text_bytes: int
    reason: str
    seconds: float


def _class_of(obj):
    for key in ("class", "info_class", "level"):
        v = obj.get(key)
        if isinstance(v, int):
            return v
        if isinstance(v, dict) and isinstance(v.get("level"), int):
            return v["level"]
    return -1


def parse_scan_jsonl(path, identity_ids):
    results, other = {}, []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.strip()
            if not line or not line.startswith("{"):
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError:
                other.append(line[:200])
                continue
            p = obj.get("path") or obj.get("file")
            if not p or obj.get("type") in ("summary", "stats"):
                other.append(obj)
                continue
            findings = obj.get("findings") or []
            ident = 0
            for fnd in findings:
                rid = fnd.get("rule") or fnd.get("rule_id") or fnd.get("id") or ""
                if rid in identity_ids:
                    ident += int(fnd.get("count", 1)) if isinstance(fnd.get("count"), int) else 1
            results[os.path.realpath(p)] = FileResult(
                path=p, status=str(obj.get("status", "")), info_class=_class_of(obj),
                identity=ident, findings_total=int(obj.get("findings_total", len(findings)) or 0),
                text_bytes=int(obj.get("text_bytes", 0) or 0), reason=str(obj.get("reason", "")),
                seconds=float(obj.get("seconds", 0.0) or 0.0))
    return results, other


def check_against_manifest(results, manifest_files, root):
    """Compares Vakt's per-file verdicts with the generator's ground truth."""
    rows, ok = [], 0
    for rel, exp in sorted(manifest_files.items()):
        got = results.get(os.path.realpath(os.path.join(root, rel)))
        problems = []
        if got is None:
            problems.append("no result line")
        else:
            if got.status not in ("scanned", "kScanned"):
                problems.append(f"status {got.status}" + (f" ({got.reason})" if got.reason else ""))
            if got.identity != exp["identity_total"]:
                problems.append(f"identities {got.identity} != expected {exp['identity_total']}")
            if not exp["expected_min_class"] <= got.info_class <= exp["expected_max_class"]:
                problems.append(f"class {got.info_class} outside expected "
                                f"{exp['expected_min_class']}-{exp['expected_max_class']}")
        if problems:
            rows.append({"file": rel, "format": exp["format"], "kind": exp["kind"],
                         "problems": problems})
        else:
            ok += 1
    return {"files": len(manifest_files), "ok": ok, "mismatches": rows}
