"""Benchmark: documents per second and peak memory of the pipeline, rerunnable.

    .venv/bin/python benchmarks/bench_pipeline.py --docs 2000 [--workers 2] [--batch-size 500] [--flow] [--no-core]

Builds a corpus of ``--docs`` documents from the seeds with invented subjects (surnames
from 64,000, given names, years; the persons the glosses name recur, as famous people
do), so no two files share bytes, then times

- ``core``: the whole per-document pass (``pipeline.run.batch.process_file``: read, parse,
  every row and name run, person candidates), one process;
- ``staged``: the flow's stages without Prefect (``pipeline.run.batch.run_local``):
  batches of ``--batch-size`` on ``--workers`` processes, staged on disk, then the
  corpus stage, validation and writing, batch by batch; docs/s end to end and per
  stage (parse, corpus, validate + write);
- ``flow`` (with ``--flow``): the real Prefect flow, timed after a trivial flow has started
  the embedded server, so the figure is the flow's own cost over the staged run (the server's
  start is printed apart).

Peak memory is the largest sum of the PSS (shared pages counted once) of this process and every process it started
(pool workers, Prefect's server), sampled (``benchmarks/memory.py``);
``benchmarks/bench_memory.py`` runs this at growing corpus sizes.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from pathlib import Path

from pipeline.run.batch import DEFAULT_BATCH_SIZE, InputFile, process_file, run_local
from pipeline.run.sources import list_inputs

try:
    from benchmarks.memory import PeakMemory
except ImportError:  # run as a script from benchmarks/
    from memory import PeakMemory  # type: ignore[no-redef]

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
GIVEN = ["Ivan", "Pyotr", "Anna", "Olga", "Mikhail", "Yelena", "Boris", "Sofia", "Grigory", "Vera"]
SYLLABLES = [
    "ba",
    "ko",
    "ra",
    "vin",
    "sel",
    "mor",
    "ta",
    "pel",
    "dru",
    "ni",
    "zha",
    "lov",
    "gor",
    "shen",
    "tu",
    "mi",
    "bek",
    "dan",
    "ost",
    "rud",
]
SURNAME_ENDINGS = ["ov", "ova", "in", "ina", "sky", "enko", "ich", "ek"]


def surname(rng: random.Random) -> str:
    """One of 64,000 invented surnames: a corpus of biographies is about many different people."""
    return ("".join(rng.choice(SYLLABLES) for _ in range(3)) + rng.choice(SURNAME_ENDINGS)).capitalize()


def make_corpus(folder: Path, n_docs: int, seed: int = 7) -> None:
    """Seeds with invented subjects (surnames, given names, years); the persons their glosses name recur."""
    rng = random.Random(seed)
    templates = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    for i in range(n_docs):
        text = templates[i % len(templates)]
        for old in ("Eitingon", "Lyushkov", "Spigelglas"):
            text = text.replace(old, surname(rng))
        for old in ("Nahum", "Genrikh", "Sergey"):
            text = text.replace(old, rng.choice(GIVEN))
        text = text.replace("1899", str(1850 + rng.randrange(80))).replace(
            "1900", str(1850 + rng.randrange(80))
        )
        text += f"\n\nVariant {i}.\n"
        (folder / f"doc_{i:06d}.txt").write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)
    parser.add_argument("--flow", action="store_true", help="also time the real Prefect flow")
    parser.add_argument("--no-core", action="store_true", help="skip the one-process core timing")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON line too")
    args = parser.parse_args()
    figures: dict[str, float] = {"docs": args.docs}
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        make_corpus(corpus, args.docs)
        paths = list_inputs(corpus)
        size_mb = sum(p.stat().st_size for p in paths) / 1e6
        print(f"corpus: {len(paths)} documents, {size_mb:.1f} MB")
        if not args.no_core:
            started = time.perf_counter()
            for path in paths:
                process_file(InputFile(str(path)), corpus, 1 << 24, None, None)
            figures["core_docs_s"] = len(paths) / (time.perf_counter() - started)
            print(f"core (1 process, rows included): {figures['core_docs_s']:8.0f} docs/s")
        with PeakMemory() as staged_memory:
            started = time.perf_counter()
            manifest = run_local(
                corpus, Path(tmp) / "output", Path(tmp) / "stage", args.batch_size, args.workers
            )
            staged = time.perf_counter() - started
        rows = sum(info["rows"] for info in manifest["tables"].values())
        figures |= {
            "staged_s": staged,
            "staged_docs_s": len(paths) / staged,
            "rows": rows,
            "peak_rss_mb": staged_memory.mb,
        }
        print(
            f"staged ({args.workers} workers, batches of {args.batch_size}): {len(paths) / staged:8.0f} docs/s"
            f" ({staged:.1f} s, {rows} rows), peak memory (PSS) of all processes {staged_memory.mb:.0f} MB"
        )
        for stage, seconds in manifest["stage_seconds"].items():
            figures[f"{stage}_s"] = seconds
            print(f"  {stage:<15} {len(paths) / seconds:8.0f} docs/s ({seconds:.1f} s)")
        if args.flow:
            from pipeline.orchestrate.settings import configure_prefect

            configure_prefect()
            from prefect import flow as prefect_flow

            from pipeline.orchestrate.flow import build_datasets

            with PeakMemory() as flow_memory:
                started = time.perf_counter()
                prefect_flow(name="bench-server-start")(lambda: None)()  # the embedded server starts here
                server = time.perf_counter() - started
                build_datasets(
                    input_dir=str(corpus),
                    output_dir=str(Path(tmp) / "flow-out"),
                    batch_size=args.batch_size,
                    workers=args.workers,
                    cache_dir=None,
                )
                flow = time.perf_counter() - started - server
            figures |= {
                "server_start_s": server,
                "flow_s": flow,
                "flow_docs_s": len(paths) / flow,
                "flow_cost": flow / staged - 1,
                "flow_peak_rss_mb": flow_memory.mb,
            }
            print(
                f"Prefect flow, its server already up: {len(paths) / flow:8.0f} docs/s ({flow:.1f} s; the server's"
                f" start before it, a trivial flow: {server:.1f} s), peak memory (PSS) of all processes"
                f" {flow_memory.mb:.0f} MB"
            )
            print(f"  the flow's own cost over the staged run: {flow / staged - 1:+.1%}")
    if args.json:
        print(json.dumps(figures))


if __name__ == "__main__":
    main()
