"""Building blocks shared by the table schemas: dtypes, patterns, reusable checks, Provenance.

Reason codes: a field check is *named* after the reason code it reports
(``not-nfc``); a row-level (dataframe) check is registered in ``ROW_CHECKS``
with the column it is charged to and its reason code, because pandera reports
a dataframe check once per column and cannot say which column is at fault.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pyarrow
import pyarrow.compute as pc
from pandera.typing import Series

# Column dtypes: every column is Arrow-backed, so nulls are pd.NA everywhere.
String = Series[Annotated[pd.ArrowDtype, pyarrow.string()]]
Int16 = Series[Annotated[pd.ArrowDtype, pyarrow.int16()]]
Int32 = Series[Annotated[pd.ArrowDtype, pyarrow.int32()]]
Int64 = Series[Annotated[pd.ArrowDtype, pyarrow.int64()]]
Float64 = Series[Annotated[pd.ArrowDtype, pyarrow.float64()]]
Bool = Series[Annotated[pd.ArrowDtype, pyarrow.bool_()]]
StringList = Series[Annotated[pd.ArrowDtype, pyarrow.list_(pyarrow.string())]]

DOC_ID = r"^[0-9a-f]{16}$"
SHA256 = r"^[0-9a-f]{64}$"
SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
KEBAB = r"^[a-z0-9]+(-[a-z0-9]+)*$"
SNAKE = r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$"
SCRIPT = r"^[A-Z][a-z]{3}$"


@dataclass(frozen=True, slots=True)
class RowCheck:
    """Where a row-level check's failures are charged, and the reason code they carry."""

    column: str
    reason: str


ROW_CHECKS: dict[str, RowCheck] = {}


def row_check(name: str, *, column: str, reason: str) -> Any:
    """Declare a dataframe-level check charged to ``column`` with reason code ``reason``.

    Name the decorated method ``name`` too: pandera names an inherited check by its method.
    """
    known = ROW_CHECKS.setdefault(name, RowCheck(column, reason))
    if known != RowCheck(column, reason):
        raise ValueError(f"row check {name!r} declared twice with different targets")
    return pa.dataframe_check(name=name, ignore_na=False)


def passing(mask: pd.Series) -> pd.Series:
    """A check result as plain numpy bools, where null (not decidable) counts as passing."""
    return mask.astype("boolean").fillna(True).astype(bool)


def by_distinct(
    values: pyarrow.Array, derive: Callable[[Any], Any], type: pyarrow.DataType | None = None
) -> pyarrow.Array:
    """``derive`` of every value, computed once per distinct value (null stays null): a column
    holds far fewer distinct values than rows. ``type`` is the result's (default: boolean)."""
    encoded = pc.dictionary_encode(values)
    derived = pyarrow.array([derive(v) for v in encoded.dictionary.to_pylist()], type or pyarrow.bool_())
    return pc.take(derived, encoded.indices)


def as_mask(verdicts: pyarrow.Array, index: pd.Index) -> pd.Series:
    """An Arrow boolean array as a check result: numpy bools, null counting as passing."""
    return pd.Series(pc.fill_null(verdicts, True).to_numpy(zero_copy_only=False), index=index, dtype=bool)


def arrow_array(series: pd.Series) -> pyarrow.Array:
    """An Arrow-backed column as one Arrow array (its chunks combined)."""
    column = pyarrow.array(series.array)
    return column.combine_chunks() if isinstance(column, pyarrow.ChunkedArray) else column


def _each_value(series: pd.Series, failing: Callable[[pyarrow.Array], pyarrow.Array]) -> pd.Series:
    """Pass where no string (or no item of the list) fails; null passes. ``failing`` maps a string
    array to a boolean array, vectorised: no Python per value."""
    column = arrow_array(series)
    if pyarrow.types.is_list(column.type) or pyarrow.types.is_large_list(column.type):
        items, rows = pc.list_flatten(column), pc.list_parent_indices(column)
        bad_rows = pc.filter(rows, pc.fill_null(failing(items), False)).to_numpy()
        ok = np.ones(len(series), dtype=bool)
        ok[bad_rows] = False
    else:
        ok = ~pc.fill_null(failing(column), False).to_numpy(zero_copy_only=False)
    return pd.Series(ok, index=series.index, dtype=bool)


def not_nfc(values: pyarrow.Array) -> pyarrow.Array:
    """True where a string is not Unicode NFC (ASCII always is; the rest by ``unicodedata``)."""
    odd = pc.invert(pc.string_is_ascii(values))
    verdict = by_distinct(pc.if_else(odd, values, pyarrow.scalar("", values.type)), is_nfc)
    return pc.invert(verdict)


def not_stripped(values: pyarrow.Array) -> pyarrow.Array:
    """True where a string starts or ends with a character ``str.strip`` removes."""
    first = by_distinct(pc.utf8_slice_codeunits(values, 0, 1), str.isspace)
    last = by_distinct(pc.utf8_slice_codeunits(values, -1), str.isspace)
    return pc.or_(first, last)


def empty(values: pyarrow.Array) -> pyarrow.Array:
    return pc.equal(pc.binary_length(values), 0)


def is_nfc(text: str) -> bool:
    return unicodedata.is_normalized("NFC", text)


def nfc_check(*columns: str) -> Any:
    """Field check: every value (or list item) is Unicode NFC."""
    return pa.check(*columns, name="not-nfc")(lambda cls, s: _each_value(s, not_nfc))


def stripped_check(*columns: str) -> Any:
    """Field check: no value (or list item) has leading or trailing whitespace."""
    return pa.check(*columns, name="not-stripped")(lambda cls, s: _each_value(s, not_stripped))


def nonempty_check(*columns: str) -> Any:
    """Field check: no value (or list item) is the empty string."""
    return pa.check(*columns, name="empty-string")(lambda cls, s: _each_value(s, empty))


def span_ok(start: pd.Series, end: pd.Series) -> pd.Series:
    """True where 0 <= start <= end, or where either bound is null (nullability is checked apart)."""
    return passing((start >= 0) & (start <= end))


def doc_id_field(**kwargs: Any) -> Any:
    return pa.Field(
        str_matches=DOC_ID,
        description=kwargs.pop(
            "description", "Document identifier: the first 16 hex digits of the SHA-256 of the file's bytes."
        ),
        **kwargs,
    )


def person_id_field(**kwargs: Any) -> Any:
    return pa.Field(
        str_matches=SLUG,
        description=kwargs.pop(
            "description", "Person identifier: a slug of the canonical name, stable across runs."
        ),
        **kwargs,
    )


class Provenance(pa.DataFrameModel):
    """Columns every text-derived row carries: which document, and where in its decoded text."""

    doc_id: String = doc_id_field()
    char_start: Int64 = pa.Field(
        description="Start of the row's source text: a Python str offset into the decoded document."
    )
    char_end: Int64 = pa.Field(
        description="End (exclusive) of the row's source text: a Python str offset into the decoded document."
    )

    @row_check("span_valid", column="char_end", reason="span-invalid")
    def span_valid(cls, df: pd.DataFrame) -> pd.Series:
        return span_ok(df["char_start"], df["char_end"])

    class Config:
        strict = True
        coerce = False
