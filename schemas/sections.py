"""Schema of the sections table: the document's headed sections with their clean prose."""

from __future__ import annotations

from typing import ClassVar

import pandas as pd
import pandera.pandas as pa

from schemas.base import Int32, Provenance, String, nfc_check, passing, row_check, stripped_check

COLUMNS = ("doc_id", "section_no", "level", "heading", "parent_no", "text", "char_start", "char_end")
PRIMARY_KEY = ("doc_id", "section_no")


class SectionsSchema(Provenance):
    """One row per section; section 0 is the lead."""

    section_no: Int32 = pa.Field(ge=0, description="Position of the section in the document; 0 is the lead.")
    level: Int32 = pa.Field(ge=0, description="Heading depth (== is 2, === is 3, ...); 0 for the lead.")
    heading: String = pa.Field(nullable=True, description="The heading's text; null for the lead.")
    parent_no: Int32 = pa.Field(
        nullable=True, ge=0, description="section_no of the enclosing section; null for top-level sections."
    )
    text: String = pa.Field(
        description="Clean prose of the section: glosses removed, link anchors rejoined into their sentence."
    )

    _nfc = nfc_check("heading", "text")
    _stripped = stripped_check("heading")

    @row_check("parent_before_child", column="parent_no", reason="parent-not-before-child")
    def parent_before_child(cls, df: pd.DataFrame) -> pd.Series:
        return passing(df["parent_no"] < df["section_no"])

    class Config:
        name = "sections"
        strict = True
        unique: ClassVar[list[str]] = list(PRIMARY_KEY)
