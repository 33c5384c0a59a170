"""Benchmark: memory and time of the view step alone (read the view back, then summary, report and counts).

    .venv/bin/python benchmarks/bench_view.py --docs 4000 16000 [--workers 2]
    .venv/bin/python benchmarks/bench_view.py --output OUTPUT_DIR [OUTPUT_DIR ...]

With ``--docs``, builds a corpus of each size (``bench_pipeline.make_corpus``) and
writes its tables with the flow's stages (``run_local``), unmeasured; with
``--output``, takes folders an earlier run wrote. Then, in a fresh process per
folder, it times ``read_view`` + ``summarise`` + ``render_report`` + ``count_rows``
and prints three peaks above what the process held before: its PSS (sampled,
``benchmarks/memory.py``), Python's allocations (``tracemalloc``) and Arrow's
memory pool.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import pyarrow as pa

from pipeline.orchestrate.artifacts import count_rows
from pipeline.output.view import read_view
from pipeline.present.report import render_report
from pipeline.present.summary import summarise
from pipeline.run.batch import run_local

try:
    from benchmarks.bench_pipeline import make_corpus
    from benchmarks.memory import PeakMemory
except ImportError:  # run as a script from benchmarks/
    from bench_pipeline import make_corpus  # type: ignore[no-redef]
    from memory import PeakMemory  # type: ignore[no-redef]


def measure(output: Path) -> dict[str, float]:
    """The view step over one output folder, in this process: seconds and peaks in MB."""
    manifest = json.loads((output / "manifest.json").read_text(encoding="utf-8"))
    pool = pa.default_memory_pool()
    with PeakMemory() as idle:  # what the process holds before
        pass
    before_pool = pool.max_memory() or 0
    tracemalloc.start()
    with PeakMemory(interval=0.01) as peak:
        started = time.perf_counter()
        view = read_view(output)
        summarise(view, manifest, {})
        render_report(view, manifest)
        count_rows(view)
        seconds = time.perf_counter() - started
    _, python_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "documents": manifest["tables"]["documents"]["rows"],
        "seconds": seconds,
        "pss_mb": (peak.peak - idle.peak) / 1e6,
        "python_mb": python_peak / 1e6,
        "arrow_mb": ((pool.max_memory() or 0) - before_pool) / 1e6,
    }


def measured_apart(output: Path) -> dict[str, float]:
    """``measure`` in a fresh process, so nothing an earlier step held counts."""
    command = [sys.executable, str(Path(__file__).resolve()), "--measure", str(output)]
    text = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return dict(json.loads(text.strip().splitlines()[-1]))


def written(docs: int, workers: int, folder: Path) -> Path:
    """An output folder of ``docs`` generated documents, written by the flow's stages without Prefect."""
    corpus = folder / f"corpus-{docs}"
    corpus.mkdir()
    make_corpus(corpus, docs)
    output = folder / f"output-{docs}"
    run_local(corpus, output, folder / f"stage-{docs}", 500, workers)
    return output


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=int, nargs="*", default=[])
    parser.add_argument("--output", type=Path, nargs="*", default=[])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure)))
        return
    print(f"{'documents':>9} {'seconds':>8} {'PSS MB':>7} {'Python MB':>10} {'Arrow MB':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        outputs = [*args.output, *(written(n, args.workers, Path(tmp)) for n in args.docs)]
        for output in outputs:
            r = measured_apart(output)
            print(
                f"{r['documents']:9.0f} {r['seconds']:8.2f} {r['pss_mb']:7.1f} {r['python_mb']:10.1f}"
                f" {r['arrow_mb']:9.1f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
