"""Benchmark: documents per second and peak memory of the pipeline, rerunnable.

    .venv/bin/python benchmarks/bench_pipeline.py --docs 2000 [--workers 2] [--flow]

Builds a corpus of ``--docs`` documents by varying the seeds (other names, years and
line endings, so no two files share bytes), then times

- ``core``: the pure per-document pipeline (read → parse → rows), one process;
- ``batch``: ``run_batch`` with ``--workers`` processes, plus assemble + validate + write;
- ``flow`` (with ``--flow``): the real Prefect flow, embedded server included.

Peak memory is the process's max RSS (children included for the pool).
"""

from __future__ import annotations

import argparse
import random
import resource
import tempfile
import time
from pathlib import Path

from pipeline.batch import assemble, run_batch
from pipeline.core import process_document
from pipeline.sources import list_inputs, read_source
from pipeline.validate import validate_all
from pipeline.write import write_outputs

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
GIVEN = ["Ivan", "Pyotr", "Anna", "Olga", "Mikhail", "Yelena", "Boris", "Sofia", "Grigory", "Vera"]
SURNAMES = ["Petrov", "Smirnova", "Kuznetsov", "Volkova", "Sokolov", "Lebedeva", "Kozlov", "Novikova"]


def make_corpus(folder: Path, n_docs: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    templates = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    for i in range(n_docs):
        text = templates[i % len(templates)]
        for old in ("Eitingon", "Lyushkov", "Spigelglas"):
            text = text.replace(old, rng.choice(SURNAMES))
        for old in ("Nahum", "Genrikh", "Sergey"):
            text = text.replace(old, rng.choice(GIVEN))
        text = text.replace("1899", str(1850 + rng.randrange(80))).replace(
            "1900", str(1850 + rng.randrange(80))
        )
        text += f"\n\nVariant {i}.\n"
        (folder / f"doc_{i:06d}.txt").write_text(text, encoding="utf-8")


def peak_rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--flow", action="store_true", help="also time the real Prefect flow")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        make_corpus(corpus, args.docs)
        paths = list_inputs(corpus)
        size_mb = sum(p.stat().st_size for p in paths) / 1e6
        print(f"corpus: {len(paths)} documents, {size_mb:.1f} MB")

        started = time.perf_counter()
        for path in paths:
            process_document(read_source(path, corpus))
        core = time.perf_counter() - started
        print(f"core (1 process):            {len(paths) / core:8.0f} docs/s")

        started = time.perf_counter()
        batch = run_batch([str(p) for p in paths], str(corpus), 1 << 24, args.workers)
        parsed = time.perf_counter() - started
        tables = validate_all(assemble([batch]))
        validated = time.perf_counter() - started
        write_outputs(tables, Path(tmp) / "output", {"inputs": [], "pipeline_version": "bench"})
        total = time.perf_counter() - started
        rows = sum(len(frame) for frame in tables.values())
        print(f"batch ({args.workers} workers) parse:     {len(paths) / parsed:8.0f} docs/s")
        print(f"  + assemble/validate:       {validated - parsed:8.2f} s")
        print(f"  + write Parquet/CSV:       {total - validated:8.2f} s   ({rows} rows)")
        print(f"end to end without Prefect:  {len(paths) / total:8.0f} docs/s")

        if args.flow:
            from pipeline.__main__ import configure_prefect

            configure_prefect()
            from pipeline.flow import build_datasets

            started = time.perf_counter()
            build_datasets(
                input_dir=str(corpus),
                output_dir=str(Path(tmp) / "flow-out"),
                workers=args.workers,
                cache_dir=None,
            )
            flow = time.perf_counter() - started
            print(f"Prefect flow (server incl.): {len(paths) / flow:8.0f} docs/s ({flow:.1f} s)")
        print(f"peak RSS: {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
