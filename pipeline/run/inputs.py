"""EDGE: what ``--input`` names, looked at (``survey``) and listed as a run's documents (``listing``).

- A folder: every file below it is a document (``sources``), read by the workers where it is.
- A container (``containers``: a zip or tar archive, a JSON Lines file; a path or an fsspec
  URL): each entry is a document, unpacked once into a pack file in the run's work folder.

``survey`` looks only as far as the "inputs unchanged" check needs: a folder's files are
hashed one by one, a container is hashed whole (after being copied into the work folder
when it is not on this machine). ``listing`` then gives the planned documents and what the
manifest records of the input: ``inputs`` (every document, copies included, with doc_id,
sha256 and size), ``skipped``, and for a container a ``container`` record (its URL, kind,
name, sha256 and size).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.run.batch import InputFile, plan_inputs, plan_members
from pipeline.run.cache import input_signature
from pipeline.run.containers import (
    InputError,
    container_digest,
    container_kind,
    container_name,
    local_path,
    localise,
    public_url,
    unpack,
)
from pipeline.run.sources import doc_id_of, entry_problem, hidden_entries, list_inputs, source_name_of


@dataclass
class Listing:
    """A run's documents as planned (``doc_id`` order, copies grouped) and the manifest's record of its input."""

    files: list[InputFile]
    root: str  # what the batches get as the input's root
    n_inputs: int  # documents before identical ones were grouped
    manifest: dict[str, Any]


@dataclass
class FolderSurvey:
    root: Path
    paths: list[Path]
    signature: list[dict[str, str]]
    follow_symlinks: bool
    container = False

    def listing(self, work: Path, max_bytes: int) -> Listing:
        shas = {entry["source_name"]: entry["sha256"] for entry in self.signature}
        files = plan_inputs(self.paths, self.root, shas, self.follow_symlinks)
        skipped = [
            {"source_name": source_name_of(p, self.root), "code": "hidden"} for p in hidden_entries(self.root)
        ]
        inputs = manifest_inputs(self.paths, self.root, self.signature, self.follow_symlinks)
        return Listing(files, str(self.root), len(self.paths), {"inputs": inputs, "skipped": skipped})


@dataclass
class ContainerSurvey:
    url: str  # as given
    kind: str
    name: str  # the container's own name, which its documents' names start with
    readable: str  # where it is read from: itself, or its copy in the work folder
    sha256: str
    n_bytes: int
    container = True

    @property
    def signature(self) -> list[dict[str, str]]:
        return [{"source_name": self.name, "sha256": self.sha256}]

    def listing(self, work: Path, max_bytes: int) -> Listing:
        pack = work / "inputs.pack"
        unpacked = unpack(self.readable, self.kind, pack, max_bytes, self.name)
        record = {
            "url": public_url(self.url),
            "kind": self.kind,
            "source_name": self.name,
            "sha256": self.sha256,
            "bytes": self.n_bytes,
        }
        inputs = [
            {"source_name": m.name, "doc_id": doc_id_of(m.sha256), "sha256": m.sha256, "bytes": m.n_bytes}
            for m in unpacked.members
        ]
        manifest = {"inputs": inputs, "skipped": unpacked.skipped, "container": record}
        return Listing(plan_members(unpacked.members, str(pack)), self.url, len(unpacked.members), manifest)


def survey(input_path: str, work: Path, follow_symlinks: bool = False) -> FolderSurvey | ContainerSurvey:
    """The input looked at as far as the "unchanged" check needs; ``work`` is where a remote container is copied.

    Raises ``InputError`` for an input that is neither a folder nor a container.
    """
    local = local_path(input_path)
    if local is not None and Path(local).is_dir():
        root = Path(local).resolve()
        paths = list_inputs(root)
        return FolderSurvey(root, paths, input_signature(paths, root, follow_symlinks), follow_symlinks)
    kind = container_kind(input_path)
    if kind is None:
        raise InputError(
            f"input {public_url(input_path)!r} is neither a folder nor a .zip, .tar.gz or .jsonl file"
        )
    readable = localise(input_path, work / "input")
    sha256, size = container_digest(readable)
    return ContainerSurvey(input_path, kind, container_name(input_path), readable, sha256, size)


def manifest_inputs(
    paths: list[Path], root: Path, signature: list[dict[str, str]], follow_symlinks: bool = False
) -> list[dict[str, Any]]:
    """Every input file (copies included) with its doc_id, sha256 and size, as the manifest lists them."""
    sha = {entry["source_name"]: entry["sha256"] for entry in signature}
    out = []
    for path in paths:
        name = source_name_of(path, root)
        out.append(
            {
                "source_name": name,
                "doc_id": doc_id_of(sha[name]),
                "sha256": sha[name],
                "bytes": path.stat().st_size if entry_problem(path, root, follow_symlinks) is None else 0,
            }
        )
    return out
