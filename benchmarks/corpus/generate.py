#!/usr/bin/env python3
"""Benchmark corpus generator: realistic Swedish municipal documents with known content.

Deterministic from --seed, Python 3 stdlib only, no downloads. Writes the files and a
manifest.json that is the ground truth: per file the expected number of valid personnummer and
samordningsnummer (Skatteverket test numbers only), distinct values, OSL markers, hard negatives,
and the expected class range. benchmarks/run checks Vakt's output against it.

  generate.py mixed   --out DIR [--size 8M] [--max-file 1M] [--big 120M,20M] [--seed 1]
  generate.py formats --out DIR [--size 2M] [--file-size 256K]     # one folder per format
  generate.py text    --out FILE --size 64M                        # plain UTF-8 for the matcher
  generate.py check   DIR                                          # self-check with a reference count

Sizes take K/M/G suffixes. Text bytes (what reaches a matcher) are targeted; file sizes follow
from the format (zip compression, PDF overhead) and are recorded in the manifest.
"""

import argparse
import json
import math
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import documents  # noqa: E402
import expectations  # noqa: E402
import writers  # noqa: E402

GENERATOR_VERSION = 4


def parse_size(s):
    s = str(s).strip().upper()
    mult = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}.get(s[-1:], 1)
    return int(float(s[:-1] if s[-1:] in "KMG" else s) * mult)


def _record(fmt, doc, data, children=None):
    truth = documents.Truth()
    truth.add(doc.truth)
    kinds = [doc.kind]
    for child in children or []:
        truth.add(child.truth)
        kinds.append(child.kind)
    lo, hi = expectations.class_range(truth, kinds)
    return {"format": fmt, "kind": doc.kind, "bytes": len(data),
            "text_bytes": sum(len(line.encode()) + 1 for line in doc.lines())
            + sum(sum(len(line.encode()) + 1 for line in c.lines()) for c in children or []),
            **truth.as_json(), "expected_min_class": lo, "expected_max_class": hi,
            "children": [c.kind for c in children or []]}


