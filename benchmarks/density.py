"""Findings per 10,000 words on the federal codes in ../shared/acts, by rule and severity.

Usage: python benchmarks/density.py [--show RULE] [--sample N]
Reads ../shared/acts when present (the codes are not shipped with the project).
"""

from __future__ import annotations

import argparse
import random
from collections import Counter
from pathlib import Path

from expertise.documents.structure import build_document
from expertise.documents.txt_reader import read_txt
from expertise.engine.catalogue import load_catalogue
from expertise.engine.runner import Engine

ACTS = Path(__file__).resolve().parents[1].parent / "shared" / "acts"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--show", help="print the findings of this rule (or factor)")
    ap.add_argument("--sample", type=int, default=30)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    engine = Engine(load_catalogue())
    words = 0
    counts: Counter = Counter()
    shown = []
    for path in sorted(ACTS.glob("*.txt")):
        doc = build_document(read_txt(str(path), path.read_bytes()))
        words += doc.word_count
        for f in engine.check(doc):
            counts[(f.rule, f.severity)] += 1
            if args.show and (f.rule == args.show or f.factor == args.show):
                shown.append((path.name[:12], f))
    print(f"words: {words}")
    for (rule, sev), n in sorted(counts.items()):
        print(f"{rule:40} {sev:8} {n:6} {n * 10000 / words:8.2f} per 10k words")
    random.Random(args.seed).shuffle(shown)
    for name, f in shown[: args.sample]:
        ctx = f.unit.text
        print(f"\n[{name}] {f.unit.label} :: «{f.quote}»\n    {ctx[max(0, f.start - 150): f.end + 150]}")


if __name__ == "__main__":
    main()
