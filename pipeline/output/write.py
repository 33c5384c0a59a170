"""EDGE: write every table as Parquet and CSV plus manifest.json, swapped into place atomically.

1. Tables arrive as frames, batch by batch (``write_stream``) or whole
   (``write_outputs``). Each frame becomes Arrow with its schema's types, sorted
   by its primary key (then every other sortable column), with our own pandas
   metadata (pyarrow's breaks ``pd.read_parquet`` on list columns).
2. A table keyed first by ``doc_id`` is written batch after batch; any other is
   spilled as sorted parts and merged. Files are written in row groups of a fixed
   size, so the same rows give the same bytes however they were batched, and no
   table is ever held whole.
3. Files go to a fresh sibling temp dir ``.<out>.tmp-<random>``, each fsynced; the
   report and the manifest's counts are read back from the written Parquet.
4. The old output dir is renamed aside, the temp dir renamed in, the old one
   deleted. A failure before step 4 leaves the previous output untouched and
   removes the temp dir; nothing but our temp dirs and the replaced output dir
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
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

import pipeline
from pipeline.output.view import OutputView, Tally, read_view
from pipeline.present.report import render_report
from pipeline.run.parts import read_ipc, write_ipc
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
ROW_GROUP_ROWS = 1 << 16
TABLE_KEY = b"pipeline.table"


def to_arrow(table: str, frame: pd.DataFrame) -> pa.Table:
    """The frame as an Arrow table with the schema's types, sorted, and our own metadata."""
    columns = list(COLUMNS[table])
    if set(frame.columns) != set(columns):
        raise ValueError(f"{table}: columns {list(frame.columns)} are not the contract's {columns}")
    arrow = pa.Table.from_pandas(frame[columns], schema=arrow_schema(table), preserve_index=False)
    return sort_rows(table, arrow).replace_schema_metadata(file_metadata(table))


def file_metadata(table: str) -> dict[bytes, bytes]:
    """Schema metadata of a table's Parquet file: schema version, table name, pandas dtypes."""
    return {
        SCHEMA_VERSION_KEY: SCHEMA_VERSION.encode(),
        TABLE_KEY: table.encode(),
        b"pandas": pandas_metadata(arrow_schema(table)),
    }


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


def sort_columns(table: str, schema: pa.Schema) -> list[str]:
    """The row order: primary key, then every other non-list column."""
    rest = [f.name for f in schema if f.name not in PRIMARY_KEYS[table] and not pa.types.is_list(f.type)]
    return [*PRIMARY_KEYS[table], *rest]


def sort_order(table: str, arrow: pa.Table) -> pa.Array:
    """The row positions in ``sort_columns`` order, nulls last: a stable sort (ties keep input order)."""
    keys = [(name, "ascending", "at_end") for name in sort_columns(table, arrow.schema)]
    return pc.sort_indices(arrow, sort_keys=keys)


def sort_rows(table: str, arrow: pa.Table) -> pa.Table:
    """Rows in ``sort_columns`` order, nulls last: independent of input order."""
    return arrow.take(sort_order(table, arrow))


def merge_sorted(table: str, parts: Sequence[pa.Table]) -> Iterator[pa.Table]:
    """Sorted parts of one table → the rows in sorted order, ``ROW_GROUP_ROWS`` at a time.

    The parts stacked and sorted stably (``sort_order``: ties keep part order), at C speed;
    besides the parts (memory-mapped files) only the row order is held, 8 bytes a row, and
    each group of rows is taken from the parts when it is written.
    """
    if not parts:
        return
    stacked = pa.concat_tables(parts)
    order = sort_order(table, stacked)
    for start in range(0, len(order), ROW_GROUP_ROWS):
        yield stacked.take(order.slice(start, ROW_GROUP_ROWS))


def _json_list(value: list[Any] | None) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def csv_ready(arrow: pa.Table) -> pa.Table:
    """List columns as JSON array text (null stays null, so ``[]`` and null stay apart)."""
    for i, field in enumerate(arrow.schema):
        if pa.types.is_list(field.type):
            text = pa.array([_json_list(v) for v in arrow.column(i).to_pylist()], pa.string())
            arrow = arrow.set_column(i, pa.field(field.name, pa.string(), field.nullable), text)
    return arrow


