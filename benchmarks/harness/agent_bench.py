"""Agent benchmark: `vakt run` watching a folder — latency from close() to the logged verdict,
a burst of many files, and the CPU the idle agent uses.

run(vakt, work, profile, log) starts the agent on an empty temporary folder (OneDrive discovery
off, actions: log only, its own state folder and JSON-lines event log), waits for it to be ready,
then:
  * latency: writes small documents one at a time; latency = the verdict event's @timestamp
    minus the time close() returned (both wall clock, ms resolution). Measured with the shipped
    coalescing delay (files are scanned once they have been quiet for `coalesce_ms`) and with
    coalesce_ms 0, which shows the pipeline alone.
  * burst: writes N files as fast as Python can, then waits for N verdicts; reports the time from
    the first write to the last verdict, and checks every verdict's class against the generator.
  * idle: utime + stime of the agent process (all threads, /proc/PID/stat) over a quiet period.
"""

import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import time
from datetime import datetime, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "corpus"))

import documents  # noqa: E402
import expectations  # noqa: E402
import writers  # noqa: E402

VERDICT_ACTIONS = ("file-scanned", "scan-failed", "scan-abandoned")


def _field(ev, dotted):
    cur = ev
    for part in dotted.split("."):
        if isinstance(cur, dict) and part in cur:
            cur = cur[part]
        elif isinstance(cur, dict) and dotted in cur:  # flat keys ("event.action")
            return cur[dotted]
        else:
            return None
    return cur


def _ts(ev):
    raw = ev.get("@timestamp") or _field(ev, "event.created")
    if not raw:
        return None
    return datetime.strptime(raw.rstrip("Z"), "%Y-%m-%dT%H:%M:%S.%f").replace(tzinfo=timezone.utc).timestamp()


class LogTail:
    """Reads new JSON lines from the agent's event log as they appear."""

    def __init__(self, path):
        self.path = path
        self.pos = 0
        self.partial = b""

    def read(self):
        if not os.path.exists(self.path):
            return []
        with open(self.path, "rb") as f:
            f.seek(self.pos)
            data = f.read()
            self.pos = f.tell()
        data = self.partial + data
        lines = data.split(b"\n")
        self.partial = lines.pop()
        out = []
        for line in lines:
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError:
                continue
        return out


def _cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks  # utime, stime (fields 14, 15)


def _rss_mb(pid, key="VmHWM"):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024.0
    return None


class Agent:
    def __init__(self, vakt, root, coalesce_ms, rules_dir=None):
        self.root = root
        self.watch = os.path.join(root, "OneDrive")
        self.state = os.path.join(root, "state")
        self.logfile = os.path.join(root, "events.jsonl")
        for d in (self.watch, self.state):
            os.makedirs(d, exist_ok=True)
        config = os.path.join(root, "vakt.yaml")
        perf = f"performance:\n  coalesce_ms: {coalesce_ms}\n" if coalesce_ms is not None else ""
        with open(config, "w") as f:
            f.write("watch:\n  onedrive: off\n  folders: [" + json.dumps(self.watch) + "]\n"
                    "policy:\n  actions: {0: log, 1: log, 2: log, 3: log}\n  unscannable: log\n"
                    "state:\n  dir: " + json.dumps(self.state) + "\n"
                    "log:\n  file: " + json.dumps(self.logfile) + "\n" + perf
                    + ("rules:\n  dir: " + json.dumps(rules_dir) + "\n" if rules_dir else ""))
        self.stderr = open(os.path.join(root, "agent.stderr"), "wb")
        self.proc = subprocess.Popen([vakt, "run", "--config", config], stdout=subprocess.DEVNULL,
                                     stderr=self.stderr)
        self.tail = LogTail(self.logfile)
        self.events = []

    def poll(self):
        new = self.tail.read()
        self.events.extend(new)
        if self.proc.poll() is not None:
            raise RuntimeError(f"vakt run exited with {self.proc.returncode}: "
                               + open(self.stderr.name, errors="replace").read()[-800:])
        return new

    def wait_ready(self, timeout=60):
        t0 = time.time()
        while time.time() - t0 < timeout:
            for ev in self.poll():
                action = _field(ev, "event.action")
                if action in ("agent-start-failed", "watch-failed"):
                    raise RuntimeError(f"agent did not start: {json.dumps(ev)[:500]}")
                if action == "agent-started":
                    return time.time() - t0
            time.sleep(0.02)
        raise RuntimeError("agent did not log agent-started within 60 s")

    def verdicts(self, events=None):
        return [e for e in (self.events if events is None else events)
                if _field(e, "event.action") in VERDICT_ACTIONS]

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.stderr.close()


def _documents(n_distinct, seed):
    """(name suffix, bytes, expected class range) for small txt/docx files, 2-12 KB of text."""
    rng = random.Random(f"agent:{seed}")
    out = []
    for i in range(n_distinct):
        kind = documents.KINDS[i % len(documents.KINDS)]
        doc = documents.compose(kind, rng, rng.randint(2048, 12288))
        fmt = "docx" if i % 2 else "txt-utf8"
        lo, hi = expectations.class_range(doc.truth, [kind])
        out.append((f"{kind}.{writers.EXTENSION[fmt]}", writers.WRITERS[fmt](doc), lo, hi))
    return out


