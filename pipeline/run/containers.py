"""EDGE: one input file holding many documents (a zip or tar archive, a JSON Lines file), at a path or an fsspec URL.

1. ``container_kind`` tells a container by its name (``.zip``; ``.tar``, ``.tar.gz``, ``.tgz``;
   ``.jsonl``); ``fsspec`` opens it wherever it is (``file://``, ``memory://``, ``s3://`` with
   s3fs installed, …). One that is not on this machine is copied once into the run's work
   folder (``localise``), so it is fetched once and read from there.
2. ``container_digest``: the sha256 of the container's bytes, which is all the "inputs
   unchanged" check needs (its documents are a function of those bytes and the options).
3. ``unpack`` reads the container once, entry by entry (``archives``, ``jsonlines``), and appends
   each distinct document's bytes to one *pack* file; its ``Member`` records say where.
   The workers open the pack once per chunk and read each document at its offset
   (``read_member``), so an archive is never reopened per document and a tar is decompressed once.

Each document is named ``<container>:<entry>``: ``corpus.zip:people/a.txt``, ``people.jsonl:12``
(line 12).
"""

from __future__ import annotations

import hashlib
import posixpath
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO, cast
from urllib.parse import urlsplit

import fsspec
from fsspec.implementations.local import LocalFileSystem

from pipeline.codes import Reject, message
from pipeline.records import Notice, SourceDoc
from pipeline.run.archives import tar_entries, zip_entries
from pipeline.run.entries import DamagedInput, Entry
from pipeline.run.jsonlines import jsonl_entries
from pipeline.run.sources import READ_CHUNK, doc_id_of, name_sha256, source_from_bytes

KINDS = {".zip": "zip", ".tar": "tar", ".tar.gz": "tar", ".tgz": "tar", ".jsonl": "jsonl"}
"""Name endings (lowercase) of the containers read, and their kind."""
READERS: dict[str, Callable[[BinaryIO, int], Iterator[Entry]]] = {
    "zip": zip_entries,
    "tar": tar_entries,
    "jsonl": jsonl_entries,
}


class InputError(ValueError):
    """``--input`` names nothing the pipeline can read; the message says what to pass instead."""


def _path_of(url: str) -> str:
    """A path as given; a URL's host and path without scheme, credentials, query or fragment
    (``s3://bucket/x.zip?v=2`` → ``bucket/x.zip``, ``memory://corpus.zip`` → ``corpus.zip``)."""
    if "://" not in url:
        return url
    parts = urlsplit(url)
    return parts.netloc.rsplit("@", 1)[-1] + parts.path


def container_kind(name: str) -> str | None:
    """zip, tar or jsonl from how ``name`` (a path or URL) ends; None for anything else."""
    lowered = _path_of(name).lower()
    return next((kind for end, kind in KINDS.items() if lowered.endswith(end)), None)


def container_name(url: str) -> str:
    """The container's own name as documents are named after it: its last path part (``corpus.zip``)."""
    path = _path_of(url).rstrip("/")
    return posixpath.basename(path) or path


def public_url(url: str) -> str:
    """The URL as the manifest and messages show it: without a ``user:password@`` part or a query
    string (where a signed URL carries its signature)."""
    if "://" not in url:
        return url
    return f"{urlsplit(url).scheme}://{_path_of(url)}"


def locate(url: str) -> tuple[fsspec.AbstractFileSystem, str]:
    """(filesystem, path) of a path or URL; an unknown protocol or a missing filesystem package is an
    ``InputError`` saying which package to install."""
    try:
        return cast(tuple[fsspec.AbstractFileSystem, str], fsspec.core.url_to_fs(url))
    except (ImportError, ValueError) as error:
        raise InputError(f"cannot open {public_url(url)}: {error}") from error


def is_local(url: str) -> bool:
    return isinstance(locate(url)[0], LocalFileSystem)


def local_path(url: str) -> str | None:
    """The path on this machine of a plain path (as given) or a ``file://`` URL; None for any other filesystem."""
    if "://" not in url:
        return url
    fs, path = locate(url)
    return path if isinstance(fs, LocalFileSystem) else None


def input_problem(url: str) -> str | None:
    """Why ``--input`` cannot be read, in one line saying what to pass instead; None when it can."""
    if "://" not in url and Path(url).is_dir():
        return None
    try:
        fs, path = locate(url)
        if isinstance(fs, LocalFileSystem) and fs.isdir(path):
            return None
        if not fs.exists(path):
            return f"input {public_url(url)!r} does not exist; pass --input FOLDER, ARCHIVE or FILE.jsonl"
        if fs.isdir(path):
            return (
                f"input {public_url(url)!r} is a folder at a URL, which is not read; pass a local folder, "
                "or a .zip, .tar.gz or .jsonl file at the URL"
            )
    except InputError as error:
        return str(error)
    except OSError as error:
        return f"cannot open {public_url(url)}: {error}"
    if container_kind(url) is None:
        return (
            f"input {public_url(url)!r} is neither a folder nor a container; pass a folder, "
            f"or a file ending in {', '.join(KINDS)}"
        )
    return None


