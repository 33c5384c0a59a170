"""Benchmark: the fuzz generator of ``tests/test_fuzz.py`` at scale, one document per pipeline run.

    .venv/bin/python benchmarks/bench_fuzz.py --docs 3000 --seed 1

Builds ``--docs`` documents with ``tests.fuzzdocs.fuzz_document`` from
``random.Random(--seed)``, runs each through the whole pipeline and the row/validation
path (``tests.fuzzrun.check_documents``) and prints the documents, the exceptions, the
span failures (by table), the duplicate keys, the ``duplicate-key`` quarantine rows,
the slowest document's time and size, and how many documents took over 1 s.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fuzzdocs import base_texts, fuzz_document  # noqa: E402
from tests.fuzzrun import check_documents  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    bases = base_texts()
    rng = random.Random(args.seed)
    exceptions, spans, keys, quarantined, over_1s = 0, Counter[str](), Counter[str](), 0, 0
    slowest = (0.0, 0)
    for _ in range(args.docs):
        text = fuzz_document(rng, bases)
        started = time.perf_counter()
        found = check_documents([text])
        took = time.perf_counter() - started
        exceptions += len(found.exceptions)
        spans.update(table for table, _ in found.spans)
        keys.update(table for table, _ in found.duplicate_keys)
        quarantined += len(found.duplicate_quarantine)
        over_1s += took > 1.0
        slowest = max(slowest, (took, len(text)))
    print(f"documents {args.docs} (seed {args.seed})")
    print(f"exceptions {exceptions}")
    print(f"span failures {sum(spans.values())} {dict(sorted(spans.items()))}")
    print(f"duplicate keys {sum(keys.values())} {dict(sorted(keys.items()))}")
    print(f"duplicate-key quarantine rows {quarantined}")
    print(f"slowest document {slowest[0]:.2f} s, {slowest[1]:,} characters")
    print(f"documents over 1 s {over_1s}")


if __name__ == "__main__":
    main()
