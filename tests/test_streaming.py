"""Staged runs: batch by batch through disk gives exactly what one batch in memory gives.

Memory stays bounded because no stage holds the corpus: batches are staged on disk,
tables are validated and written batch by batch, and tables not keyed by document
are merged from sorted parts. These tests pin that the staging changes nothing.
"""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.output import write
from pipeline.output.validate import validate_all
from pipeline.output.write import merge_sorted, sort_rows, to_arrow, write_outputs
from pipeline.run import sources
from pipeline.run.batch import (
    assemble,
    run_batch,
    run_local,
)
from pipeline.run.sources import list_inputs
from schemas import frame_from_rows

VARIATIONS = Path(__file__).parent / "cases" / "variations"
EXTRA = {"inputs": [], "pipeline_version": "test", "run_id": "r", "run_time": "t"}


def file_bytes(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.suffix in (".csv", ".parquet")}


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory: pytest.TempPathFactory, seed_paths: list[Path]) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    for path in [*seed_paths, *sorted(VARIATIONS.glob("*.txt"))]:
        shutil.copy(path, folder / path.name)
    return folder


def test_staged_batches_write_the_same_files_as_one_batch_in_memory(corpus_dir: Path, tmp_path: Path) -> None:
    whole = validate_all(
        assemble([run_batch([str(p) for p in list_inputs(corpus_dir)], str(corpus_dir), 1 << 24)])
    )
    write_outputs(whole, tmp_path / "memory", EXTRA)
    run_local(corpus_dir, tmp_path / "staged", tmp_path / "stage", batch_size=3)
    memory, staged = file_bytes(tmp_path / "memory"), file_bytes(tmp_path / "staged")
    assert memory.keys() == staged.keys() and len(memory) == 32
    assert [name for name in memory if memory[name] != staged[name]] == []


def test_the_same_bytes_on_two_workers_as_on_one(corpus_dir: Path, tmp_path: Path) -> None:
    """Parsing and the corpus stage's map steps on forked workers change nothing."""
    run_local(corpus_dir, tmp_path / "one", tmp_path / "stage-1", batch_size=4, workers=1)
    run_local(corpus_dir, tmp_path / "two", tmp_path / "stage-2", batch_size=4, workers=2)
    one, two = file_bytes(tmp_path / "one"), file_bytes(tmp_path / "two")
    assert len(one) == 32 and [name for name in one if one[name] != two.get(name)] == []


def test_row_groups_do_not_depend_on_the_batch_size(
    corpus_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(write, "ROW_GROUP_ROWS", 16)
    run_local(corpus_dir, tmp_path / "a", tmp_path / "stage-a", batch_size=1)
    run_local(corpus_dir, tmp_path / "b", tmp_path / "stage-b", batch_size=7)
    a, b = file_bytes(tmp_path / "a"), file_bytes(tmp_path / "b")
    assert [name for name in a if a[name] != b[name]] == []
    mentions = pq.ParquetFile(tmp_path / "a" / "mentions.parquet").metadata
    assert mentions.num_row_groups > 1
    assert {mentions.row_group(i).num_rows for i in range(mentions.num_row_groups - 1)} == {16}


def test_identical_files_are_one_document_with_a_warning_per_copy(
    tmp_path: Path, seed_paths: list[Path]
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for path in seed_paths:
        shutil.copy(path, folder / path.name)
    shutil.copy(seed_paths[0], folder / "mirror-copy.txt")
    shutil.copy(seed_paths[0], folder / "another-copy.txt")
    run_local(folder, tmp_path / "out", tmp_path / "stage", batch_size=2)
    documents = pd.read_parquet(tmp_path / "out" / "documents.parquet")
    warnings = pd.read_parquet(tmp_path / "out" / "warnings.parquet")
    quarantine = pd.read_parquet(tmp_path / "out" / "quarantine.parquet")
    assert len(documents) == len(seed_paths) and len(quarantine) == 0
    first = sorted([seed_paths[0].name, "mirror-copy.txt", "another-copy.txt"])[0]
    row = documents[documents["source_name"] == first].iloc[0]
    copies = warnings[(warnings["doc_id"] == row["doc_id"]) & (warnings["code"] == "duplicate-content")]
    named = {name for name in [seed_paths[0].name, "mirror-copy.txt", "another-copy.txt"] if name != first}
    assert {m.split(" ")[0] for m in copies["message"]} == named
    assert row["status"] == "parsed_with_warnings"


WARNING_ROWS = st.lists(
    st.tuples(
        st.sampled_from(["0123456789abcdef", "fedcba9876543210"]),
        st.sampled_from(["long-line", "truncated", "é-code"]),
        st.one_of(st.none(), st.integers(0, 5)),
        st.text("ab é", max_size=3),
    ),
    max_size=40,
)


@settings(max_examples=60, deadline=None)
@given(rows=WARNING_ROWS, cuts=st.lists(st.integers(0, 40), max_size=5))
def test_merging_sorted_parts_gives_the_sort_of_the_whole(rows: list[tuple], cuts: list[int]) -> None:
    frame = frame_from_rows(
        "warnings",
        [{"doc_id": d, "code": c, "char_start": s, "char_end": s, "message": m} for d, c, s, m in rows],
    )
    bounds = sorted({0, len(frame), *(min(c, len(frame)) for c in cuts)})
    parts = [to_arrow("warnings", frame.iloc[a:b]) for a, b in itertools.pairwise(bounds)]
    merged = list(merge_sorted("warnings", parts))
    whole = sort_rows("warnings", pa.Table.from_pandas(frame, preserve_index=False))
    got = pa.concat_tables(merged).to_pylist() if merged else []
    assert got == whole.to_pylist()


def test_a_file_that_cannot_be_read_is_a_rejected_document_and_the_run_goes_on(
    tmp_path: Path, seed_paths: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(seed_paths[0], folder / seed_paths[0].name)
    (folder / "flaky.txt").write_text("= A =\n\nA (1900 – 1950) was a poet.\n", encoding="utf-8")
    real_hash, real_read = sources.hash_file, Path.read_bytes

    def failing(real: Any) -> Any:
        def call(path: Path, *args: Any) -> Any:
            if path.name == "flaky.txt":
                raise OSError(5, "Input/output error")
            return real(path, *args)

        return call

    monkeypatch.setattr(sources, "hash_file", failing(real_hash))
    monkeypatch.setattr(Path, "read_bytes", failing(real_read))
    run_local(folder, tmp_path / "out", tmp_path / "stage", batch_size=1)
    documents = pd.read_parquet(tmp_path / "out" / "documents.parquet").set_index("source_name")
    assert documents.loc["flaky.txt", "reject_code"] == "unreadable"
    assert documents.loc[seed_paths[0].name, "status"] == "parsed"