class TableFiles:
    """One table's Parquet and CSV files, written in row groups of exactly ``ROW_GROUP_ROWS`` rows.

    Fixed row groups make the files' bytes depend on the rows only, never on how
    they arrived (batch size, number of chunks).
    """

    def __init__(self, table: str, folder: Path) -> None:
        schema = arrow_schema(table).with_metadata(file_metadata(table))
        self.table = table
        self.schema = schema
        self.parquet = pq.ParquetWriter(folder / f"{table}.parquet", schema, **PARQUET_OPTIONS)
        self.csv = pacsv.CSVWriter(
            folder / f"{table}.csv", csv_ready(schema.empty_table()).schema, write_options=CSV_OPTIONS
        )
        self.pending: list[pa.Table] = []
        self.n_pending = 0
        self.flushed = 0

    def write(self, arrow: pa.Table) -> None:
        self.pending.append(arrow.replace_schema_metadata(self.schema.metadata))
        self.n_pending += arrow.num_rows
        while self.n_pending >= ROW_GROUP_ROWS:
            rows = pa.concat_tables(self.pending)
            self._flush(rows.slice(0, ROW_GROUP_ROWS))
            rest = rows.slice(ROW_GROUP_ROWS)
            self.pending, self.n_pending = [rest], rest.num_rows

    def _flush(self, rows: pa.Table) -> None:
        self.parquet.write_table(rows, row_group_size=ROW_GROUP_ROWS)
        self.csv.write_table(csv_ready(rows))
        self.flushed += rows.num_rows

    def close(self) -> None:
        """Write the last rows (an empty table gets one empty row group) and close both files."""
        if self.n_pending or not self.flushed:
            rows = pa.concat_tables(self.pending) if self.pending else self.schema.empty_table()
            self._flush(rows.combine_chunks())
        self.parquet.close()
        self.csv.close()


def _doc_ordered(table: str) -> bool:
    return PRIMARY_KEYS[table][0] == "doc_id"


def write_table(table: str, frames: Iterable[pd.DataFrame], folder: Path, spill: Path) -> dict[str, Any]:
    """One table's files from its frames, sorted; their file entries for the manifest.

    A table keyed first by ``doc_id`` arrives in batches of ascending, disjoint
    ``doc_id`` s: each sorted batch is written as it comes. Any other table's sorted
    batches are spilled to ``spill`` and merged, so no table is ever held whole.
    """
    files = TableFiles(table, folder)
    parts: list[pa.Table] = []
    last_doc: str | None = None
    for n, frame in enumerate(frames):
        arrow = to_arrow(table, frame)
        if not arrow.num_rows:
            continue
        if _doc_ordered(table):
            first_doc = arrow["doc_id"][0].as_py()
            if last_doc is not None and first_doc <= last_doc:
                raise RuntimeError(f"{table}: batches are not in doc_id order ({first_doc} after {last_doc})")
            last_doc = arrow["doc_id"][-1].as_py()
            files.write(arrow)
        else:
            path = spill / f"{table}-{n:06d}.arrow"
            write_ipc(arrow, path, compress=False)  # mapped, not loaded, while the parts are merged
            parts.append(read_ipc(path))
    for rows in merge_sorted(table, parts):
        files.write(rows)
    files.close()
    return {"parquet": seal(folder / f"{table}.parquet"), "csv": seal(folder / f"{table}.csv")}


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


def _by_value(tally: Tally) -> dict[str, int]:
    """Rows per non-null value of a one-part tally, in value order."""
    return dict(sorted((key[0], n) for key, n in tally.as_text(None).items()))


def _json_default(value: Any) -> Any:
    if hasattr(value, "item"):  # numpy and Arrow scalars
        return value.item()
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"manifest value {value!r} of type {type(value).__name__} is not JSON-serialisable")


def build_manifest(
    view: OutputView,
    files: Mapping[str, dict[str, dict[str, Any]]],
    out_dir: Path,
    extra: Mapping[str, Any],
) -> dict[str, Any]:
    """The manifest: versions, run id and time, inputs, per-table rows/columns/files, counts."""
    counts: dict[str, Any] = {
        "warnings_by_code": _by_value(view.tallies["warnings"]),
        "dropped_by_rule": _by_value(view.tallies["dropped"]),
        "quarantined_by_reason": _by_value(view.tallies["quarantine"].of("reason_code")),
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
                name: {"rows": view.profiles[name].rows, "columns": list(COLUMNS[name]), "files": files[name]}
                for name in SCHEMAS
            },
            "counts": counts,
        }
    )
    return manifest


