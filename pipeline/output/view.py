"""What the summary, the report and the artifacts read of a run's tables: counts, two statistics, one short list.

An ``OutputView`` is the same size whatever the corpus size; it holds

- per table, its rows and the non-null cells of each column (``TableProfile``);
- tallies, rows per distinct key (``Tally``; what each counts is in ``COUNTINGS``):
  documents per layout, status and reject code, warnings per code, drops per rule,
  quarantined rows per table and reason, persons per date precision, qualifier,
  place detail, birth year, death year and lifespan. A tally grows only with its
  distinct keys (codes, layouts, years), never with the rows;
- the coverage of the documents that have one, as their number and exact sum
  (``Coverage``);
- the ``LOWEST_COVERAGE`` documents with the lowest coverage (``CoveredDocument``).

Counting happens here and nowhere else: the summary, the report, the artifacts
and the manifest take marginals of these tallies (``Tally.of``, ``Tally.where``)
and only order and label them.

``read_view`` builds the view from the Parquet files of an output folder, one
column and ``BATCH_ROWS`` rows at a time for the profiles, and the few columns the
tallies read, ``BATCH_ROWS`` rows at a time, for the rest: no table is ever whole
in memory. ``view_of`` builds the same view from in-memory frames, cut into the
same batches and folded by the same functions. A table with no file (or no frame)
is an empty table.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from schemas import COLUMNS, SCHEMAS, empty_frame

BATCH_ROWS = 1024
BUFFER_BYTES = 1 << 20
LOWEST_COVERAGE = 20
LISTED = ("source_name", "title", "format", "status", "coverage", "n_warnings")  # of each listed document
MANTISSA_BITS = 53  # of a double


@dataclass(frozen=True, slots=True)
class TableProfile:
    rows: int
    filled: dict[str, int]  # column -> number of non-null cells, in the contract's column order


@dataclass(frozen=True, slots=True)
class Tally:
    """Rows per distinct key; ``columns`` name the key's parts, a null part is ``None``."""

    columns: tuple[str, ...]
    rows: dict[tuple[Any, ...], int]

    def of(self, *columns: str) -> Tally:
        """The marginal over ``columns``: rows per distinct value of those parts of the key."""
        positions = [self.columns.index(c) for c in columns]
        counted: Counter[tuple[Any, ...]] = Counter()
        for key, n in self.rows.items():
            counted[tuple(key[p] for p in positions)] += n
        return Tally(columns, dict(counted))

    def where(self, column: str, value: Any) -> Tally:
        """Only the keys whose ``column`` part is ``value``."""
        position = self.columns.index(column)
        return Tally(self.columns, {k: n for k, n in self.rows.items() if k[position] == value})

    def filled(self, **labels: str) -> Tally:
        """A null in each named column replaced by its label (keys that become equal are added up)."""
        positions = {self.columns.index(c): label for c, label in labels.items()}
        counted: Counter[tuple[Any, ...]] = Counter()
        for key, n in self.rows.items():
            counted[
                tuple(positions[i] if v is None and i in positions else v for i, v in enumerate(key))
            ] += n
        return Tally(self.columns, dict(counted))

    def as_text(self, null: str | None) -> dict[tuple[str, ...], int]:
        """Rows per key as text; a null part reads ``null`` (with ``None``, keys with a null part are left out)."""
        counted: Counter[tuple[str, ...]] = Counter()
        for key, n in self.rows.items():
            if null is None and None in key:
                continue
            counted[tuple(null if v is None else str(v) for v in key)] += n  # type: ignore[misc]
        return dict(counted)

    def count(self, *key: Any) -> int:
        """The rows of one key (0 if it never occurs)."""
        return self.rows.get(key, 0)

    def total(self) -> int:
        return sum(self.rows.values())


@dataclass(frozen=True, slots=True)
class Coverage:
    """The coverage of the documents that have one: how many, and the exact sum (so no order or batching shows)."""

    documents: int
    total: Fraction

    @property
    def mean(self) -> float | None:
        return float(self.total / self.documents) if self.documents else None


@dataclass(frozen=True, slots=True)
class CoveredDocument:
    """One document of the lowest-coverage list, as the report shows it."""

    source_name: str | None
    title: str | None
    format: str | None
    status: str | None
    coverage: float
    n_warnings: int | None


@dataclass(frozen=True, slots=True)
class OutputView:
    """What the summary, report and artifacts need of a run's tables, the same size whatever the corpus size."""

    profiles: dict[str, TableProfile]  # every table in schemas.SCHEMAS
    tallies: dict[str, Tally]  # every name in COUNTINGS
    coverage: Coverage
    lowest_coverage: tuple[CoveredDocument, ...]  # lowest first, ties by source name, at most LOWEST_COVERAGE


# ---------------------------------------------------------------- what is counted