def container_digest(url: str) -> tuple[str, int]:
    """(sha256, size) of the container's bytes, read in chunks."""
    digest, size = hashlib.sha256(), 0
    with fsspec.open(url, "rb") as handle:
        while chunk := handle.read(READ_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def localise(url: str, work: Path) -> str:
    """A path to read the container from: itself when on this machine, else a copy made in ``work``."""
    if is_local(url):
        return url
    work.mkdir(parents=True, exist_ok=True)
    copy = work / container_name(url)
    with fsspec.open(url, "rb") as source, copy.open("wb") as target:
        shutil.copyfileobj(cast(BinaryIO, source), target, READ_CHUNK)
    return str(copy)


@dataclass(frozen=True, slots=True)
class Member:
    """One document of a container, as the run plans and reads it: its bytes at ``offset`` in the pack
    (``offset`` -1 when it is rejected without being read, ``reject`` then saying why)."""

    name: str  # source_name: "corpus.zip:people/a.txt", "people.jsonl:12"
    sha256: str
    n_bytes: int
    offset: int = -1
    reject: str | None = None
    meta: str | None = None
    notes: tuple[Notice, ...] = ()
    utf8: bool = False  # its bytes are known to be UTF-8 text (a JSON Lines record's): not sniffed


@dataclass
class Unpacked:
    """A container's documents and skipped entries: archive members by name, JSON Lines lines in line order."""

    members: list[Member]
    skipped: list[dict[str, str]]


def _packed(source_name: str, entry: Entry, out: BinaryIO, offsets: dict[str, int], utf8: bool) -> Member:
    """The entry's member; its bytes appended to the pack ``out`` unless the same bytes already are."""
    if entry.data is None:
        digest = entry.sha256 or name_sha256(source_name)
        return Member(source_name, digest, entry.n_bytes, -1, entry.reject, entry.meta, entry.notes)
    sha = hashlib.sha256(entry.data).hexdigest()
    if sha not in offsets:
        offsets[sha] = out.tell()
        out.write(entry.data)
    return Member(source_name, sha, entry.n_bytes, offsets[sha], None, entry.meta, entry.notes, utf8)


def damaged(name: str, error: DamagedInput) -> Member:
    """The member that stands for a container that cannot be read (on): ``unreadable``, named by the container."""
    note = Notice(Reject.UNREADABLE, message(Reject.UNREADABLE, error=error))
    return Member(name, name_sha256(name), 0, reject=Reject.UNREADABLE, notes=(note,))


def unpack(url: str, kind: str, pack: Path, max_bytes: int, name: str | None = None) -> Unpacked:
    """Read the container at ``url`` once; each distinct document's bytes go to ``pack`` once.

    A later archive member of the same name replaces an earlier one, as extracting does. A
    container that cannot be read on (not a zip, a truncated gzip stream) is data, like an
    unreadable file: the members read before the damage are kept, and one ``unreadable``
    member named by the container alone (``corpus.tar.gz``) says where reading stopped.
    """
    prefix = name or container_name(url)
    members: dict[str, Member] = {}
    skipped: dict[str, str] = {}
    offsets: dict[str, int] = {}
    damage: list[Member] = []
    pack.parent.mkdir(parents=True, exist_ok=True)
    with fsspec.open(url, "rb") as handle, pack.open("wb") as out:
        try:
            for entry in READERS[kind](cast(BinaryIO, handle), max_bytes):
                source_name = f"{prefix}:{entry.name}"
                if entry.skip is not None:
                    skipped[source_name] = entry.skip
                    continue
                members.pop(source_name, None)
                members[source_name] = _packed(source_name, entry, out, offsets, kind == "jsonl")
        except DamagedInput as error:
            damage.append(damaged(prefix, error))
    listed, names = list(members.values()), list(skipped)
    if kind != "jsonl":  # archive members like a folder's files; records in line order
        listed.sort(key=lambda m: m.name)
        names.sort()
    return Unpacked(listed + damage, [{"source_name": n, "code": skipped[n]} for n in names])


def read_member(member: Member, pack: BinaryIO | None) -> SourceDoc:
    """The member as a SourceDoc: its bytes read from ``pack`` and decoded like a file's (a JSON Lines
    record's text as the UTF-8 it is), or its rejection."""
    if member.offset < 0:
        doc_id = doc_id_of(member.sha256)
        return SourceDoc(
            doc_id, member.name, member.sha256, member.n_bytes, None, None, member.reject, member.notes
        )
    if pack is None:
        raise ValueError(f"{member.name} is in a pack, and no pack is open")
    pack.seek(member.offset)
    source = source_from_bytes(member.name, pack.read(member.n_bytes), member.utf8)
    return replace(source, warnings=(*source.warnings, *member.notes)) if member.notes else source
