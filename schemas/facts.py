"""Schema of the facts table: every candidate value for a person's field, before choosing."""

from __future__ import annotations

from typing import ClassVar

import pandera.pandas as pa

from schemas.base import SNAKE, Bool, Provenance, String, nfc_check, person_id_field, stripped_check

SOURCE_KINDS = ("infobox", "lead", "body", "category", "gloss")

COLUMNS = (
    "doc_id", "person_id", "field", "value", "raw", "source_kind", "rule", "char_start", "char_end",
    "chosen", "conflict",
)  # fmt: skip
PRIMARY_KEY = ("doc_id", "person_id", "field", "char_start", "rule")


class FactsSchema(Provenance):
    """One row per candidate value found in a document."""

    person_id: String = person_id_field(description="The person the value is about.")
    field: String = pa.Field(
        str_matches=SNAKE,
        description="Which person field the value is a candidate for (birth_date, death_place, ...).",
    )
    value: String = pa.Field(
        description="The normalised value (dates as EDTF, names and places NFC and trimmed)."
    )
    raw: String = pa.Field(description="The value's surface text exactly as it appears in the source.")
    source_kind: String = pa.Field(
        isin=list(SOURCE_KINDS),
        description="Where the value was read: infobox, lead, body, category or gloss.",
    )
    rule: String = pa.Field(description="Identifier of the extraction rule that produced the candidate.")
    chosen: Bool = pa.Field(
        description="True for the candidate the persons table uses for this person and field."
    )
    conflict: Bool = pa.Field(
        description="True when another candidate for the same person and field has a different value."
    )

    _nfc = nfc_check("value")
    _stripped = stripped_check("value")

    class Config:
        name = "facts"
        strict = True
        unique: ClassVar[list[str]] = list(PRIMARY_KEY)
