"""Peer tools measured beside Vakt: ripgrep and ugrep with Vakt's own patterns, and the usual
command-line extractors (pdftotext, mutool, unzip | sed, iconv, dd for a page-cache read).

export_patterns(patterns, dir) writes one pattern file per tool, keeping only patterns the tool
compiles (Hyperscan syntax is close to both, not identical) and says how many it dropped.
"""

import os
import re
import shlex
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
RGA_PRE = os.path.join(HERE, "rga_pre.sh")
PRE_GLOB = "*.{pdf,docx,xlsx,pptx,odt,eml,zip}"


def _compiles(tool, pattern):
    if tool == "rg":
        cmd = ["rg", "-c", "-e", pattern, "/dev/null"]
    else:
        cmd = ["ugrep", "-c", "-e", pattern, "/dev/null"]
    try:
        proc = subprocess.run(cmd, capture_output=True, timeout=30)
    except subprocess.TimeoutExpired:
        return False
    return proc.returncode in (0, 1) and not proc.stderr.strip()


def for_tool(tool, pattern):
    """rg: Unicode \\b (Vakt's word-bounded terms) sends Rust's regex engine (rg 13) off its DFA onto
    a path ~40x slower for the whole pattern set; the ASCII \\b is what an rg user would write, so
    the peer gets it (it treats å/ä/ö next to a term as a boundary: a superset of Vakt's hits)."""
    pattern = _without_leading_gap(pattern)
    if tool == "rg":
        return pattern.replace("\\b", "(?-u:\\b)")
    return pattern


def _without_leading_gap(pattern):
    """A leading `.{0,N}` (Vakt's sentence rules put one before their rare words so that RE2 can
    confirm the sentence) matches the empty string, so a tool that counts matching lines finds
    the same lines without it. Left in, it cost rg half its speed and stopped ugrep altogether
    (no 1 MB scan within 60 s): measuring that would credit Vakt for a pattern form only it needs."""
    m = re.match(r"\.\{0,\d+\}(?=.)", pattern)
    return pattern[m.end():] if m else pattern


def export_patterns(patterns, out_dir, name="patterns"):
    """Returns {tool: (path, kept, dropped)}; pattern order and duplicates are kept."""
    os.makedirs(out_dir, exist_ok=True)
    result = {}
    for tool in ("rg", "ugrep"):
        kept = [for_tool(tool, p) for p in patterns if "\n" not in p]
        kept = [p for p in kept if _compiles(tool, p)]
        path = os.path.join(out_dir, f"{name}.{tool}.txt")
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(kept) + "\n")
        result[tool] = (path, len(kept), len(patterns) - len(kept))
    return result


def matcher_cmds(pattern_files, text_path):
    q = shlex.quote
    return {
        "rg -c -f": f"rg -c -f {q(pattern_files['rg'][0])} {q(text_path)}",
        "ugrep -c -f": f"ugrep -c -f {q(pattern_files['ugrep'][0])} {q(text_path)}",
        "dd (page-cache read)": f"dd if={q(text_path)} of=/dev/null bs=1M status=none",
    }


def extraction_cmds(fmt, folder, out_file):
    """Shell loops that extract every file of one format folder into out_file (a real file, not
    /dev/null, so no tool can skip work)."""
    q = shlex.quote(folder)
    ext = {"txt-utf8": "txt", "txt-utf16le": "txt", "txt-cp1252": "txt"}.get(fmt, fmt)
    loop = f'for f in {q}/*.{ext}; do {{cmd}}; done > {shlex.quote(out_file)} 2>/dev/null'
    if fmt == "pdf":
        return {"pdftotext": loop.format(cmd='pdftotext -q "$f" -'),
                "mutool draw -F txt": loop.format(cmd='mutool draw -q -F txt -o - "$f"')}
    if fmt in ("docx", "xlsx", "pptx", "odt"):
        return {"unzip -p | sed": loop.format(cmd="unzip -p \"$f\" | sed -e 's/<[^>]*>/ /g'")}
    if fmt == "txt-utf8":
        return {"cat": loop.format(cmd='cat "$f"')}
    if fmt == "txt-utf16le":
        return {"iconv": loop.format(cmd='iconv -f UTF-16 -t UTF-8 "$f"')}
    if fmt == "txt-cp1252":
        return {"iconv": loop.format(cmd='iconv -f CP1252 -t UTF-8 "$f"')}
    if fmt in ("eml", "zip"):
        return {"rga-style pre (python email / unzip)": loop.format(cmd=f'{RGA_PRE} "$f"')}
    return {}


def rga_cmd(pattern_file, folder, threads):
    return (f"rg --no-ignore --hidden -c -j{threads} -f {shlex.quote(pattern_file)} "
            f"--pre {shlex.quote(RGA_PRE)} --pre-glob {shlex.quote(PRE_GLOB)} {shlex.quote(folder)}")
