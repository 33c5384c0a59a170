"""Schema of the categories table: the document's category tags."""

from __future__ import annotations

from typing import ClassVar

import pandera.pandas as pa

from schemas.base import Int16, Provenance, String, nfc_check, nonempty_check, stripped_check

KINDS = ("births", "deaths", "other")

COLUMNS = ("doc_id", "category", "kind", "year", "char_start", "char_end")
PRIMARY_KEY = ("doc_id", "char_start")


class CategoriesSchema(Provenance):
    """One row per category tag."""

    category: String = pa.Field(description="The category's name without the Category: prefix.")
    kind: String = pa.Field(
        isin=list(KINDS), description="births or deaths for year-of-birth/death categories, else other."
    )
    year: Int16 = pa.Field(
        nullable=True, description="The year a births or deaths category names; null otherwise."
    )

    _nfc = nfc_check("category")
    _stripped = stripped_check("category")
    _nonempty = nonempty_check("category")

    class Config:
        name = "categories"
        strict = True
        unique: ClassVar[list[str]] = list(PRIMARY_KEY)
