"""Schema of the person_names table: every name a person is known by, with where it is stated."""

from __future__ import annotations

from typing import ClassVar

import pandera.pandas as pa

from schemas.base import (
    SCRIPT,
    Provenance,
    String,
    nfc_check,
    nonempty_check,
    person_id_field,
    stripped_check,
)

KINDS = ("title", "full", "alias", "variant", "native", "birth_name", "sort_key")

COLUMNS = ("person_id", "name", "kind", "script", "doc_id", "char_start", "char_end")
PRIMARY_KEY = ("person_id", "doc_id", "char_start", "kind")


class PersonNamesSchema(Provenance):
    """One row per stated name of a person."""

    person_id: String = person_id_field()
    name: String = pa.Field(description="The name as the text gives it (NFC, trimmed).")
    kind: String = pa.Field(
        isin=list(KINDS),
        description=(
            "What the name is: title, full, alias, variant, native (native script), birth_name or sort_key."
        ),
    )
    script: String = pa.Field(
        str_matches=SCRIPT,
        description="Writing system of the name as an ISO 15924 code (Latn, Cyrl, Geor, ...).",
    )

    _nfc = nfc_check("name")
    _stripped = stripped_check("name")
    _nonempty = nonempty_check("name")

    class Config:
        name = "person_names"
        strict = True
        unique: ClassVar[list[str]] = list(PRIMARY_KEY)
