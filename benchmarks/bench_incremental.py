"""Benchmark: a scheduled (incremental) run against the first run, through the real Prefect flow.

    .venv/bin/python benchmarks/bench_incremental.py --docs 1000

1. warm-up: one flow run on an empty folder, so the embedded server's start-up
   (paid by every process once) is not counted against either run;
2. first run: every document parsed, the per-document cache filled;
3. unchanged run: same bytes, same code → the previous output is kept;
4. 1 % changed run: those documents parsed again, the rest from the cache, every
   table rebuilt, validated and written.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from bench_pipeline import make_corpus

from pipeline.orchestrate.settings import configure_prefect


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    configure_prefect()
    from pipeline.orchestrate.flow import build_datasets

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        corpus, empty, cache, out = root / "corpus", root / "empty", root / "cache", root / "output"
        corpus.mkdir()
        empty.mkdir()
        make_corpus(corpus, args.docs)
        build_datasets(input_dir=str(empty), output_dir=str(root / "warm"), cache_dir=None)

        def timed(label: str) -> float:
            started = time.perf_counter()
            summary = build_datasets(
                input_dir=str(corpus), output_dir=str(out), cache_dir=str(cache), workers=args.workers
            )
            seconds = time.perf_counter() - started
            print(
                f"{label:<22} {seconds:7.2f} s   unchanged={summary['unchanged']} "
                f"from_cache={summary.get('from_cache', '-')}"
            )
            return seconds

        first = timed("first run")
        unchanged = timed("unchanged run")
        for path in sorted(corpus.iterdir())[::100]:
            path.write_text(path.read_text(encoding="utf-8") + "\nEdited.\n", encoding="utf-8")
        changed = timed("1% changed run")
        print(f"speed-up unchanged: {first / unchanged:5.1f}x   1% changed: {first / changed:5.1f}x")


if __name__ == "__main__":
    main()
