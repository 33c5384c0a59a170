"""Tests for schemas/: declarations, frame building, EDTF helpers.

VALID_ROWS (one valid set of every table) is shared with the validate and write tests.
"""

from __future__ import annotations

import hashlib
from typing import Any

import pandas as pd
import pyarrow
import pytest
from hypothesis import given
from hypothesis import strategies as st

from schemas import (
    COLUMNS,
    PRIMARY_KEYS,
    ROW_CHECKS,
    SCHEMA_VERSION,
    SCHEMAS,
    arrow_schema,
    dates,
    descriptions,
    empty_frame,
    frame_from_rows,
)
from schemas.dates import not_after, parse_edtf

SHA = hashlib.sha256(b"a document").hexdigest()
DOC = SHA[:16]
SHA2 = hashlib.sha256(b"another document").hexdigest()
DOC2 = SHA2[:16]

_PERSON: dict[str, Any] = {
    "name": "Nahum Eitingon",
    "is_subject": True,
    "doc_id": DOC,
    "n_docs": 1,
    "char_start": 0,
    "char_end": 14,
}

VALID_ROWS: dict[str, list[dict[str, Any]]] = {
    "documents": [
        {
            "doc_id": DOC, "source_name": "000.txt", "sha256": SHA, "bytes": 1234, "encoding": "utf-8",
            "format": "wiki_markup", "format_evidence": "{{Infobox", "title": "Nahum Eitingon",
            "subject_id": "nahum-eitingon", "status": "parsed_with_warnings", "reject_code": None,
            "n_chars": 1200, "coverage": 0.975, "n_warnings": 1,
        },
        {
            "doc_id": DOC2, "source_name": "bad.bin", "sha256": SHA2, "bytes": 10, "encoding": None,
            "format": None, "format_evidence": None, "title": None, "subject_id": None, "status": "rejected",
            "reject_code": "binary-content", "n_chars": None, "coverage": None, "n_warnings": 0,
        },
    ],
    "persons": [
        {
            **_PERSON, "person_id": "nahum-eitingon", "full_name": "Naum Isaakovich Eitingon",
            "sort_name": "Eitingon, Nahum",
            "birth_date": "1899-12-06", "birth_date_precision": "day", "birth_date_year": 1899,
            "birth_date_calendar_note": "julian-converted",
            "death_date": "1981-05", "death_date_precision": "month", "death_date_year": 1981,
            "birth_place": "Shklov, Russian Empire", "birth_place_parts": ["Shklov", "Russian Empire"],
            "death_place_parts": None, "description": "a Soviet intelligence officer",
        },
        {
            **_PERSON, "person_id": "yakov-blumkin", "name": "Yakov Blumkin", "is_subject": False,
            "birth_date": "1900~", "birth_date_precision": "year", "birth_date_year": 1900,
            "birth_date_qualifier": "approximate",
            "death_date": "1929?", "death_date_precision": "year", "death_date_year": 1929,
            "death_date_qualifier": "uncertain", "birth_place_parts": [], "char_start": 100, "char_end": 113,
        },
    ],
    "person_names": [
        {"person_id": "nahum-eitingon", "name": "Nahum Eitingon", "kind": "title", "script": "Latn",
         "doc_id": DOC, "char_start": 0, "char_end": 14},
        {"person_id": "nahum-eitingon", "name": "Наум Эйтингон", "kind": "native", "script": "Cyrl",
         "doc_id": DOC, "char_start": 20, "char_end": 33},
    ],
    "facts": [
        {"doc_id": DOC, "person_id": "nahum-eitingon", "field": "birth_date", "value": "1899-12-06",
         "raw": "6 December 1899", "source_kind": "lead", "rule": "lead-lifespan", "char_start": 40,
         "char_end": 55, "chosen": True, "conflict": False},
    ],
    "infobox": [
        {"doc_id": DOC, "ordinal": 0, "raw_key": "Born", "key": "birth_date", "value": " 6 Dec 1899 ",
         "char_start": 200, "char_end": 222},
        {"doc_id": DOC, "ordinal": 1, "raw_key": "Odd key", "key": None, "value": "x",
         "char_start": 223, "char_end": 235},
    ],
    "sections": [
        {"doc_id": DOC, "section_no": 0, "level": 0, "heading": None, "parent_no": None,
         "text": "Nahum Eitingon was\na \"Soviet\", officer.", "char_start": 0, "char_end": 199},
        {"doc_id": DOC, "section_no": 1, "level": 2, "heading": "Life", "parent_no": None, "text": "",
         "char_start": 236, "char_end": 300},
        {"doc_id": DOC, "section_no": 2, "level": 3, "heading": "Early life", "parent_no": 1,
         "text": "Born.", "char_start": 250, "char_end": 300},
    ],
    "links": [
        {"doc_id": DOC, "link_no": 0, "section_no": 0, "anchor": "Blumkin", "target": "Yakov Blumkin",
         "gloss": "Yakov Blumkin (1900 – 1929) was …", "gloss_truncated": True, "kind": "inline",
         "char_start": 100, "char_end": 107, "gloss_start": 108, "gloss_end": 150,
         "person_id": "yakov-blumkin"},
        {"doc_id": DOC, "link_no": 1, "section_no": 1, "anchor": "NKVD", "target": "NKVD", "gloss": None,
         "gloss_truncated": False, "kind": "see_also", "char_start": 260, "char_end": 264,
         "gloss_start": None, "gloss_end": None, "person_id": None},
    ],
    "categories": [
        {"doc_id": DOC, "category": "1899 births", "kind": "births", "year": 1899, "char_start": 300,
         "char_end": 325},
        {"doc_id": DOC, "category": "Soviet spies", "kind": "other", "year": None, "char_start": 326,
         "char_end": 352},
    ],
    "bibliography": [
        {"doc_id": DOC, "entry_no": 0, "authors": ["Sudoplatov, Pavel", "Sudoplatov, Anatoli"],
         "title": "Special Tasks", "publisher": "Little, Brown", "year": 1994,
         "raw": "Sudoplatov, Pavel; Sudoplatov, Anatoli. ''Special Tasks''. Little, Brown, 1994.",
         "char_start": 400, "char_end": 480},
        {"doc_id": DOC, "entry_no": 1, "authors": [], "title": None, "publisher": None, "year": None,
         "raw": "Some pamphlet", "char_start": 481, "char_end": 494},
    ],
    "dropped": [
        {"doc_id": DOC, "char_start": 60, "char_end": 62, "text": "()", "rule": "empty-parentheses"},
    ],
    "warnings": [
        {"doc_id": DOC, "code": "truncated", "message": "the document ends mid-sentence",
         "char_start": None, "char_end": None},
        {"doc_id": DOC, "code": "long-line", "message": "a line of 900 characters", "char_start": 500,
         "char_end": 1400},
    ],
    "events": [
        {
            "doc_id": DOC, "event_no": 0, "person_id": "nahum-eitingon", "type": "joined", "trigger": "joined",
            "date": "1920-05-10", "date_precision": "day", "date_year": 1920, "date_qualifier": None,
            "date_calendar_note": None, "end_date": None, "end_date_precision": None, "end_date_year": None,
            "end_date_qualifier": None, "end_date_calendar_note": None, "date_text": "May 10, 1920",
            "date_inherited": False, "place": None, "organisation": "Cheka", "detail": None,
            "sentence": "Eitingon joined the Cheka on May 10, 1920.", "char_start": 100, "char_end": 142,
        },
    ],
    "mentions": [
        {"doc_id": DOC, "person_id": "nahum-eitingon", "surface": "Eitingon", "method": "subject-surname",
         "char_start": 100, "char_end": 108},
    ],
    "person_links": [],
    "person_matches": [],
    "quarantine": [],
}  # fmt: skip


