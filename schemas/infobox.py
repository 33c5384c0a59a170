"""Schema of the infobox table: the raw key/value lines of each infobox, lossless."""

from __future__ import annotations

from typing import ClassVar

import pandera.pandas as pa

from schemas.base import SNAKE, Int32, Provenance, String

COLUMNS = ("doc_id", "ordinal", "raw_key", "key", "value", "char_start", "char_end")
PRIMARY_KEY = ("doc_id", "ordinal")


class InfoboxSchema(Provenance):
    """One row per infobox line."""

    ordinal: Int32 = pa.Field(ge=0, description="Position of the line in the document's infobox, from 0.")
    raw_key: String = pa.Field(
        nullable=True, description="The key exactly as written; null for a line without a key."
    )
    key: String = pa.Field(
        nullable=True,
        str_matches=SNAKE,
        description=(
            "Canonical snake_case key from the reviewed alias table (Place "
            "of birth -> birth_place); null when unmapped."
        ),
    )
    value: String = pa.Field(description="The value as written, untouched.")

    class Config:
        name = "infobox"
        strict = True
        unique: ClassVar[list[str]] = list(PRIMARY_KEY)