def _list_lengths(values: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """The length of each list cell; 0 for a null cell, and for every cell of a column that holds no lists."""
    if pa.types.is_list(values.type) or pa.types.is_large_list(values.type):
        return pc.fill_null(pc.cast(pc.list_value_length(values), pa.int64()), 0)
    return pa.array(np.zeros(len(values), dtype="int64"))


def place_detail(place: str) -> Callable[[pa.Table], pa.Table]:
    """Key ``parts``: null when the place is missing, else the number of its parts, 3 for three or more."""

    def keys(batch: pa.Table) -> pa.Table:
        parts = pc.min_element_wise(_list_lengths(batch[f"{place}_parts"]), 3)
        missing = pc.is_null(batch[place])
        return pa.table({"parts": pc.if_else(missing, pa.scalar(None, pa.int64()), parts)})

    return keys


def lifespan(batch: pa.Table) -> pa.Table:
    """Key ``years``: death year less birth year, null unless both are known."""
    born, died = (pc.cast(batch[f"{e}_date_year"], pa.int64()) for e in ("birth", "death"))
    return pa.table({"years": pc.subtract(died, born)})


@dataclass(frozen=True, slots=True)
class Counting:
    """What one tally counts: rows of ``table`` per key, the ``reads`` columns themselves or,
    with ``derive``, the columns ``derived`` it makes of them."""

    table: str
    reads: tuple[str, ...]
    derive: Callable[[pa.Table], pa.Table] | None = None
    derived: tuple[str, ...] = ()

    @property
    def columns(self) -> tuple[str, ...]:
        """The names of the key's parts."""
        return self.derived if self.derive else self.reads

    def keys(self, batch: pa.Table) -> pa.Table:
        return self.derive(batch) if self.derive else batch.select(list(self.reads))


COUNTINGS: dict[str, Counting] = {
    "documents": Counting("documents", ("format", "status", "reject_code")),
    "warnings": Counting("warnings", ("code",)),
    "dropped": Counting("dropped", ("rule",)),
    "quarantine": Counting("quarantine", ("table", "reason_code")),
    **{
        f"{event}_date_{what}": Counting("persons", (f"{event}_date_{what}",))
        for event in ("birth", "death")
        for what in ("qualifier", "calendar_note", "year")
    },
    **{
        f"{event}_date_precision": Counting("persons", ("is_subject", f"{event}_date_precision"))
        for event in ("birth", "death")
    },
    **{
        f"{event}_place_parts": Counting(
            "persons", (f"{event}_place", f"{event}_place_parts"), place_detail(f"{event}_place"), ("parts",)
        )
        for event in ("birth", "death")
    },
    "lifespan": Counting("persons", ("birth_date_year", "death_date_year"), lifespan, ("years",)),
}


def _reads(table: str) -> list[str]:
    """The columns of ``table`` the tallies (and, for documents, coverage and the list) read, in contract order."""
    wanted = {c for counting in COUNTINGS.values() if counting.table == table for c in counting.reads}
    if table == "documents":
        wanted |= set(LISTED)
    return [c for c in COLUMNS[table] if c in wanted]


READ_TABLES = tuple(dict.fromkeys(counting.table for counting in COUNTINGS.values()))


# ---------------------------------------------------------------- folding batches


def tally_batch(keys: pa.Table) -> Counter[tuple[Any, ...]]:
    """Rows per distinct key (one row of ``keys`` per row counted; a null part is ``None``)."""
    if keys.num_rows == 0:
        return Counter()
    groups = keys.group_by(keys.column_names, use_threads=False).aggregate([([], "count_all")])
    counts = groups.column("count_all").to_pylist()
    parts = [groups.column(c).to_pylist() for c in keys.column_names]
    return Counter(dict(zip(zip(*parts, strict=True), counts, strict=True)))


def exact_sum(values: np.ndarray) -> Fraction:
    """The exact sum of finite doubles: each is an integer mantissa times a power of two, added as integers."""
    mantissas, exponents = np.frexp(values)
    integers = np.ldexp(mantissas, MANTISSA_BITS).astype(np.int64)  # exact: a double has 53 bits
    total = Fraction(0)
    for exponent in np.unique(exponents):
        chosen = integers[exponents == exponent]
        high, low = chosen >> 26, chosen & ((1 << 26) - 1)  # halves, so no int64 sum can overflow
        mantissa_sum = (int(high.sum()) << 26) + int(low.sum())
        total += mantissa_sum * Fraction(2) ** (int(exponent) - MANTISSA_BITS)
    return total


def covered(documents: pa.Table) -> pa.Table:
    """The documents that have a coverage (a finite number; null is none)."""
    coverage = pc.cast(documents["coverage"], pa.float64())
    return documents.filter(pc.fill_null(pc.is_finite(coverage), False))


def add_coverage(coverage: Coverage, documents: pa.Table) -> Coverage:
    """``coverage`` with the covered documents of ``documents`` added."""
    values = pc.cast(covered(documents)["coverage"], pa.float64()).to_numpy()
    return Coverage(coverage.documents + len(values), coverage.total + exact_sum(values))


def lowest(documents: pa.Table, n: int = LOWEST_COVERAGE) -> pa.Table:
    """The ``n`` covered documents with the lowest coverage, lowest first, ties by source name, then by row order."""
    kept = covered(documents.select(list(LISTED)))
    order = pc.sort_indices(kept, sort_keys=[("coverage", "ascending"), ("source_name", "ascending")])
    return kept.take(order[:n])  # sort_indices is stable: of equal rows the earlier is kept


def listed(documents: pa.Table) -> tuple[CoveredDocument, ...]:
    """The rows of ``lowest`` as the view holds them."""
    return tuple(
        CoveredDocument(**(row | {"coverage": float(row["coverage"])})) for row in documents.to_pylist()
    )


def _fold(
    batches: Callable[[str, list[str]], Iterator[pa.Table]], profiles: dict[str, TableProfile]
) -> OutputView:
    """The view of one run: every batch of every read table folded into its tallies, coverage and list."""
    counts: dict[str, Counter[tuple[Any, ...]]] = {name: Counter() for name in COUNTINGS}
    coverage, kept = Coverage(0, Fraction(0)), None
    for table in READ_TABLES:
        for batch in batches(table, _reads(table)):
            for name, counting in COUNTINGS.items():
                if counting.table == table:
                    counts[name] += tally_batch(counting.keys(batch))
            if table == "documents":
                coverage = add_coverage(coverage, batch)
                both = lowest(batch) if kept is None else pa.concat_tables([kept, lowest(batch)])
                kept = lowest(both)
    return OutputView(
        profiles=profiles,
        tallies={name: Tally(counting.columns, dict(counts[name])) for name, counting in COUNTINGS.items()},
        coverage=coverage,
        lowest_coverage=listed(kept) if kept is not None else (),
    )


# ---------------------------------------------------------------- the two sources


def _file_profile(directory: Path, table: str) -> TableProfile:
    """Rows and non-null cells per column of a table's file, read one column and ``BATCH_ROWS`` rows at a time."""
    path = directory / f"{table}.parquet"
    if not path.exists():
        return TableProfile(0, dict.fromkeys(COLUMNS[table], 0))
    parquet = _open(path)
    rows = parquet.metadata.num_rows
    nulls = {
        column: sum(
            batch.column(0).null_count
            for batch in parquet.iter_batches(BATCH_ROWS, columns=[column], use_threads=False)
        )
        for column in COLUMNS[table]
    }
    return TableProfile(rows, {column: rows - n for column, n in nulls.items()})


def _open(path: Path) -> pq.ParquetFile:
    return pq.ParquetFile(path, pre_buffer=False, buffer_size=BUFFER_BYTES)  # no whole column chunk in memory


def _file_batches(directory: Path) -> Callable[[str, list[str]], Iterator[pa.Table]]:
    def batches(table: str, columns: list[str]) -> Iterator[pa.Table]:
        path = directory / f"{table}.parquet"
        if not path.exists():
            return
        for batch in _open(path).iter_batches(BATCH_ROWS, columns=columns, use_threads=False):
            yield pa.Table.from_batches([batch])

    return batches


def read_view(directory: Path) -> OutputView:
    """The view of ``<directory>/<table>.parquet`` for every table in ``schemas.SCHEMAS`` (no file: empty table)."""
    return _fold(_file_batches(directory), {name: _file_profile(directory, name) for name in SCHEMAS})


def _frame_profile(frame: pd.DataFrame, table: str) -> TableProfile:
    missing = [c for c in COLUMNS[table] if c not in frame.columns]
    if missing:
        raise ValueError(
            f"{table}: the frame lacks the contract's columns {missing}; build it with schemas.frame_from_rows"
        )
    return TableProfile(len(frame), {c: int(frame[c].notna().sum()) for c in COLUMNS[table]})


def _frame_batches(frames: Mapping[str, pd.DataFrame]) -> Callable[[str, list[str]], Iterator[pa.Table]]:
    def batches(table: str, columns: list[str]) -> Iterator[pa.Table]:
        arrow = pa.Table.from_pandas(frames[table][columns], preserve_index=False)
        for batch in arrow.to_batches(max_chunksize=BATCH_ROWS):
            yield pa.Table.from_batches([batch])

    return batches


def view_of(tables: Mapping[str, pd.DataFrame]) -> OutputView:
    """The same view as ``read_view`` from in-memory frames (a table not in ``tables`` is empty)."""
    frames = {name: tables.get(name, empty_frame(name)) for name in SCHEMAS}
    return _fold(
        _frame_batches(frames), {name: _frame_profile(frame, name) for name, frame in frames.items()}
    )
