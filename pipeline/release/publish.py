"""EDGE: turn an output folder into an immutable release folder ``<releases>/<version>/``.

1. Refuse a version that already exists, or a name that is not a plain folder name.
2. Check the output: manifest.json present, every table of the schemas there,
   every file's sha256 as the manifest says, Parquet schemas as the schemas say,
   and the declared foreign keys hold (else the package would not validate).
3. Build, in a fresh temp sibling ``.<version>.tmp-<random>``: the Parquet and CSV
   files (copied byte for byte), manifest.json, datapackage.json, README.md
   (data dictionary), CHANGES.md (against the previous release) and SHA256SUMS.
4. Make the files read-only, fsync, and rename the temp folder into place.
   Any failure removes the temp folder and leaves the releases folder as it was.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.output.write import fsync_path
from pipeline.release.changes import changes_text, compare_inputs, compare_releases
from pipeline.release.datapackage import (
    LICENCE,
    FileInfo,
    broken_foreign_keys,
    build_datapackage,
    data_dictionary,
    first_examples,
)
from schemas import PRIMARY_KEYS, SCHEMAS, arrow_schema

VERSION_NAME = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._+-]{0,99}$")
FORMATS = ("parquet", "csv")


class PublishError(RuntimeError):
    """The release cannot be made; the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class Release:
    path: Path
    previous: str | None
    files: tuple[str, ...]


def check_version(version: str) -> None:
    if not VERSION_NAME.match(version) or version.strip(".") != version or ".." in version:
        raise PublishError(
            f"version {version!r} is not a usable folder name: use letters, digits and . _ + - "
            "(e.g. 1.0.0 or 2026-11-22), starting with a letter or digit"
        )


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def version_order(name: str) -> tuple[tuple[int, int | str], ...]:
    """Natural order: ``1.10.0`` after ``1.9.0``; numbers before words within a position."""
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in re.findall(r"\d+|[^\d.+_-]+", name))


def previous_release(releases: Path, version: str) -> str | None:
    """The newest finished release older than ``version`` (natural order), or None."""
    if not releases.is_dir():
        return None
    done = [
        p.name
        for p in releases.iterdir()
        if p.is_dir() and not p.name.startswith(".") and (p / "datapackage.json").is_file()
    ]
    older = [n for n in done if version_order(n) < version_order(version)]
    return max(older, key=version_order) if older else None


def read_manifest(source: Path) -> dict[str, Any]:
    path = source / "manifest.json"
    if not path.is_file():
        raise PublishError(
            f"{path} not found: {source} is not a pipeline output folder; "
            "run `python -m pipeline run --output DIR` first, or pass --from DIR"
        )
    manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return manifest


def check_output(source: Path, manifest: Mapping[str, Any]) -> dict[str, dict[str, FileInfo]]:
    """table → format → file, after checking every table is there and unchanged since the run."""
    listed = manifest.get("tables", {})
    missing = [t for t in SCHEMAS if t not in listed]
    if missing:
        raise PublishError(
            f"{source} lacks tables {missing} that the schemas define: it was written by an older "
            "pipeline; rerun `python -m pipeline run` before publishing"
        )
    files: dict[str, dict[str, FileInfo]] = {}
    for table in SCHEMAS:
        files[table] = {}
        for fmt in FORMATS:
            entry = listed[table]["files"][fmt]
            path = source / entry["path"]
            actual = sha256_of(path) if path.is_file() else "missing"
            if actual != entry["sha256"]:
                raise PublishError(
                    f"{path} does not match manifest.json (sha256 {actual[:12]}, expected "
                    f"{entry['sha256'][:12]}): the output was changed or half-written; rerun the pipeline"
                )
            files[table][fmt] = FileInfo(path.name, path.stat().st_size, actual)
    return files


def read_tables(folder: Path, tables: list[str] | None = None) -> dict[str, pa.Table]:
    """The Parquet tables of a folder (all ``*.parquet`` when ``tables`` is None)."""
    names = tables if tables is not None else sorted(p.stem for p in folder.glob("*.parquet"))
    return {t: pq.read_table(folder / f"{t}.parquet") for t in names if (folder / f"{t}.parquet").is_file()}


