"""Bad input gets a documents row with a status and a reason code; the run goes on.

Each case is a file a real user could drop into the input folder. The seeds sit
beside them, and their rows must be exactly what they are without the bad files.
"""

from __future__ import annotations

import codecs
import shutil
from pathlib import Path

import pandas as pd
import pytest

from pipeline.output.validate import validate_all
from pipeline.run.batch import assemble, run_batch
from pipeline.run.sources import list_inputs

RUSSIAN_BIO = "Иван Петров (1 мая 1900 – 1950) был советским поэтом. Он родился в Киеве.\n"
SMALL_LIMIT = 4 * 1024 * 1024


def write_bad_inputs(folder: Path) -> dict[str, tuple[str, str | None]]:
    """Write the bad files; return name → (expected status, expected reject code)."""
    (folder / "empty.txt").write_bytes(b"")
    (folder / "whitespace.txt").write_bytes(b"  \n\n\t ")
    (folder / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    (folder / "cp1251.txt").write_bytes(("Иван Петров\n\n" + RUSSIAN_BIO * 5).encode("cp1251"))
    (folder / "utf16.txt").write_bytes(
        ("= Jane Roe =\n\nJane Roe (1901 – 1970) was a chemist.\n\n== Life ==\nShe lived.\n").encode("utf-16")
    )
    (folder / "broken-utf16.txt").write_bytes(codecs.BOM_UTF16_LE + b"\x00\xd8\x41\x00" * 10)
    with (folder / "huge.txt").open("wb") as handle:  # over the limit: hashed, never loaded
        handle.write(b"word " * (SMALL_LIMIT // 5 + 10))
    (folder / "one-line.txt").write_bytes(b"lorem ipsum dolor 1923 " * (1_000_000 // 23))
    (folder / "no-layout.txt").write_bytes(b"Click here to subscribe\nCopyright 2021 Example Mirror Ltd\n")
    return {
        "empty.txt": ("rejected", "empty-document"),
        "whitespace.txt": ("rejected", "empty-document"),
        "image.png": ("rejected", "binary-content"),
        "cp1251.txt": ("parsed_with_warnings", None),
        "utf16.txt": ("parsed_with_warnings", None),
        "broken-utf16.txt": ("rejected", "undecodable"),
        "huge.txt": ("rejected", "too-large"),
        "one-line.txt": ("parsed_with_warnings", None),
        "no-layout.txt": ("parsed_with_warnings", None),
    }


def _tables(folder: Path) -> dict[str, pd.DataFrame]:
    paths = [str(p) for p in list_inputs(folder)]
    return validate_all(assemble([run_batch(paths, str(folder), SMALL_LIMIT)]))


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory, seed_paths: list[Path]) -> tuple[dict, dict, dict]:
    mixed_dir = tmp_path_factory.mktemp("mixed")
    seeds_dir = tmp_path_factory.mktemp("seeds")
    for path in seed_paths:
        shutil.copy(path, mixed_dir / path.name)
        shutil.copy(path, seeds_dir / path.name)
    expected = write_bad_inputs(mixed_dir)
    return expected, _tables(mixed_dir), _tables(seeds_dir)


def test_each_bad_input_has_a_status_and_code(mixed: tuple[dict, dict, dict]) -> None:
    expected, tables, _ = mixed
    documents = tables["documents"].set_index("source_name")
    for name, (status, code) in expected.items():
        row = documents.loc[name]
        assert row["status"] == status, name
        assert (None if pd.isna(row["reject_code"]) else row["reject_code"]) == code, name


def test_decodable_bad_inputs_are_still_parsed(mixed: tuple[dict, dict, dict]) -> None:
    _, tables, _ = mixed
    documents = tables["documents"].set_index("source_name")
    warnings = tables["warnings"].merge(tables["documents"][["doc_id", "source_name"]], on="doc_id")
    codes = warnings.groupby("source_name")["code"].agg(set)
    assert "non-utf8-encoding" in codes["cp1251.txt"]
    assert documents.loc["cp1251.txt", "format"] == "plain"
    assert documents.loc["utf16.txt", "format"] == "wiki_markup"
    assert documents.loc["utf16.txt", "title"] == "Jane Roe"
    assert "unknown-layout" in codes["no-layout.txt"]
    assert "long-line" in codes["one-line.txt"]
    for name in ("cp1251.txt", "utf16.txt", "one-line.txt", "no-layout.txt"):
        assert documents.loc[name, "coverage"] == 1.0, name


def test_rejected_documents_have_no_other_rows(mixed: tuple[dict, dict, dict]) -> None:
    _, tables, _ = mixed
    rejected = set(tables["documents"].loc[tables["documents"]["status"] == "rejected", "doc_id"])
    assert len(rejected) == 5  # empty, whitespace-only, binary, broken UTF-16, too large
    for name, frame in tables.items():
        if name not in ("documents", "quarantine") and "doc_id" in frame:
            assert not set(frame["doc_id"]) & rejected, name


def test_seed_rows_are_unaffected_by_bad_neighbours(mixed: tuple[dict, dict, dict]) -> None:
    _, tables, seed_only = mixed
    seed_ids = set(seed_only["documents"]["doc_id"])
    for name, frame in seed_only.items():
        if name == "quarantine" or "doc_id" not in frame:
            continue
        together = tables[name][tables[name]["doc_id"].isin(seed_ids)].reset_index(drop=True)
        pd.testing.assert_frame_equal(together, frame.reset_index(drop=True), obj=name)
