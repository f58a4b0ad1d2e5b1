"""Runs a command several times under GNU time and summarises wall time, CPU and peak RSS.

  s = run(["vakt", "scan", dir], reps=3)          # or a shell pipeline: run("a | b", shell=True)
  s.wall.median, s.wall.lo, s.wall.hi, s.cpu.median, s.rss_mb.median, s.rc

Wall time comes from a monotonic clock around the process; CPU seconds (user + sys) and peak RSS
from /usr/bin/time (rusage of the command and every process it waited for; RSS is the largest
single process, not a sum). One untimed warm-up run first puts the inputs in the page cache, so
every figure is a warm-cache figure — say so in the report.
"""

import dataclasses
import os
import signal
import statistics
import subprocess
import tempfile
import time

GNU_TIME = "/usr/bin/time"


@dataclasses.dataclass
class Stat:
    median: float
    lo: float
    hi: float

    @staticmethod
    def of(values):
        return Stat(statistics.median(values), min(values), max(values))

    def as_json(self):
        return {"median": self.median, "min": self.lo, "max": self.hi}


@dataclasses.dataclass
class Summary:
    wall: Stat
    cpu: Stat
    rss_mb: Stat
    rc: int
    reps: int
    stdout_path: str = ""
    timed_out: float = 0.0    # > 0: the command was stopped after this many seconds

    def as_json(self):
        out = {"wall_s": self.wall.as_json(), "cpu_s": self.cpu.as_json(),
               "rss_mb": self.rss_mb.as_json(), "rc": self.rc, "reps": self.reps}
        if self.timed_out:
            out["timed_out_s"] = self.timed_out
        return out


class TimedOut(Exception):
    pass


def _once(cmd, shell, env, stdout_path, cwd, timeout=None):
    with tempfile.NamedTemporaryFile("r", suffix=".time", delete=False) as tf:
        time_file = tf.name
    if shell:
        full = [GNU_TIME, "-o", time_file, "-f", "%U %S %M", "bash", "-c", cmd]
    else:
        full = [GNU_TIME, "-o", time_file, "-f", "%U %S %M"] + list(cmd)
    out = open(stdout_path, "wb") if stdout_path else subprocess.DEVNULL
    try:
        t0 = time.perf_counter()
        # Own process group, so a timeout stops the whole pipeline, not only /usr/bin/time.
        proc = subprocess.Popen(full, stdout=out, stderr=subprocess.PIPE, env=env, cwd=cwd,
                                start_new_session=True)
        try:
            _, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise TimedOut()
        wall = time.perf_counter() - t0
    finally:
        if stdout_path:
            out.close()
    with open(time_file) as f:
        lines = [ln for ln in f.read().splitlines() if ln.strip()]
    os.unlink(time_file)
    if not lines:
        raise RuntimeError(f"/usr/bin/time wrote nothing (rc={proc.returncode}): {err[-500:]!r}")
    user, sys_, rss_kb = lines[-1].split()[:3]
    return wall, float(user) + float(sys_), int(rss_kb) / 1024.0, proc.returncode, err


def run(cmd, reps=3, shell=False, env=None, stdout_path="", warmup=1, cwd=None, ok_codes=(0, 1, 3),
        timeout=None, short_reps=0, short_below_s=0.0):
    """Runs cmd warmup + reps times; returns a Summary (stdout of the last run kept if asked).

    A run whose median wall time is under short_below_s is repeated up to short_reps times in all:
    on a shared VM a 0.2 s run varies by ±10 %, and a few more repetitions cost well under a
    second while they steady its median.

    With a timeout, a run that takes longer is killed and the Summary says so: wall = the timeout
    (a lower bound), one repetition, rc -1."""
    walls, cpus, rsss, rc, err = [], [], [], 0, b""
    try:
        for _ in range(warmup):
            _once(cmd, shell, env, stdout_path, cwd, timeout)
        for _ in range(max(1, reps)):
            wall, cpu, rss, rc, err = _once(cmd, shell, env, stdout_path, cwd, timeout)
            walls.append(wall)
            cpus.append(cpu)
            rsss.append(rss)
        while len(walls) < short_reps and statistics.median(walls) < short_below_s:
            wall, cpu, rss, rc, err = _once(cmd, shell, env, stdout_path, cwd, timeout)
            walls.append(wall)
            cpus.append(cpu)
            rsss.append(rss)
    except TimedOut:
        t = Stat(timeout, timeout, timeout)
        nan = Stat(float("nan"), float("nan"), float("nan"))
        return Summary(t, nan, nan, -1, 1, stdout_path, timed_out=timeout)
    if rc not in ok_codes:
        shown = cmd if isinstance(cmd, str) else " ".join(cmd)
        raise RuntimeError(f"command failed (rc={rc}): {shown}\n{err.decode(errors='replace')[-2000:]}")
    return Summary(Stat.of(walls), Stat.of(cpus), Stat.of(rsss), rc, len(walls), stdout_path)
