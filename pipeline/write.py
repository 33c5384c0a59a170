"""EDGE: write every table as Parquet and CSV plus manifest.json, swapped into place atomically.

1. Each table is converted to Arrow with its schema's types, sorted by its
   primary key (then every other sortable column), and stripped of pandas
   metadata (it breaks ``pd.read_parquet`` on list columns).
2. Files go to a fresh sibling temp dir ``.<out>.tmp-<random>``, each fsynced.
3. The old output dir is renamed aside, the temp dir renamed in, the old one
   deleted. A failure before step 3 leaves the previous output untouched and
   removes the temp dir; nothing but our temp dir and the replaced output dir
   is ever deleted.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import tempfile
import uuid
from collections import Counter
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

import pipeline
from pipeline.report import render_report
from schemas import COLUMNS, PRIMARY_KEYS, SCHEMA_VERSION, SCHEMAS, arrow_schema, empty_frame

PARQUET_OPTIONS: dict[str, Any] = {
    "compression": "zstd",
    "compression_level": 3,
    "use_dictionary": True,
    "write_statistics": True,
    "version": "2.6",
    "data_page_version": "1.0",
    "use_compliant_nested_type": True,
    "store_schema": True,
}
CSV_OPTIONS = pacsv.WriteOptions(include_header=True, delimiter=",", quoting_style="needed")
REPORT = "report.html"
SCHEMA_VERSION_KEY = b"pipeline.schema_version"
TABLE_KEY = b"pipeline.table"


def to_arrow(table: str, frame: pd.DataFrame) -> pa.Table:
    """The frame as an Arrow table with the schema's types, sorted, and no pandas metadata."""
    columns = list(COLUMNS[table])
    if set(frame.columns) != set(columns):
        raise ValueError(f"{table}: columns {list(frame.columns)} are not the contract's {columns}")
    arrow = pa.Table.from_pandas(frame[columns], schema=arrow_schema(table), preserve_index=False)
    arrow = sort_rows(table, arrow)
    return arrow.replace_schema_metadata(
        {
            SCHEMA_VERSION_KEY: SCHEMA_VERSION.encode(),
            TABLE_KEY: table.encode(),
            b"pandas": pandas_metadata(arrow.schema),
        }
    )


_NULLABLE_PANDAS = {"int8": "Int8", "int16": "Int16", "int32": "Int32", "int64": "Int64", "bool": "boolean"}


def pandas_metadata(schema: pa.Schema) -> bytes:
    """Hand-made ``pandas`` metadata so a plain ``pd.read_parquet`` keeps nullable ints and bools.

    pyarrow's own metadata names list columns by an Arrow dtype string that
    ``pd.read_parquet`` cannot read back; this one maps ints and bools to pandas'
    nullable dtypes and leaves every other column to the default conversion.
    """
    columns = []
    for field in schema:
        arrow_type = str(field.type)
        numpy_type = _NULLABLE_PANDAS.get(arrow_type, "object")
        pandas_type = "list[unicode]" if pa.types.is_list(field.type) else arrow_type
        if pa.types.is_string(field.type):
            numpy_type, pandas_type = "str", "unicode"
        elif pa.types.is_floating(field.type):
            numpy_type = pandas_type = "float64"
        columns.append(
            {
                "name": field.name,
                "field_name": field.name,
                "pandas_type": pandas_type,
                "numpy_type": numpy_type,
                "metadata": None,
            }
        )
    meta = {
        "index_columns": [],
        "column_indexes": [],
        "columns": columns,
        "attributes": {},
        "creator": {"library": "pipeline"},
        "pandas_version": pd.__version__,
    }
    return json.dumps(meta, sort_keys=True).encode()


def sort_rows(table: str, arrow: pa.Table) -> pa.Table:
    """Rows in primary-key order, ties broken by every other non-list column: independent of input order."""
    rest = [
        f.name for f in arrow.schema if f.name not in PRIMARY_KEYS[table] and not pa.types.is_list(f.type)
    ]
    keys = [(name, "ascending", "at_end") for name in (*PRIMARY_KEYS[table], *rest)]
    return arrow.take(pc.sort_indices(arrow, sort_keys=keys))  # a stable sort


def _json_list(value: list[Any] | None) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def csv_ready(arrow: pa.Table) -> pa.Table:
    """List columns as JSON array text (null stays null, so ``[]`` and null stay apart)."""
    for i, field in enumerate(arrow.schema):
        if pa.types.is_list(field.type):
            text = pa.array([_json_list(v) for v in arrow.column(i).to_pylist()], pa.string())
            arrow = arrow.set_column(i, pa.field(field.name, pa.string(), field.nullable), text)
    return arrow


def write_parquet(arrow: pa.Table, path: Path) -> None:
    pq.write_table(arrow, path, **PARQUET_OPTIONS)


def write_csv(arrow: pa.Table, path: Path) -> None:
    pacsv.write_csv(csv_ready(arrow), path, CSV_OPTIONS)


