"""Synthetic rule packs for the rule-count scaling run (10, 100, 1000 patterns).

make_rules_dir(shipped, out, n, pattern_count) writes a rules directory for `vakt --rules DIR`:
the shipped packs that hold the identity rules (personnummer, samordningsnummer) plus policy.yaml,
and one generated pack `bench-synthetic.yaml` whose rules bring the total to n patterns. The
synthetic rules look like what a municipality adds (case references, project codes, vocabulary),
each with a must-match example so `vakt rules test` would accept them. Deterministic.
"""

import os
import random
import shutil

WORDS = ["ärende", "bistånd", "placering", "utredning", "insats", "beslut", "anmälan", "journal",
         "elevakt", "rehab", "avtal", "faktura", "projekt", "diarie", "protokoll", "yttrande",
         "remiss", "tillsyn", "bygglov", "delegation", "vårdplan", "genomförande", "hemtjänst",
         "kontakt", "familjehem", "skolskjuts", "ledighet", "lönerevision", "tjänsteresa", "incident"]
PREFIXES = ["SN", "KS", "BUN", "VON", "MBN", "TN", "KFN", "ÖF", "HR", "IT"]


def _quote(s):
    return "'" + s.replace("'", "''") + "'"


def synthetic_rule(i, rng):
    """One rule: (yaml text, pattern). Shapes rotate so the database is not all literals."""
    shape = i % 4
    w1, w2 = rng.choice(WORDS), rng.choice(WORDS)
    pre = rng.choice(PREFIXES)
    tag = f"{i:04d}"
    if shape == 0:
        pattern = f"{pre}\\s?20[0-9]{{2}}/{tag}"
        example = f"Diarienummer {pre} 2026/{tag} gäller."
    elif shape == 1:
        pattern = f"{w1}{tag}[a-z]{{2,8}}"
        example = f"Se {w1}{tag}abc i systemet."
    elif shape == 2:
        pattern = f"{w1}\\s+{w2}\\s+nr\\s*{tag}"
        example = f"Ett {w1} {w2} nr {tag} registrerades."
    else:
        pattern = f"(?:{pre}|{w2})-{tag}-[0-9]{{3,5}}"
        example = f"Kod {pre}-{tag}-12345 användes."
    text = (f"  - id: bench.synthetic.{tag}\n"
            f"    name: Syntetisk regel {tag}\n"
            f"    description: Benchmark rule {tag} (generated; never shipped).\n"
            f"    maturity: stable\n"
            f"    category: bench.synthetic\n"
            f"    class: 1\n"
            f"    weight: 0\n"
            f"    patterns:\n      - {_quote(pattern)}\n"
            f"    flags: [caseless, utf8]\n"
            f"    mask: none\n"
            f"    examples:\n      match: [{_quote(example)}]\n")
    return text, pattern


def identity_packs(shipped):
    """Shipped pack files that define the personnummer/samordningsnummer rules."""
    out = []
    for name in sorted(os.listdir(shipped)):
        if not name.endswith((".yaml", ".yml")) or name.startswith("policy"):
            continue
        with open(os.path.join(shipped, name), encoding="utf-8") as f:
            text = f.read()
        if "validator: personnummer" in text or "validator: samordningsnummer" in text:
            out.append(name)
    return out


def make_rules_dir(shipped, out, n_synthetic, packs=None, seed=1):
    """Copies `packs` (default: identity packs) and policy.yaml, adds n_synthetic generated rules."""
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    for name in (packs if packs is not None else identity_packs(shipped)):
        shutil.copy(os.path.join(shipped, name), os.path.join(out, name))
    for policy in ("policy.yaml", "policy.yml"):
        if os.path.exists(os.path.join(shipped, policy)):
            shutil.copy(os.path.join(shipped, policy), os.path.join(out, policy))
    rng = random.Random(f"rules:{seed}")
    patterns = []
    if n_synthetic > 0:
        parts = ["pack: bench-synthetic\nrules:\n"]
        for i in range(n_synthetic):
            text, pattern = synthetic_rule(i, rng)
            parts.append(text)
            patterns.append(pattern)
        with open(os.path.join(out, "bench-synthetic.yaml"), "w", encoding="utf-8") as f:
            f.write("".join(parts))
    return patterns
