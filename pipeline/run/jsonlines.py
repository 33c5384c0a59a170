"""The records of a JSON Lines file as entries: one document per line, its ``text`` and its other fields.

Each entry is named by its line number (1-based). Rules, in order, for each line:

1. a line over ``max_bytes`` → ``too-large``: hashed as it streams by, never held whole;
2. nothing but whitespace → skipped as ``blank-line`` (no record);
3. not UTF-8 (JSON Lines is UTF-8; a BOM before the first line is allowed) → ``undecodable``;
4. not a JSON object (NaN and Infinity are not JSON) → ``invalid-json``;
5. no string ``text`` field → ``no-text-field``, its other fields kept;
6. otherwise the document's bytes are the UTF-8 bytes of ``text`` (so its ``doc_id`` comes from
   them, as a file's comes from its bytes), and every other field (``id``, ``name``, …) is kept,
   in the record's order, as a JSON object in ``meta``.

A rejected line's ``sha256`` is that of the line's bytes (without its line break).
"""

from __future__ import annotations

import codecs
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

from pipeline.codes import Reject, message
from pipeline.records import Notice
from pipeline.run.entries import Entry

READ_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class Line:
    """One line of the file, without its line break: its bytes, or only their hash when over the limit."""

    number: int
    data: bytes | None
    sha256: str
    n_bytes: int


def split_lines(handle: BinaryIO, max_bytes: int, chunk: int = READ_CHUNK) -> Iterator[Line]:
    """The lines of ``handle``, read ``chunk`` bytes at a time; a line longer than ``max_bytes`` is
    hashed as it goes and never held. A final line without a line break is a line."""
    number, held, digest, size = 0, bytearray(), hashlib.sha256(), 0
    while block := handle.read(chunk):
        start = 0
        while start <= len(block):
            end = block.find(b"\n", start)
            piece = block[start : end if end >= 0 else len(block)]
            size += len(piece)
            digest.update(piece)
            if size <= max_bytes:
                held += piece
            if end < 0:
                break
            number += 1
            yield Line(number, bytes(held) if size <= max_bytes else None, digest.hexdigest(), size)
            held, digest, size = bytearray(), hashlib.sha256(), 0
            start = end + 1
    if size:
        yield Line(number + 1, bytes(held) if size <= max_bytes else None, digest.hexdigest(), size)


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _rejected(line: Line, code: str, notes: tuple[Notice, ...] = (), meta: str | None = None) -> Entry:
    return Entry(
        str(line.number), reject=code, n_bytes=line.n_bytes, sha256=line.sha256, meta=meta, notes=notes
    )


def _meta(record: dict[str, Any]) -> str:
    return json.dumps(
        {k: v for k, v in record.items() if k != "text"}, ensure_ascii=False, separators=(",", ":")
    )


def record_entry(line: Line) -> Entry:
    """The entry of one line (rules 1–6 above)."""
    if line.data is None:
        return _rejected(line, Reject.TOO_LARGE)
    data = line.data.removeprefix(codecs.BOM_UTF8) if line.number == 1 else line.data
    if not data.strip():
        return Entry(str(line.number), skip="blank-line")
    try:
        raw = data.decode("utf-8")
    except UnicodeDecodeError:
        return _rejected(line, Reject.UNDECODABLE)
    try:
        record = json.loads(raw, parse_constant=_no_constants)
    except ValueError as error:  # json.JSONDecodeError is a ValueError
        return _rejected(line, Reject.INVALID_JSON, (_note(Reject.INVALID_JSON, error=error),))
    if not isinstance(record, dict):
        kind = f"a JSON {type(record).__name__}, not an object"
        return _rejected(line, Reject.INVALID_JSON, (_note(Reject.INVALID_JSON, error=kind),))
    text = record.get("text")
    if not isinstance(text, str):
        fields = ", ".join(record) or "none"
        return _rejected(line, Reject.NO_TEXT, (_note(Reject.NO_TEXT, fields=fields),), _meta(record))
    try:
        document = text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate escape (\ud800): no UTF-8 text
        return _rejected(line, Reject.UNDECODABLE, meta=_meta(record))
    return Entry(str(line.number), data=document, n_bytes=len(document), meta=_meta(record))


def _note(code: str, **values: object) -> Notice:
    return Notice(code, message(code, **values))


def jsonl_entries(handle: BinaryIO, max_bytes: int) -> Iterator[Entry]:
    """Every line of the JSON Lines file in ``handle`` as an entry, in line order."""
    for line in split_lines(handle, max_bytes):
        yield record_entry(line)
