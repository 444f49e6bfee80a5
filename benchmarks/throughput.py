"""Throughput of a full `check` on the federal codes, against a floor measured in the same run.

The floor is what no rule engine can beat: the spaCy tokenizer plus cached pymorphy3 readings of
every token of every unit, nothing else. The ratio full/floor (words per second) is the figure to
watch (target ≥ 0.5); peak RSS of a fresh process checking the largest code is the memory figure
(target ≤ 300 MB). Reads ../shared/acts when present.

Usage: python benchmarks/throughput.py
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ACTS = Path(__file__).resolve().parents[1].parent / "shared" / "acts"


def _floor(docs) -> float:
    from expertise.language.morphology import tokenize

    start = time.perf_counter()
    for doc in docs:
        for unit in doc.units:
            tokenize(unit.text)
    return time.perf_counter() - start


def _full(docs) -> float:
    from expertise.engine.catalogue import load_catalogue
    from expertise.engine.runner import Engine

    engine = Engine(load_catalogue())
    start = time.perf_counter()
    for doc in docs:
        engine.check(doc)
    return time.perf_counter() - start


def _peak_rss_mb(path: Path) -> float:
    code = (
        "import resource, sys\n"
        "from expertise.pipeline import Checker\n"
        f"Checker().check_file({str(path)!r})\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return int(out.stdout.strip().splitlines()[-1]) / 1024


def main() -> None:
    from expertise.documents.reader import read_document
    from expertise.language.morphology import warm_up

    files = sorted(ACTS.glob("*.txt"))
    if not files:
        print("../shared/acts не найден: бенчмарк пропущен")
        return
    warm_up()
    docs = [read_document(str(f)) for f in files]
    words = sum(d.word_count for d in docs)
    # warm the readings cache once so that the floor and the full run see the same cache state
    _floor(docs)
    # best of five, floor and full interleaved: the machine is shared, and a slow spell that falls on
    # consecutive runs of one side alone swung the ratio between 0.42 and 0.54
    floors, fulls = [], []
    for _ in range(5):
        floors.append(_floor(docs))
        fulls.append(_full(docs))
    floor, full = min(floors), min(fulls)
    largest = max(files, key=lambda f: f.stat().st_size)
    rss = _peak_rss_mb(largest)
    result = {
        "words": words,
        "floor_words_per_s": round(words / floor),
        "full_words_per_s": round(words / full),
        "ratio_full_to_floor": round(floor / full, 3),
        "peak_rss_mb_largest_code": round(rss, 1),
        "largest_code": largest.name,
    }
    print(json.dumps(result, ensure_ascii=False, indent=2))
    print(f"ratio {result['ratio_full_to_floor']} (target ≥ 0.5); peak RSS {result['peak_rss_mb_largest_code']} MB "
          f"(target ≤ 300)")


if __name__ == "__main__":
    main()
