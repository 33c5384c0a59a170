"""Validation: pandera lazy validation and reference checks split each table into valid and quarantined rows.

Bad data is data: a row that fails a check moves to the quarantine table, one
quarantine row per failing (row, column, check), with a stable kebab-case
reason code. A failure that belongs to no row (a missing column, a wrong
dtype) means the pipeline built the frame wrong: it raises ``SchemaBugError``.
"""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd
import pandera.errors
import pyarrow
import pyarrow.compute as pc

from schemas import COLUMNS, PRIMARY_KEYS, ROW_CHECKS, SCHEMAS, empty_frame, frame_from_rows
from schemas.base import arrow_array

_DOC_ID = re.compile(r"^[0-9a-f]{16}$")
_KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

# pandera's built-in checks, by function name, and the reason code their failures carry.
BUILTIN_REASONS: dict[str, str] = {
    "isin": "not-in-allowed-set",
    "notin": "in-forbidden-set",
    "str_matches": "pattern-mismatch",
    "str_contains": "pattern-mismatch",
    "not_nullable": "null-not-allowed",
    "greater_than": "out-of-range",
    "greater_than_or_equal_to": "out-of-range",
    "less_than": "out-of-range",
    "less_than_or_equal_to": "out-of-range",
    "in_range": "out-of-range",
    "equal_to": "unexpected-value",
    "not_equal_to": "unexpected-value",
    "str_length": "length-out-of-range",
    "field_uniqueness": "duplicate-key",
    "multiple_fields_uniqueness": "duplicate-key",
}

# Columns that must name a row of persons (null allowed where the column is nullable).
PERSON_REFERENCES: dict[str, tuple[str, ...]] = {
    "person_names": ("person_id",),
    "facts": ("person_id",),
    "links": ("person_id",),
    "events": ("person_id",),
    "mentions": ("person_id",),
    "person_matches": ("person_id",),
    "person_links": ("source_person_id", "target_person_id"),
}
# Columns besides doc_id that must name a row of documents.
DOC_REFERENCES: dict[str, tuple[str, ...]] = {"person_matches": ("matched_doc_id",)}


class SchemaBugError(RuntimeError):
    """A frame does not have its table's shape: a bug in the code that built it, not bad data."""


@dataclass(frozen=True, slots=True)
class Failure:
    """One failed check on one row of a frame."""

    index: int
    column: str
    check: str
    reason: str


def reason_code(check: str) -> str:
    """The stable kebab-case reason code for a failed check, by the check's name."""
    if check in ROW_CHECKS:
        return ROW_CHECKS[check].reason
    function = check.split("(", 1)[0].strip()
    if function in BUILTIN_REASONS:
        return BUILTIN_REASONS[function]
    if _KEBAB.match(check):
        return check  # custom field checks are named after their reason code
    return re.sub(r"[^a-z0-9]+", "-", function.lower()).strip("-") or "check-failed"


def _schema_bug(table: str, cases: pd.DataFrame) -> SchemaBugError:
    lines = [
        f"  column {row.column!r}: {row.check} ({row.failure_case})"
        for row in cases[["column", "check", "failure_case"]].astype(str).itertuples()
    ]
    return SchemaBugError(
        f"table {table!r} does not have its schema's shape; fix the code that builds it "
        f"(expected columns {list(COLUMNS[table])}):\n" + "\n".join(lines)
    )


def failures_of(table: str, cases: pd.DataFrame) -> list[Failure]:
    """Row failures from pandera's ``failure_cases``, one per (row, column, check).

    A dataframe-level check is reported once per column; it is charged to the
    column ``ROW_CHECKS`` names, else (uniqueness) to all the columns it covers.
    """
    order = {name: i for i, name in enumerate(COLUMNS[table])}
    frame_level: dict[tuple[int, str], set[str]] = defaultdict(set)
    out: set[Failure] = set()
    for context, raw_index, raw_column, raw_check in zip(
        cases["schema_context"], cases["index"], cases["column"], cases["check"], strict=True
    ):
        index, column, check = int(raw_index), str(raw_column), str(raw_check)
        if context == "DataFrameSchema":
            frame_level[(index, check)].add(column)
        else:
            out.add(Failure(index, column, check, reason_code(check)))
    for (index, check), columns in frame_level.items():
        if check in ROW_CHECKS:
            column = ROW_CHECKS[check].column
        else:
            column = ",".join(sorted((c for c in columns if c in order), key=order.__getitem__))
        out.add(Failure(index, column, check, reason_code(check)))
    return sorted(out, key=lambda f: (f.index, order.get(f.column.split(",")[0], -1), f.column, f.check))


