"""The flow: thin Prefect tasks around the pipeline's stages (``pipeline/orchestrate`` holds every
module that imports Prefect).

One task per *batch* of documents (a Prefect task costs tens of milliseconds of
orchestration, so one per document would dominate), two in flight so the run's
workers (``pipeline.run.cluster``: processes forked once, or a Dask cluster) never
wait while a batch is merged; each batch's tables go to a staging folder beside the
output, so memory follows the batch size, not the corpus. Then one task resolves
persons across the corpus and one validates and writes the tables, a chunk at a time,
and hands back the view of what it wrote for the summary.
No task uses Prefect's result cache (``NO_CACHE``): its default key hashes the
inputs, and hashing every table of a corpus cost more than the run. A batch is
retried only on an I/O error of its own (writing its staged tables or the cache,
where a network filesystem can fail transiently); a file that cannot be read is
data, an ``unreadable`` rejection, and never reaches the retry. Runs are incremental (``pipeline/run/cache.py``):
unchanged documents come from the per-document cache, and a run whose inputs and
code are all unchanged keeps the previous output as it is.
"""

from __future__ import annotations

import secrets
import shutil
import sys
import time
from collections import Counter
from concurrent.futures import Executor
from contextlib import nullcontext
from pathlib import Path
from typing import Any, TypeVar, cast

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.logging import get_run_logger
from prefect.utilities.annotations import quote

from pipeline import __version__
from pipeline.orchestrate.artifacts import publish_artifacts
from pipeline.output.view import OutputView, read_view
from pipeline.output.write import Written
from pipeline.present.summary import summarise
from pipeline.run.batch import (
    DEFAULT_BATCH_SIZE,
    DEFAULT_DOC_TIMEOUT,
    BatchOutput,
    Corpus,
    InputFile,
    Pending,
    default_workers,
    resolve_batches,
    run_batch,
    two_at_a_time,
    write_tables,
)
from pipeline.run.cache import output_is_current, run_fingerprint
from pipeline.run.cluster import Workers, run_workers
from pipeline.run.inputs import survey
from pipeline.run.ownership import owned, remove_leftovers
from pipeline.run.sources import DEFAULT_MAX_BYTES

T = TypeVar("T")
DEFAULT_CACHE_DIR = ".pipeline-cache"
FLOW_NAME = "build-biography-datasets"


def only_io_errors(task: Any, task_run: Any, state: Any) -> bool:
    """Retry a batch only on an I/O error (staging or cache on a network filesystem), never on our own bug."""
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
    files: list[InputFile],
    root: str,
    max_bytes: int,
    workers: int,
    cache_dir: str | None,
    stage_dir: str,
    number: int,
    doc_timeout: float | None = DEFAULT_DOC_TIMEOUT,
    pool: Executor | None = None,
) -> BatchOutput:
    return run_batch(files, root, max_bytes, workers, cache_dir, stage_dir, doc_timeout, pool)


@task(name="resolve-persons", cache_policy=NO_CACHE)
def resolve_persons(batches: list[BatchOutput], workers: Workers, stage_dir: str) -> Corpus:
    return resolve_batches(batches, workers, Path(stage_dir))


@task(name="validate-and-write", cache_policy=NO_CACHE)
def validate_and_write(
    batches: list[BatchOutput], corpus: Corpus, output_dir: str, extra: dict[str, Any]
) -> Written:
    return write_tables(batches, corpus, Path(output_dir), extra)


@task(name="read-output", cache_policy=NO_CACHE)
def read_output(output_dir: str) -> OutputView:
    return read_view(Path(output_dir))


@task(name="publish-artifacts", cache_policy=NO_CACHE)
def show_run(summary: dict[str, Any], view: OutputView) -> None:
    """The run's summary and counts as Prefect artifacts (markdown and table)."""
    publish_artifacts(summary, view)


def as_is(value: T) -> T:
    """Pass a large task input without Prefect walking it (every row of every table) for futures."""
    return cast(T, quote(value))


def batches_of(files: list[InputFile], size: int) -> list[list[InputFile]]:
    return [files[i : i + size] for i in range(0, len(files), size)]