def valid_tables() -> dict[str, pd.DataFrame]:
    return {table: frame_from_rows(table, rows) for table, rows in VALID_ROWS.items()}


@pytest.mark.parametrize("table", list(SCHEMAS))
def test_declarations_agree(table: str) -> None:
    schema = SCHEMAS[table].to_schema()
    assert list(COLUMNS[table]) == list(arrow_schema(table).names)
    assert set(COLUMNS[table]) == set(schema.columns)
    assert set(PRIMARY_KEYS[table]) <= set(COLUMNS[table])
    nullable_keys = {c for c in PRIMARY_KEYS[table] if schema.columns[c].nullable}
    assert nullable_keys == ({"char_start"} if table == "warnings" else set())


@pytest.mark.parametrize("table", list(SCHEMAS))
def test_every_column_has_a_sentence(table: str) -> None:
    for column, text in descriptions(table).items():
        assert len(text.split()) >= 3 and text.endswith((".", ")")), f"{table}.{column}: {text!r}"


def test_every_table_is_listed() -> None:
    assert set(SCHEMAS) == set(VALID_ROWS)
    assert SCHEMA_VERSION.count(".") == 2


def test_row_checks_name_real_columns() -> None:
    every_column = {c for cols in COLUMNS.values() for c in cols}
    assert {check.column for check in ROW_CHECKS.values()} <= every_column