def _jsonable(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


def as_text(value: Any) -> str | None:
    """A cell as quarantine text: null stays null, lists are JSON, booleans true/false."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return json.dumps(_jsonable(value), ensure_ascii=False)
    return str(value)


def _python_rows(frame: pd.DataFrame, indices: list[int]) -> dict[int, dict[str, Any]]:
    subset = frame.iloc[indices]
    table = pyarrow.Table.from_pandas(subset, preserve_index=False)
    return dict(zip(indices, table.to_pylist(), strict=True))


KeyCounts = defaultdict[str, int]
"""How many quarantined rows of one table have had each primary-key text so far."""


def _row_keys(table: str, rows: dict[int, dict[str, Any]], seen: KeyCounts | None = None) -> dict[int, str]:
    """Primary-key text per row; the n-th (n >= 2) row sharing a key gets '#n' appended. ``seen``
    carries the count from earlier chunks of the table, so copies in two chunks stay apart."""
    keys = {i: "|".join(as_text(row.get(c)) or "" for c in PRIMARY_KEYS[table]) for i, row in rows.items()}
    seen = defaultdict(int) if seen is None else seen
    out: dict[int, str] = {}
    for i in sorted(keys):
        seen[keys[i]] += 1
        out[i] = keys[i] if seen[keys[i]] == 1 else f"{keys[i]}#{seen[keys[i]]}"
    return out


def quarantine_rows(
    table: str, frame: pd.DataFrame, failures: list[Failure], seen: KeyCounts | None = None
) -> pd.DataFrame:
    """The quarantine table's rows for ``failures`` on ``frame`` (which has a RangeIndex); ``seen``
    as for ``_row_keys``."""
    rows = _python_rows(frame, sorted({f.index for f in failures}))
    keys = _row_keys(table, rows, seen)
    out = []
    for f in failures:
        row = rows[f.index]
        doc_id = row.get("doc_id")
        out.append(
            {
                "table": table,
                "doc_id": doc_id if isinstance(doc_id, str) and _DOC_ID.match(doc_id) else None,
                "row_key": keys[f.index],
                "column": f.column,
                "check": f.check,
                "reason_code": f.reason,
                "value": as_text(row.get(f.column)) if f.column in row else None,
                "row": json.dumps(_jsonable(row), sort_keys=True, ensure_ascii=False, default=str),
            }
        )
    return frame_from_rows("quarantine", out)


def _split(
    table: str, frame: pd.DataFrame, failures: list[Failure], seen: KeyCounts | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    if not failures:
        return frame, empty_frame("quarantine")
    bad = sorted({f.index for f in failures})
    return frame.drop(index=bad).reset_index(drop=True), quarantine_rows(table, frame, failures, seen)


def validate_table(
    table: str, df: pd.DataFrame, seen: KeyCounts | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(valid rows, quarantine rows) of one table (or one chunk of it: ``seen`` as for ``_row_keys``);
    raises ``SchemaBugError`` on a schema-level failure."""
    if table not in SCHEMAS:
        raise KeyError(f"unknown table {table!r}; known tables: {', '.join(SCHEMAS)}")
    frame = df.reset_index(drop=True)
    try:
        SCHEMAS[table].validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as err:
        cases = err.failure_cases
    else:
        return frame, empty_frame("quarantine")
    schema_level = cases[cases["index"].isna()]
    if len(schema_level):
        raise _schema_bug(table, schema_level)
    return _split(table, frame, failures_of(table, cases), seen)


def _unknown(frame: pd.DataFrame, column: str, known: pyarrow.Array, check: str, reason: str) -> list[Failure]:
    """Rows whose ``column`` holds a value (not null) outside ``known``."""
    values = arrow_array(frame[column])
    mask = pc.and_(pc.is_valid(values), pc.invert(pc.is_in(values, value_set=known)))
    return [Failure(int(i), column, check, reason) for i in frame.index[mask.to_numpy(zero_copy_only=False)]]


def concat(frames: Iterable[pd.DataFrame], table: str) -> pd.DataFrame:
    """Frames of one table stacked, with a fresh RangeIndex (an empty frame of the table if none has rows)."""
    nonempty = [f for f in frames if len(f)]
    if not nonempty:
        return empty_frame(table)
    return pd.concat(nonempty, ignore_index=True)


CHUNK_ROWS = 1 << 16
"""Rows validated at a time (``chunked``): at a batch's size, pandera's cost per call outweighs its cost per row."""
CHUNK_BYTES = 1 << 26
"""Bytes of column data validated at a time: a table of long texts (``sections``) stops sooner."""


def chunked(frames: Iterable[pd.DataFrame], table: str) -> Iterator[pd.DataFrame]:
    """Consecutive frames of one table stacked into chunks of about ``CHUNK_ROWS`` rows or
    ``CHUNK_BYTES`` bytes, in order; empty frames dropped.

    A batch of documents gives a few thousand rows per table, and pandera's checks run column
    by column, each call with a cost of its own: measured on 2,000 generated documents, a
    batch's 6,330 ``facts`` rows took 24 ms and four batches' 25,321 rows 43 ms (``sections``:
    53 and 112 ms). Only a table whose key holds ``doc_id`` is stacked: a document's rows are
    in one frame, so a chunk's duplicate keys are the frames' own.
    """
    if "doc_id" not in PRIMARY_KEYS[table]:
        raise ValueError(f"{table}: its key {PRIMARY_KEYS[table]} holds no doc_id; validate it as it comes")
    pending: list[pd.DataFrame] = []
    rows = size = 0
    for frame in frames:
        if not len(frame):
            continue
        pending.append(frame)
        rows += len(frame)
        size += int(frame.memory_usage(index=False, deep=False).sum())
        if rows >= CHUNK_ROWS or size >= CHUNK_BYTES:
            yield concat(pending, table)
            pending, rows, size = [], 0, 0
    if pending:
        yield concat(pending, table)


def reference_failures(
    table: str, frame: pd.DataFrame, doc_ids: pyarrow.Array, person_ids: pyarrow.Array | None
) -> list[Failure]:
    """Rows of ``frame`` (RangeIndex) naming a document or a person that has no valid row
    (``doc_ids``, ``person_ids``: the valid ones, as Arrow value sets)."""
    failures: list[Failure] = []
    for column in ("doc_id", *DOC_REFERENCES.get(table, ())):
        failures += _unknown(frame, column, doc_ids, "references(documents.doc_id)", "unknown-doc-id")
    if person_ids is not None and table in PERSON_REFERENCES:
        for column in PERSON_REFERENCES[table]:
            failures += _unknown(
                frame, column, person_ids, "references(persons.person_id)", "unknown-person-id"
            )
    return sorted(failures, key=lambda f: (f.index, f.column))


class Validator:
    """Validates a run's tables chunk by chunk, keeping only what references need.

    Feed every chunk of ``documents`` first, then of ``persons``, then the other
    tables (``schemas.SCHEMAS`` order): a row is valid when it passes its schema and
    every document and person it names has a valid row. ``quarantine()`` gives the
    rejected rows once every chunk is in.
    """

    def __init__(self) -> None:
        self.doc_ids: set[str] = set()
        self.person_ids: set[str] | None = None
        self._value_sets: dict[str, pyarrow.Array] = {}  # the two sets as Arrow, made once they stop growing
        self._seen: defaultdict[str, KeyCounts] = defaultdict(lambda: defaultdict(int))  # per table
        self._quarantined: list[pd.DataFrame] = []

    def chunk(self, table: str, frame: pd.DataFrame) -> pd.DataFrame:
        """The valid rows of one chunk of ``table``; the others go to the quarantine."""
        valid, rows = validate_table(table, frame, self._seen[table])
        self._quarantine(rows)
        if table == "documents":
            self.doc_ids.update(valid["doc_id"].dropna())
            self._value_sets.pop("doc_ids", None)
            return valid
        doc_ids = self._value_set("doc_ids", self.doc_ids)
        person_ids = None
        if self.person_ids is not None and table in PERSON_REFERENCES:
            person_ids = self._value_set("person_ids", self.person_ids)
        valid, rows = _split(table, valid, reference_failures(table, valid, doc_ids, person_ids), self._seen[table])
        self._quarantine(rows)
        if table == "persons":
            self.person_ids = (self.person_ids or set()) | set(valid["person_id"].dropna())
            self._value_sets.pop("person_ids", None)
        return valid

    def _value_set(self, name: str, ids: set[str]) -> pyarrow.Array:
        """``ids`` as an Arrow array, made once and kept until the set grows (a chunk of every later
        table is checked against it: made per chunk, it cost more than the check at 100,000 documents)."""
        if name not in self._value_sets:
            self._value_sets[name] = pyarrow.array(list(ids), pyarrow.string())
        return self._value_sets[name]

    def _quarantine(self, rows: pd.DataFrame) -> None:
        if len(rows):
            self._quarantined.append(rows)

    def quarantine(self, extra: pd.DataFrame | None = None) -> pd.DataFrame:
        """Every quarantined row (plus ``extra``), itself validated: a failure here is our bug."""
        frame = concat([*([] if extra is None else [extra]), *self._quarantined], "quarantine")
        valid, bad = validate_table("quarantine", frame)
        if len(bad):
            raise SchemaBugError(f"the quarantine table failed its own schema:\n{bad.to_string()}")
        return valid


def validate_all(tables: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Every table validated, references checked, and the quarantine table (itself validated) added.

    A table missing from ``tables`` is taken as empty; the whole-table case of ``Validator``.
    """
    unknown = set(tables) - set(SCHEMAS)
    if unknown:
        raise KeyError(f"unknown tables {sorted(unknown)}; known tables: {', '.join(SCHEMAS)}")
    validator = Validator()
    out = {
        table: validator.chunk(table, tables.get(table, empty_frame(table)))
        for table in SCHEMAS
        if table != "quarantine"
    }
    out["quarantine"] = validator.quarantine(tables.get("quarantine"))
    return out
