"""End to end: the real Prefect flow and the CLI on an archive, a JSON Lines file and a ``memory://`` URL."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import fsspec
import pandas as pd
import pytest

from pipeline.orchestrate.flow import build_datasets

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parent.parent
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8


def write_tgz(path: Path, members: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w:gz") as archive:
        for name, data in sorted(members.items()):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


def output_files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.name != "manifest.json"}


def test_the_flow_reads_a_zip_at_a_memory_url(tmp_path: Path, seed_paths: list[Path]) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in seed_paths:
            archive.writestr(f"people/{path.name}", path.read_bytes())
        archive.writestr("people/image.png", PNG)
        archive.writestr(".git/HEAD", b"ref: refs/heads/main\n")
    with fsspec.open("memory://shipped/corpus.zip", "wb") as handle:
        handle.write(buffer.getvalue())
    out = tmp_path / "output"
    summary = build_datasets(
        input_dir="memory://shipped/corpus.zip", output_dir=str(out), batch_size=2, workers=2, cache_dir=None
    )
    assert summary["documents"] == len(seed_paths) + 1
    assert summary["rejected_by_code"] == {"binary-content": 1}
    assert summary["skipped_by_code"] == {"hidden": 1}
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["container"]["url"] == "memory://shipped/corpus.zip"
    assert manifest["container"]["kind"] == "zip" and manifest["container"]["bytes"] == len(buffer.getvalue())
    assert [i["source_name"] for i in manifest["inputs"]] == sorted(
        [f"corpus.zip:people/{p.name}" for p in seed_paths] + ["corpus.zip:people/image.png"]
    )
    documents = pd.read_parquet(out / "documents.parquet")
    assert set(documents["source_name"]) == {i["source_name"] for i in manifest["inputs"]}
    assert documents["source_meta"].isna().all()
    assert sorted(p.name for p in out.parent.iterdir()) == [".output.lock", "output"]  # work folder removed


def test_the_flow_reads_a_jsonl_file(tmp_path: Path, seed_paths: list[Path]) -> None:
    records = [{"id": f"q{i}", "text": p.read_text(encoding="utf-8"), "url": f"https://example.org/{i}"}
               for i, p in enumerate(seed_paths)]  # fmt: skip
    path = tmp_path / "people.jsonl"
    lines = [json.dumps(r, ensure_ascii=False) for r in records] + ["{oops", json.dumps({"id": "q9"})]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "output"
    summary = build_datasets(input_dir=str(path), output_dir=str(out), workers=1, cache_dir=None)
    assert summary["rejected_by_code"] == {"invalid-json": 1, "no-text-field": 1}
    documents = pd.read_parquet(out / "documents.parquet").set_index("source_name")
    assert json.loads(documents.loc["people.jsonl:1", "source_meta"]) == {
        "id": "q0",
        "url": "https://example.org/0",
    }
    assert documents.loc["people.jsonl:2", "status"] != "rejected"
    persons = pd.read_parquet(out / "persons.parquet")
    assert "genrikh-lyushkov" in set(persons["person_id"])


def test_incremental_runs_on_an_archive_equal_full_runs(tmp_path: Path, seed_paths: list[Path]) -> None:
    members = {f"people/{p.name}": p.read_bytes() for p in seed_paths}
    archive = write_tgz(tmp_path / "corpus.tgz", members)
    out, cache = tmp_path / "incremental", tmp_path / "cache"
    first = build_datasets(input_dir=str(archive), output_dir=str(out), cache_dir=str(cache), workers=1)
    assert first["from_cache"] == 0 and not first["unchanged"]
    again = build_datasets(input_dir=str(archive), output_dir=str(out), cache_dir=str(cache), workers=1)
    assert again["unchanged"], "the same archive bytes keep the previous output"

    renamed = tmp_path / "renamed.tgz"  # the same bytes under another name name the documents differently
    renamed.write_bytes(archive.read_bytes())
    moved = build_datasets(input_dir=str(renamed), output_dir=str(out), cache_dir=str(cache), workers=1)
    assert not moved["unchanged"] and moved["from_cache"] == len(seed_paths)
    documents = pd.read_parquet(out / "documents.parquet")
    assert all(name.startswith("renamed.tgz:") for name in documents["source_name"])

    changed = f"people/{seed_paths[1].name}"
    members[changed] = members[changed].replace(b"1900", b"1901")
    del members[f"people/{seed_paths[0].name}"]  # removed: its rows must disappear
    members["people/new.txt"] = "= Jane Roe =\n\nJane Roe (1901 – 1970) was a chemist.\n".encode()
    write_tgz(renamed, members)
    third = build_datasets(input_dir=str(renamed), output_dir=str(out), cache_dir=str(cache), workers=1)
    assert (
        third["from_cache"] == 1 and not third["unchanged"]
    )  # only the untouched member came from the cache

    full = tmp_path / "full"
    build_datasets(input_dir=str(renamed), output_dir=str(full), cache_dir=None, workers=2, batch_size=1)
    assert output_files(out) == output_files(full)
    documents = pd.read_parquet(out / "documents.parquet")
    assert set(documents["source_name"]) == {f"renamed.tgz:{name}" for name in members}


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args], cwd=ROOT, capture_output=True, text=True, timeout=600
    )


def test_the_cli_runs_on_an_archive_and_on_a_damaged_one(tmp_path: Path, seed_paths: list[Path]) -> None:
    archive = write_tgz(tmp_path / "corpus.tar.gz", {p.name: p.read_bytes() for p in seed_paths})
    result = _cli("run", "--input", str(archive), "--output", str(tmp_path / "out"), "--cache", "", "--json")
    assert result.returncode == 0, result.stderr[-3000:]
    summary = json.loads(result.stdout[: result.stdout.rindex("}") + 1])
    assert summary["documents"] == len(seed_paths) and summary["rejected_by_code"] == {}
    whole = archive.read_bytes()
    (tmp_path / "cut.tar.gz").write_bytes(whole[: len(whole) // 2])
    result = _cli(
        "run", "--input", str(tmp_path / "cut.tar.gz"), "--output", str(tmp_path / "cut"), "--cache", ""
    )
    assert result.returncode == 0, result.stderr[-3000:]  # a damaged archive is data, like an unreadable file
    assert "Traceback" not in result.stderr
    documents = pd.read_parquet(tmp_path / "cut" / "documents.parquet").set_index("source_name")
    assert documents.loc["cut.tar.gz", "reject_code"] == "unreadable"


def test_the_cli_refuses_an_input_it_cannot_read_before_any_work(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("a file, not a container", encoding="utf-8")
    for given, says in [(tmp_path / "missing.zip", "does not exist"), (tmp_path / "notes.txt", ".jsonl")]:
        result = _cli("run", "--input", str(given), "--output", str(tmp_path / "out"))
        assert result.returncode == 2 and says in result.stderr, result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
