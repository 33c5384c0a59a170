"""Schema of the persons table: one row per person, document subjects and people known from link glosses."""

from __future__ import annotations

from typing import ClassVar

import pandas as pd
import pandera.pandas as pa

from schemas import dates
from schemas.base import (
    Bool,
    Int16,
    Int32,
    Int64,
    Provenance,
    String,
    StringList,
    doc_id_field,
    nfc_check,
    nonempty_check,
    person_id_field,
    row_check,
    stripped_check,
)

COLUMNS = (
    "person_id", "name", "full_name", "sort_name",
    "birth_date", "birth_date_precision", "birth_date_year", "birth_date_qualifier",
    "birth_date_calendar_note",
    "death_date", "death_date_precision", "death_date_year", "death_date_qualifier",
    "death_date_calendar_note",
    "birth_place", "death_place", "birth_place_parts", "death_place_parts", "description", "is_subject",
    "doc_id", "n_docs", "char_start", "char_end",
)  # fmt: skip
PRIMARY_KEY = ("person_id",)
NAME_LIKE = (
    "name",
    "full_name",
    "sort_name",
    "birth_place",
    "death_place",
    "birth_place_parts",
    "death_place_parts",
)


class PersonsSchema(Provenance):
    """One row per person."""

    person_id: String = person_id_field()
    name: String = pa.Field(description="Display name: the document's title, or the name a gloss gives.")
    full_name: String = pa.Field(
        nullable=True, description="Full name as the text states it (e.g. with patronymic)."
    )
    sort_name: String = pa.Field(
        nullable=True, description="Sort key from DEFAULTSORT, else derived as 'Surname, Given'."
    )
    birth_date: String = dates.edtf_field("birth date")
    birth_date_precision: String = dates.precision_field("birth date")
    birth_date_year: Int16 = dates.year_field("birth date")
    birth_date_qualifier: String = dates.qualifier_field("birth date")
    birth_date_calendar_note: String = dates.calendar_note_field("birth date")
    death_date: String = dates.edtf_field("death date")
    death_date_precision: String = dates.precision_field("death date")
    death_date_year: Int16 = dates.year_field("death date")
    death_date_qualifier: String = dates.qualifier_field("death date")
    death_date_calendar_note: String = dates.calendar_note_field("death date")
    birth_place: String = pa.Field(nullable=True, description="Place of birth as written in the text.")
    death_place: String = pa.Field(nullable=True, description="Place of death as written in the text.")
    birth_place_parts: StringList = pa.Field(
        nullable=True,
        description="Components of birth_place, most specific first; null when there is no birth place.",
    )
    death_place_parts: StringList = pa.Field(
        nullable=True,
        description="Components of death_place, most specific first; null when there is no death place.",
    )
    description: String = pa.Field(
        nullable=True,
        description="The lead's predicate about the person (e.g. 'a Soviet intelligence officer who ...').",
    )
    is_subject: Bool = pa.Field(
        description="True when the person is the subject of a document, false when known only from a gloss."
    )
    doc_id: String = doc_id_field(description="Document the chosen values (and the name's span) come from.")
    n_docs: Int32 = pa.Field(ge=1, description="Number of documents that mention the person.")
    char_start: Int64 = pa.Field(description="Start of where the person's name is stated in doc_id's text.")
    char_end: Int64 = pa.Field(
        description="End (exclusive) of where the person's name is stated in doc_id's text."
    )

    _nfc = nfc_check(*NAME_LIKE, "description")
    _stripped = stripped_check(*NAME_LIKE, "description")
    _nonempty = nonempty_check(*NAME_LIKE)
    locals().update(dates.date_group_checks("birth_date"))
    locals().update(dates.date_group_checks("death_date"))

    @row_check("birth_not_after_death", column="death_date", reason="birth-after-death")
    def birth_not_after_death(cls, df: pd.DataFrame) -> pd.Series:
        return dates.in_order(df, "birth_date", "death_date")

    class Config:
        name = "persons"
        strict = True
        unique: ClassVar[list[str]] = list(PRIMARY_KEY)
