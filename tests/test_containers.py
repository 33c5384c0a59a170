"""Archives and JSON Lines files as inputs: real containers made in each test, read through the pure pipeline.

The same documents must give the same rows whether they come as a folder, a zip, a tar or a
JSON Lines file (only ``documents.source_name`` and ``source_meta`` say where they came from);
every bad member is a rejected ``documents`` row with its code, and the run goes on.
"""

from __future__ import annotations

import codecs
import gzip
import hashlib
import io
import json
import shutil
import stat
import tarfile
import zipfile
from pathlib import Path
from typing import Any

import fsspec
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.output.validate import validate_all
from pipeline.run.archives import zip_entries
from pipeline.run.batch import assemble, run_batch
from pipeline.run.containers import container_kind, container_name, input_problem, public_url, unpack
from pipeline.run.inputs import ContainerSurvey, survey
from pipeline.run.jsonlines import split_lines
from pipeline.run.sources import list_inputs

LIMIT = 64 * 1024
BIO = "= Jane Roe =\n\nJane Roe (1901 – 1970) was a chemist.\n\n== Life ==\nShe lived in Paris.\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8
BROKEN_UTF16 = codecs.BOM_UTF16_LE + b"\x00\xd8\x41\x00" * 10


def tables_of(input_path: Path | str, tmp: Path, max_bytes: int = LIMIT, workers: int = 1) -> dict[str, Any]:
    """Validated tables and the manifest's record of the input, through ``survey`` and ``listing``."""
    seen = survey(str(input_path), tmp / "work")
    listing = seen.listing(tmp / "work", max_bytes)
    tables = validate_all(assemble([run_batch(listing.files, listing.root, max_bytes, workers)]))
    return {"tables": tables, "manifest": listing.manifest, "survey": seen}


def by_name(tables: dict[str, pd.DataFrame]) -> dict[str, dict[str, Any]]:
    docs = tables["documents"]
    return {row["source_name"]: row for row in docs.to_dict("records")}


def warning_codes(tables: dict[str, pd.DataFrame], doc_id: str) -> set[str]:
    warnings = tables["warnings"]
    return set(warnings.loc[warnings["doc_id"] == doc_id, "code"])


def write_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def write_tar(path: Path, members: dict[str, bytes], mode: str = "w:gz") -> Path:
    with tarfile.open(path, mode) as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


def seed_members(seed_paths: list[Path], folder: str = "people/") -> dict[str, bytes]:
    return {folder + p.name: p.read_bytes() for p in seed_paths}


# --- the same documents in every container give the same rows ---------------------------------------------


@pytest.mark.parametrize("kind", ["zip", "tar.gz", "tgz", "tar", "jsonl"])
def test_a_container_of_the_seeds_gives_the_folders_rows(
    kind: str, tmp_path: Path, seed_paths: list[Path]
) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    for path in seed_paths:
        shutil.copy(path, folder / path.name)
    container = tmp_path / f"corpus.{kind}"
    if kind == "zip":
        write_zip(container, seed_members(seed_paths, ""))
    elif kind == "jsonl":
        lines = [json.dumps({"id": p.stem, "text": p.read_text(encoding="utf-8")}) for p in seed_paths]
        container.write_text("\n".join(lines) + "\n", encoding="utf-8")
    else:
        write_tar(container, seed_members(seed_paths, ""), "w" if kind == "tar" else "w:gz")
    expected = validate_all(assemble([run_batch([str(p) for p in list_inputs(folder)], str(folder), LIMIT)]))
    got = tables_of(container, tmp_path)["tables"]
    for table, frame in expected.items():
        if table == "documents":
            names = [f"corpus.{kind}:{n}" for n in frame["source_name"]]
            if (
                kind == "jsonl"
            ):  # the seeds are UTF-8 without a BOM: the text's bytes are the file's, doc_id too
                line = {p.name: i + 1 for i, p in enumerate(seed_paths)}
                names = [f"corpus.jsonl:{line[n]}" for n in frame["source_name"]]
            assert list(got[table]["source_name"]) == names
            compared = [c for c in frame.columns if c not in ("source_name", "source_meta")]
            pd.testing.assert_frame_equal(got[table][compared], frame[compared])
            assert frame["source_meta"].isna().all()
        else:
            pd.testing.assert_frame_equal(got[table], frame, obj=table)


