"""Date-group columns: the EDTF pattern, its parse, and the row checks that keep a group consistent.

A date group ``X`` is five columns: ``X`` (EDTF string), ``X_precision``,
``X_year``, ``X_qualifier``, ``X_calendar_note``. The checks below compare
the derived columns with what the EDTF string itself says.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from typing import Any

import pandas as pd
import pandera.pandas as pa
import pyarrow.compute as pc

from schemas.base import arrow_array, as_mask, by_distinct, passing, row_check

EDTF = r"^-?\d{3,4}(-\d{2}(-\d{2})?)?[~?]?$"
PRECISIONS = ("day", "month", "year")
QUALIFIERS = ("approximate", "uncertain")
CALENDAR_NOTES = ("julian-converted",)

_EDTF = re.compile(r"^(-?\d{3,4})(?:-(\d{2})(?:-(\d{2}))?)?([~?])?$")
_QUALIFIER_OF = {"~": "approximate", "?": "uncertain"}


@dataclass(frozen=True, slots=True)
class Edtf:
    year: int
    month: int | None
    day: int | None
    qualifier: str | None

    @property
    def precision(self) -> str:
        return "day" if self.day is not None else "month" if self.month is not None else "year"

    @property
    def parts(self) -> tuple[int, ...]:
        return tuple(p for p in (self.year, self.month, self.day) if p is not None)

    @property
    def possible(self) -> bool:
        """Month 1..12 and a day the month has (proleptic Gregorian; any day up to 31 before year 1)."""
        if self.month is None:
            return True
        if not 1 <= self.month <= 12:
            return False
        if self.day is None:
            return True
        last = calendar.monthrange(self.year, self.month)[1] if self.year >= 1 else 31
        return 1 <= self.day <= last


def parse_edtf(value: Any) -> Edtf | None:
    """The parts of an EDTF string as this dataset writes them; None for null or other shapes."""
    if not isinstance(value, str):
        return None
    m = _EDTF.match(value)
    if m is None:
        return None
    year, month, day, mark = m.groups()
    return Edtf(
        year=int(year),
        month=int(month) if month else None,
        day=int(day) if day else None,
        qualifier=_QUALIFIER_OF.get(mark) if mark else None,
    )


def not_after(earlier: Any, later: Any) -> bool:
    """False only when ``earlier`` is provably after ``later``, compared at their common precision."""
    a, b = parse_edtf(earlier), parse_edtf(later)
    if a is None or b is None:
        return True
    n = min(len(a.parts), len(b.parts))
    return a.parts[:n] <= b.parts[:n]


_PAIR = "\x1f"  # between the two dates of a pair: no EDTF string holds it


def in_order(df: pd.DataFrame, earlier: str, later: str) -> pd.Series:
    """Row-wise ``not_after`` of two date columns, computed once per distinct pair."""
    pairs = pc.binary_join_element_wise(
        arrow_array(df[earlier]), arrow_array(df[later]), _PAIR, null_handling="replace"
    )
    return as_mask(by_distinct(pairs, lambda pair: not_after(*pair.split(_PAIR, 1))), df.index)


def _agrees(df: pd.DataFrame, prefix: str, column: str, derive: Any) -> pd.Series:
    """Row-wise: the group's ``column`` equals what the EDTF string implies (null when the date is null).

    Derived once per distinct date string; an unparseable string passes here (it fails its
    pattern check)."""
    values, actual = arrow_array(df[prefix]), arrow_array(df[column])
    parsed = by_distinct(values, lambda v: parse_edtf(v) is not None)
    implied = by_distinct(values, lambda v: (p := parse_edtf(v)) and derive(p), actual.type)
    same = pc.or_kleene(
        pc.and_(pc.is_null(implied), pc.is_null(actual)), pc.fill_null(pc.equal(implied, actual), False)
    )
    verdict = pc.if_else(
        pc.is_null(values), pc.is_null(actual), pc.if_else(pc.fill_null(parsed, False), same, True)
    )
    return as_mask(verdict, df.index)


def precision_agrees(df: pd.DataFrame, prefix: str) -> pd.Series:
    return _agrees(df, prefix, f"{prefix}_precision", lambda p: p.precision)


def year_agrees(df: pd.DataFrame, prefix: str) -> pd.Series:
    return _agrees(df, prefix, f"{prefix}_year", lambda p: p.year)


def qualifier_agrees(df: pd.DataFrame, prefix: str) -> pd.Series:
    return _agrees(df, prefix, f"{prefix}_qualifier", lambda p: p.qualifier)


def note_has_date(df: pd.DataFrame, prefix: str) -> pd.Series:
    return passing(df[prefix].notna() | df[f"{prefix}_calendar_note"].isna())


def date_possible(df: pd.DataFrame, prefix: str) -> pd.Series:
    """An EDTF string names a day the calendar has (null and unparseable strings pass here)."""
    return as_mask(
        by_distinct(arrow_array(df[prefix]), lambda v: (p := parse_edtf(v)) is None or p.possible), df.index
    )


def _bind(fn: Any, prefix: str) -> Any:
    def check(cls: Any, df: pd.DataFrame) -> pd.Series:
        return fn(df, prefix)

    return check


def date_group_checks(prefix: str) -> dict[str, Any]:
    """The row checks for one date group, keyed by attribute name, to merge into a model's namespace."""
    specs = (
        (f"{prefix}_possible", prefix, "impossible-date", date_possible),
        (f"{prefix}_precision_agrees", f"{prefix}_precision", "precision-mismatch", precision_agrees),
        (f"{prefix}_year_agrees", f"{prefix}_year", "year-mismatch", year_agrees),
        (f"{prefix}_qualifier_agrees", f"{prefix}_qualifier", "qualifier-mismatch", qualifier_agrees),
        (
            f"{prefix}_calendar_note_has_date",
            f"{prefix}_calendar_note",
            "calendar-note-without-date",
            note_has_date,
        ),
    )
    return {
        name: row_check(name, column=column, reason=reason)(_bind(fn, prefix))
        for name, column, reason, fn in specs
    }


def edtf_field(what: str) -> Any:
    return pa.Field(
        nullable=True,
        str_matches=EDTF,
        description=(
            f"{what.capitalize()} as EDTF at the precision the text gives (1899-12-06, 1898-07, 1900, "
            "1892~ for c., 1938? for uncertain); never filled in."
        ),
    )


def precision_field(what: str) -> Any:
    return pa.Field(
        nullable=True, isin=list(PRECISIONS), description=f"Precision of the {what}: day, month or year."
    )


def year_field(what: str) -> Any:
    return pa.Field(nullable=True, description=f"Year of the {what} as a number (negative before year 1).")


def qualifier_field(what: str) -> Any:
    return pa.Field(
        nullable=True,
        isin=list(QUALIFIERS),
        description=f"approximate (c.) or uncertain (?) when the text qualifies the {what}; null otherwise.",
    )


def calendar_note_field(what: str) -> Any:
    return pa.Field(
        nullable=True,
        isin=list(CALENDAR_NOTES),
        description=f"julian-converted when the {what} was given Old Style and converted to New Style.",
    )
