"""Schema of the dropped table: every piece of text the cleaners removed, for review."""

from __future__ import annotations

from typing import ClassVar

import pandera.pandas as pa

from schemas.base import Provenance, String

COLUMNS = ("doc_id", "char_start", "char_end", "text", "rule")
PRIMARY_KEY = ("doc_id", "char_start", "rule")


class DroppedSchema(Provenance):
    """One row per removal."""

    text: String = pa.Field(description="The removed text exactly as in the source.")
    rule: String = pa.Field(description="Identifier of the cleaning rule that removed it.")

    class Config:
        name = "dropped"
        strict = True
        unique: ClassVar[list[str]] = list(PRIMARY_KEY)