class Written(NamedTuple):
    """What ``write_stream`` wrote: the manifest, and the view of the tables it was drawn from (the
    counts the summary and report read; ``view.read_view`` of the output gives the same)."""

    manifest: dict[str, Any]
    view: OutputView


def _write_all(
    chunks: Iterable[tuple[str, Iterable[pd.DataFrame]]], tmp: Path, out_dir: Path, extra: Mapping[str, Any]
) -> Written:
    files: dict[str, dict[str, dict[str, Any]]] = {}
    with tempfile.TemporaryDirectory(prefix=f".{out_dir.name}.merge-", dir=tmp.parent) as spill:
        for name, frames in chunks:
            if name not in SCHEMAS:
                raise KeyError(f"unknown table {name!r}; known tables: {', '.join(SCHEMAS)}")
            files[name] = write_table(name, frames, tmp, Path(spill))
        for name in SCHEMAS:
            if name not in files:
                files[name] = write_table(name, [], tmp, Path(spill))
    view = read_view(tmp)
    manifest = build_manifest(view, files, out_dir, extra)
    (tmp / REPORT).write_text(render_report(view, manifest), encoding="utf-8")
    manifest["report"] = seal(tmp / REPORT)
    text = json.dumps(manifest, sort_keys=True, indent=2, ensure_ascii=False, default=_json_default) + "\n"
    (tmp / "manifest.json").write_text(text, encoding="utf-8")
    seal(tmp / "manifest.json")
    fsync_path(tmp)
    return Written(manifest, view)


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


def output_problem(out_dir: Path) -> str | None:
    """Why the run could not write ``out_dir``, said so a user can act on it; None when it can.

    Checked before any work: the output is a folder (or does not exist yet), and its parent
    exists or can be made and takes new files (the run stages and swaps its files there).
    """
    if out_dir.exists() and not out_dir.is_dir():
        return f"output path {str(out_dir)!r} is a file, not a folder; pass --output DIR (a folder or a new path)"
    parent = out_dir.resolve().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        probe = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.probe-", dir=parent))
        probe.rmdir()
    except NotADirectoryError:
        return f"cannot make {str(parent)!r}: part of that path is a file; pass another --output"
    except OSError as error:
        reason = error.strerror or type(error).__name__
        return f"cannot write in {str(parent)!r} ({reason}); fix its permissions or pass another --output"
    return None


def write_outputs(
    tables: Mapping[str, pd.DataFrame], out_dir: Path, manifest_extra: Mapping[str, Any]
) -> dict[str, Any]:
    """Write every table (a missing one as empty) and manifest.json to ``out_dir`` atomically.

    The whole-table case of ``write_stream``; returns the manifest.
    """
    unknown = set(tables) - set(SCHEMAS)
    if unknown:
        raise KeyError(f"unknown tables {sorted(unknown)}; known tables: {', '.join(SCHEMAS)}")
    return write_stream(
        ((name, [tables.get(name, empty_frame(name))]) for name in SCHEMAS), out_dir, manifest_extra
    ).manifest


def write_stream(
    chunks: Iterable[tuple[str, Iterable[pd.DataFrame]]], out_dir: Path, manifest_extra: Mapping[str, Any]
) -> Written:
    """Write each table from its frames (consumed one at a time), the report and manifest.json, atomically.

    Returns the manifest and the view of the written tables. ``manifest_extra`` may carry ``inputs``, ``pipeline_version``,
    ``run_id``, ``run_time`` and ``counts`` (merged over the counts computed here);
    other keys are copied into the manifest as they are.
    """
    out_dir = Path(out_dir).absolute()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    mode = out_dir.stat().st_mode & 0o777 if out_dir.is_dir() else 0o755
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    try:
        written = _write_all(chunks, tmp, out_dir, manifest_extra)
        tmp.chmod(mode)
        swap_into_place(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return written