def check_data(tables: Mapping[str, pa.Table]) -> None:
    for table, data in tables.items():
        expected = arrow_schema(table)
        if not data.schema.equals(expected):
            raise PublishError(
                f"{table}.parquet does not have the schema's columns and types; "
                "rerun `python -m pipeline run` with this version of the code before publishing"
            )
    problems = broken_foreign_keys(tables)
    if problems:
        raise PublishError(
            "foreign keys do not hold, so the package would not validate:\n  " + "\n  ".join(problems)
        )


def sha256sums(folder: Path, names: list[str]) -> str:
    """``sha256sum -c`` format: hash, two spaces, file name."""
    return "".join(f"{sha256_of(folder / n)}  {n}\n" for n in sorted(names))


def _changes(
    releases: Path,
    previous: str | None,
    version: str,
    tables: Mapping[str, pa.Table],
    manifest: Mapping[str, Any],
) -> str:
    if previous is None:
        changes = compare_releases({}, tables, PRIMARY_KEYS)
        return changes_text(version, None, changes)
    old_dir = releases / previous
    old_tables = read_tables(old_dir)
    keys = {**{t: tuple(PRIMARY_KEYS.get(t, ())) for t in old_tables}, **PRIMARY_KEYS}
    unknown = [t for t in old_tables if not keys[t]]
    for t in unknown:  # a table the schemas no longer define: compare whole rows
        keys[t] = tuple(old_tables[t].column_names)
    old_manifest = json.loads((old_dir / "manifest.json").read_text(encoding="utf-8"))
    inputs = compare_inputs(old_manifest.get("inputs", []), manifest.get("inputs", []))
    return changes_text(version, previous, compare_releases(old_tables, tables, keys), inputs)


def _build(
    tmp: Path, source: Path, version: str, licence: str, previous: str | None, releases: Path, created: str
) -> list[str]:
    manifest = read_manifest(source)
    files = check_output(source, manifest)
    tables = read_tables(source, list(SCHEMAS))
    check_data(tables)
    written: list[str] = []
    for table_files in files.values():
        for info in table_files.values():
            shutil.copyfile(source / info.path, tmp / info.path)
            written.append(info.path)
    shutil.copyfile(source / "manifest.json", tmp / "manifest.json")
    examples = {t: first_examples(data) for t, data in tables.items()}
    package = build_datapackage(version, files, examples, manifest, created, licence)
    texts = {
        "datapackage.json": json.dumps(package, indent=2, ensure_ascii=False) + "\n",
        "README.md": data_dictionary(version, {t: d.num_rows for t, d in tables.items()}, examples, licence),
        "CHANGES.md": _changes(releases, previous, version, tables, manifest),
    }
    for name, text in texts.items():
        (tmp / name).write_text(text, encoding="utf-8")
    written += ["manifest.json", *texts]
    (tmp / "SHA256SUMS").write_text(sha256sums(tmp, written), encoding="utf-8")
    written.append("SHA256SUMS")
    for name in written:
        (tmp / name).chmod(0o444)
        fsync_path(tmp / name)
    tmp.chmod(0o755)
    fsync_path(tmp)
    return sorted(written)


def publish(
    version: str,
    source: Path = Path("output"),
    releases: Path = Path("releases"),
    licence: str = LICENCE,
    created: str | None = None,
) -> Release:
    """Write ``releases/<version>/`` from the output folder ``source``; never touches an existing release."""
    check_version(version)
    source, releases = Path(source), Path(releases)
    target = releases / version
    if target.exists() or target.is_symlink():
        raise PublishError(
            f"release {version} already exists at {target}; releases are immutable: publish under a new "
            "--version (or, if that release was a mistake nobody has used, delete the folder by hand)"
        )
    if not source.is_dir():
        raise PublishError(
            f"output folder {source} does not exist; run `python -m pipeline run` or pass --from DIR"
        )
    releases.mkdir(parents=True, exist_ok=True)
    previous = previous_release(releases, version)
    stamp = created or datetime.now(UTC).isoformat(timespec="seconds")
    tmp = Path(tempfile.mkdtemp(prefix=f".{version}.tmp-", dir=releases))
    try:
        written = _build(tmp, source, version, licence, previous, releases, stamp)
        if target.exists():  # another publish of the same version won the race
            raise PublishError(
                f"release {version} appeared at {target} while publishing; nothing was changed"
            )
        os.rename(tmp, target)
        fsync_path(releases)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return Release(target, previous, tuple(written))
