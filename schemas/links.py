"""Schema of the links table: every link anchor, its target and its gloss."""

from __future__ import annotations

from typing import ClassVar

import pandas as pd
import pandera.pandas as pa

from schemas.base import (
    Bool,
    Int32,
    Int64,
    Provenance,
    String,
    nfc_check,
    nonempty_check,
    passing,
    person_id_field,
    row_check,
    span_ok,
    stripped_check,
)

KINDS = ("inline", "see_also", "bibliography")

COLUMNS = (
    "doc_id", "link_no", "section_no", "anchor", "target", "gloss", "gloss_truncated", "kind",
    "char_start", "char_end", "gloss_start", "gloss_end", "person_id",
)  # fmt: skip
PRIMARY_KEY = ("doc_id", "link_no")


class LinksSchema(Provenance):
    """One row per link; char_start/char_end are the anchor's span."""

    link_no: Int32 = pa.Field(ge=0, description="Position of the link in the document, from 0.")
    section_no: Int32 = pa.Field(ge=0, description="section_no of the section the link is in.")
    anchor: String = pa.Field(description="The link's visible text.")
    target: String = pa.Field(
        description="Title of the linked page: the gloss's subject when there is a gloss, else the anchor."
    )
    gloss: String = pa.Field(
        nullable=True, description="Clean text of the explanation attached to the link, if any."
    )
    gloss_truncated: Bool = pa.Field(description="True when the gloss is cut off in the source.")
    kind: String = pa.Field(
        isin=list(KINDS), description="Where the link sits: inline, see_also or bibliography."
    )
    gloss_start: Int64 = pa.Field(
        nullable=True, description="Start of the gloss in the source text; null without a gloss."
    )
    gloss_end: Int64 = pa.Field(
        nullable=True, description="End (exclusive) of the gloss in the source text; null without a gloss."
    )
    person_id: String = person_id_field(
        nullable=True, description="person_id of the target when it is a person."
    )

    _nfc = nfc_check("anchor", "target", "gloss")
    _stripped = stripped_check("anchor", "target", "gloss")
    _nonempty = nonempty_check("anchor", "target")

    @row_check("gloss_span_valid", column="gloss_end", reason="span-invalid")
    def gloss_span_valid(cls, df: pd.DataFrame) -> pd.Series:
        both_or_neither = df["gloss_start"].isna() == df["gloss_end"].isna()
        return passing(both_or_neither) & span_ok(df["gloss_start"], df["gloss_end"])

    class Config:
        name = "links"
        strict = True
        unique: ClassVar[list[str]] = list(PRIMARY_KEY)
