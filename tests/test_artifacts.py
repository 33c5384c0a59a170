"""Prefect artifacts of a run: the markdown summary and the counts table (pure), and publishing them (e2e)."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from pipeline.orchestrate.artifacts import (
    COUNTS_KEY,
    SUMMARY_KEY,
    count_rows,
    publish_artifacts,
    summary_markdown,
)
from pipeline.output.view import OutputView, view_of
from pipeline.present.summary import summarise
from schemas import COLUMNS, SCHEMAS, empty_frame


@pytest.fixture(scope="module")
def seed_tables(seed_and_empty_tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    return seed_and_empty_tables


@pytest.fixture(scope="module")
def seed_view(seed_tables: dict[str, pd.DataFrame]) -> OutputView:
    return view_of(seed_tables)


@pytest.fixture(scope="module")
def seed_summary(seed_view: OutputView) -> dict:
    return summarise(seed_view, {"output_dir": "/tmp/out"}, {})


def counts_of(rows: list[dict], measure: str) -> dict[tuple[str, str], int]:
    return {(r["table"], r["key"]): r["count"] for r in rows if r["measure"] == measure}


def test_count_rows_from_the_seeds(seed_tables: dict[str, pd.DataFrame], seed_view: OutputView) -> None:
    rows = count_rows(seed_view)
    assert all(set(r) == {"measure", "table", "key", "count"} for r in rows)
    assert counts_of(rows, "rows")[("documents", "")] == 4
    assert counts_of(rows, "rows")[("persons", "")] == len(seed_tables["persons"])
    assert counts_of(rows, "format") == {
        ("documents", "(none)"): 1,
        ("documents", "wiki_fragment"): 1,
        ("documents", "wiki_markup"): 2,
    }
    assert counts_of(rows, "status")[("documents", "rejected")] == 1
    assert counts_of(rows, "reject-code") == {("documents", "empty-document"): 1}
    assert (
        counts_of(rows, "drop-rule")[("dropped", "wiki-italics")]
        == (seed_tables["dropped"]["rule"] == "wiki-italics").sum()
    )
    assert sum(counts_of(rows, "warning-code").values()) == len(seed_tables["warnings"])
    assert counts_of(rows, "quarantine-reason") == {}


def test_count_rows_counts_quarantine_by_table_and_reason() -> None:
    quarantine = pd.DataFrame({c: pd.Series([None] * 3, dtype="string") for c in COLUMNS["quarantine"]})
    quarantine["table"] = ["facts", "facts", "links"]
    quarantine["reason_code"] = ["out-of-range", "out-of-range", "unknown-person-id"]
    rows = count_rows(view_of({"quarantine": quarantine, "documents": empty_frame("documents")}))
    assert counts_of(rows, "quarantine-reason") == {
        ("facts", "out-of-range"): 2,
        ("links", "unknown-person-id"): 1,
    }
    # every table is counted; one without a frame is empty
    assert counts_of(rows, "rows") == {(name, ""): 3 if name == "quarantine" else 0 for name in SCHEMAS}


def test_count_rows_of_empty_tables() -> None:
    rows = count_rows(view_of({name: empty_frame(name) for name in COLUMNS}))
    assert {r["measure"] for r in rows} == {"rows"}
    assert all(r["count"] == 0 for r in rows)


def test_summary_markdown_from_the_seeds(seed_summary: dict) -> None:
    text = summary_markdown(seed_summary)
    assert text.startswith("# Biography datasets: run summary\n")
    for needle in (
        "**documents:** 4",
        "**rejected:** 1",
        "**mean coverage:** 100.00%",
        "`/tmp/out`",
        "## Documents by layout and status",
        "| wiki_markup / parsed | 2 |",
        "| empty-document | 1 |",
        "## Quarantined rows by table and reason",
    ):
        assert needle in text, needle
    # a group with nothing in it says so instead of drawing an empty table
    assert re.search(r"## Quarantined rows by table and reason\n\nnone\n", text)


def test_summary_markdown_escapes_table_cells() -> None:
    summary = {"documents": 1, "warnings_by_code": {"a|b\nc": 3}, "mean_coverage": None}
    text = summary_markdown(summary)
    assert "| a\\|b c | 3 |" in text
    assert "**mean coverage:** n/a" in text


@pytest.mark.e2e
def test_publish_artifacts_in_a_flow_run(seed_view: OutputView, seed_summary: dict) -> None:
    from prefect import flow
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey
    from prefect.testing.utilities import prefect_test_harness

    @flow(name="publish-artifacts-test")
    def publish() -> dict:
        return publish_artifacts(seed_summary, seed_view)

    with prefect_test_harness(server_startup_timeout=120):
        ids = publish()
        with get_client(sync_client=True) as client:
            found = client.read_artifacts(
                artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[SUMMARY_KEY, COUNTS_KEY]))
            )
    by_key = {a.key: a for a in found}
    assert set(by_key) == {SUMMARY_KEY, COUNTS_KEY}
    assert {k: by_key[k].id for k in by_key} == ids
    summary, counts = by_key[SUMMARY_KEY], by_key[COUNTS_KEY]
    assert summary.type == "markdown" and counts.type == "table"
    assert summary.flow_run_id is not None and summary.flow_run_id == counts.flow_run_id
    assert summary.data == summary_markdown(seed_summary)
    table = json.loads(counts.data) if isinstance(counts.data, str) else counts.data
    assert table == count_rows(seed_view)
