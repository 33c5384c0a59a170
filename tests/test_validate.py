"""Tests for pipeline/output/validate.py: bad rows go to quarantine with stable codes, schema bugs raise."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
import pyarrow
import pytest
from test_schemas import DOC, VALID_ROWS, valid_tables

import pipeline.output.validate as validate_module
from pipeline.output.validate import (
    SchemaBugError,
    Validator,
    chunked,
    reason_code,
    validate_all,
    validate_table,
)
from schemas import COLUMNS, SCHEMAS, frame_from_rows


def with_changes(table: str, row: int, **changes: Any) -> pd.DataFrame:
    rows = [dict(r) for r in VALID_ROWS[table]]
    rows[row].update(changes)
    return frame_from_rows(table, rows)


def codes(quarantine: pd.DataFrame) -> set[tuple[str, str]]:
    return set(zip(quarantine["column"], quarantine["reason_code"], strict=True))


def test_brief_case_bad_enum_bad_span_birth_after_death() -> None:
    base = VALID_ROWS["persons"][1]
    rows = [
        *VALID_ROWS["persons"],
        {**base, "person_id": "bad-enum", "birth_date_precision": "decade"},
        {**base, "person_id": "bad-span", "char_start": 50, "char_end": 40},
        {
            **base,
            "person_id": "late-birth",
            "birth_date": "1930",
            "birth_date_year": 1930,
            "birth_date_qualifier": None,
        },
    ]
    valid, quarantine = validate_table("persons", frame_from_rows("persons", rows))
    assert valid["person_id"].tolist() == ["nahum-eitingon", "yakov-blumkin"]
    assert isinstance(valid.index, pd.RangeIndex)
    by_key = {key: codes(group) for key, group in quarantine.groupby("row_key")}
    assert ("birth_date_precision", "not-in-allowed-set") in by_key["bad-enum"]
    assert by_key["bad-span"] == {("char_end", "span-invalid")}
    assert by_key["late-birth"] == {("death_date", "birth-after-death")}
    SCHEMAS["quarantine"].validate(quarantine)


CASES: list[tuple[str, int, dict[str, Any], tuple[str, str]]] = [
    ("documents", 0, {"doc_id": "6A97D13D10C0048C"}, ("doc_id", "pattern-mismatch")),
    ("documents", 0, {"format": "html"}, ("format", "not-in-allowed-set")),
    ("documents", 0, {"status": "ok"}, ("status", "not-in-allowed-set")),
    ("documents", 0, {"reject_code": "too-large"}, ("reject_code", "reject-code-mismatch")),
    ("documents", 1, {"reject_code": None}, ("reject_code", "reject-code-mismatch")),
    ("documents", 1, {"reject_code": "Binary_Content"}, ("reject_code", "pattern-mismatch")),
    ("documents", 0, {"coverage": 1.5}, ("coverage", "out-of-range")),
    ("documents", 1, {"coverage": 0.5}, ("coverage", "coverage-on-rejected")),
    ("documents", 0, {"sha256": "0" * 64}, ("doc_id", "doc-id-mismatch")),
    ("documents", 0, {"source_name": None}, ("source_name", "null-not-allowed")),
    ("persons", 0, {"person_id": "Nahum Eitingon"}, ("person_id", "pattern-mismatch")),
    ("persons", 0, {"name": "Nahum Eitingon "}, ("name", "not-stripped")),
    ("persons", 0, {"name": "Jose\u0301"}, ("name", "not-nfc")),
    ("persons", 0, {"full_name": ""}, ("full_name", "empty-string")),
    (
        "persons",
        0,
        {"birth_place_parts": ["Shklov ", "Russian Empire"]},
        ("birth_place_parts", "not-stripped"),
    ),
    ("persons", 0, {"birth_date": "6 December 1899"}, ("birth_date", "pattern-mismatch")),
    ("persons", 0, {"birth_date": "1899-02-30"}, ("birth_date", "impossible-date")),
    ("persons", 0, {"birth_date_precision": "month"}, ("birth_date_precision", "precision-mismatch")),
    ("persons", 0, {"birth_date_precision": None}, ("birth_date_precision", "precision-mismatch")),
    ("persons", 0, {"birth_date_year": 1900}, ("birth_date_year", "year-mismatch")),
    ("persons", 1, {"death_date_qualifier": None}, ("death_date_qualifier", "qualifier-mismatch")),
    ("persons", 1, {"birth_date_qualifier": "roughly"}, ("birth_date_qualifier", "not-in-allowed-set")),
    (
        "persons",
        1,
        {"death_date_calendar_note": "gregorian"},
        ("death_date_calendar_note", "not-in-allowed-set"),
    ),
    (
        "persons",
        1,
        {
            "death_date": None,
            "death_date_precision": None,
            "death_date_year": None,
            "death_date_qualifier": None,
            "death_date_calendar_note": "julian-converted",
        },
        ("death_date_calendar_note", "calendar-note-without-date"),
    ),
    ("persons", 0, {"death_date": None}, ("death_date_precision", "precision-mismatch")),
    ("persons", 0, {"death_date": "1899-11", "death_date_year": 1899}, ("death_date", "birth-after-death")),
    ("persons", 0, {"n_docs": 0}, ("n_docs", "out-of-range")),
    ("persons", 0, {"is_subject": None}, ("is_subject", "null-not-allowed")),
    ("persons", 0, {"char_start": -1, "char_end": 3}, ("char_end", "span-invalid")),
    ("person_names", 0, {"kind": "nickname"}, ("kind", "not-in-allowed-set")),
    ("person_names", 1, {"script": "cyrl"}, ("script", "pattern-mismatch")),
    ("facts", 0, {"source_kind": "footnote"}, ("source_kind", "not-in-allowed-set")),
    ("facts", 0, {"field": "Birth date"}, ("field", "pattern-mismatch")),
    ("infobox", 0, {"ordinal": -1}, ("ordinal", "out-of-range")),
    ("sections", 2, {"parent_no": 2}, ("parent_no", "parent-not-before-child")),
    ("links", 0, {"kind": "external"}, ("kind", "not-in-allowed-set")),
    ("links", 0, {"gloss_end": None}, ("gloss_end", "span-invalid")),
    ("links", 0, {"gloss_start": 151}, ("gloss_end", "span-invalid")),
    ("categories", 0, {"kind": "birth"}, ("kind", "not-in-allowed-set")),
    ("bibliography", 0, {"authors": None}, ("authors", "null-not-allowed")),
    ("warnings", 1, {"code": "Long line"}, ("code", "pattern-mismatch")),
    ("warnings", 1, {"char_start": 2000}, ("char_end", "span-invalid")),
    ("dropped", 0, {"char_end": 10}, ("char_end", "span-invalid")),
]


@pytest.mark.parametrize(("table", "row", "changes", "expected"), CASES)
def test_a_bad_row_is_quarantined_with_its_code(
    table: str, row: int, changes: dict[str, Any], expected: tuple[str, str]
) -> None:
    valid, quarantine = validate_table(table, with_changes(table, row, **changes))
    assert expected in codes(quarantine)
    assert len(valid) == len(VALID_ROWS[table]) - 1
    assert set(quarantine["table"]) == {table}
    SCHEMAS["quarantine"].validate(quarantine)


def test_quarantine_row_carries_key_value_and_whole_row() -> None:
    frame = with_changes("person_names", 1, kind="nickname")
    _, quarantine = validate_table("person_names", frame)
    [q] = quarantine.to_dict("records")
    assert q["row_key"] == f"nahum-eitingon|{DOC}|20|nickname"
    assert (q["table"], q["doc_id"], q["check"], q["value"]) == ("person_names", DOC, q["check"], "nickname")
    assert q["check"].startswith("isin(")
    assert "Наум Эйтингон" in q["row"]  # ensure_ascii=False
    row = json.loads(q["row"])
    assert list(row) == sorted(COLUMNS["person_names"])
    assert row["char_start"] == 20


def test_list_value_is_json_in_quarantine() -> None:
    _, quarantine = validate_table("persons", with_changes("persons", 0, birth_place_parts=["Shklov "]))
    assert quarantine["value"].tolist() == ['["Shklov "]']


def test_duplicate_keys_quarantine_every_copy_with_distinct_row_keys() -> None:
    rows = VALID_ROWS["dropped"] * 3
    valid, quarantine = validate_table("dropped", frame_from_rows("dropped", rows))
    assert len(valid) == 0
    assert set(quarantine["reason_code"]) == {"duplicate-key"}
    assert quarantine["row_key"].tolist() == [
        f"{DOC}|60|empty-parentheses",
        f"{DOC}|60|empty-parentheses#2",
        f"{DOC}|60|empty-parentheses#3",
    ]
    assert set(quarantine["column"]) == {"doc_id,char_start,rule"}


def test_valid_table_passes_through_unchanged() -> None:
    frame = frame_from_rows("links", VALID_ROWS["links"])
    valid, quarantine = validate_table("links", frame)
    pd.testing.assert_frame_equal(valid, frame)
    assert len(quarantine) == 0 and list(quarantine.columns) == list(COLUMNS["quarantine"])


def test_missing_column_raises() -> None:
    frame = frame_from_rows("facts", VALID_ROWS["facts"]).drop(columns=["rule"])
    with pytest.raises(SchemaBugError, match="rule"):
        validate_table("facts", frame)


def test_extra_column_raises() -> None:
    frame = frame_from_rows("facts", VALID_ROWS["facts"]).assign(note="x")
    with pytest.raises(SchemaBugError, match="note"):
        validate_table("facts", frame)


def test_wrong_dtype_raises() -> None:
    frame = frame_from_rows("infobox", VALID_ROWS["infobox"])
    frame["ordinal"] = frame["ordinal"].astype(pd.ArrowDtype(pyarrow.int64()))
    with pytest.raises(SchemaBugError, match="ordinal"):
        validate_table("infobox", frame)


@pytest.mark.parametrize(
    ("check", "code"),
    [
        ("isin(['a', 'b'])", "not-in-allowed-set"),
        ("str_matches('^x$')", "pattern-mismatch"),
        ("not_nullable", "null-not-allowed"),
        ("in_range(0.0, 1.0)", "out-of-range"),
        ("multiple_fields_uniqueness", "duplicate-key"),
        ("span_valid", "span-invalid"),
        ("birth_not_after_death", "birth-after-death"),
        ("not-nfc", "not-nfc"),
        ("str_startswith('x')", "str-startswith"),
    ],
)
def test_reason_code(check: str, code: str) -> None:
    assert reason_code(check) == code


def test_references_move_orphans_to_quarantine() -> None:
    tables = valid_tables()
    orphan_doc = "f" * 16
    tables["facts"] = frame_from_rows(
        "facts",
        [
            *VALID_ROWS["facts"],
            {**VALID_ROWS["facts"][0], "doc_id": orphan_doc},
            {**VALID_ROWS["facts"][0], "person_id": "nobody", "char_start": 41},
        ],
    )
    tables["links"] = frame_from_rows("links", [{**VALID_ROWS["links"][0], "person_id": "nobody"}])
    out = validate_all(tables)
    assert len(out["facts"]) == 1 and len(out["links"]) == 0
    assert len(out["links"].columns) == len(COLUMNS["links"])
    q = out["quarantine"]
    assert set(zip(q["table"], q["column"], q["reason_code"], strict=True)) == {
        ("facts", "doc_id", "unknown-doc-id"),
        ("facts", "person_id", "unknown-person-id"),
        ("links", "person_id", "unknown-person-id"),
    }
    assert q.loc[q["reason_code"] == "unknown-doc-id", "doc_id"].tolist() == [orphan_doc]


def test_a_quarantined_person_takes_its_references_along() -> None:
    tables = valid_tables()
    tables["persons"] = with_changes("persons", 1, name=" Yakov Blumkin")
    out = validate_all(tables)
    assert out["persons"]["person_id"].tolist() == ["nahum-eitingon"]
    assert out["links"]["link_no"].tolist() == [1]
    reasons = set(zip(out["quarantine"]["table"], out["quarantine"]["reason_code"], strict=True))
    assert reasons == {("persons", "not-stripped"), ("links", "unknown-person-id")}


def test_validate_all_keeps_valid_tables_whole_and_adds_quarantine() -> None:
    tables = valid_tables()
    del tables["quarantine"]
    out = validate_all(tables)
    assert set(out) == set(SCHEMAS)
    for table, rows in VALID_ROWS.items():
        assert len(out[table]) == len(rows), table
    assert len(out["quarantine"]) == 0


def test_validate_all_refuses_unknown_tables() -> None:
    with pytest.raises(KeyError, match="people"):
        validate_all({"people": frame_from_rows("persons", [])})


@pytest.mark.parametrize("table", list(SCHEMAS))
def test_every_check_has_a_declared_reason(table: str) -> None:
    schema = SCHEMAS[table].to_schema()
    names = [c.name for c in schema.checks] + [c.name for col in schema.columns.values() for c in col.checks]
    for name in names:
        assert reason_code(name) in KNOWN_REASONS, f"{table}: check {name!r}"


KNOWN_REASONS = {
    "not-in-allowed-set", "pattern-mismatch", "null-not-allowed", "out-of-range", "duplicate-key",
    "span-invalid", "birth-after-death", "not-nfc", "not-stripped", "empty-string", "impossible-date",
    "precision-mismatch", "year-mismatch", "qualifier-mismatch", "calendar-note-without-date",
    "reject-code-mismatch", "coverage-on-rejected", "doc-id-mismatch", "parent-not-before-child",
    "range-end-before-start",
}  # fmt: skip


def _dropped_batch(first_doc: int, n_docs: int, bad: bool) -> pd.DataFrame:
    """A batch of ``dropped`` rows, two per document; with ``bad``, an unknown rule and a duplicate key."""
    rows = []
    for d in range(first_doc, first_doc + n_docs):
        doc_id = f"{d:016x}"
        rows.append({"doc_id": doc_id, "char_start": 1, "char_end": 3, "text": "()", "rule": "empty-parentheses"})
        rows.append({"doc_id": doc_id, "char_start": 5, "char_end": 6, "text": "^", "rule": "footnote-caret"})
    if bad:
        rows.append({**rows[0], "rule": "no-such-rule", "char_start": 9, "char_end": 9})
        rows.append(dict(rows[1]))
    return frame_from_rows("dropped", rows)


def test_chunks_stack_consecutive_frames_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(validate_module, "CHUNK_ROWS", 10)
    frames = [_dropped_batch(10 * i, 3, False) for i in range(5)]
    frames.insert(2, frames[0].iloc[0:0])
    chunks = list(chunked(frames, "dropped"))
    assert [len(c) for c in chunks] == [12, 12, 6]  # a chunk closes once it holds 10 rows or more
    pd.testing.assert_frame_equal(pd.concat(chunks, ignore_index=True), pd.concat(frames, ignore_index=True))
    assert list(chunked([frames[2]], "dropped")) == []


def test_a_table_keyed_without_doc_id_is_not_stacked() -> None:
    with pytest.raises(ValueError, match="holds no doc_id"):
        list(chunked([frame_from_rows("persons", VALID_ROWS["persons"])], "persons"))


def test_stacked_chunks_validate_to_the_same_rows_and_quarantine(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same valid rows and quarantine, batch by batch or stacked: a duplicate key is one document's."""
    monkeypatch.setattr(validate_module, "CHUNK_ROWS", 25)
    frames = [_dropped_batch(8 * i, 4, bad=i % 2 == 0) for i in range(6)]
    results = []
    for chunks in (frames, list(chunked(frames, "dropped"))):
        validator = Validator()
        validator.doc_ids = {f"{d:016x}" for d in range(100)}
        valid = pd.concat([validator.chunk("dropped", c) for c in chunks], ignore_index=True)
        results.append((valid, validator.quarantine()))
    (valid_each, quarantine_each), (valid_stacked, quarantine_stacked) = results
    assert len(quarantine_each) > 0
    pd.testing.assert_frame_equal(valid_each, valid_stacked)
    key = ["row_key", "column", "check"]
    pd.testing.assert_frame_equal(
        quarantine_each.sort_values(key, ignore_index=True), quarantine_stacked.sort_values(key, ignore_index=True)
    )


