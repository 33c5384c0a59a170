"""Benchmark: the staged run on this machine's processes against the same run on Dask, rerunnable.

    .venv/bin/python benchmarks/bench_dask.py --docs 20000 [--workers 2] [--batch-size 500]

Builds the corpus of ``bench_pipeline.py`` (``--docs`` documents), then times
``pipeline.run.batch.run_local`` twice with ``--workers`` workers: on local processes, and on
a ``LocalCluster`` of as many single-threaded worker processes (``dask="local"``, the
cluster's start included). Same cores, so the difference is what Dask costs. It checks that
both wrote the same bytes, and prints what travels between this process and the workers:

- per document, in the parse stage: the pickled size of a batch's chunks of file names sent
  and of the Arrow tables and person candidates sent back (pickle protocol 5, as Dask sends
  them), divided by the batch's documents;
- in the corpus stage: the value each of its two steps scatters once to every worker (a
  name index, then the identity), and what each batch's step sends back.
"""

from __future__ import annotations

import argparse
import json
import pickle
import tempfile
import time
from collections.abc import Callable, Sequence
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
    """The sizes of what the corpus stage's steps scatter and send back, recorded around ``map_shared``."""

    def __init__(self) -> None:
        self.steps: list[dict[str, Any]] = []
        self._original = cluster.DaskWorkers.map_shared

    def __enter__(self) -> _Recorded:
        original, steps = self._original, self.steps

        def map_shared(
            workers: cluster.DaskWorkers, job: Callable[[Any, Any], Any], shared: Any, items: Sequence[Any]
        ) -> list[Any]:
            results = original(workers, job, shared, items)
            steps.append(
                {
                    "step": job.__name__,
                    "scattered_mb": _size(shared) / 1e6,
                    "to_workers": workers.count,
                    "returned_mb": sum(_size(r) for r in results) / 1e6,
                }
            )
            return results

        cluster.DaskWorkers.map_shared = map_shared  # type: ignore[method-assign]
        return self

    def __exit__(self, *exc: object) -> None:
        cluster.DaskWorkers.map_shared = self._original  # type: ignore[method-assign]


def _timed(corpus: Path, out: Path, batch_size: int, workers: int, dask: str | None) -> dict[str, float]:
    started = time.perf_counter()
    manifest = run_local(corpus, out, out.parent / f"{out.name}.stage", batch_size, workers, dask=dask)
    return {"seconds": time.perf_counter() - started, **manifest["stage_seconds"]}


def _same_bytes(a: Path, b: Path) -> bool:
    names = sorted(p.name for p in a.iterdir() if p.name != "manifest.json")
    return names == sorted(p.name for p in b.iterdir() if p.name != "manifest.json") and all(
        (a / n).read_bytes() == (b / n).read_bytes() for n in names
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=20000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        make_corpus(corpus, args.docs)
        local = _timed(corpus, Path(tmp) / "local", args.batch_size, args.workers, None)
        with _Recorded() as recorded:
            on_dask = _timed(corpus, Path(tmp) / "dask", args.batch_size, args.workers, cluster.LOCAL)
        same = _same_bytes(Path(tmp) / "local", Path(tmp) / "dask")
        sent, returned = parse_traffic(corpus, args.batch_size, args.workers)
    print(f"corpus: {args.docs} documents, {args.workers} workers, batches of {args.batch_size}")
    print(f"{'':<22}{'local':>10}{'dask':>10}")
    for key in ("seconds", "parse", "corpus", "validate_write"):
        print(f"  {key:<20}{local[key]:>10.1f}{on_dask[key]:>10.1f}")
    print(f"  docs/s (end to end) {args.docs / local['seconds']:>10.0f}{args.docs / on_dask['seconds']:>10.0f}")
    overhead = on_dask["seconds"] / local["seconds"] - 1
    print(f"Dask's overhead: {overhead:+.1%} of the local run; same bytes: {same}")
    print(f"parse stage, per document: {sent:.0f} B to the workers, {returned / 1e3:.1f} kB back")
    for step in recorded.steps:
        print(
            f"corpus step {step['step']}: {step['scattered_mb']:.1f} MB scattered once to each of "
            f"{step['to_workers']} workers, {step['returned_mb']:.1f} MB back in all"
        )
    print(
        json.dumps(
            {"local": local, "dask": on_dask, "overhead": overhead, "same_bytes": same}
            | {"sent_per_doc": sent, "returned_per_doc": returned, "corpus_steps": recorded.steps}
        )
    )


if __name__ == "__main__":
    main()
