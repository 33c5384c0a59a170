"""Schema of the mentions table: every place a person is named, and how the name was resolved to the person."""

from __future__ import annotations

from typing import ClassVar

import pandera.pandas as pa

from schemas.base import Provenance, String, nfc_check, nonempty_check, person_id_field, stripped_check

METHODS = ("link", "name-match", "gloss-name-match", "subject-surname", "surname-in-doc")

COLUMNS = ("doc_id", "person_id", "surface", "method", "char_start", "char_end")
PRIMARY_KEY = ("doc_id", "char_start", "char_end", "person_id")


class MentionsSchema(Provenance):
    """One row per mention; char_start/char_end are the name's span in the source."""

    person_id: String = person_id_field(description="The person named.")
    surface: String = pa.Field(
        description="The name as written (whitespace runs as one space, a possessive 's cut off)."
    )
    method: String = pa.Field(
        isin=list(METHODS),
        description=(
            "How the name was resolved: link (a link to the person), name-match (a known name or its "
            "romanisation variant in prose), gloss-name-match (the same inside a link gloss), "
            "subject-surname (a surname alone, the document's subject), surname-in-doc (a surname alone, "
            "the one person already named in the document with it)."
        ),
    )

    _nfc = nfc_check("surface")
    _stripped = stripped_check("surface")
    _nonempty = nonempty_check("surface")

    class Config:
        name = "mentions"
        strict = True
        unique: ClassVar[list[str]] = list(PRIMARY_KEY)