def test_a_key_repeated_in_two_chunks_keeps_the_quarantine_keys_apart() -> None:
    """Duplicates in two chunks of one table (a corpus table is validated in chunks) each number their
    copies; the quarantine still holds every row under a key of its own and passes its own schema."""
    validator = Validator()
    validator.doc_ids = {VALID_ROWS["dropped"][0]["doc_id"]}
    for _ in range(2):
        validator.chunk("dropped", frame_from_rows("dropped", VALID_ROWS["dropped"] * 2))
    quarantine = validator.quarantine()
    assert len(quarantine) == 4
    assert quarantine["row_key"].is_unique


def test_one_record_joined_to_two_others_is_two_valid_matches() -> None:
    """A record whose cluster met two others through it is merged twice: the key holds the matched side."""
    row = {
        "person_id": VALID_ROWS["persons"][0]["person_id"], "merged_name": "Naum Eitingon",
        "matched_name": "Nahum Eitingon", "matched_doc_id": DOC, "rule": "given-variant", "score": 0.9,
        "evidence": "naum ~ nahum", "doc_id": "e" * 16, "char_start": 0, "char_end": 13,
    }  # fmt: skip
    other = {**row, "matched_name": row["matched_name"] + "a", "matched_doc_id": "f" * 16}
    valid, quarantine = validate_table("person_matches", frame_from_rows("person_matches", [row, other]))
    assert len(valid) == 2 and len(quarantine) == 0
