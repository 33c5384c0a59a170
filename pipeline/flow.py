"""The only module that imports Prefect: thin tasks around the pipeline's stages.

One task per *batch* of documents (a Prefect task costs tens of milliseconds of
orchestration, so one per document would dominate), then one task each to
validate and write. No task uses Prefect's result cache (``NO_CACHE``): its default
key hashes the inputs, and hashing every table of a corpus cost more than the run. Retries only on reading a batch, where a network filesystem
can fail transiently. Runs are incremental (``pipeline/cache.py``): unchanged
documents come from the per-document cache, and a run whose inputs and code are
all unchanged keeps the previous output as it is.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any, TypeVar, cast

import pandas as pd
from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.logging import get_run_logger
from prefect.utilities.annotations import quote

from pipeline import __version__
from pipeline.artifacts import publish_artifacts
from pipeline.batch import BatchOutput, assemble, default_workers, run_batch
from pipeline.cache import input_signature, output_is_current, run_fingerprint
from pipeline.sources import DEFAULT_MAX_BYTES, list_inputs
from pipeline.summary import summarise
from pipeline.validate import validate_all
from pipeline.write import write_outputs

T = TypeVar("T")
DEFAULT_BATCH_SIZE = 500
DEFAULT_CACHE_DIR = ".pipeline-cache"
FLOW_NAME = "build-biography-datasets"


def only_io_errors(task: Any, task_run: Any, state: Any) -> bool:
    """Retry a batch only when reading failed (a network filesystem hiccup), never on our own bug."""
    try:
        state.result()
    except OSError:
        return True
    except Exception:
        return False
    return False


@task(
    name="parse-batch",
    task_run_name="parse-batch-{number}",
    retries=2,
    retry_delay_seconds=1,
    retry_condition_fn=only_io_errors,
    cache_policy=NO_CACHE,
)
def parse_batch(
    paths: list[str], root: str, max_bytes: int, workers: int, cache_dir: str | None, number: int
) -> BatchOutput:
    return run_batch(paths, root, max_bytes, workers, cache_dir)


@task(name="validate-tables", cache_policy=NO_CACHE)
def validate_tables(batches: list[BatchOutput]) -> dict[str, Any]:
    return validate_all(assemble(batches))


@task(name="write-datasets", cache_policy=NO_CACHE)
def write_datasets(tables: dict[str, Any], output_dir: str, extra: dict[str, Any]) -> dict[str, Any]:
    return write_outputs(tables, Path(output_dir), extra)


@task(name="read-previous-output", cache_policy=NO_CACHE)
def read_previous_output(output_dir: str) -> dict[str, pd.DataFrame]:
    return {p.stem: pd.read_parquet(p) for p in sorted(Path(output_dir).glob("*.parquet"))}


@task(name="publish-artifacts", cache_policy=NO_CACHE)
def show_run(summary: dict[str, Any], tables: dict[str, Any]) -> None:
    """The run's summary and counts as Prefect artifacts (markdown and table)."""
    publish_artifacts(summary, tables)


def as_is(value: T) -> T:
    """Pass a large task input without Prefect walking it (every row of every table) for futures."""
    return cast(T, quote(value))


def batches_of(paths: list[Path], size: int) -> list[list[str]]:
    return [[str(p) for p in paths[i : i + size]] for i in range(0, len(paths), size)]


def progress(done: int, total: int, started: float, hits: int) -> str:
    elapsed = max(time.perf_counter() - started, 1e-9)
    return f"documents {done}/{total} ({done / elapsed:.0f} docs/s, {hits} from cache)"


@flow(name=FLOW_NAME, log_prints=False)
def build_datasets(
    input_dir: str = "seeds",
    output_dir: str = "output",
    batch_size: int = DEFAULT_BATCH_SIZE,
    max_bytes: int = DEFAULT_MAX_BYTES,
    workers: int | None = None,
    cache_dir: str | None = DEFAULT_CACHE_DIR,
    show_progress: bool = False,
) -> dict[str, Any]:
    """Read every document in ``input_dir`` and write the validated tables to ``output_dir``."""
    logger = get_run_logger()
    root = Path(input_dir).resolve()
    paths = list_inputs(root)
    fingerprint = run_fingerprint(max_bytes)
    signature = input_signature(paths, root)
    if cache_dir and output_is_current(Path(output_dir), signature, fingerprint):
        logger.info("inputs and pipeline unchanged: %s is current", output_dir)
        tables = read_previous_output(output_dir)
        summary = summarise(tables, {"output_dir": output_dir}, {}) | {"unchanged": True}
        show_run(summary, as_is(tables))
        return summary
    logger.info("%d documents in %s, batches of %d", len(paths), root, batch_size)
    n_workers = workers or default_workers()
    started = time.perf_counter()
    batches: list[BatchOutput] = []
    done = hits = 0
    for number, batch in enumerate(batches_of(paths, batch_size)):
        batches.append(parse_batch(batch, str(root), max_bytes, n_workers, cache_dir, number))
        done += len(batch)
        hits += batches[-1].cache_hits
        if show_progress:
            print(progress(done, len(paths), started, hits), file=sys.stderr, flush=True)
    formats: Counter[str] = sum((b.formats for b in batches), Counter())
    tables = validate_tables(as_is(batches))
    documents = tables["documents"]
    inputs = [
        {"source_name": name, "doc_id": doc_id, "sha256": sha, "bytes": int(size)}
        for name, doc_id, sha, size in documents[["source_name", "doc_id", "sha256", "bytes"]].itertuples(
            index=False
        )
    ]
    extra = {"inputs": inputs, "pipeline_version": __version__, "fingerprint": fingerprint}
    manifest = write_datasets(as_is(tables), output_dir, extra)
    logger.info("wrote %s", output_dir)
    summary = summarise(tables, manifest, dict(formats)) | {"unchanged": False, "from_cache": hits}
    show_run(summary, as_is(tables))
    return summary
