"""Provenance and coverage invariants over every seed and over bad inputs.

Each row's span must reproduce its surface text, and every non-whitespace
character of a document must be accounted for by some row (coverage 1.0).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from pipeline.output.validate import validate_all
from pipeline.run.batch import assemble, run_batch
from pipeline.run.sources import source_from_bytes
from tests.provenance import SPAN_TABLES, removals, surface_ok, words_in_order


@pytest.fixture(scope="module")
def seed_tables(seed_paths: list[Path]) -> dict[str, pd.DataFrame]:
    root = seed_paths[0].parent
    return validate_all(assemble([run_batch([str(p) for p in seed_paths], str(root), 1 << 24)]))


@pytest.mark.parametrize("table", SPAN_TABLES)
def test_every_span_reproduces_its_text(
    table: str, seed_tables: dict[str, pd.DataFrame], seed_paths: list[Path]
) -> None:
    texts = {}
    for row in seed_tables["documents"].itertuples():
        texts[row.doc_id] = (seed_paths[0].parent / row.source_name).read_text(encoding="utf-8")
    frame = seed_tables[table]
    assert len(frame) > 0
    removed = removals(seed_tables["dropped"])
    bad = [
        r.to_dict()
        for _, r in frame.iterrows()
        if not surface_ok(table, r, texts[r["doc_id"]], removed.get(r["doc_id"], ()))
    ]
    assert bad == []


def test_link_glosses_come_from_their_spans(
    seed_tables: dict[str, pd.DataFrame], seed_paths: list[Path]
) -> None:
    links = seed_tables["links"].dropna(subset=["gloss"])
    assert len(links) > 20
    for row in links.itertuples():
        source = next(p for p in seed_paths if p.name.startswith("002")).read_text(encoding="utf-8")
        assert words_in_order(row.gloss.split(), source[int(row.gloss_start) : int(row.gloss_end)])


def test_seed_coverage_is_complete(seed_tables: dict[str, pd.DataFrame]) -> None:
    coverage = dict(
        zip(seed_tables["documents"]["source_name"], seed_tables["documents"]["coverage"], strict=True)
    )
    assert coverage and all(value == 1.0 for value in coverage.values()), coverage


def test_nothing_from_the_seeds_is_quarantined(seed_tables: dict[str, pd.DataFrame]) -> None:
    assert seed_tables["quarantine"].empty, seed_tables["quarantine"].to_dict("records")


def test_gloss_dates_never_become_subject_facts(seed_tables: dict[str, pd.DataFrame]) -> None:
    facts = seed_tables["facts"]
    documents = seed_tables["documents"]
    for doc in documents.itertuples():
        subject_facts = facts[(facts["doc_id"] == doc.doc_id) & (facts["person_id"] == doc.subject_id)]
        assert "gloss" not in set(subject_facts["source_kind"])
    blumkin = facts[facts["person_id"].str.contains("blumkin")]
    assert set(blumkin["value"]) == {"1900-03-12", "1929-11-03"}
    assert set(blumkin["source_kind"]) == {"gloss"}


def test_dates_keep_the_precision_the_text_gives(seed_tables: dict[str, pd.DataFrame]) -> None:
    persons = seed_tables["persons"].set_index("person_id")
    assert persons.loc["genrikh-lyushkov", "birth_date"] == "1900"
    assert persons.loc["genrikh-lyushkov", "birth_date_precision"] == "year"
    assert persons.loc["nahum-eitingon", "birth_date"] == "1899-12-06"  # only the lead states it
    assert persons.loc["abram-aronovich-slutsky", "birth_date"] == "1898-07"
    assert persons.loc["abram-aronovich-slutsky", "birth_date_precision"] == "month"
    plevitskaya = persons.loc["nadezhda-vasilievna-plevitskaya"]
    assert pd.isna(plevitskaya["birth_date"]) and pd.isna(plevitskaya["death_date"])


CASES = [Path(__file__).parent / "cases" / name for name in ("variations", "gate")]


@pytest.fixture(scope="module")
def variation_tables() -> dict[str, pd.DataFrame]:
    batches = [run_batch(sorted(str(p) for p in folder.glob("*.txt")), str(folder), 1 << 24) for folder in CASES]
    return validate_all(assemble(batches))


@pytest.mark.parametrize("table", SPAN_TABLES)
def test_every_variation_span_reproduces_its_text(table: str, variation_tables: dict[str, pd.DataFrame]) -> None:
    """The invented documents of every layout (rendered pages, legacy encodings…) keep provenance too."""
    folder_of = {p.name: folder for folder in CASES for p in folder.glob("*.txt")}
    texts = {
        row.doc_id: source_from_bytes(row.source_name, (folder_of[row.source_name] / row.source_name).read_bytes()).text
        for row in variation_tables["documents"].itertuples()
    }
    frame = variation_tables[table]
    removed = removals(variation_tables["dropped"])
    bad = [
        r.to_dict()
        for _, r in frame.iterrows()
        if not surface_ok(table, r, texts[r["doc_id"]] or "", removed.get(r["doc_id"], ()))
    ]
    assert bad == []
