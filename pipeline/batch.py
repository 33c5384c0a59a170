"""Batches of documents → table rows, and the rows of all batches → validated-ready tables.

A batch reads its files (the only I/O here), runs the pure core on each document and
returns rows whose ``person_id`` columns still hold person *keys*; ``assemble``
gives the keys their final ids once every batch is in, because an id can only be
disambiguated against the whole corpus.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline.core import process_document
from pipeline.sources import read_source
from pipeline.tables import (
    DOC_TABLES,
    PersonCandidate,
    Row,
    assign_person_ids,
    doc_rows,
    person_candidates,
    person_rows,
)
from schemas import frame_from_rows

PERSON_ID_COLUMNS = {
    "person_names": "person_id",
    "facts": "person_id",
    "links": "person_id",
    "documents": "subject_id",
}


class _KeyAsId(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return key

    def get(self, key: str, default: str | None = None) -> str | None:  # type: ignore[override]
        return key


@dataclass
class BatchOutput:
    rows: dict[str, list[Row]]
    persons: list[PersonCandidate]
    formats: Counter[str]


def process_file(
    path: Path, root: Path, max_bytes: int
) -> tuple[dict[str, list[Row]], list[PersonCandidate]]:
    result = process_document(read_source(path, root, max_bytes))
    return doc_rows(result, _KeyAsId()), person_candidates(result)


def _merge(outputs: Iterator[tuple[dict[str, list[Row]], list[PersonCandidate]]]) -> BatchOutput:
    rows: dict[str, list[Row]] = {name: [] for name in DOC_TABLES}
    persons: list[PersonCandidate] = []
    formats: Counter[str] = Counter()
    for doc, people in outputs:
        for name, table_rows in doc.items():
            rows[name].extend(table_rows)
        persons.extend(people)
        formats[doc["documents"][0]["format"] or "rejected"] += 1
    return BatchOutput(rows, persons, formats)


def run_batch(paths: Sequence[str], root: str, max_bytes: int, workers: int = 1) -> BatchOutput:
    """Parse one batch of files, on ``workers`` processes when more than one."""
    root_path = Path(root)
    files = [Path(p) for p in paths]
    if workers <= 1 or len(files) < 2 * workers:
        return _merge(process_file(f, root_path, max_bytes) for f in files)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        chunk = max(1, len(files) // (workers * 4))
        results = pool.map(
            process_file, files, [root_path] * len(files), [max_bytes] * len(files), chunksize=chunk
        )
        return _merge(iter(results))


def default_workers() -> int:
    return max(1, min(4, os.cpu_count() or 1))


def assemble(batches: Sequence[BatchOutput]) -> dict[str, pd.DataFrame]:
    """Every table as a typed frame, person keys replaced by ids."""
    candidates = [c for b in batches for c in b.persons]
    ids = assign_person_ids(c.key for c in candidates)
    tables: dict[str, pd.DataFrame] = {}
    for name in DOC_TABLES:
        rows = [row for b in batches for row in b.rows[name]]
        column = PERSON_ID_COLUMNS.get(name)
        if column:
            for row in rows:
                if row[column] is not None:
                    row[column] = ids[row[column]]
        tables[name] = frame_from_rows(name, rows)
    tables["persons"] = frame_from_rows("persons", person_rows(candidates, ids))
    return tables
