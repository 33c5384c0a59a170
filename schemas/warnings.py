"""Schema of the warnings table: notices about a document that did not stop it being parsed."""

from __future__ import annotations

from typing import ClassVar

import pandera.pandas as pa

from schemas.base import KEBAB, Int64, Provenance, String

COLUMNS = ("doc_id", "code", "message", "char_start", "char_end")
PRIMARY_KEY = ("doc_id", "code", "char_start", "message")


class WarningsSchema(Provenance):
    """One row per warning."""

    code: String = pa.Field(str_matches=KEBAB, description="Stable kebab-case warning code.")
    message: String = pa.Field(description="Human-readable explanation of the warning.")
    char_start: Int64 = pa.Field(
        nullable=True, description="Start of the text the warning is about; null for whole-document warnings."
    )
    char_end: Int64 = pa.Field(
        nullable=True,
        description="End (exclusive) of the text the warning is about; null for whole-document warnings.",
    )

    class Config:
        name = "warnings"
        strict = True
        unique: ClassVar[list[str]] = list(PRIMARY_KEY)
