"""Tests for pipeline/output/write.py: deterministic bytes, atomic swap, what pandas, DuckDB and Polars read."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import polars as pl
import pyarrow
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from test_schemas import VALID_ROWS, valid_tables

import pipeline.output.write as write
from schemas import COLUMNS, PRIMARY_KEYS, SCHEMA_VERSION, SCHEMAS, arrow_schema, frame_from_rows

EXTRA = {"inputs": [{"source_name": "000.txt", "sha256": "ab"}], "pipeline_version": "9.9.9"}


def file_bytes(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def data_files(folder: Path) -> dict[str, bytes]:
    return {name: data for name, data in file_bytes(folder).items() if name != "manifest.json"}


@pytest.fixture
def written(tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    out = tmp_path / "output"
    return out, write.write_outputs(valid_tables(), out, EXTRA)


def test_writes_every_table_twice_over_plus_manifest(written: tuple[Path, dict[str, Any]]) -> None:
    out, _ = written
    expected = {f"{t}.{ext}" for t in SCHEMAS for ext in ("parquet", "csv")} | {
        "manifest.json",
        "report.html",
    }
    assert {p.name for p in out.iterdir()} == expected


def test_same_input_gives_identical_bytes_whatever_the_row_order(tmp_path: Path) -> None:
    tables = valid_tables()
    write.write_outputs(tables, tmp_path / "a", EXTRA)
    shuffled = {name: frame.iloc[::-1].reset_index(drop=True) for name, frame in tables.items()}
    write.write_outputs(shuffled, tmp_path / "b", {**EXTRA, "run_id": "other"})
    write.write_outputs(tables, tmp_path / "a", EXTRA)  # overwrite in place
    a, b = data_files(tmp_path / "a"), data_files(tmp_path / "b")
    assert a == b and len(a) == 2 * len(SCHEMAS) + 1  # every table twice, and report.html


def test_rows_are_sorted_by_primary_key(written: tuple[Path, dict[str, Any]]) -> None:
    out, _ = written
    for table in SCHEMAS:
        frame = pq.read_table(out / f"{table}.parquet").to_pandas(types_mapper=pd.ArrowDtype)
        keys = list(frame[list(PRIMARY_KEYS[table])].itertuples(index=False, name=None))
        assert keys == sorted(keys, key=lambda k: tuple((v is pd.NA, v if v is not pd.NA else 0) for v in k))


def test_parquet_metadata_has_schema_version(written: tuple[Path, dict[str, Any]]) -> None:
    out, _ = written
    for table in SCHEMAS:
        schema = pq.read_schema(out / f"{table}.parquet")
        assert schema.metadata[b"pipeline.schema_version"] == SCHEMA_VERSION.encode()
        assert schema.names == list(COLUMNS[table])
        assert schema.field("doc_id" if "doc_id" in schema.names else "table").metadata[b"description"]


def test_manifest_describes_the_files(written: tuple[Path, dict[str, Any]]) -> None:
    out, manifest = written
    text = (out / "manifest.json").read_text(encoding="utf-8")
    assert json.loads(text) == manifest
    assert text == json.dumps(manifest, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    assert manifest["schema_version"] == SCHEMA_VERSION
    assert manifest["pipeline_version"] == "9.9.9"
    assert manifest["inputs"] == EXTRA["inputs"]
    assert manifest["run_id"] and manifest["run_time"]
    for table in SCHEMAS:
        entry = manifest["tables"][table]
        assert entry["rows"] == len(VALID_ROWS[table])
        assert entry["columns"] == list(COLUMNS[table])
        for kind in ("parquet", "csv"):
            data = (out / f"{table}.{kind}").read_bytes()
            assert entry["files"][kind]["sha256"] == hashlib.sha256(data).hexdigest()
    assert manifest["counts"]["warnings_by_code"] == {"long-line": 1, "truncated": 1}
    assert manifest["counts"]["dropped_by_rule"] == {"empty-parentheses": 1}


def test_manifest_counts_from_extra_are_merged(tmp_path: Path) -> None:
    manifest = write.write_outputs(
        valid_tables(), tmp_path / "o", {"counts": {"documents_by_status": {"x": 1}}}
    )
    assert manifest["counts"]["documents_by_status"] == {"x": 1}
    assert "warnings_by_code" in manifest["counts"]


def test_a_crash_before_the_swap_leaves_the_previous_output_untouched(
    written: tuple[Path, dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    out, _ = written
    before = file_bytes(out)
    real = write.write_table
    calls = {"n": 0}

    def crash_on_third(table: str, frames: Any, folder: Path, spill: Path) -> dict[str, Any]:
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError("disk full (simulated)")
        return real(table, frames, folder, spill)

    monkeypatch.setattr(write, "write_table", crash_on_third)
    changed = valid_tables()
    changed["dropped"] = frame_from_rows("dropped", [])
    with pytest.raises(OSError, match="simulated"):
        write.write_outputs(changed, out, EXTRA)
    assert calls["n"] == 3
    assert file_bytes(out) == before
    assert sorted(p.name for p in out.parent.iterdir()) == ["output"]


def test_unknown_table_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    with pytest.raises(KeyError, match="people"):
        write.write_outputs({"people": frame_from_rows("persons", [])}, tmp_path / "o", {})
    assert list(tmp_path.iterdir()) == []


def test_missing_tables_are_written_empty(tmp_path: Path) -> None:
    write.write_outputs(
        {"documents": frame_from_rows("documents", VALID_ROWS["documents"])}, tmp_path / "o", {}
    )
    assert pq.read_table(tmp_path / "o" / "links.parquet").num_rows == 0
    assert (tmp_path / "o" / "links.csv").read_text(encoding="utf-8").startswith('"doc_id","link_no"')


def test_pandas_reads_the_contract(written: tuple[Path, dict[str, Any]]) -> None:
    out, _ = written
    persons = pd.read_parquet(out / "persons.parquet")  # plain call: no pandas-metadata breakage
    assert list(persons.columns) == list(COLUMNS["persons"])
    assert str(persons["birth_date_year"].dtype) == "Int16"  # nullable ints stay ints, not float64
    assert str(persons["is_subject"].dtype) == "boolean"
    assert list(persons.loc[persons["person_id"] == "nahum-eitingon", "birth_place_parts"].iloc[0]) == [
        "Shklov",
        "Russian Empire",
    ]
    for table in SCHEMAS:
        frame = pd.read_parquet(out / f"{table}.parquet", dtype_backend="pyarrow")
        assert list(frame.columns) == list(COLUMNS[table])
        for field in arrow_schema(table):
            dtype = frame[field.name].dtype
            assert isinstance(dtype, pd.ArrowDtype), (table, field.name)
            if pyarrow.types.is_list(field.type):
                assert pyarrow.types.is_list(dtype.pyarrow_dtype)
                assert pyarrow.types.is_string(dtype.pyarrow_dtype.value_type)
            elif pyarrow.types.is_string(field.type):
                assert pyarrow.types.is_string(dtype.pyarrow_dtype) or pyarrow.types.is_large_string(
                    dtype.pyarrow_dtype
                )
            else:
                assert dtype.pyarrow_dtype == field.type, (table, field.name)
    sections = pd.read_parquet(out / "sections.parquet", dtype_backend="pyarrow")
    assert sections["parent_no"].isna().sum() == 2 and sections["parent_no"].dropna().tolist() == [1]


DUCKDB_TYPES = {
    "string": "VARCHAR",
    "int16": "SMALLINT",
    "int32": "INTEGER",
    "int64": "BIGINT",
    "double": "DOUBLE",
    "bool": "BOOLEAN",
    "list<item: string>": "VARCHAR[]",
}


def test_duckdb_reads_the_contract(written: tuple[Path, dict[str, Any]]) -> None:
    out, _ = written
    for table in SCHEMAS:
        relation = duckdb.sql(f"select * from '{out / f'{table}.parquet'}'")
        assert relation is not None
        assert relation.columns == list(COLUMNS[table])
        assert [str(t) for t in relation.types] == [DUCKDB_TYPES[str(f.type)] for f in arrow_schema(table)]
    rows = duckdb.execute(
        f"select person_id, birth_date, birth_date_year, birth_place_parts from '{out / 'persons.parquet'}' "
        "order by person_id"
    ).fetchall()
    assert rows == [
        ("nahum-eitingon", "1899-12-06", 1899, ["Shklov", "Russian Empire"]),
        ("yakov-blumkin", "1900~", 1900, []),
    ]


POLARS_TYPES = {
    "string": pl.String,
    "int16": pl.Int16,
    "int32": pl.Int32,
    "int64": pl.Int64,
    "double": pl.Float64,
    "bool": pl.Boolean,
    "list<item: string>": pl.List(pl.String),
}


def test_polars_reads_the_contract(written: tuple[Path, dict[str, Any]]) -> None:
    out, _ = written
    for table in SCHEMAS:
        frame = pl.read_parquet(out / f"{table}.parquet")
        assert frame.columns == list(COLUMNS[table])
        assert frame.dtypes == [POLARS_TYPES[str(f.type)] for f in arrow_schema(table)]
    links = pl.read_parquet(out / "links.parquet")
    assert links["gloss_start"].to_list() == [108, None]


def csv_text(frame: pd.DataFrame) -> list[list[str]]:
    """What the CSV should hold per cell: null empty, bools true/false, lists JSON."""

    def cell(v: Any) -> str:
        if v is None or v is pd.NA:
            return ""
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, list):
            return json.dumps(v, ensure_ascii=False, separators=(",", ":"))
        return str(v)

    rows = pyarrow.Table.from_pandas(frame, preserve_index=False).to_pylist()
    return [[cell(row[c]) for c in frame.columns] for row in rows]


@pytest.mark.parametrize("table", list(SCHEMAS))
def test_csv_round_trips_through_pandas(written: tuple[Path, dict[str, Any]], table: str) -> None:
    out, _ = written
    back = pd.read_csv(out / f"{table}.csv", dtype=str, keep_default_na=False, encoding="utf-8")
    assert list(back.columns) == list(COLUMNS[table])
    expected = pq.read_table(out / f"{table}.parquet").to_pandas(types_mapper=pd.ArrowDtype)
    assert back.values.tolist() == csv_text(expected)


def test_csv_keeps_null_apart_from_empty_string_and_empty_list(written: tuple[Path, dict[str, Any]]) -> None:
    out, _ = written
    convert = pacsv.ConvertOptions(
        column_types={c: pyarrow.string() for c in COLUMNS["sections"]},
        strings_can_be_null=True,
        quoted_strings_can_be_null=False,
    )
    sections = pacsv.read_csv(out / "sections.csv", convert_options=convert).to_pylist()
    assert [r["heading"] for r in sections] == [None, "Life", "Early life"]
    assert sections[1]["text"] == ""
    assert sections[0]["text"] == 'Nahum Eitingon was\na "Soviet", officer.'
    persons = pacsv.read_csv(
        out / "persons.csv",
        convert_options=pacsv.ConvertOptions(
            column_types={c: pyarrow.string() for c in COLUMNS["persons"]},
            strings_can_be_null=True,
            quoted_strings_can_be_null=False,
        ),
    ).to_pylist()
    assert [r["birth_place_parts"] for r in persons] == ['["Shklov","Russian Empire"]', "[]"]
    assert [r["death_place_parts"] for r in persons] == [None, None]
    assert [r["is_subject"] for r in persons] == ["true", "false"]
