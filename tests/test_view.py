"""The run's view: read from the written Parquet files it equals the view of the in-memory tables, and it
stays the same size whatever the number of rows."""

from __future__ import annotations

import pickle
import random
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.orchestrate.artifacts import count_rows
from pipeline.output import view
from pipeline.output.view import (
    COUNTINGS,
    LOWEST_COVERAGE,
    Coverage,
    OutputView,
    TableProfile,
    Tally,
    exact_sum,
    read_view,
    view_of,
)
from pipeline.output.write import write_outputs
from pipeline.present.report import render_report
from pipeline.present.summary import summarise
from schemas import COLUMNS, SCHEMAS, empty_frame, frame_from_rows

MANIFEST = {"pipeline_version": "9.9.9", "schema_version": "1.0.0"}


@pytest.fixture(scope="module")
def seed_tables(seed_and_empty_tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    return seed_and_empty_tables


@pytest.fixture(scope="module")
def seed_output(seed_tables: dict[str, pd.DataFrame], tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("run") / "output"
    write_outputs(seed_tables, out, {})
    return out


def assert_same_view(a: OutputView, b: OutputView) -> None:
    assert set(a.tallies) == set(b.tallies) == set(COUNTINGS)
    assert a.profiles == b.profiles
    for name in COUNTINGS:
        assert a.tallies[name] == b.tallies[name], name
    assert a.coverage == b.coverage
    assert a.lowest_coverage == b.lowest_coverage
    assert a == b


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
    assert from_disk.tallies["dropped"].total() == len(seed_tables["dropped"])
    assert from_disk.tallies["warnings"].columns == ("code",)
    assert from_disk.tallies["documents"].of("status").count("rejected") == 1
    assert len(from_disk.lowest_coverage) == 3 and from_disk.coverage.mean == 1.0
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
    assert from_disk.tallies["documents"].rows == {} and from_disk.tallies["dropped"].rows == {}
    assert from_disk.coverage == Coverage(0, Fraction(0)) and from_disk.coverage.mean is None
    assert from_disk.lowest_coverage == ()
    assert (
        read_view(tmp_path / "nothing-here")
        == view_of({})
        == view_of({"documents": empty_frame("documents")})
    )


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


def invented_run(n_docs: int, seed: int) -> dict[str, pd.DataFrame]:
    """Documents, persons and quarantine rows with random values and nulls, drawn from few distinct values."""
    rng = random.Random(seed)
    documents = [
        {
            "doc_id": f"{i:06d}",
            "source_name": f"doc-{rng.randrange(10**6):06d}-{i}.txt",
            "title": rng.choice([None, f"Person {i}"]),
            "format": rng.choice([None, "wiki_markup", "plain"]),
            "status": rng.choice(["parsed", "parsed_with_warnings", "rejected", None]),
            "reject_code": rng.choice([None, "too-large", "empty-document"]),
            "coverage": rng.choice([None, rng.random(), rng.random() * 1e-9, 1.0, 0.5]),
            "n_warnings": rng.choice([None, 0, 3]),
        }
        for i in range(n_docs)
    ]
    persons = []
    for i in range(n_docs):
        born = rng.choice([None, rng.randrange(1700, 1950)])
        persons.append(
            {
                "person_id": f"p{i:06d}",
                "name": f"Name {i}",
                "is_subject": rng.choice([True, False]),
                "birth_date_year": born,
                "death_date_year": rng.choice([None, (born or 1800) + rng.randrange(20, 90)]),
                "birth_date_precision": rng.choice([None, "day", "month", "year"]),
                "death_date_qualifier": rng.choice([None, "circa", "before"]),
                "birth_date_calendar_note": rng.choice([None, "julian-converted"]),
                "birth_place": rng.choice([None, "Kyiv, Ukraine", "Minsk"]),
                "birth_place_parts": rng.choice(
                    [None, [], ["Kyiv"], ["Kyiv", "Ukraine"], ["a", "b", "c", "d"]]
                ),
            }
        )
    quarantine = [
        {
            "table": rng.choice(["facts", "links"]),
            "reason_code": rng.choice([None, "out-of-range"]),
            "row": str(i),
        }
        for i in range(n_docs // 3)
    ]
    return {
        "documents": frame_from_rows("documents", documents),
        "persons": frame_from_rows("persons", persons),
        "quarantine": frame_from_rows("quarantine", quarantine),
    }


def test_read_view_equals_view_of_shuffled_frames_in_many_batches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(view, "BATCH_ROWS", 7)
    tables = invented_run(300, seed=3)
    for name, frame in tables.items():
        write_table(tmp_path, name, frame)
    shuffled = {
        name: frame.sample(frac=1, random_state=11).reset_index(drop=True) for name, frame in tables.items()
    }
    from_disk = read_view(tmp_path)
    assert_same_view(
        from_disk, view_of(shuffled)
    )  # no order or batching shows, not even in the coverage's sum
    # the counts are what pandas counts
    documents = tables["documents"]
    expected = documents[["format", "status", "reject_code"]].astype(object).value_counts(dropna=False)
    assert from_disk.tallies["documents"].rows == {
        tuple(None if pd.isna(v) else v for v in key): n for key, n in expected.items()
    }
    coverage = documents["coverage"].dropna().astype("float64")
    assert from_disk.coverage.documents == len(coverage)
    assert from_disk.coverage.mean == pytest.approx(coverage.mean(), rel=1e-12)
    lowest = (
        documents[documents["coverage"].notna()]
        .sort_values(["coverage", "source_name"])
        .head(LOWEST_COVERAGE)
    )
    assert [d.source_name for d in from_disk.lowest_coverage] == list(lowest["source_name"])
    persons = tables["persons"]
    ages = (persons["death_date_year"] - persons["birth_date_year"]).dropna()
    assert from_disk.tallies["lifespan"].of("years").as_text(None) == {
        (str(age),): n for age, n in ages.value_counts().items()
    }
    places = from_disk.tallies["birth_place_parts"].rows
    assert places[(None,)] == persons["birth_place"].isna().sum()
    assert sum(n for key, n in places.items() if key != (None,)) == persons["birth_place"].notna().sum()


def test_the_view_does_not_grow_with_the_rows() -> None:
    small, big = view_of(invented_run(400, seed=5)), view_of(invented_run(4000, seed=5))
    assert big.profiles["documents"].rows == 10 * small.profiles["documents"].rows
    assert len(big.lowest_coverage) == len(small.lowest_coverage) == LOWEST_COVERAGE
    for name in ("documents", "quarantine", "birth_date_precision", "birth_place_parts"):
        assert len(big.tallies[name].rows) == len(small.tallies[name].rows), name  # as many distinct keys
    # years and lifespans grow only with their distinct values; all else keeps its size
    assert len(pickle.dumps(big)) < 1.5 * len(pickle.dumps(small))


def test_a_tally_takes_marginals_and_labels_its_nulls() -> None:
    tally = Tally(
        ("format", "status"), {("a", "parsed"): 2, (None, "rejected"): 3, ("a", None): 1, ("∅", "parsed"): 4}
    )
    assert tally.of("status").rows == {("parsed",): 6, ("rejected",): 3, (None,): 1}
    assert tally.where("status", "parsed").rows == {("a", "parsed"): 2, ("∅", "parsed"): 4}
    assert tally.filled(format="none").rows == {
        ("a", "parsed"): 2,
        ("none", "rejected"): 3,
        ("a", None): 1,
        ("∅", "parsed"): 4,
    }
    assert tally.as_text("∅") == {("a", "parsed"): 2, ("∅", "rejected"): 3, ("a", "∅"): 1, ("∅", "parsed"): 4}
    assert tally.of("format").as_text("∅") == {("a",): 3, ("∅",): 7}  # a null and a real "∅" read the same
    assert tally.as_text(None) == {("a", "parsed"): 2, ("∅", "parsed"): 4}
    assert (tally.count("a", "parsed"), tally.count("b", "parsed"), tally.total()) == (2, 0, 10)


def test_exact_sum_is_exact_whatever_the_order() -> None:
    rng = np.random.default_rng(2)
    values = np.concatenate([rng.random(500), rng.random(50) * 1e-12, [1.0, 0.0, 5e-324, 0.1]])
    exact = sum((Fraction(float(v)) for v in values), Fraction(0))
    assert exact_sum(values) == exact
    assert exact_sum(rng.permutation(values)) == exact
    assert exact_sum(values[:100]) + exact_sum(values[100:]) == exact
    assert exact_sum(np.array([], dtype="float64")) == 0
