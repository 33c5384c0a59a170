"""What the summary, the report and the artifacts read of a run's tables: counts and a few small frames.

An ``OutputView`` stays small whatever the corpus size: per table, its rows and
the non-null cells of each column (``TableProfile``); whole frames only of the
tables that grow with the documents or persons (``documents``, ``persons``) or
stay rare (``quarantine``); one column of ``dropped`` and ``warnings``.

``read_view`` builds it from the Parquet files of an output folder, counting
cells one column and one batch of rows at a time, so the ``sections`` text (the
whole corpus) is never in memory at once. ``view_of`` builds the same view from
in-memory frames. A table with no file (or no frame) is an empty table.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from schemas import COLUMNS, SCHEMAS, empty_frame

BATCH_ROWS = 1024
BUFFER_BYTES = 1 << 20
WHOLE_TABLES = ("documents", "persons", "quarantine")
ONE_COLUMN = {"dropped": "rule", "warnings": "code"}


@dataclass(frozen=True, slots=True)
class TableProfile:
    rows: int
    filled: dict[str, int]  # column -> number of non-null cells, in the contract's column order


@dataclass(frozen=True, slots=True)
class OutputView:
    """What the summary, report and artifacts need of a run's tables, small whatever the corpus size."""

    profiles: dict[str, TableProfile]  # every table in schemas.SCHEMAS
    frames: dict[str, pd.DataFrame]  # documents, persons, quarantine whole; dropped.rule; warnings.code


def _file_profile(directory: Path, table: str) -> TableProfile:
    """Rows and non-null cells per column of a table's file, read one column and ``BATCH_ROWS`` rows at a time."""
    path = directory / f"{table}.parquet"
    if not path.exists():
        return TableProfile(0, dict.fromkeys(COLUMNS[table], 0))
    parquet = pq.ParquetFile(
        path, pre_buffer=False, buffer_size=BUFFER_BYTES
    )  # no whole column chunk in memory
    rows = parquet.metadata.num_rows
    nulls = {
        column: sum(
            batch.column(0).null_count for batch in parquet.iter_batches(BATCH_ROWS, columns=[column])
        )
        for column in COLUMNS[table]
    }
    return TableProfile(rows, {column: rows - n for column, n in nulls.items()})


def _read_frame(directory: Path, table: str, columns: list[str]) -> pd.DataFrame:
    """``columns`` of a table's file, Arrow-backed like the in-memory frames."""
    path = directory / f"{table}.parquet"
    if not path.exists():
        return empty_frame(table)[columns]
    return pd.read_parquet(path, columns=columns, dtype_backend="pyarrow")


def read_view(directory: Path) -> OutputView:
    """The view of ``<directory>/<table>.parquet`` for every table in ``schemas.SCHEMAS`` (no file: empty table)."""
    return OutputView(
        profiles={name: _file_profile(directory, name) for name in SCHEMAS},
        frames={name: _read_frame(directory, name, list(COLUMNS[name])) for name in WHOLE_TABLES}
        | {name: _read_frame(directory, name, [column]) for name, column in ONE_COLUMN.items()},
    )


def _frame_profile(frame: pd.DataFrame, table: str) -> TableProfile:
    missing = [c for c in COLUMNS[table] if c not in frame.columns]
    if missing:
        raise ValueError(
            f"{table}: the frame lacks the contract's columns {missing}; build it with schemas.frame_from_rows"
        )
    return TableProfile(len(frame), {c: int(frame[c].notna().sum()) for c in COLUMNS[table]})


def view_of(tables: Mapping[str, pd.DataFrame]) -> OutputView:
    """The same view as ``read_view`` from in-memory frames (a table not in ``tables`` is empty)."""
    frames = {name: tables.get(name, empty_frame(name)) for name in SCHEMAS}
    return OutputView(
        profiles={name: _frame_profile(frame, name) for name, frame in frames.items()},
        frames={name: frames[name] for name in WHOLE_TABLES}
        | {name: frames[name][[column]] for name, column in ONE_COLUMN.items()},
    )