def test_nested_folders_keep_their_path_and_identical_members_are_one_document(
    tmp_path: Path, seed_paths: list[Path]
) -> None:
    members = {
        "corpus/people/spies/a.txt": seed_paths[0].read_bytes(),
        "./corpus/people/b.txt": seed_paths[1].read_bytes(),  # tar-style ./ prefix: dropped from the name
        "corpus/mirror/a-copy.txt": seed_paths[0].read_bytes(),
        "corpus/people/": b"",  # a folder entry: walked, no document
    }
    with zipfile.ZipFile(tmp_path / "nested.zip", "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    result = tables_of(tmp_path / "nested.zip", tmp_path)
    docs = by_name(result["tables"])
    assert sorted(docs) == ["nested.zip:corpus/mirror/a-copy.txt", "nested.zip:corpus/people/b.txt"]
    copy = docs["nested.zip:corpus/mirror/a-copy.txt"]  # first in sorted order is read, the other is its copy
    assert "duplicate-content" in warning_codes(result["tables"], copy["doc_id"])
    message = result["tables"]["warnings"].query("code == 'duplicate-content'")["message"].item()
    assert "nested.zip:corpus/people/spies/a.txt" in message
    names = [entry["source_name"] for entry in result["manifest"]["inputs"]]
    assert names == sorted(["nested.zip:" + n.removeprefix("./") for n in members if not n.endswith("/")])


# --- bad members: the same codes as bad files ---------------------------------------------------------------


def test_bad_zip_members_are_rejected_rows_and_the_run_goes_on(
    tmp_path: Path, seed_paths: list[Path]
) -> None:
    path = tmp_path / "bad.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("people/good.txt", seed_paths[0].read_bytes())
        archive.writestr("empty.txt", b"")
        archive.writestr("blank.txt", b" \n\t ")
        archive.writestr("image.png", PNG)
        archive.writestr("broken-utf16.txt", BROKEN_UTF16)
        archive.writestr("huge.txt", b"word " * (LIMIT // 5 + 10))
        archive.writestr(".DS_Store", b"\x00\x00\x00\x01Bud1")
        archive.writestr(".git/config", b"[core]")
        archive.writestr("__MACOSX/people/._good.txt", b"\x00\x05\x16\x07")
        archive.writestr("people/.hidden.txt", BIO)
        link = zipfile.ZipInfo("people/link.txt")
        link.create_system = 3
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, b"../../etc/passwd")
        archive.writestr("cp1252.txt", ("Zoë Café (1901 – 1970) was a painter.\n" * 5).encode("cp1252"))
    result = tables_of(path, tmp_path)
    docs = by_name(result["tables"])
    expected = {
        "bad.zip:empty.txt": "empty-document",
        "bad.zip:blank.txt": "empty-document",
        "bad.zip:image.png": "binary-content",
        "bad.zip:broken-utf16.txt": "undecodable",
        "bad.zip:huge.txt": "too-large",
        "bad.zip:people/link.txt": "archive-link",
    }
    for name, code in expected.items():
        assert (docs[name]["status"], docs[name]["reject_code"]) == ("rejected", code), name
    assert docs["bad.zip:people/good.txt"]["status"] == "parsed"
    assert (
        docs["bad.zip:cp1252.txt"]["status"] != "rejected"
        and docs["bad.zip:cp1252.txt"]["encoding"] != "utf-8"
    )
    assert docs["bad.zip:huge.txt"]["bytes"] == len(b"word ") * (LIMIT // 5 + 10)
    # never decompressed, so named by its source_name's hash (as an unreadable file is)
    assert docs["bad.zip:huge.txt"]["sha256"] == hashlib.sha256(b"bad.zip:huge.txt").hexdigest()
    assert warning_codes(result["tables"], docs["bad.zip:people/link.txt"]["doc_id"]) == {"archive-link"}
    skipped = {e["source_name"]: e["code"] for e in result["manifest"]["skipped"]}
    assert skipped == {
        "bad.zip:.DS_Store": "hidden",
        "bad.zip:.git": "hidden",
        "bad.zip:__MACOSX/people/._good.txt": "hidden",
        "bad.zip:people/.hidden.txt": "hidden",
    }
    assert result["tables"]["quarantine"].empty


def test_a_damaged_zip_member_is_unreadable_and_the_others_are_read(
    tmp_path: Path, seed_paths: list[Path]
) -> None:
    path = tmp_path / "crc.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("a.txt", b"SENTINEL " + BIO.encode())
        archive.writestr("b.txt", seed_paths[0].read_bytes())
    data = path.read_bytes()
    path.write_bytes(data.replace(b"SENTINEL", b"SENTINAL", 1))  # same size, wrong CRC
    docs = by_name(tables_of(path, tmp_path)["tables"])
    assert (docs["crc.zip:a.txt"]["status"], docs["crc.zip:a.txt"]["reject_code"]) == (
        "rejected",
        "unreadable",
    )
    assert docs["crc.zip:b.txt"]["status"] == "parsed"


def test_bad_tar_members_are_rejected_rows(tmp_path: Path, seed_paths: list[Path]) -> None:
    path = tmp_path / "bad.tar.gz"
    with tarfile.open(path, "w:gz") as archive:

        def add(name: str, data: bytes = b"", **fields: Any) -> None:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            for key, value in fields.items():
                setattr(info, key, value)
            archive.addfile(info, io.BytesIO(data) if data else None)

        add("people/good.txt", seed_paths[0].read_bytes())
        add("people/symlink.txt", type=tarfile.SYMTYPE, linkname="../../etc/passwd")
        add("people/hardlink.txt", type=tarfile.LNKTYPE, linkname="people/good.txt")
        add("dev/null", type=tarfile.CHRTYPE, devmajor=1, devminor=3)
        add("dev/fifo", type=tarfile.FIFOTYPE)
        add("image.png", PNG)
        add("empty.txt")
        add("huge.txt", b"x" * (LIMIT + 1))
        add("people/.notes.txt", BIO.encode())
        add("people/folder", type=tarfile.DIRTYPE)
    result = tables_of(path, tmp_path)
    docs = by_name(result["tables"])
    expected = {
        "bad.tar.gz:people/symlink.txt": "archive-link",
        "bad.tar.gz:people/hardlink.txt": "archive-link",
        "bad.tar.gz:dev/null": "not-a-regular-file",
        "bad.tar.gz:dev/fifo": "not-a-regular-file",
        "bad.tar.gz:image.png": "binary-content",
        "bad.tar.gz:empty.txt": "empty-document",
        "bad.tar.gz:huge.txt": "too-large",
    }
    assert {n: d["reject_code"] for n, d in docs.items() if d["status"] == "rejected"} == expected
    assert docs["bad.tar.gz:people/good.txt"]["status"] == "parsed"
    symlink = result["tables"]["warnings"].query(
        f"doc_id == '{docs['bad.tar.gz:people/symlink.txt']['doc_id']}'"
    )
    assert "../../etc/passwd" in symlink["message"].item()
    assert result["manifest"]["skipped"] == [
        {"source_name": "bad.tar.gz:people/.notes.txt", "code": "hidden"}
    ]


def test_a_member_over_the_limit_is_never_decompressed(tmp_path: Path) -> None:
    """A zip bomb's member: 64 MiB of zeros in ~64 KiB; the reader must not even read its compressed bytes."""
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open("bomb.txt", "w", force_zip64=True) as member:
            for _ in range(64):
                member.write(b"\x00" * (1 << 20))
        archive.writestr("small.txt", BIO)
    compressed = zipfile.ZipFile(path).getinfo("bomb.txt").compress_size
    assert compressed > 10_000
    read = 0

    class Counting(io.FileIO):
        def read(self, size: int = -1) -> bytes:
            nonlocal read
            data = super().read(size)
            read += len(data)
            return data

    unpacked = unpack(str(path), "zip", tmp_path / "pack", LIMIT)
    assert [(m.name, m.reject) for m in unpacked.members] == [
        ("bomb.zip:bomb.txt", "too-large"),
        ("bomb.zip:small.txt", None),
    ]
    assert unpacked.members[0].n_bytes == 64 << 20
    with Counting(path) as raw:
        entries = list(zip_entries(raw, LIMIT))  # type: ignore[arg-type]
    assert [e.reject for e in entries] == ["too-large", None]
    assert read < compressed, "the oversized member's data was read"
    assert (tmp_path / "pack").stat().st_size == len(BIO.encode())


def test_a_damaged_container_is_an_unreadable_row_and_what_was_read_is_kept(
    tmp_path: Path, seed_paths: list[Path]
) -> None:
    (tmp_path / "not-a.zip").write_bytes(b"PK\x03\x04 this is not really a zip")
    docs = by_name(tables_of(tmp_path / "not-a.zip", tmp_path / "zip")["tables"])
    assert list(docs) == ["not-a.zip"]
    assert (docs["not-a.zip"]["status"], docs["not-a.zip"]["reject_code"]) == ("rejected", "unreadable")
    big = {
        f"{i}-{p.name}": p.read_bytes() for i in range(3) for p in seed_paths
    }  # larger than gzip's buffers
    whole = write_tar(tmp_path / "whole.tar.gz", big).read_bytes()
    (tmp_path / "cut.tar.gz").write_bytes(whole[: len(whole) // 2])
    result = tables_of(tmp_path / "cut.tar.gz", tmp_path / "tar")
    docs = by_name(result["tables"])
    assert docs["cut.tar.gz"]["reject_code"] == "unreadable"
    message = (
        result["tables"]["warnings"].query(f"doc_id == '{docs['cut.tar.gz']['doc_id']}'")["message"].item()
    )
    assert "cannot be read past" in message
    read = [n for n, d in docs.items() if d["status"] != "rejected"]
    assert read and all(n.startswith("cut.tar.gz:") for n in read)  # the members before the cut


# --- JSON Lines ---------------------------------------------------------------------------------------------


def test_jsonl_records_are_documents_with_their_fields_kept(tmp_path: Path) -> None:
    lines = [
        codecs.BOM_UTF8 + json.dumps({"id": "q1", "text": BIO, "lang": "en", "tags": ["a", 1]}).encode(),
        json.dumps({"name": "Roe, Jane (copy)", "text": BIO}).encode(),  # the same text: a copy of line 1
        b"   ",
        b"this is not json",
        b'["an", "array"]',
        json.dumps({"id": "q4", "title": "no text here"}).encode(),
        json.dumps({"id": "q5", "text": 42}).encode(),
        b'{"id": "q6", "text": NaN}',
        b'{"id": "q7", "text": "\\ud800 lone surrogate"}',
        b'{"id": "q8", "text": "caf\xe9 in latin-1"}',
        json.dumps({"id": "q9", "text": "x" * LIMIT}).encode(),
        json.dumps({"id": "q10", "text": "   "}).encode(),
        json.dumps({"text": "John Smith (1900 – 1950) was a poet."}, ensure_ascii=False).encode() + b"\r",
        json.dumps({"id": "q12", "text": "nul \u0000 inside" * 40}).encode(),
    ]
    path = tmp_path / "people.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n\n")  # a blank line at the end too
    result = tables_of(path, tmp_path)
    docs = by_name(result["tables"])
    rejected = {n: d["reject_code"] for n, d in docs.items() if d["status"] == "rejected"}
    assert rejected == {
        "people.jsonl:4": "invalid-json",
        "people.jsonl:5": "invalid-json",
        "people.jsonl:6": "no-text-field",
        "people.jsonl:7": "no-text-field",
        "people.jsonl:8": "invalid-json",
        "people.jsonl:9": "undecodable",
        "people.jsonl:10": "undecodable",
        "people.jsonl:11": "too-large",
        "people.jsonl:12": "empty-document",
        "people.jsonl:14": "binary-content",
    }
    first = docs["people.jsonl:1"]
    assert first["status"] != "rejected" and "people.jsonl:2" not in docs  # line 2 is line 1's copy
    assert json.loads(first["source_meta"]) == {"id": "q1", "lang": "en", "tags": ["a", 1]}
    assert first["sha256"] == hashlib.sha256(BIO.encode()).hexdigest()  # the text's UTF-8 bytes
    assert first["doc_id"] == first["sha256"][:16] and first["bytes"] == len(BIO.encode())
    assert json.loads(docs["people.jsonl:6"]["source_meta"]) == {"id": "q4", "title": "no text here"}
    assert pd.isna(docs["people.jsonl:4"]["source_meta"])
    assert docs["people.jsonl:4"]["sha256"] == hashlib.sha256(b"this is not json").hexdigest()
    assert docs["people.jsonl:13"]["source_meta"] == "{}" and docs["people.jsonl:13"]["status"] != "rejected"
    assert docs["people.jsonl:11"]["bytes"] == len(lines[10])
    skipped = result["manifest"]["skipped"]
    assert skipped == [  # in line order
        {"source_name": "people.jsonl:3", "code": "blank-line"},
        {"source_name": "people.jsonl:15", "code": "blank-line"},
    ]
    assert len(result["manifest"]["inputs"]) == 13  # every line but the blank ones, copies included
    assert result["tables"]["quarantine"].empty


@settings(max_examples=200, deadline=None)
@given(
    st.binary(max_size=300), st.integers(min_value=1, max_value=40), st.integers(min_value=1, max_value=50)
)
def test_split_lines_is_bytes_split(data: bytes, chunk: int, limit: int) -> None:
    expected = data.split(b"\n")
    if expected and expected[-1] == b"":
        expected.pop()  # a final line break ends the last line, it does not start one
    lines = list(split_lines(io.BytesIO(data), limit, chunk))
    assert [line.number for line in lines] == list(range(1, len(expected) + 1))
    for line, raw in zip(lines, expected, strict=True):
        assert line.n_bytes == len(raw) and line.sha256 == hashlib.sha256(raw).hexdigest()
        assert line.data == (raw if len(raw) <= limit else None)


# --- where the input is: fsspec URLs ------------------------------------------------------------------------


def test_a_memory_url_is_read_like_a_local_file(tmp_path: Path, seed_paths: list[Path]) -> None:
    local = write_zip(tmp_path / "corpus.zip", seed_members(seed_paths))
    with fsspec.open("memory://shipped/corpus.zip", "wb") as handle:
        handle.write(local.read_bytes())
    remote = tables_of("memory://shipped/corpus.zip", tmp_path / "remote")
    here = tables_of(local, tmp_path / "local")
    assert isinstance(remote["survey"], ContainerSurvey)
    assert remote["survey"].sha256 == here["survey"].sha256 == hashlib.sha256(local.read_bytes()).hexdigest()
    assert remote["manifest"]["container"] == {
        "url": "memory://shipped/corpus.zip",
        "kind": "zip",
        "source_name": "corpus.zip",
        "sha256": here["survey"].sha256,
        "bytes": local.stat().st_size,
    }
    for table, frame in here["tables"].items():
        pd.testing.assert_frame_equal(remote["tables"][table], frame, obj=table)
    copied = Path(remote["survey"].readable)
    assert copied.parent == tmp_path / "remote" / "work" / "input"  # fetched once, into the run's work folder


def test_a_file_url_to_a_folder_is_the_folder(tmp_path: Path, seed_paths: list[Path]) -> None:
    for path in seed_paths:
        shutil.copy(path, tmp_path / path.name)
    seen = survey(tmp_path.as_uri(), tmp_path / "work")
    assert not seen.container and len(seen.signature) == len(seed_paths)


def test_inputs_that_cannot_be_read_are_explained(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("a file, not a container", encoding="utf-8")
    fsspec.filesystem("memory").mkdir("/a-folder")
    assert input_problem(str(tmp_path)) is None
    assert "does not exist" in (input_problem(str(tmp_path / "missing.zip")) or "")
    assert ".jsonl" in (input_problem(str(tmp_path / "notes.txt")) or "")
    assert "folder at a URL" in (input_problem("memory://a-folder") or "")
    assert "Protocol not known" in (input_problem("nosuchprotocol://x/y.zip") or "")


@pytest.mark.parametrize(
    ("name", "kind"),
    [("a.zip", "zip"), ("A.ZIP", "zip"), ("a.tar.gz", "tar"), ("a.tgz", "tar"), ("a.tar", "tar"),
     ("people.jsonl", "jsonl"), ("s3://bucket/x/people.jsonl?version=2", "jsonl"), ("memory://c.tgz", "tar"),
     ("a.gz", None), ("a.json", None)],
)  # fmt: skip
def test_container_kind_from_the_name(name: str, kind: str | None) -> None:
    assert container_kind(name) == kind


@pytest.mark.parametrize(
    ("url", "name", "shown"),
    [("corpus.zip", "corpus.zip", "corpus.zip"), ("/data/x/people.jsonl", "people.jsonl", "/data/x/people.jsonl"),
     ("memory://corpus.zip", "corpus.zip", "memory://corpus.zip"),
     ("s3://key:secret@bucket/d/x.tgz?X-Amz-Signature=abc", "x.tgz", "s3://bucket/d/x.tgz"),
     ("https://example.org/dumps/people.jsonl?token=t", "people.jsonl", "https://example.org/dumps/people.jsonl")],
)  # fmt: skip
def test_a_container_is_named_by_its_last_part_and_shown_without_secrets(
    url: str, name: str, shown: str
) -> None:
    assert (container_name(url), public_url(url)) == (name, shown)


def test_workers_read_the_pack_once_per_chunk(tmp_path: Path, seed_paths: list[Path]) -> None:
    """Two worker processes give the same tables as one; the pack holds each distinct document once."""
    members = {f"d{i:02d}/{p.name}": p.read_bytes() for i in range(4) for p in seed_paths}
    members |= {f"extra{i}.txt": BIO.replace("Jane", f"Jane{i}").encode() for i in range(6)}
    path = write_tar(tmp_path / "many.tgz", members)
    one = tables_of(path, tmp_path / "one", workers=1)
    two = tables_of(path, tmp_path / "two", workers=2)
    for table, frame in one["tables"].items():
        pd.testing.assert_frame_equal(two["tables"][table], frame, obj=table)
    distinct = {hashlib.sha256(d).hexdigest(): len(d) for d in members.values()}
    assert (tmp_path / "one" / "work" / "inputs.pack").stat().st_size == sum(distinct.values())
    assert len(one["tables"]["documents"]) == len(distinct)


def test_gzip_is_not_a_container(tmp_path: Path) -> None:
    (tmp_path / "notes.txt.gz").write_bytes(gzip.compress(BIO.encode()))
    assert input_problem(str(tmp_path / "notes.txt.gz")) is not None


def test_a_cached_record_takes_its_fields_from_the_new_line(tmp_path: Path) -> None:
    """The per-document cache keys on the text; ``source_name`` and ``source_meta`` come from this run."""
    cache = tmp_path / "cache"

    def run(records: list[dict[str, Any]], name: str) -> tuple[dict[str, dict[str, Any]], int]:
        path = tmp_path / name / "people.jsonl"
        path.parent.mkdir()
        path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
        listing = survey(str(path), tmp_path / name / "work").listing(tmp_path / name / "work", LIMIT)
        batch = run_batch(listing.files, listing.root, LIMIT, cache_dir=str(cache), doc_timeout=None)
        return by_name(validate_all(assemble([batch]))), batch.cache_hits

    first, hits = run([{"id": "a", "text": BIO}], "first")
    assert hits == 0 and json.loads(first["people.jsonl:1"]["source_meta"]) == {"id": "a"}
    second, hits = run(
        [{"text": "John Smith (1900 – 1950) was a poet."}, {"id": "b", "lang": "en", "text": BIO}], "second"
    )
    assert hits == 1
    assert json.loads(second["people.jsonl:2"]["source_meta"]) == {"id": "b", "lang": "en"}
    assert second["people.jsonl:2"]["doc_id"] == first["people.jsonl:1"]["doc_id"]


def test_a_tar_member_name_that_is_not_utf8_is_shown_with_escapes(tmp_path: Path) -> None:
    path = tmp_path / "names.tar"
    with tarfile.open(path, "w", encoding="utf-8", errors="surrogateescape") as archive:
        info = tarfile.TarInfo("bad\udcff.txt")
        info.size = len(BIO.encode())
        archive.addfile(info, io.BytesIO(BIO.encode()))
    result = tables_of(path, tmp_path)
    docs = by_name(result["tables"])
    assert list(docs) == ["names.tar:bad\\xff.txt"]
    assert "undecodable-file-name" in warning_codes(
        result["tables"], docs["names.tar:bad\\xff.txt"]["doc_id"]
    )
