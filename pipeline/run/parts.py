"""EDGE: one batch's tables between the stages of a run, kept on disk so memory does not grow with the corpus.

A run parses its documents batch by batch; each batch's rows wait here until the
corpus stage has given every person its id and the tables are validated and
written. A ``Parts`` with a folder keeps each table as a zstd-compressed Arrow IPC file
(decompressed when read back); without a folder (tests, one small batch) the Arrow
tables stay in memory. Either way a table reads back as the same Arrow table, or the
same Arrow-backed frame, it was stored as. Besides the published tables a batch keeps
its name runs (``identity.runs.NAME_RUN_SCHEMA``), which only the corpus stage reads. The
corpus stage keeps its own tables (``persons``, ``person_matches``) in a ``Parts`` of its own,
a record batch at a time (``put_batches``, ``batches``), so they are never whole in memory.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import pandas as pd
import pyarrow as pa

from schemas import arrow_schema, empty_frame, frame_from_arrow

COMPRESSED = pa.ipc.IpcWriteOptions(compression="zstd")
UNCOMPRESSED = pa.ipc.IpcWriteOptions()


def to_arrow_table(table: str, frame: pd.DataFrame) -> pa.Table:
    """The frame as Arrow with the table's schema (no pandas metadata)."""
    return pa.Table.from_pandas(
        frame, schema=arrow_schema(table), preserve_index=False
    ).replace_schema_metadata()


def write_ipc(arrow: pa.Table, path: Path, compress: bool = True) -> None:
    """An Arrow IPC file; uncompressed, ``read_ipc`` maps it without copying it into memory."""
    with (
        pa.OSFile(str(path), "wb") as sink,
        pa.ipc.new_file(sink, arrow.schema, options=COMPRESSED if compress else UNCOMPRESSED) as writer,
    ):
        writer.write_table(arrow)


def read_ipc(path: Path) -> pa.Table:
    """An Arrow IPC file, memory-mapped: an uncompressed one stays in the page cache, not the heap
    (a compressed one is decompressed into memory)."""
    return pa.ipc.open_file(pa.memory_map(str(path), "r")).read_all()


class Parts:
    """A batch's Arrow tables by name, in ``folder`` when given, else in memory."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder
        self._tables: dict[str, pa.Table] = {}
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)

    def put(self, table: str, frame: pd.DataFrame) -> None:
        """A frame of one of the published tables (``schemas``)."""
        self.put_arrow(table, to_arrow_table(table, frame))

    def get(self, table: str) -> pd.DataFrame:
        """The stored frame; an empty frame of the table when none was stored."""
        arrow = self.get_arrow(table)
        return empty_frame(table) if arrow is None else frame_from_arrow(arrow)

    def put_arrow(self, name: str, arrow: pa.Table) -> None:
        if self.folder is None:
            self._tables[name] = arrow
        else:
            write_ipc(arrow, self.folder / f"{name}.arrow")

    def put_batches(self, name: str, schema: pa.Schema, batches: Iterable[pa.RecordBatch]) -> None:
        """A table given a record batch at a time, each written as it comes (in a folder: compressed,
        so only the batch at hand is in memory, here and when ``batches`` reads them back)."""
        if self.folder is None:
            self._tables[name] = pa.Table.from_batches(list(batches), schema)
            return
        with (
            pa.OSFile(str(self.folder / f"{name}.arrow"), "wb") as sink,
            pa.ipc.new_file(sink, schema, options=COMPRESSED) as writer,
        ):
            for batch in batches:
                writer.write_batch(batch)

    def batches(self, name: str) -> Iterator[pa.RecordBatch]:
        """The record batches ``put_batches`` stored, in order, one at a time."""
        if self.folder is None:
            yield from self._tables[name].to_batches()
            return
        reader = pa.ipc.open_file(pa.memory_map(str(self.folder / f"{name}.arrow"), "r"))
        for i in range(reader.num_record_batches):
            yield reader.get_batch(i)

    def get_arrow(self, name: str) -> pa.Table | None:
        """The stored Arrow table; None when none was stored."""
        if self.folder is None:
            return self._tables.get(name)
        path = self.folder / f"{name}.arrow"
        return read_ipc(path) if path.exists() else None
