"""The run's view: read from the written Parquet files it equals the view of the in-memory tables."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.orchestrate.artifacts import count_rows
from pipeline.output import view
from pipeline.output.view import OutputView, TableProfile, read_view, view_of
from pipeline.output.write import write_outputs
from pipeline.present.report import render_report
from pipeline.present.summary import summarise
from schemas import COLUMNS, PRIMARY_KEYS, SCHEMAS, empty_frame, frame_from_rows

MANIFEST = {"pipeline_version": "9.9.9", "schema_version": "1.0.0"}


@pytest.fixture(scope="module")
def seed_tables(seed_and_empty_tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    return seed_and_empty_tables


@pytest.fixture(scope="module")
def seed_output(seed_tables: dict[str, pd.DataFrame], tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("run") / "output"
    write_outputs(seed_tables, out, {})
    return out


def in_key_order(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The frame sorted by the table's key columns it has (the written files are sorted, frames need not be)."""
    keys = [c for c in PRIMARY_KEYS[table] if c in frame.columns] or list(frame.columns)
    return frame.sort_values(keys, kind="stable").reset_index(drop=True)


def assert_same_view(a: OutputView, b: OutputView) -> None:
    assert a.profiles == b.profiles
    assert set(a.frames) == set(b.frames) == {"documents", "persons", "quarantine", "dropped", "warnings"}
    for name in a.frames:
        pd.testing.assert_frame_equal(in_key_order(name, a.frames[name]), in_key_order(name, b.frames[name]))


def write_table(directory: Path, table: str, frame: pd.DataFrame) -> None:
    """One table as Parquet in row groups of two rows (so counting spans several batches)."""
    pq.write_table(
        pa.Table.from_pandas(frame, preserve_index=False), directory / f"{table}.parquet", row_group_size=2
    )


def test_read_view_equals_view_of_on_the_seeds(
    seed_tables: dict[str, pd.DataFrame], seed_output: Path
) -> None:
    from_disk = read_view(seed_output)
    assert_same_view(from_disk, view_of(seed_tables))
    assert set(from_disk.profiles) == set(SCHEMAS)
    assert from_disk.profiles["documents"].rows == 4 and from_disk.profiles["sections"].rows > 0
    assert list(from_disk.frames["dropped"].columns) == ["rule"]
    assert list(from_disk.frames["warnings"].columns) == ["code"]
    assert list(from_disk.profiles["sections"].filled) == list(COLUMNS["sections"])


def test_summary_report_and_counts_are_the_same_from_disk(
    seed_tables: dict[str, pd.DataFrame], seed_output: Path
) -> None:
    from_disk, in_memory = read_view(seed_output), view_of(seed_tables)
    assert summarise(from_disk, MANIFEST, {}) == summarise(in_memory, MANIFEST, {})
    assert render_report(from_disk, MANIFEST) == render_report(in_memory, MANIFEST)
    assert count_rows(from_disk) == count_rows(in_memory)


def test_a_missing_table_file_is_an_empty_table(tmp_path: Path) -> None:
    persons = frame_from_rows("persons", [{"person_id": "a", "name": "A"}])
    write_table(tmp_path, "persons", persons)
    from_disk = read_view(tmp_path)
    assert_same_view(from_disk, view_of({"persons": persons}))
    assert from_disk.profiles["sections"] == TableProfile(0, dict.fromkeys(COLUMNS["sections"], 0))
    pd.testing.assert_frame_equal(from_disk.frames["documents"], empty_frame("documents"))
    pd.testing.assert_frame_equal(from_disk.frames["dropped"], empty_frame("dropped")[["rule"]])
    assert read_view(tmp_path / "nothing-here").profiles == view_of({}).profiles


def test_nulls_are_counted_in_list_and_nullable_int_columns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(view, "BATCH_ROWS", 2)
    rows = [
        {"person_id": "a", "birth_place_parts": ["Kyiv", "Ukraine"], "birth_date_year": 1900},
        {"person_id": "b", "birth_place_parts": [], "birth_date_year": None},  # an empty list is a value
        {"person_id": "c", "birth_place_parts": None, "birth_date_year": 1899},
        {"person_id": "d", "birth_place_parts": None, "birth_date_year": None},
        {"person_id": "e", "birth_place_parts": ["Minsk"], "birth_date_year": None},
    ]
    persons = frame_from_rows("persons", rows)
    write_table(tmp_path, "persons", persons)
    profile = read_view(tmp_path).profiles["persons"]
    assert profile == view_of({"persons": persons}).profiles["persons"]
    assert profile.rows == 5
    counted = ("person_id", "birth_place_parts", "birth_date_year", "death_place_parts", "name")
    assert {c: profile.filled[c] for c in counted} == {
        "person_id": 5, "birth_place_parts": 3, "birth_date_year": 2, "death_place_parts": 0, "name": 0,
    }  # fmt: skip


def test_view_of_refuses_a_frame_without_the_contract_columns() -> None:
    with pytest.raises(ValueError, match=r"persons: the frame lacks the contract's columns \['name'"):
        view_of({"persons": frame_from_rows("persons", []).drop(columns=["name"])})
