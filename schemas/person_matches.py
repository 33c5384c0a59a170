"""Schema of the person_matches table: every merge of two persons' records into one identity, with its evidence."""

from __future__ import annotations

from typing import ClassVar

import pandera.pandas as pa

from schemas.base import (
    Float64,
    Provenance,
    String,
    doc_id_field,
    nfc_check,
    nonempty_check,
    person_id_field,
    stripped_check,
)

RULES = (
    "same-name",
    "romanisation-key",
    "given-surname-key",
    "given-variant",
    "given-initial",
    "surname-variant",
)

COLUMNS = (
    "person_id", "merged_name", "matched_name", "matched_doc_id", "rule", "score", "evidence",
    "doc_id", "char_start", "char_end",
)  # fmt: skip
PRIMARY_KEY = ("person_id", "doc_id", "merged_name", "matched_doc_id", "matched_name")


class PersonMatchesSchema(Provenance):
    """One row per accepted join; undoing a row splits the identity along it. Spans locate merged_name."""

    person_id: String = person_id_field(description="The identity both records now share.")
    merged_name: String = pa.Field(
        description="Name of the record joined in (as its document names the person)."
    )
    matched_name: String = pa.Field(description="Name of the record it was matched to.")
    matched_doc_id: String = doc_id_field(description="Document of the matched record.")
    rule: String = pa.Field(isin=list(RULES), description="The matching rule that accepted the pair.")
    score: Float64 = pa.Field(
        ge=0.0, le=1.0, description="The rule's score for the pair (1.0 = identical names)."
    )
    evidence: String = pa.Field(
        description="The two names with their romanisation keys, origins, documents and life dates."
    )

    _nfc = nfc_check("merged_name", "matched_name", "evidence")
    _stripped = stripped_check("merged_name", "matched_name")
    _nonempty = nonempty_check("merged_name", "matched_name", "evidence")

    class Config:
        name = "person_matches"
        strict = True
        unique: ClassVar[list[str]] = list(PRIMARY_KEY)
