"""Benchmark: a scheduled (incremental) run against the first run.

    .venv/bin/python benchmarks/bench_incremental.py --docs 1000 [--staged]

Through the real Prefect flow (or, with ``--staged``, through its stages without Prefect,
``pipeline.run.batch.run_local``, which also prints each stage's seconds):

1. warm-up (flow only): one flow run on an empty folder, so the embedded server's start-up
   (paid by every process once) is not counted against either run;
2. first run: every document parsed, the per-document cache filled;
3. unchanged run: same bytes, same code → the flow keeps the previous output (the staged
   run has no such check: every document comes from the cache, the rest is redone);
4. 1 % changed run: those documents parsed again, the rest from the cache, every
   table rebuilt, validated and written.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from typing import Any

from bench_pipeline import make_corpus

from pipeline.orchestrate.settings import configure_prefect
from pipeline.run.batch import run_local


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--staged", action="store_true", help="the flow's stages without Prefect")
    args = parser.parse_args()
    configure_prefect()
    from pipeline.orchestrate.flow import build_datasets

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        corpus, empty, cache, out = root / "corpus", root / "empty", root / "cache", root / "output"
        corpus.mkdir()
        empty.mkdir()
        make_corpus(corpus, args.docs)
        if not args.staged:
            build_datasets(input_dir=str(empty), output_dir=str(root / "warm"), cache_dir=None)

        def run() -> dict[str, Any]:
            if args.staged:
                return run_local(corpus, out, root / "stage", 500, args.workers, cache_dir=cache)
            return build_datasets(
                input_dir=str(corpus), output_dir=str(out), cache_dir=str(cache), workers=args.workers
            )

        def timed(label: str) -> float:
            started = time.perf_counter()
            summary = run()
            seconds = time.perf_counter() - started
            stages = {k: round(v, 1) for k, v in summary.get("stage_seconds", {}).items()}
            print(
                f"{label:<22} {seconds:7.2f} s   unchanged={summary.get('unchanged', '-')} "
                f"from_cache={summary.get('from_cache', '-')} {stages or ''}",
                flush=True,
            )
            return seconds

        first = timed("first run")
        unchanged = timed("unchanged run")
        for path in sorted(corpus.iterdir())[::100]:
            path.write_text(path.read_text(encoding="utf-8") + "\nEdited.\n", encoding="utf-8")
        changed = timed("1% changed run")
        print(
            f"unchanged: {unchanged / first:6.1%} of the first run ({first / unchanged:5.1f}x)   "
            f"1% changed: {changed / first:6.1%} ({first / changed:5.1f}x)"
        )


if __name__ == "__main__":
    main()
