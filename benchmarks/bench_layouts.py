"""Benchmark: the per-document core's speed on each layout, one process, rerunnable.

    .venv/bin/python benchmarks/bench_layouts.py [--rounds 200] [--folders seeds tests/cases/variations tests/cases/gate]

Reads every ``*.txt`` of the folders once, then runs the pure per-document pass
(``process_document``: detect → layout parser → people and facts → coverage) over all of
them ``--rounds`` times and prints documents per second and milliseconds per document,
overall and by the layout each document was detected as. Run it before and after a
change to the detector, a layout parser or the extraction rules: the per-document core
must not get slower.
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from pathlib import Path

from pipeline.core import process_document
from pipeline.run.sources import source_from_bytes

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=200)
    ap.add_argument("--folders", nargs="+", default=["seeds", "tests/cases/variations", "tests/cases/gate"])
    args = ap.parse_args()
    sources = [
        source_from_bytes(p.name, p.read_bytes())
        for folder in args.folders
        for p in sorted((ROOT / folder).glob("*.txt"))
    ]
    layouts = {s.source_name: (r.parsed.format if r.parsed else "rejected") for s in sources for r in [process_document(s)]}
    spent: dict[str, float] = defaultdict(float)
    count: dict[str, int] = defaultdict(int)
    for _ in range(args.rounds):
        for source in sources:
            start = time.perf_counter()
            process_document(source)
            spent[layouts[source.source_name]] += time.perf_counter() - start
            count[layouts[source.source_name]] += 1
    total_s, total_n = sum(spent.values()), sum(count.values())
    print(f"{len(sources)} documents x {args.rounds} rounds, one process")
    print(f"{'layout':<15}{'docs':>6}{'docs/s':>10}{'ms/doc':>9}")
    for layout in sorted(spent):
        n = count[layout] // args.rounds
        print(f"{layout:<15}{n:>6}{count[layout] / spent[layout]:>10.0f}{1000 * spent[layout] / count[layout]:>9.2f}")
    print(f"{'all':<15}{len(sources):>6}{total_n / total_s:>10.0f}{1000 * total_s / total_n:>9.2f}")


if __name__ == "__main__":
    main()
