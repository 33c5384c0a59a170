"""EDGE: the incremental-run caches.

Two levels, both keyed on content, never on file names or times:

1. Per document: the rows one document gives depend only on its bytes and on the
   pipeline (the fingerprint below), so they are stored under
   ``<cache>/<fingerprint>/<sha256>.pkl`` (a ``tables.DocOutput``: rows, name runs as Arrow,
   draft persons rows). A document whose bytes and pipeline have not changed is not parsed again.
2. Whole run: when every input's (name, sha256) and the fingerprint equal what the
   previous run's ``manifest.json`` recorded, and every output file still has the
   checksum the manifest gives, the previous output *is* the output of this run;
   nothing is rebuilt. For a folder the inputs are its files; for a container (an
   archive, a JSON Lines file) the container itself, whose bytes decide its documents.

The fingerprint hashes the package version, the source of every module in
``pipeline/`` and ``schemas/``, the versions of Python and of the libraries that shape
the rows (``ROW_LIBRARIES``) and the run options that change rows, so any change of
code, of those libraries or of those options invalidates both levels. (Prefect's own task
cache works per task run, i.e. per batch: one changed document would re-parse its whole batch.)
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import pickle
import platform
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

import pipeline
from pipeline.run.sources import content_sha256, hash_file, source_name_of

PACKAGE_ROOT = Path(pipeline.__file__).resolve().parent
SOURCE_DIRS = (PACKAGE_ROOT, PACKAGE_ROOT.parent / "schemas")
ROW_LIBRARIES = (
    "charset-normalizer",  # which legacy encoding a document is decoded with
    "convertdate",  # calendar conversions
    "PyMeeus",  # convertdate's astronomy
    "iuliia",  # transliteration of Cyrillic names
    "numpy",
    "pandas",
    "pandera",  # which rows are quarantined, and why
    "pyarrow",  # the written bytes
    "python-slugify",  # person ids
    "text-unidecode",  # python-slugify's transliteration
    "RapidFuzz",  # name similarity, so which candidates merge
    "regex",
)
"""The distributions whose code decides the rows and bytes of a run (a test checks that every
library ``pipeline/`` and ``schemas/`` import is here or only orchestrates: Prefect, Dask, fsspec,
frictionless)."""


def library_versions() -> tuple[str, ...]:
    """``name==version`` of Python and of every ``ROW_LIBRARIES`` distribution (``missing`` if not installed)."""

    def version(name: str) -> str:
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            return "missing"

    return (f"python=={platform.python_version()}", *(f"{name}=={version(name)}" for name in ROW_LIBRARIES))


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """sha256 over the pipeline's version, its source files and ``library_versions`` (16 hex digits)."""
    digest = hashlib.sha256(pipeline.__version__.encode())
    digest.update("\n".join(library_versions()).encode())
    for folder in SOURCE_DIRS:
        for path in sorted(folder.rglob("*.py")):
            digest.update(path.relative_to(folder.parent).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def run_fingerprint(max_bytes: int) -> str:
    return f"{code_fingerprint()}-{max_bytes}"


class DocCache:
    """Rows of already-parsed documents, one pickle per (fingerprint, sha256)."""

    def __init__(self, folder: Path, fingerprint: str) -> None:
        self.folder = Path(folder) / fingerprint

    def _path(self, sha256: str) -> Path:
        return self.folder / sha256[:2] / f"{sha256}.pkl"

    def get(self, sha256: str) -> Any | None:
        try:
            with self._path(sha256).open("rb") as handle:
                return pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return None  # a missing or unreadable entry is a miss, never an error

    def put(self, sha256: str, value: Any) -> None:
        path = self._path(sha256)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def input_signature(paths: list[Path], root: Path, follow_symlinks: bool = False) -> list[dict[str, str]]:
    """(source_name, sha256) of every input, in listing order."""
    return [
        {"source_name": source_name_of(p, root), "sha256": content_sha256(p, root, follow_symlinks)}
        for p in paths
    ]


def output_is_current(
    output_dir: Path, signature: list[dict[str, str]], fingerprint: str, container: bool = False
) -> bool:
    """Does ``output_dir`` already hold the output of these inputs with this pipeline, intact?

    ``signature`` is a folder's files, or with ``container`` the one container the run reads
    (compared with the manifest's ``container`` record, so a folder's run never matches a container's).
    """
    try:
        manifest = json.loads((Path(output_dir) / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if manifest.get("fingerprint") != fingerprint or ("container" in manifest) != container:
        return False
    inputs = [manifest["container"]] if container else manifest.get("inputs", [])
    recorded = sorted((i["source_name"], i["sha256"]) for i in inputs)
    if recorded != sorted((i["source_name"], i["sha256"]) for i in signature):
        return False
    written = [f for info in manifest.get("tables", {}).values() for f in info.get("files", {}).values()]
    if "report" in manifest:
        written.append(manifest["report"])
    for file_info in written:
        path = Path(output_dir) / file_info["path"]
        if not path.is_file() or hash_file(path)[0] != file_info["sha256"]:
            return False
    return True
