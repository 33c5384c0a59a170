"""Schema of the bibliography table: entries of further-reading and similar lists."""

from __future__ import annotations

from typing import ClassVar

import pandera.pandas as pa

from schemas.base import (
    Int16,
    Int32,
    Provenance,
    String,
    StringList,
    nfc_check,
    nonempty_check,
    stripped_check,
)

COLUMNS = ("doc_id", "entry_no", "authors", "title", "publisher", "year", "raw", "char_start", "char_end")
PRIMARY_KEY = ("doc_id", "entry_no")


class BibliographySchema(Provenance):
    """One row per list entry."""

    entry_no: Int32 = pa.Field(ge=0, description="Position of the entry in the document's lists, from 0.")
    authors: StringList = pa.Field(
        description="Author names in the order given; an empty list when none is stated."
    )
    title: String = pa.Field(nullable=True, description="Title of the work, when it can be told apart.")
    publisher: String = pa.Field(nullable=True, description="Publisher, when stated.")
    year: Int16 = pa.Field(nullable=True, description="Publication year, when stated.")
    raw: String = pa.Field(description="The entry's text exactly as in the source.")

    _nfc = nfc_check("authors", "title", "publisher")
    _stripped = stripped_check("authors", "title", "publisher")
    _nonempty = nonempty_check("authors", "title", "publisher")

    class Config:
        name = "bibliography"
        strict = True
        unique: ClassVar[list[str]] = list(PRIMARY_KEY)