def _write(path, data):
    with open(path, "wb") as f:
        f.write(data)
    return time.time()  # after close()


def _latency(agent, docs, samples, log):
    """Latency as observed (log line seen, polled every 2 ms: an upper bound) and from the event's
    own @timestamp (millisecond resolution, so it can read up to 1 ms early)."""
    lat, lat_ts = [], []
    sub = os.path.join(agent.watch, f"latency-{len(os.listdir(agent.watch))}")
    os.makedirs(sub)
    time.sleep(0.5)  # let the watcher add the new folder
    agent.poll()
    for i in range(samples):
        name, data, _, _ = docs[i % len(docs)]
        path = os.path.join(sub, f"{i:05d}_{name}")
        t_close = _write(path, data)
        deadline = time.time() + 30
        found = None
        while found is None and time.time() < deadline:
            for ev in agent.verdicts(agent.poll()):
                if _field(ev, "file.path") == path:
                    found = ev
            if found is None:
                time.sleep(0.002)
        if found is None:
            raise RuntimeError(f"no verdict for a latency file within 30 s ({os.path.basename(path)})")
        seen = time.time()
        ts = _ts(found)
        lat.append((seen - t_close) * 1000.0)
        if ts:
            lat_ts.append((ts - t_close) * 1000.0)
    return {"samples": len(lat), **_percentiles(lat, ""), **_percentiles(lat_ts, "log_")}


def _percentiles(values, prefix):
    if not values:
        return {}
    v = sorted(values)
    return {f"{prefix}p50_ms": statistics.median(v),
            f"{prefix}p99_ms": v[min(len(v) - 1, int(round(0.99 * (len(v) - 1))))],
            f"{prefix}min_ms": v[0], f"{prefix}max_ms": v[-1], f"{prefix}mean_ms": statistics.fmean(v)}


def _burst(agent, docs, n, log):
    sub = os.path.join(agent.watch, "burst")
    os.makedirs(sub)
    time.sleep(0.5)
    agent.poll()
    seen_before = len(agent.events)
    expected = {}
    t0 = time.time()
    for i in range(n):
        name, data, lo, hi = docs[i % len(docs)]
        path = os.path.join(sub, f"{i:06d}_{name}")
        _write(path, data)
        expected[path] = (lo, hi)
    t_written = time.time()
    got = {}
    deadline = time.time() + max(120, n / 20)
    while len(got) < n and time.time() < deadline:
        for ev in agent.verdicts(agent.poll()):
            p = _field(ev, "file.path")
            if p in expected:
                got[p] = ev
        time.sleep(0.05)
    last = max((_ts(e) or 0 for e in got.values()), default=time.time())
    wrong = [os.path.basename(p) for p, ev in got.items()
             if not expected[p][0] <= (_field(ev, "vakt.class") or 0) <= expected[p][1]]
    overflow = sum(1 for e in agent.events[seen_before:] if _field(e, "event.action") == "watch-overflow")
    return {"files": n, "verdicts": len(got), "missing": n - len(got), "write_seconds": t_written - t0,
            "seconds": last - t0, "files_s": len(got) / max(1e-9, last - t0),
            "class_mismatches": len(wrong), "class_mismatch_examples": wrong[:10],
            "watch_overflows": overflow, "rss_mb": _rss_mb(agent.proc.pid)}


def run(vakt, work, profile, log, rules_dir=None):
    root = os.path.join(work, "agent")
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(root)
    docs = _documents(48, 1)
    result = {"notes": []}
    # 1) Shipped coalescing delay: latency as users see it; then burst and idle on the same agent.
    agent = Agent(vakt, os.path.join(root, "default"), None, rules_dir)
    try:
        result["ready_s"] = agent.wait_ready()
        log(f"agent: latency ({profile['agent_latency_samples']} files, shipped coalescing)")
        result["latency"] = _latency(agent, docs, profile["agent_latency_samples"], log)
        log(f"agent: burst of {profile['agent_burst']} files")
        result["burst"] = _burst(agent, docs, profile["agent_burst"], log)
        time.sleep(2)
        agent.poll()
        log(f"agent: idle {profile['agent_idle_s']} s")
        c0, t0 = _cpu_seconds(agent.proc.pid), time.time()
        time.sleep(profile["agent_idle_s"])
        c1, t1 = _cpu_seconds(agent.proc.pid), time.time()
        result["idle"] = {"seconds": round(t1 - t0, 1), "cpu_s": c1 - c0,
                          "cpu_pct": 100.0 * (c1 - c0) / (t1 - t0),
                          "rss_mb": _rss_mb(agent.proc.pid, "VmRSS")}
        agent.poll()
    finally:
        agent.stop()
    # 2) coalesce_ms 0: the pipeline's own latency (inotify -> queue -> scan -> log).
    agent = Agent(vakt, os.path.join(root, "nocoalesce"), 0, rules_dir)
    try:
        agent.wait_ready()
        n = max(10, profile["agent_latency_samples"] // 2)
        log(f"agent: latency ({n} files, coalesce_ms 0)")
        result["latency_no_coalesce"] = _latency(agent, docs, n, log)
    finally:
        agent.stop()
    result["notes"].append("Agent started as `vakt run --config` with OneDrive discovery off, one "
                           "watched folder, actions log-only, default workers/nice/io_class; files are "
                           "2–12 KB txt and docx documents from the corpus generator.")
    return result