def seal(path: Path) -> dict[str, Any]:
    """fsync a written file; its size and sha256."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
        os.fsync(f.fileno())
    return {"path": path.name, "bytes": path.stat().st_size, "sha256": digest.hexdigest()}


def fsync_path(path: Path) -> None:
    """fsync a file or a directory (so a rename into it is durable)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _counts(frame: pd.DataFrame | None, column: str) -> dict[str, int]:
    if frame is None or frame.empty:
        return {}
    return dict(sorted(Counter(str(v) for v in frame[column].dropna()).items()))


def _json_default(value: Any) -> Any:
    if hasattr(value, "item"):  # numpy and Arrow scalars
        return value.item()
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"manifest value {value!r} of type {type(value).__name__} is not JSON-serialisable")


def build_manifest(
    tables: Mapping[str, pd.DataFrame],
    files: Mapping[str, dict[str, dict[str, Any]]],
    out_dir: Path,
    extra: Mapping[str, Any],
) -> dict[str, Any]:
    """The manifest: versions, run id and time, inputs, per-table rows/columns/files, counts."""
    counts: dict[str, Any] = {
        "warnings_by_code": _counts(tables.get("warnings"), "code"),
        "dropped_by_rule": _counts(tables.get("dropped"), "rule"),
        "quarantined_by_reason": _counts(tables.get("quarantine"), "reason_code"),
    }
    counts.update(extra.get("counts", {}))
    manifest = {k: v for k, v in extra.items() if k != "counts"}
    manifest.update(
        {
            "pipeline_version": extra.get("pipeline_version", pipeline.__version__),
            "schema_version": SCHEMA_VERSION,
            "run_id": extra.get("run_id") or uuid.uuid4().hex,
            "run_time": extra.get("run_time") or datetime.now(UTC).isoformat(timespec="seconds"),
            "output_dir": str(out_dir),
            "inputs": extra.get("inputs", []),
            "tables": {
                name: {"rows": len(tables[name]), "columns": list(COLUMNS[name]), "files": files[name]}
                for name in SCHEMAS
            },
            "counts": counts,
        }
    )
    return manifest


def _write_all(
    tables: Mapping[str, pd.DataFrame], tmp: Path, out_dir: Path, extra: Mapping[str, Any]
) -> dict[str, Any]:
    files: dict[str, dict[str, dict[str, Any]]] = {}
    for name in SCHEMAS:
        arrow = to_arrow(name, tables[name])
        write_parquet(arrow, tmp / f"{name}.parquet")
        write_csv(arrow, tmp / f"{name}.csv")
        files[name] = {"parquet": seal(tmp / f"{name}.parquet"), "csv": seal(tmp / f"{name}.csv")}
    manifest = build_manifest(tables, files, out_dir, extra)
    (tmp / REPORT).write_text(render_report(dict(tables), manifest), encoding="utf-8")
    manifest["report"] = seal(tmp / REPORT)
    text = json.dumps(manifest, sort_keys=True, indent=2, ensure_ascii=False, default=_json_default) + "\n"
    (tmp / "manifest.json").write_text(text, encoding="utf-8")
    seal(tmp / "manifest.json")
    fsync_path(tmp)
    return manifest


def swap_into_place(new: Path, out_dir: Path) -> None:
    """Replace ``out_dir`` by ``new`` with two renames; the old dir is deleted only once the new one is in."""
    old: Path | None = None
    if out_dir.exists() or out_dir.is_symlink():
        if not out_dir.is_dir() or out_dir.is_symlink():
            raise NotADirectoryError(f"{out_dir} exists and is not a plain directory; refusing to replace it")
        old = out_dir.parent / f".{out_dir.name}.old-{secrets.token_hex(6)}"
        os.rename(out_dir, old)
    try:
        os.rename(new, out_dir)
    except BaseException:
        if old is not None:
            os.rename(old, out_dir)
        raise
    fsync_path(out_dir.parent)
    if old is not None:
        shutil.rmtree(old)


def write_outputs(
    tables: Mapping[str, pd.DataFrame], out_dir: Path, manifest_extra: Mapping[str, Any]
) -> dict[str, Any]:
    """Write every table (a missing one as empty) and manifest.json to ``out_dir`` atomically.

    Returns the manifest.

    ``manifest_extra`` may carry ``inputs``, ``pipeline_version``, ``run_id``,
    ``run_time`` and ``counts`` (merged over the counts computed here); other
    keys are copied into the manifest as they are.
    """
    unknown = set(tables) - set(SCHEMAS)
    if unknown:
        raise KeyError(f"unknown tables {sorted(unknown)}; known tables: {', '.join(SCHEMAS)}")
    full = {name: tables[name] if name in tables else empty_frame(name) for name in SCHEMAS}
    out_dir = Path(out_dir).absolute()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    mode = out_dir.stat().st_mode & 0o777 if out_dir.is_dir() else 0o755
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    try:
        manifest = _write_all(full, tmp, out_dir, manifest_extra)
        tmp.chmod(mode)
        swap_into_place(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return manifest