def make_file(fmt, kind, rng, text_bytes, seq):
    """Returns (bytes, manifest record) for one file of format fmt."""
    if fmt in writers.WRITERS:
        doc = documents.compose(kind, rng, text_bytes)
        data = writers.WRITERS[fmt](doc)
        return data, _record(fmt, doc, data)
    # Containers: the findings limit is per top-level file, so members are diluted by the size of
    # the whole file, not their own.
    dens = 0.7 * min(1.0, documents.FULL_DENSITY_BYTES / max(1, text_bytes))
    if fmt == "eml":
        half = documents.MAX_IDS_PER_FILE // 2
        doc = documents.compose(kind, rng, max(2048, text_bytes // 2), half, dens)
        if rng.random() < 0.6:
            child_fmt = rng.choice(["docx", "pdf", "txt-utf8"])
            child = documents.compose(rng.choice(documents.KINDS), rng, max(2048, text_bytes // 2), half,
                                      dens)
            att = (f"bilaga.{writers.EXTENSION[child_fmt]}", writers.WRITERS[child_fmt](child),
                   writers.CONTENT_TYPE[child_fmt])
            data = writers.eml(doc, att, seq)
            return data, _record(fmt, doc, data, [child])
        doc = documents.compose(kind, rng, text_bytes, documents.MAX_IDS_PER_FILE, dens)
        data = writers.eml(doc, None, seq)
        return data, _record(fmt, doc, data)
    if fmt == "zip":
        n = rng.randint(2, 4)
        docs, members = [], []
        for i in range(n):
            child_fmt = rng.choice(["docx", "pdf", "txt-utf8", "xlsx", "odt"])
            child = documents.compose(rng.choice(documents.KINDS), rng, max(2048, text_bytes // n),
                                      documents.MAX_IDS_PER_FILE // n, dens)
            docs.append(child)
            members.append((f"arkiv/dokument{i + 1}.{writers.EXTENSION[child_fmt]}",
                            writers.WRITERS[child_fmt](child)))
        data = writers.zip_of(members)
        rec = _record(fmt, docs[0], data, docs[1:])
        rec["kind"] = "arkiv"
        return data, rec
    raise ValueError(fmt)


def _write(out, rel, data, rec, manifest):
    path = os.path.join(out, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
    manifest[rel] = rec


def _save_manifest(out, manifest, params):
    with open(os.path.join(out, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump({"generator_version": GENERATOR_VERSION, "params": params, "files": manifest},
                  f, indent=1, ensure_ascii=False, sort_keys=True)


def big_text_file(rng, kind, size, block=1 << 20):
    """A 100+ MB meeting-notes text file made fast: one ~1 MB document repeated, identities capped
    so the whole file stays within the per-file cap (the truth is the block's times the repeats)."""
    reps = max(1, round(size / block))
    doc = documents.compose(kind, rng, block, max(1, documents.MAX_IDS_PER_FILE // reps),
                            density=1.0 / reps)
    one = writers.text_utf8(doc)
    data = one * reps
    rec = _record("txt-utf8", doc, one)
    for key in ("personnummer", "samordningsnummer", "identity_total", "osl_markers", "hard_negatives"):
        rec[key] *= reps
    rec["forms"] = {k: v * reps for k, v in rec["forms"].items()}
    rec["bytes"] = rec["text_bytes"] = len(data)
    rec["repeats"] = reps
    return data, rec


def generate_mixed(out, seed, total, max_file, big=()):
    """A folder tree like a OneDrive: every format and kind, sizes log-uniform 10 KB..max_file, about
    `total` bytes of text, plus the listed big files (text sizes, on top of total) in rotating formats."""
    rng = random.Random(f"mixed:{seed}")
    manifest, written, seq = {}, 0, 0
    folders = ["Socialtjänst/Ärenden", "HR/Rehab", "HR/Listor", "Upphandling/2026", "Styrdokument",
               "Mejl", "Arkiv"]
    big_formats = ["txt-utf8", "docx", "pdf", "xlsx"]
    for i, size in enumerate(big):
        fmt = big_formats[i % len(big_formats)]
        kind = "motesanteckningar" if fmt != "xlsx" else "personallista"
        if fmt == "txt-utf8" and size > (4 << 20):
            data, rec = big_text_file(random.Random(f"big:{seed}:{i}"), kind, size)
        else:
            data, rec = make_file(fmt, kind, random.Random(f"big:{seed}:{i}"), size, seq)
        _write(out, f"Stora/stor{i + 1}_{kind}.{writers.EXTENSION[fmt]}", data, rec, manifest)
        seq += 1
    lo, hi = math.log(10 << 10), math.log(max(max_file, 11 << 10))
    while written < total:
        fmt = rng.choice(writers.FORMATS)
        kind = rng.choice(documents.KINDS)
        if fmt == "xlsx" and rng.random() < 0.6:
            kind = "personallista"
        size = int(math.exp(rng.uniform(lo, hi)))
        data, rec = make_file(fmt, kind, random.Random(f"mixed:{seed}:{seq}"), size, seq)
        folder = rng.choice(folders)
        _write(out, f"{folder}/{seq:05d}_{kind}_{fmt}.{writers.EXTENSION[fmt]}", data, rec, manifest)
        written += rec["text_bytes"]
        seq += 1
    _save_manifest(out, manifest, {"layout": "mixed", "seed": seed, "size": total,
                                   "max_file": max_file, "big": list(big)})
    return manifest


def generate_formats(out, seed, per_format, file_size, formats=writers.FORMATS):
    """One folder per format, each holding ~per_format text bytes in files of ~file_size."""
    manifest, seq = {}, 0
    for fmt in formats:
        written = 0
        while written < per_format:
            kind = documents.PERSON_KINDS[seq % len(documents.PERSON_KINDS)]
            if fmt == "xlsx":
                kind = "personallista"
            data, rec = make_file(fmt, kind, random.Random(f"fmt:{seed}:{fmt}:{seq}"), file_size, seq)
            _write(out, f"{fmt}/{seq:05d}_{kind}.{writers.EXTENSION[fmt]}", data, rec, manifest)
            written += rec["text_bytes"]
            seq += 1
    _save_manifest(out, manifest, {"layout": "formats", "seed": seed, "size": per_format,
                                   "file_size": file_size})
    return manifest


def generate_text(path, seed, size, block=1 << 20):
    """Plain UTF-8 text of about `size` bytes: one ~1 MB block of mixed documents (the same block
    for every size with this seed), repeated; truth scales with the repeats. The block holds
    fewer than 1000 identities per rule, so a scan of one block can be checked exactly and a scan
    of N blocks must find exactly N times as much."""
    rng = random.Random(f"text:{seed}")
    # Sparse: a few identities and vocabulary hits per block (~12 findings per MB), so even 1 GB stays below
    # the engine's 20 000-findings limit and is scanned to the end (dense text: micro benchmark).
    doc = documents.pool_document(rng, min(size, block) - (32 << 10), density=0.0005, ids_per_chunk=1,
                                  chunk=min(size, block) // 3)
    data = writers.text_utf8(doc)
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    reps = max(1, round(size / len(data)))
    with open(path, "wb") as f:
        for _ in range(reps):
            f.write(data)
    truth = doc.truth.as_json()
    rec = {"format": "txt-utf8", "kind": "blandat", "bytes": len(data) * reps,
           "text_bytes": len(data) * reps, "repeats": reps,
           "personnummer": truth["personnummer"] * reps,
           "samordningsnummer": truth["samordningsnummer"] * reps,
           "identity_total": truth["identity_total"] * reps,
           "distinct_identities": truth["distinct_identities"],
           "osl_markers": truth["osl_markers"] * reps, "hard_negatives": truth["hard_negatives"] * reps}
    with open(path + ".json", "w") as f:
        json.dump(rec, f, indent=1)
    return rec


def self_check(out):
    """Re-extracts every plain, docx and pdf file with independent tools and recounts identities."""
    import subprocess
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import idnum
    with open(os.path.join(out, "manifest.json"), encoding="utf-8") as f:
        files = json.load(f)["files"]
    bad = 0
    for rel, rec in sorted(files.items()):
        path = os.path.join(out, rel)
        fmt = rec["format"]
        if fmt == "txt-utf8":
            text = open(path, encoding="utf-8").read()
        elif fmt == "txt-utf16le":
            text = open(path, encoding="utf-16").read()
        elif fmt == "txt-cp1252":
            text = open(path, encoding="cp1252").read()
        elif fmt == "pdf":
            text = subprocess.run(["pdftotext", path, "-"], capture_output=True, text=True).stdout
        elif fmt in ("docx", "xlsx", "pptx", "odt"):
            text = subprocess.run(f"unzip -p '{path}' | sed -e 's/<[^>]*>/ /g'", shell=True,
                                  capture_output=True, text=True).stdout
        else:
            continue
        got = idnum.reference_count(text)
        if got != rec["identity_total"]:
            bad += 1
            print(f"MISMATCH {rel}: manifest {rec['identity_total']} reference {got}")
    print(f"self-check: {len(files)} files, {bad} mismatches")
    return bad == 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    m = sub.add_parser("mixed")
    m.add_argument("--out", required=True)
    m.add_argument("--size", default="8M")
    m.add_argument("--max-file", default="1M")
    m.add_argument("--big", default="", help="comma-separated text sizes of extra big files")
    m.add_argument("--seed", type=int, default=1)
    f = sub.add_parser("formats")
    f.add_argument("--out", required=True)
    f.add_argument("--size", default="2M")
    f.add_argument("--file-size", default="256K")
    f.add_argument("--seed", type=int, default=1)
    t = sub.add_parser("text")
    t.add_argument("--out", required=True)
    t.add_argument("--size", default="8M")
    t.add_argument("--seed", type=int, default=1)
    c = sub.add_parser("check")
    c.add_argument("dir")
    a = ap.parse_args()
    if a.cmd == "mixed":
        big = [parse_size(s) for s in a.big.split(",") if s]
        man = generate_mixed(a.out, a.seed, parse_size(a.size), parse_size(a.max_file), big)
        print(f"mixed: {len(man)} files in {a.out}")
    elif a.cmd == "formats":
        man = generate_formats(a.out, a.seed, parse_size(a.size), parse_size(a.file_size))
        print(f"formats: {len(man)} files in {a.out}")
    elif a.cmd == "text":
        rec = generate_text(a.out, a.seed, parse_size(a.size))
        print(f"text: {rec['bytes']} bytes, {rec['identity_total']} identities in {a.out}")
    else:
        return 0 if self_check(a.dir) else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