def test_frame_from_rows_order_dtypes_and_nulls() -> None:
    frame = frame_from_rows("persons", [{"person_id": "a", "name": "A", "birth_place_parts": ("x", "y")}])
    assert list(frame.columns) == list(COLUMNS["persons"])
    assert isinstance(frame.index, pd.RangeIndex)
    assert frame["birth_date_year"].dtype == pd.ArrowDtype(pyarrow.int16())
    assert frame["n_docs"].dtype == pd.ArrowDtype(pyarrow.int32())
    assert frame["char_start"].dtype == pd.ArrowDtype(pyarrow.int64())
    assert frame["is_subject"].dtype == pd.ArrowDtype(pyarrow.bool_())
    assert frame["name"].dtype == pd.ArrowDtype(pyarrow.string())
    assert frame["birth_place_parts"].dtype == pd.ArrowDtype(pyarrow.list_(pyarrow.string()))
    assert frame["birth_place_parts"].tolist()[0] == ["x", "y"]
    assert frame["death_place_parts"].isna().all()
    assert frame["full_name"].isna().all()


def test_frame_from_rows_keeps_empty_list_apart_from_null() -> None:
    frame = frame_from_rows("bibliography", [{"authors": []}, {"authors": None}])
    assert frame["authors"].isna().tolist() == [False, True]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([{"doc_id": "x", "nonsense": 1}], "nonsense"),
        ([{"doc_id": "x"}, {"doc_id": "y"}, {"doc_id": "z", "nonsense": 1}], "row 2 has .*nonsense"),
        ([{"n_warnings": "three"}], "n_warnings"),
        ([{"n_warnings": 2**40}], "n_warnings"),
        ([{"coverage": "high"}], "coverage"),
    ],
)
def test_frame_from_rows_refuses_what_the_contract_does_not_have(
    rows: list[dict[str, Any]], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        frame_from_rows("documents", rows)


def test_unknown_table_is_refused() -> None:
    with pytest.raises(KeyError, match="unknown table"):
        frame_from_rows("people", [])


@pytest.mark.parametrize("table", list(SCHEMAS))
def test_empty_frame_validates(table: str) -> None:
    frame = empty_frame(table)
    assert len(frame) == 0 and list(frame.columns) == list(COLUMNS[table])
    SCHEMAS[table].validate(frame, lazy=True)


@pytest.mark.parametrize("table", [t for t, rows in VALID_ROWS.items() if rows])
def test_valid_rows_pass(table: str) -> None:
    SCHEMAS[table].validate(frame_from_rows(table, VALID_ROWS[table]), lazy=True)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1899-12-06", (1899, 12, 6, None, "day")),
        ("1898-07", (1898, 7, None, None, "month")),
        ("1900", (1900, None, None, None, "year")),
        ("1892~", (1892, None, None, "approximate", "year")),
        ("1938-04?", (1938, 4, None, "uncertain", "month")),
        ("980", (980, None, None, None, "year")),
        ("-0044-03-15", (-44, 3, 15, None, "day")),
    ],
)
def test_parse_edtf(text: str, expected: tuple[Any, ...]) -> None:
    parsed = parse_edtf(text)
    assert parsed is not None
    assert (parsed.year, parsed.month, parsed.day, parsed.qualifier, parsed.precision) == expected


