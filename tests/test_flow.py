"""End to end: the real Prefect flow (embedded server) into a temporary folder."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pytest

from pipeline.orchestrate.flow import build_datasets

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def run_twice(tmp_path_factory: pytest.TempPathFactory, seed_paths: list[Path]) -> tuple[Path, Path, dict]:
    inputs = tmp_path_factory.mktemp("inputs")
    for path in seed_paths:
        shutil.copy(path, inputs / path.name)
    (inputs / "empty.txt").write_bytes(b"")
    first = tmp_path_factory.mktemp("run") / "output"
    second = tmp_path_factory.mktemp("run") / "output"
    summary = build_datasets(
        input_dir=str(inputs), output_dir=str(first), batch_size=2, workers=1, cache_dir=None
    )
    build_datasets(input_dir=str(inputs), output_dir=str(second), batch_size=3, workers=2, cache_dir=None)
    return first, second, summary


def test_flow_writes_every_table_with_checksums(run_twice: tuple[Path, Path, dict]) -> None:
    first, _, summary = run_twice
    manifest = json.loads((first / "manifest.json").read_text())
    assert summary["documents"] == 4
    assert summary["rejected_by_code"] == {"empty-document": 1}
    for table, info in manifest["tables"].items():
        for kind in ("parquet", "csv"):
            path = first / f"{table}.{kind}"
            assert hashlib.sha256(path.read_bytes()).hexdigest() == info["files"][kind]["sha256"]


def test_same_inputs_give_byte_identical_files(run_twice: tuple[Path, Path, dict]) -> None:
    first, second, _ = run_twice
    names = sorted(p.name for p in first.iterdir() if p.name != "manifest.json")
    assert names == sorted(p.name for p in second.iterdir() if p.name != "manifest.json")
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_runs_leave_only_their_output_beside_it(run_twice: tuple[Path, Path, dict]) -> None:
    first, second, _ = run_twice
    for out in (first, second):
        # no staging or temp folder left; the lock file stays (removing a lock file others may hold is a race)
        assert sorted(p.name for p in out.parent.iterdir()) == [".output.lock", "output"]


def test_analysts_load_the_parquet(run_twice: tuple[Path, Path, dict]) -> None:
    first, _, _ = run_twice
    path = str(first / "persons.parquet")
    frame = pd.read_parquet(path)
    assert frame.loc[frame["person_id"] == "genrikh-lyushkov", "birth_date"].item() == "1900"
    rows = duckdb.execute(
        f"select person_id, birth_place_parts from '{path}' where is_subject order by 1"
    ).fetchall()
    assert rows[0] == ("genrikh-lyushkov", ["Odessa", "Russian Empire"])
    polars = pl.read_parquet(path)
    assert polars.schema["birth_place_parts"] == pl.List(pl.String)
    assert polars.schema["birth_date_year"] == pl.Int16


def test_incremental_runs_equal_full_runs(tmp_path: Path, seed_paths: list[Path]) -> None:
    inputs, cache = tmp_path / "inputs", tmp_path / "cache"
    inputs.mkdir()
    for path in seed_paths:
        shutil.copy(path, inputs / path.name)
    incremental = tmp_path / "incremental"
    first = build_datasets(
        input_dir=str(inputs), output_dir=str(incremental), cache_dir=str(cache), workers=1
    )
    assert first["from_cache"] == 0 and not first["unchanged"]
    again = build_datasets(
        input_dir=str(inputs), output_dir=str(incremental), cache_dir=str(cache), workers=1
    )
    assert again["unchanged"], "unchanged inputs and code keep the previous output"

    changed = seed_paths[1].name
    (inputs / changed).write_text((inputs / changed).read_text(encoding="utf-8").replace("1900", "1901"))
    (inputs / seed_paths[0].name).unlink()  # removed: its rows must disappear
    (inputs / "new.txt").write_text("= Jane Roe =\n\nJane Roe (1901 – 1970) was a chemist.\n")
    third = build_datasets(
        input_dir=str(inputs), output_dir=str(incremental), cache_dir=str(cache), workers=1
    )
    assert third["from_cache"] == 1 and not third["unchanged"]  # only the untouched seed came from the cache

    full = tmp_path / "full"
    build_datasets(input_dir=str(inputs), output_dir=str(full), cache_dir=None, workers=1)
    names = sorted(p.name for p in full.iterdir() if p.name != "manifest.json")
    for name in names:
        assert (incremental / name).read_bytes() == (full / name).read_bytes(), name
    documents = pd.read_parquet(incremental / "documents.parquet")
    assert seed_paths[0].name not in set(documents["source_name"])
    assert "new.txt" in set(documents["source_name"])
