"""Schema of the quarantine table: rows that failed validation, one row per failed check."""

from __future__ import annotations

from typing import ClassVar

import pandera.pandas as pa

from schemas.base import DOC_ID, KEBAB, String

COLUMNS = ("table", "doc_id", "row_key", "column", "check", "reason_code", "value", "row")
PRIMARY_KEY = ("table", "row_key", "column", "check")
TABLES = (
    "documents", "persons", "person_names", "facts", "infobox", "sections", "links", "categories",
    "bibliography", "dropped", "warnings", "events", "mentions", "person_links", "person_matches", "quarantine",
)  # fmt: skip


class QuarantineSchema(pa.DataFrameModel):
    """One row per (rejected row, column, check)."""

    table: String = pa.Field(isin=list(TABLES), description="Table the rejected row was meant for.")
    doc_id: String = pa.Field(
        nullable=True,
        str_matches=DOC_ID,
        description="Document the rejected row came from, when it has a valid one.",
    )
    row_key: String = pa.Field(
        description=(
            "The row's primary-key values joined with '|' (null as empty); "
            "'#n' is appended for the n-th row sharing a key."
        )
    )
    column: String = pa.Field(
        description="Column the failed check is about (comma-separated for a check over several columns)."
    )
    check: String = pa.Field(description="The check that failed, as the schema names it.")
    reason_code: String = pa.Field(
        str_matches=KEBAB, description="Stable kebab-case reason code for the failure."
    )
    value: String = pa.Field(
        nullable=True, description="The offending value as text (lists as JSON); null when the value is null."
    )
    row: String = pa.Field(description="The whole rejected row as a JSON object with sorted keys.")

    class Config:
        name = "quarantine"
        strict = True
        unique: ClassVar[list[str]] = list(PRIMARY_KEY)
