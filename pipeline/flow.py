"""The only module that imports Prefect: thin tasks around the pipeline's stages.

One task per *batch* of documents (a Prefect task costs tens of milliseconds of
orchestration, so one per document would dominate), then one task each to
assemble, validate and write. Retries only on reading, where a network
filesystem can fail transiently.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from prefect import flow, task
from prefect.logging import get_run_logger

from pipeline import __version__
from pipeline.batch import BatchOutput, assemble, default_workers, run_batch
from pipeline.sources import DEFAULT_MAX_BYTES, list_inputs
from pipeline.summary import summarise
from pipeline.validate import validate_all
from pipeline.write import write_outputs

DEFAULT_BATCH_SIZE = 500


@task(name="parse-batch", retries=2, retry_delay_seconds=1)
def parse_batch(paths: list[str], root: str, max_bytes: int, workers: int) -> BatchOutput:
    return run_batch(paths, root, max_bytes, workers)


@task(name="validate-tables")
def validate_tables(batches: list[BatchOutput]) -> dict[str, Any]:
    return validate_all(assemble(batches))


@task(name="write-datasets")
def write_datasets(tables: dict[str, Any], output_dir: str, inputs: list[dict[str, Any]]) -> dict[str, Any]:
    return write_outputs(tables, Path(output_dir), {"inputs": inputs, "pipeline_version": __version__})


def batches_of(paths: list[Path], size: int) -> list[list[str]]:
    return [[str(p) for p in paths[i : i + size]] for i in range(0, len(paths), size)]


@flow(name="build-biography-datasets", log_prints=False)
def build_datasets(
    input_dir: str = "seeds",
    output_dir: str = "output",
    batch_size: int = DEFAULT_BATCH_SIZE,
    max_bytes: int = DEFAULT_MAX_BYTES,
    workers: int | None = None,
) -> dict[str, Any]:
    """Read every document in ``input_dir`` and write the validated tables to ``output_dir``."""
    logger = get_run_logger()
    root = Path(input_dir).resolve()
    paths = list_inputs(root)
    logger.info("%d documents in %s, batches of %d", len(paths), root, batch_size)
    n_workers = workers or default_workers()
    batches = [parse_batch(batch, str(root), max_bytes, n_workers) for batch in batches_of(paths, batch_size)]
    formats: Counter[str] = sum((b.formats for b in batches), Counter())
    tables = validate_tables(batches)
    documents = tables["documents"]
    inputs = [
        {"source_name": r.source_name, "doc_id": r.doc_id, "sha256": r.sha256, "bytes": int(r.bytes)}
        for r in documents.itertuples()
    ]
    manifest = write_datasets(tables, output_dir, inputs)
    summary = summarise(tables, manifest, dict(formats))
    logger.info("wrote %s", output_dir)
    return summary
