"""What a container reader yields for each thing it holds: a document's bytes, why it is not read, or a skip.

The readers (``archives`` for zip and tar, ``jsonlines`` for JSON Lines) look at one
entry at a time and never hold more than ``max_bytes`` of it; ``containers`` turns
their entries into the run's documents.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.records import Notice


class DamagedInput(ValueError):
    """The container itself cannot be read on (not a zip, a truncated gzip stream); ``containers`` records
    it as an ``unreadable`` document and keeps what was read before."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One entry of a container, named as inside it (``people/a.txt``, ``12`` for line 12).

    Exactly one of: ``data`` (the document's bytes, at most ``max_bytes``), ``reject`` (a reject
    code, decided without decoding; ``sha256`` then given when the entry was hashed as it
    streamed by, else the name's is used) or ``skip`` (a skipped code: not a document at all).
    """

    name: str
    data: bytes | None = None
    reject: str | None = None
    skip: str | None = None
    n_bytes: int = 0
    sha256: str | None = None
    meta: str | None = None  # a JSON Lines record's other fields, as a JSON object
    notes: tuple[Notice, ...] = ()
