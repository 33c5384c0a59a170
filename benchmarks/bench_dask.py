"""Benchmark: the staged run on this machine's processes against the same run on Dask, rerunnable.

    .venv/bin/python benchmarks/bench_dask.py --docs 20000 [--workers 2] [--batch-size 500]

Builds the corpus of ``bench_pipeline.py`` (``--docs`` documents), then times
``pipeline.run.batch.run_local`` twice with ``--workers`` workers, each in a fresh Python
process, as a user runs one or the other: on local processes, and on a ``LocalCluster`` of as
many single-threaded worker processes (``dask="local"``, the cluster's start included). Same
cores, so the difference is what Dask costs. (Run second in the process that ran the local
run, the Dask run's corpus stage measured twice as long at 20,000 documents: 93–101 s
against 46.5 s in a fresh process; why is not pinned down.) It checks that both wrote the
same bytes, and prints what travels between the run's process and the workers:

- per document, in the parse stage: the pickled size of a batch's chunks of file names sent
  and of the Arrow tables sent back (pickle protocol 5, as Dask sends
  them), divided by the batch's documents;
- in the corpus stage: the value each of its two steps scatters once to every worker (a
  name index, then the ``MentionIndex``), what is sent with the batches (each batch's staged
  parts and its documents' part of the per-document maps), and what each batch's step sends back.
"""

from __future__ import annotations

import argparse
import json
import pickle
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pipeline.run.cluster as cluster
from pipeline.run.batch import DEFAULT_BATCH_SIZE, plan_inputs, process_chunk, run_local
from pipeline.run.sources import list_inputs

try:
    from benchmarks.bench_pipeline import make_corpus
except ImportError:  # run as a script from benchmarks/
    from bench_pipeline import make_corpus  # type: ignore[no-redef]


def _size(value: Any) -> int:
    return len(pickle.dumps(value, protocol=5))


def parse_traffic(corpus: Path, batch_size: int, workers: int) -> tuple[float, float]:
    """(bytes sent, bytes returned) per document for the first batch's chunks, as Dask would move them."""
    files = plan_inputs(list_inputs(corpus), corpus)[:batch_size]
    size = max(1, len(files) // (workers * 4))
    chunks = [files[i : i + size] for i in range(0, len(files), size)]
    sent = sum(_size(chunk) for chunk in chunks)
    returned = sum(_size(process_chunk(chunk, corpus, 1 << 24, None, None)) for chunk in chunks)
    return sent / len(files), returned / len(files)


class _Recorded:
    """What the corpus stage's steps scatter and send back, kept around ``map_shared`` and sized by
    ``steps`` once the timed run is over (pickling them inside it would count in Dask's time)."""

    def __init__(self) -> None:
        self._kept: list[tuple[str, Any, int, list[Any], list[Any]]] = []
        self._original = cluster.DaskWorkers.map_shared

    def __enter__(self) -> _Recorded:
        original, kept = self._original, self._kept

        def map_shared(
            workers: cluster.DaskWorkers,
            job: Callable[[Any, Any], Any],
            shared: Any,
            items: Iterable[Any],
            folder: Path,
        ) -> list[Any]:
            items = list(items)
            results = original(workers, job, shared, items, folder)
            kept.append((job.__name__, shared, workers.count, items, results))
            return results

        cluster.DaskWorkers.map_shared = map_shared  # type: ignore[method-assign]
        return self

    def __exit__(self, *exc: object) -> None:
        cluster.DaskWorkers.map_shared = self._original  # type: ignore[method-assign]

    def steps(self) -> list[dict[str, Any]]:
        return [
            {
                "step": name,
                "scattered_mb": _size(shared) / 1e6,
                "to_workers": count,
                "sent_mb": sum(_size(i) for i in items) / 1e6,
                "returned_mb": sum(_size(r) for r in results) / 1e6,
            }
            for name, shared, count, items, results in self._kept
        ]


def _timed(corpus: Path, out: Path, batch_size: int, workers: int, dask: str | None) -> dict[str, float]:
    started = time.perf_counter()
    manifest = run_local(corpus, out, out.parent / f"{out.name}.stage", batch_size, workers, dask=dask)
    return {"seconds": time.perf_counter() - started, **manifest["stage_seconds"]}


def _one_side(corpus: Path, out: Path, batch_size: int, workers: int, side: str) -> dict[str, Any]:
    """``_timed`` on ``side`` (``local`` or ``dask``) in a fresh Python process: its figures, and on
    Dask the corpus steps' traffic."""
    command = [sys.executable, __file__, "--side", side, "--corpus", str(corpus), "--out", str(out)]
    command += ["--workers", str(workers), "--batch-size", str(batch_size)]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _side_main(args: argparse.Namespace) -> None:
    """The child of ``_one_side``: one timed run, its figures as one JSON line."""
    if args.side == "local":
        print(json.dumps(_timed(args.corpus, args.out, args.batch_size, args.workers, None)))
        return
    with _Recorded() as recorded:
        figures: dict[str, Any] = _timed(args.corpus, args.out, args.batch_size, args.workers, cluster.LOCAL)
    print(json.dumps(figures | {"steps": recorded.steps()}))


def _same_bytes(a: Path, b: Path) -> bool:
    names = sorted(p.name for p in a.iterdir() if p.name != "manifest.json")
    return names == sorted(p.name for p in b.iterdir() if p.name != "manifest.json") and all(
        (a / n).read_bytes() == (b / n).read_bytes() for n in names
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=int, default=20000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)
    parser.add_argument("--side", choices=["local", "dask"], help=argparse.SUPPRESS)  # see _one_side
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.side:
        _side_main(args)
        return
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        make_corpus(corpus, args.docs)
        local = _one_side(corpus, Path(tmp) / "local", args.batch_size, args.workers, "local")
        on_dask = _one_side(corpus, Path(tmp) / "dask", args.batch_size, args.workers, "dask")
        steps = on_dask.pop("steps")
        same = _same_bytes(Path(tmp) / "local", Path(tmp) / "dask")
        sent, returned = parse_traffic(corpus, args.batch_size, args.workers)
    print(f"corpus: {args.docs} documents, {args.workers} workers, batches of {args.batch_size}")
    print(f"{'':<22}{'local':>10}{'dask':>10}")
    for key in ("seconds", "parse", "corpus", "validate_write"):
        print(f"  {key:<20}{local[key]:>10.1f}{on_dask[key]:>10.1f}")
    print(
        f"  docs/s (end to end) {args.docs / local['seconds']:>10.0f}{args.docs / on_dask['seconds']:>10.0f}"
    )
    overhead = on_dask["seconds"] / local["seconds"] - 1
    print(f"Dask's overhead: {overhead:+.1%} of the local run; same bytes: {same}")
    print(f"parse stage, per document: {sent:.0f} B to the workers, {returned / 1e3:.1f} kB back")
    for step in steps:
        print(
            f"corpus step {step['step']}: {step['scattered_mb']:.1f} MB scattered once to each of "
            f"{step['to_workers']} workers, {step['sent_mb']:.1f} MB sent with the batches, "
            f"{step['returned_mb']:.1f} MB back in all"
        )
    print(
        json.dumps(
            {"local": local, "dask": on_dask, "overhead": overhead, "same_bytes": same}
            | {"sent_per_doc": sent, "returned_per_doc": returned, "corpus_steps": steps}
        )
    )


if __name__ == "__main__":
    main()