def stage_dir_for(output_dir: str) -> Path:
    """A fresh folder beside the output (same filesystem) for the batches' staged tables."""
    out = Path(output_dir).absolute()
    return out.parent / f".{out.name}.stage-{secrets.token_hex(6)}"


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
    wait: bool = False,
    doc_timeout: float | None = DEFAULT_DOC_TIMEOUT,
    follow_symlinks: bool = False,
    dask: str | None = None,
) -> dict[str, Any]:
    """Read every document in ``input_dir`` and write the validated tables to ``output_dir``.

    ``input_dir`` is a folder, or a container: a zip or tar archive or a JSON Lines file, at a
    path or an fsspec URL (``pipeline/run/inputs.py``).

    The per-document work and the corpus stage's parallel steps run on ``workers`` local
    processes, or on the Dask cluster whose scheduler ``dask`` names (``local``: a
    ``LocalCluster`` of ``workers`` processes started for the run); the output is the same.

    A link leading out of ``input_dir`` is read only with ``follow_symlinks`` (else its row is
    rejected as ``outside-input``).

    The run owns ``output_dir`` (and ``cache_dir``) while it works: a second run is refused
    with ``ownership.Busy`` (or, with ``wait``, queues); work folders a dead run left beside the
    output are removed first.
    """
    cache_lock = owned(Path(cache_dir), wait=wait) if cache_dir else nullcontext()
    with owned(Path(output_dir), wait=wait), cache_lock:
        for leftover in remove_leftovers(Path(output_dir)):
            get_run_logger().warning("removed %s, left by a run that died", leftover)
        return _build(
            input_dir,
            output_dir,
            batch_size,
            max_bytes,
            workers,
            cache_dir,
            show_progress,
            doc_timeout,
            follow_symlinks=follow_symlinks,
            dask=dask,
        )


def _build(
    input_dir: str,
    output_dir: str,
    batch_size: int,
    max_bytes: int,
    workers: int | None,
    cache_dir: str | None,
    show_progress: bool,
    doc_timeout: float | None,
    *,
    follow_symlinks: bool,
    dask: str | None = None,
) -> dict[str, Any]:
    logger = get_run_logger()
    fingerprint = f"{run_fingerprint(max_bytes)}-{doc_timeout}s"  # a new limit may parse a timed-out document
    stage = stage_dir_for(output_dir)
    try:
        seen = survey(input_dir, stage, follow_symlinks)
        if cache_dir and output_is_current(Path(output_dir), seen.signature, fingerprint, seen.container):
            logger.info("inputs and pipeline unchanged: %s is current", output_dir)
            view = read_output(output_dir)
            summary = summarise(view, {"output_dir": output_dir}, {}) | {"unchanged": True}
            show_run(summary, as_is(view))
            return summary
        listing = seen.listing(stage, max_bytes)
        files = listing.files
        logger.info(
            "%d documents (%d distinct) in %s, batches of %d",
            listing.n_inputs,
            len(files),
            listing.root,
            batch_size,
        )
        n_workers = workers or default_workers()
        started = time.perf_counter()
        batches: list[BatchOutput] = []
        done = hits = 0
        chunks = batches_of(files, batch_size)
        with run_workers(dask, n_workers) as pool:

            def start(number: int) -> Pending[BatchOutput]:
                batch_stage = str(stage / f"batch-{number:06d}")
                return parse_batch.submit(
                    chunks[number],
                    listing.root,
                    max_bytes,
                    n_workers,
                    cache_dir,
                    batch_stage,
                    number,
                    doc_timeout,
                    as_is(pool.executor),
                )

            for number, batch in enumerate(two_at_a_time(len(chunks), start)):
                batches.append(batch)
                done += len(chunks[number])
                hits += batch.cache_hits
                if show_progress:
                    print(progress(done, len(files), started, hits), file=sys.stderr, flush=True)
            corpus = resolve_persons(as_is(batches), as_is(pool), str(stage / "corpus"))
        extra = {**listing.manifest, "pipeline_version": __version__, "fingerprint": fingerprint}
        manifest, view = validate_and_write(as_is(batches), as_is(corpus), output_dir, extra)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    logger.info("wrote %s", output_dir)
    formats: Counter[str] = sum((b.formats for b in batches), Counter())
    summary = summarise(view, manifest, dict(formats)) | {"unchanged": False, "from_cache": hits}
    show_run(summary, as_is(view))
    return summary
