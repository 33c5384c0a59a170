"""Benchmark: peak memory of a whole run as the corpus grows, each size in a fresh process.

    .venv/bin/python benchmarks/bench_memory.py [--sizes 1000 2000 4000 8000] [--batch-size 500]

Runs ``bench_pipeline.py --no-core --json`` (the flow's stages without Prefect:
batches staged on disk, corpus stage, validation and writing batch by batch) for
each size and prints the peak memory (PSS) of all its processes together, the growth per 1,000
documents between the smallest and the largest size, and what that growth would reach
at 100,000 documents.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def measure(docs: int, batch_size: int, workers: int) -> dict[str, float]:
    command = [
        sys.executable,
        str(HERE / "bench_pipeline.py"),
        "--docs", str(docs),
        "--batch-size", str(batch_size),
        "--workers", str(workers),
        "--no-core",
        "--json",
    ]  # fmt: skip
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return dict(json.loads(output.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 2000, 4000, 8000])
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    results = []
    print(f"{'docs':>7} {'docs/s':>7} {'seconds':>8} {'peak PSS MB (all processes)':>28}")
    for docs in args.sizes:
        r = measure(docs, args.batch_size, args.workers)
        results.append(r)
        print(
            f"{docs:7d} {r['staged_docs_s']:7.1f} {r['staged_s']:8.1f} {r['peak_rss_mb']:28.0f}",
            flush=True,
        )
    first, last = results[0], results[-1]
    if last["docs"] > first["docs"]:
        slope = (last["peak_rss_mb"] - first["peak_rss_mb"]) / (last["docs"] - first["docs"]) * 1000
        projected = last["peak_rss_mb"] + slope * (100_000 - last["docs"]) / 1000
        print(f"growth: {slope:.1f} MB per 1,000 documents; at 100,000 documents: about {projected:.0f} MB")


if __name__ == "__main__":
    main()
