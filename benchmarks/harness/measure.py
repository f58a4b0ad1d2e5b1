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


@dataclasses.dataclass
class Job:
    """One command of a side-by-side measurement (see run_side_by_side)."""
    cmd: object                 # argv list, or a shell string with shell=True
    shell: bool = False
    env: dict = None
    stdout_path: str = ""
    cwd: str = None
    timeout: float = None
    ok_codes: tuple = (0, 1, 3)


def run(cmd, reps=3, shell=False, env=None, stdout_path="", warmup=1, cwd=None, ok_codes=(0, 1, 3),
        timeout=None, short_reps=0, short_below_s=0.0):
    """Runs cmd warmup + reps times; returns a Summary (stdout of the last run kept if asked).

    A run whose median wall time is under short_below_s is repeated up to short_reps times in all:
    on a shared VM a 0.2 s run varies by ±10 %, and a few more repetitions cost well under a
    second while they steady its median.

    With a timeout, a run that takes longer is killed and the Summary says so: wall = the timeout
    (a lower bound), one repetition, rc -1."""
    job = Job(cmd, shell=shell, env=env, stdout_path=stdout_path, cwd=cwd, timeout=timeout,
              ok_codes=ok_codes)
    return run_side_by_side([job], reps=reps, warmup=warmup, short_reps=short_reps,
                            short_below_s=short_below_s)[0]


def run_side_by_side(jobs, reps=3, warmup=1, short_reps=0, short_below_s=0.0):
    """Runs several commands in rounds — A B C, A B C, … — and returns one Summary per job.

    Rounds, not one command's repetitions after the other's: on a shared VM the load changes over
    seconds, and a ratio of two tools measured a minute apart is partly the host's doing. In
    rounds every tool meets the same moments of load, so their medians compare. A job that times
    out is stopped, reported as in run(), and left out of the later rounds; the others go on."""
    n = len(jobs)
    walls, cpus, rsss = [[] for _ in jobs], [[] for _ in jobs], [[] for _ in jobs]
    rcs, errs, stopped = [0] * n, [b""] * n, [None] * n

    def one_round(timed):
        for i, j in enumerate(jobs):
            if stopped[i] is not None:
                continue
            try:
                wall, cpu, rss, rc, err = _once(j.cmd, j.shell, j.env, j.stdout_path, j.cwd, j.timeout)
            except TimedOut:
                stopped[i] = j.timeout
                continue
            if timed:
                walls[i].append(wall)
                cpus[i].append(cpu)
                rsss[i].append(rss)
            rcs[i], errs[i] = rc, err

    for _ in range(warmup):
        one_round(False)
    for _ in range(max(1, reps)):
        one_round(True)
    while any(stopped[i] is None and len(walls[i]) < short_reps and
              statistics.median(walls[i]) < short_below_s for i in range(n)):
        one_round(True)

    out = []
    for i, j in enumerate(jobs):
        if stopped[i] is not None:
            t = Stat(stopped[i], stopped[i], stopped[i])
            nan = Stat(float("nan"), float("nan"), float("nan"))
            out.append(Summary(t, nan, nan, -1, 1, j.stdout_path, timed_out=stopped[i]))
            continue
        if rcs[i] not in j.ok_codes:
            shown = j.cmd if isinstance(j.cmd, str) else " ".join(j.cmd)
            raise RuntimeError(f"command failed (rc={rcs[i]}): {shown}\n"
                               f"{errs[i].decode(errors='replace')[-2000:]}")
        out.append(Summary(Stat.of(walls[i]), Stat.of(cpus[i]), Stat.of(rsss[i]), rcs[i],
                           len(walls[i]), j.stdout_path))
    return out
