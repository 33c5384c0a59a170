"""Schema of the events table: dated facts about a document's subject, read from its running text."""

from __future__ import annotations

from typing import ClassVar

import pandas as pd
import pandera.pandas as pa

from schemas import dates
from schemas.base import (
    Bool,
    Int16,
    Int32,
    Provenance,
    String,
    nfc_check,
    nonempty_check,
    person_id_field,
    row_check,
    stripped_check,
)

TYPES = (
    "birth", "death", "joined", "appointed", "promoted", "graduated", "arrested", "sentenced", "executed",
    "released", "rehabilitated", "defected", "assassinated", "married", "other",
)  # fmt: skip

COLUMNS = (
    "doc_id", "event_no", "person_id", "type", "trigger",
    "date", "date_precision", "date_year", "date_qualifier", "date_calendar_note",
    "end_date", "end_date_precision", "end_date_year", "end_date_qualifier", "end_date_calendar_note",
    "date_text", "date_inherited", "place", "organisation", "detail", "sentence", "char_start", "char_end",
)  # fmt: skip
PRIMARY_KEY = ("doc_id", "event_no")


class EventsSchema(Provenance):
    """One row per event; char_start/char_end are the sentence's span (glosses inside it are not part of it)."""

    event_no: Int32 = pa.Field(ge=0, description="Position of the event in the document, from 0.")
    person_id: String = person_id_field(
        description="The person the event happened to (the document's subject)."
    )
    type: String = pa.Field(
        isin=list(TYPES), description="Kind of event; other for a dated sentence about the person."
    )
    trigger: String = pa.Field(
        nullable=True, description="The words that name the event type (null for other)."
    )
    date: String = dates.edtf_field("event date (the start of a range)")
    date_precision: String = dates.precision_field("event date")
    date_year: Int16 = dates.year_field("event date")
    date_qualifier: String = dates.qualifier_field("event date")
    date_calendar_note: String = dates.calendar_note_field("event date")
    end_date: String = dates.edtf_field("end of the event's date range (null unless a range)")
    end_date_precision: String = dates.precision_field("end date")
    end_date_year: Int16 = dates.year_field("end date")
    end_date_qualifier: String = dates.qualifier_field("end date")
    end_date_calendar_note: String = dates.calendar_note_field("end date")
    date_text: String = pa.Field(description="The date expression as the sentence gives it.")
    date_inherited: Bool = pa.Field(
        description="True when the sentence states no date and the previous sentence's event date was taken."
    )
    place: String = pa.Field(
        nullable=True, description="Place the sentence names for the event (as written)."
    )
    organisation: String = pa.Field(
        nullable=True, description="Organisation the event is about (joined, graduated from, appointed in)."
    )
    detail: String = pa.Field(nullable=True, description="A term of a sentence ('12 years in prison').")
    sentence: String = pa.Field(description="The sentence the event was read from, whitespace collapsed.")

    _nfc = nfc_check("place", "organisation", "sentence", "detail")
    _stripped = stripped_check("place", "organisation", "sentence")
    _nonempty = nonempty_check("sentence", "date_text")
    locals().update(dates.date_group_checks("date"))
    locals().update(dates.date_group_checks("end_date"))

    @row_check("event_range_ordered", column="end_date", reason="range-end-before-start")
    def event_range_ordered(cls, df: pd.DataFrame) -> pd.Series:
        return dates.in_order(df, "date", "end_date")

    class Config:
        name = "events"
        strict = True
        unique: ClassVar[list[str]] = list(PRIMARY_KEY)
