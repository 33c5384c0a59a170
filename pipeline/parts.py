"""EDGE: one batch's tables between the stages of a run, kept on disk so memory does not grow with the corpus.

A run parses its documents batch by batch; each batch's rows wait here until the
corpus stage has given every person its id and the tables are validated and
written. A ``Parts`` with a folder keeps each table as an Arrow IPC file, read back
memory-mapped (pages the kernel can drop, not heap); without a folder (tests, one
small batch) the frames stay in memory. Either way a table reads back as the same
Arrow-backed frame it was stored as.
"""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from schemas import arrow_schema, empty_frame

COMPRESSED = pa.ipc.IpcWriteOptions(compression="zstd")
UNCOMPRESSED = pa.ipc.IpcWriteOptions()


def to_arrow_table(table: str, frame: pd.DataFrame) -> pa.Table:
    """The frame as Arrow with the table's schema (no pandas metadata)."""
    return pa.Table.from_pandas(
        frame, schema=arrow_schema(table), preserve_index=False
    ).replace_schema_metadata()


def to_frame(arrow: pa.Table) -> pd.DataFrame:
    """An Arrow table as an Arrow-backed frame with a RangeIndex, as ``schemas.frame_from_rows`` makes."""
    return arrow.to_pandas(types_mapper=pd.ArrowDtype, ignore_metadata=True)


def write_ipc(arrow: pa.Table, path: Path, compress: bool = True) -> None:
    """An Arrow IPC file; uncompressed, ``read_ipc`` maps it without copying it into memory."""
    with (
        pa.OSFile(str(path), "wb") as sink,
        pa.ipc.new_file(sink, arrow.schema, options=COMPRESSED if compress else UNCOMPRESSED) as writer,
    ):
        writer.write_table(arrow)


def read_ipc(path: Path) -> pa.Table:
    """An Arrow IPC file, memory-mapped: an uncompressed one stays in the page cache, not the heap."""
    return pa.ipc.open_file(pa.memory_map(str(path), "r")).read_all()


class Parts:
    """A batch's frames by table name, in ``folder`` when given, else in memory."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder
        self._frames: dict[str, pd.DataFrame] = {}
        self._objects: dict[str, Any] = {}
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)

    def put(self, table: str, frame: pd.DataFrame) -> None:
        if self.folder is None:
            self._frames[table] = frame
        else:
            write_ipc(to_arrow_table(table, frame), self.folder / f"{table}.arrow")

    def get(self, table: str) -> pd.DataFrame:
        """The stored frame; an empty frame of the table when none was stored."""
        if self.folder is None:
            return self._frames.get(table, empty_frame(table))
        path = self.folder / f"{table}.arrow"
        return to_frame(read_ipc(path)) if path.exists() else empty_frame(table)

    def put_object(self, name: str, value: Any) -> None:
        """A Python value that is no table (the corpus stage's name runs)."""
        if self.folder is None:
            self._objects[name] = value
        else:
            (self.folder / f"{name}.pkl").write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))

    def get_object(self, name: str) -> Any:
        if self.folder is None:
            return self._objects[name]
        return pickle.loads((self.folder / f"{name}.pkl").read_bytes())
