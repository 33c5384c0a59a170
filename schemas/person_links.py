"""Schema of the person_links table: who is mentioned in whose biography (an edge list for graph tools)."""

from __future__ import annotations

from typing import ClassVar

import pandera.pandas as pa

from schemas.base import Int32, String, doc_id_field, person_id_field

COLUMNS = ("source_person_id", "target_person_id", "doc_id", "n_mentions")
PRIMARY_KEY = ("source_person_id", "target_person_id", "doc_id")


class PersonLinksSchema(pa.DataFrameModel):
    """One row per (biography subject, person mentioned in it, document); derived from mentions."""

    source_person_id: String = person_id_field(
        description="The subject of the biography (documents.subject_id)."
    )
    target_person_id: String = person_id_field(description="A person mentioned in that biography.")
    doc_id: String = doc_id_field(description="The biography the mentions are in.")
    n_mentions: Int32 = pa.Field(ge=1, description="Number of mentions of the target in the document.")

    class Config:
        name = "person_links"
        strict = True
        coerce = False
        unique: ClassVar[list[str]] = list(PRIMARY_KEY)
