"""Describes the machine and tool versions for the report header (lscpu, RAM, kernel, versions)."""

import os
import platform
import re
import subprocess


def _out(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=20).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def _first_line(cmd, pattern=None):
    text = _out(cmd)
    for line in text.splitlines() + [""]:
        if not pattern or re.search(pattern, line):
            return line.strip()
    return ""


def describe(vakt_bin):
    lscpu = _out(["lscpu"])
    model = re.search(r"Model name:\s*(.+)", lscpu)
    mem_kb = 0
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    pdftotext = _out(["pdftotext", "-v"]) or subprocess.run(
        ["pdftotext", "-v"], capture_output=True, text=True).stderr
    return {
        "cpu_model": model.group(1).strip() if model else platform.processor(),
        "cores": os.cpu_count(),
        "ram_gb": round(mem_kb / (1 << 20), 1),
        "kernel": platform.release(),
        "os": _first_line(["cat", "/etc/os-release"], r"^PRETTY_NAME").split("=", 1)[-1].strip('"'),
        "vakt": " · ".join(_out([vakt_bin, "--version"]).splitlines()) if vakt_bin else "not built",
        "rg": _first_line(["rg", "--version"]),
        "ugrep": _first_line(["ugrep", "--version"]),
        "poppler": next((ln for ln in pdftotext.splitlines() if "version" in ln), "").strip(),
        "mutool": _first_line(["mutool", "-v"]) or subprocess.run(
            ["mutool", "-v"], capture_output=True, text=True).stderr.strip().splitlines()[0],
        "hyperscan": _out(["pkg-config", "--modversion", "libhs"]),
        "compiler": _first_line(["c++", "--version"]),
        "python": platform.python_version(),
    }