@pytest.mark.parametrize("text", ["41", "19000", "1899-1-6", "1899/12", "c. 1900", "", None, "1900~?"])
def test_parse_edtf_refuses_other_shapes(text: str | None) -> None:
    assert parse_edtf(text) is None


@pytest.mark.parametrize(
    ("birth", "death", "ok"),
    [
        ("1899-12-06", "1981-05-03", True),
        ("1900", "1900-05", True),  # same year: not provably after
        ("1900-05-02", "1900-05-02", True),
        ("1900-05", "1900-04-30", False),
        ("1901", "1900-12-31", False),
        ("1901~", "1900", False),
        ("-0050", "-0044-03-15", True),
        (None, "1900", True),
    ],
)
def test_not_after_compares_at_common_precision(birth: str | None, death: str, ok: bool) -> None:
    assert not_after(birth, death) is ok


@given(st.dates(), st.dates(), st.sampled_from([10, 7, 4]), st.sampled_from([10, 7, 4]))
def test_not_after_agrees_with_truncated_dates(a: Any, b: Any, na: int, nb: int) -> None:
    n = min(na, nb)
    sa, sb = a.isoformat()[:na], b.isoformat()[:nb]
    assert not_after(sa, sb) == (a.isoformat()[:n] <= b.isoformat()[:n])


_DATE_TEXT = st.one_of(
    st.none(),
    st.sampled_from(["1899", "1899-12", "1899-02-30", "1900-02-29", "2000-02-29", "1899-13", "-0350", "1892~"]),
    st.sampled_from(["1938?", "0044-03-15", "c. 1900", "", "1899\x1f1900"]),
)


@given(
    st.lists(
        st.tuples(
            _DATE_TEXT,
            _DATE_TEXT,
            st.sampled_from([None, "day", "month", "year"]),
            st.sampled_from([None, 1899, 1900, -350]),
            st.sampled_from([None, "approximate", "uncertain"]),
        ),
        max_size=12,
    )
)
def test_date_group_checks_judge_each_row_by_its_own_values(rows: list[tuple[Any, ...]]) -> None:
    """The checks work on distinct values; each row's verdict is still what its own values say."""
    frame = pd.DataFrame(
        {
            "date": pd.array([r[0] for r in rows], dtype=pd.ArrowDtype(pyarrow.string())),
            "end_date": pd.array([r[1] for r in rows], dtype=pd.ArrowDtype(pyarrow.string())),
            "date_precision": pd.array([r[2] for r in rows], dtype=pd.ArrowDtype(pyarrow.string())),
            "date_year": pd.array([r[3] for r in rows], dtype=pd.ArrowDtype(pyarrow.int32())),
            "date_qualifier": pd.array([r[4] for r in rows], dtype=pd.ArrowDtype(pyarrow.string())),
        }
    )

    def agrees(value: Any, actual: Any, derive: Any) -> bool:
        if value is None:
            return actual is None
        parsed = parse_edtf(value)
        return parsed is None or derive(parsed) == actual

    expected_order = [not_after(a, b) for a, b, *_ in rows]
    expected_possible = [(p := parse_edtf(a)) is None or p.possible for a, *_ in rows]
    expected_precision = [agrees(r[0], r[2], lambda p: p.precision) for r in rows]
    expected_year = [agrees(r[0], r[3], lambda p: p.year) for r in rows]
    expected_qualifier = [agrees(r[0], r[4], lambda p: p.qualifier) for r in rows]
    assert dates.in_order(frame, "date", "end_date").tolist() == expected_order
    assert dates.date_possible(frame, "date").tolist() == expected_possible
    assert dates.precision_agrees(frame, "date").tolist() == expected_precision
    assert dates.year_agrees(frame, "date").tolist() == expected_year
    assert dates.qualifier_agrees(frame, "date").tolist() == expected_qualifier
