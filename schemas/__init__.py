"""The dataset's table schemas: one pandera model per table, column order, keys, and frame builders.

``SCHEMAS`` maps each table to its ``DataFrameModel``; ``COLUMNS`` and
``PRIMARY_KEYS`` give the contract's column order and each table's key.
Column descriptions live on the models' fields and nowhere else.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

import pandas as pd
import pandera.pandas as pa
import pyarrow

from schemas import (
    bibliography,
    categories,
    documents,
    dropped,
    events,
    facts,
    infobox,
    links,
    mentions,
    person_links,
    person_matches,
    person_names,
    persons,
    quarantine,
    sections,
    warnings,
)
from schemas.base import ROW_CHECKS, Provenance, RowCheck

SCHEMA_VERSION = "1.0.0"

_MODULES: dict[str, tuple[ModuleType, type[pa.DataFrameModel]]] = {
    "documents": (documents, documents.DocumentsSchema),
    "persons": (persons, persons.PersonsSchema),
    "person_names": (person_names, person_names.PersonNamesSchema),
    "facts": (facts, facts.FactsSchema),
    "infobox": (infobox, infobox.InfoboxSchema),
    "sections": (sections, sections.SectionsSchema),
    "links": (links, links.LinksSchema),
    "categories": (categories, categories.CategoriesSchema),
    "bibliography": (bibliography, bibliography.BibliographySchema),
    "dropped": (dropped, dropped.DroppedSchema),
    "warnings": (warnings, warnings.WarningsSchema),
    "events": (events, events.EventsSchema),
    "mentions": (mentions, mentions.MentionsSchema),
    "person_links": (person_links, person_links.PersonLinksSchema),
    "person_matches": (person_matches, person_matches.PersonMatchesSchema),
    "quarantine": (quarantine, quarantine.QuarantineSchema),
}

SCHEMAS: dict[str, type[pa.DataFrameModel]] = {name: model for name, (_, model) in _MODULES.items()}
COLUMNS: dict[str, tuple[str, ...]] = {name: module.COLUMNS for name, (module, _) in _MODULES.items()}
PRIMARY_KEYS: dict[str, tuple[str, ...]] = {
    name: module.PRIMARY_KEY for name, (module, _) in _MODULES.items()
}


def _check_declarations() -> None:
    """Fail at import if a module's column order or key disagrees with its model."""
    for name, model in SCHEMAS.items():
        declared = set(model.to_schema().columns)
        if set(COLUMNS[name]) != declared or len(COLUMNS[name]) != len(declared):
            raise RuntimeError(
                f"schemas.{name}: COLUMNS {COLUMNS[name]} do not match the model's {sorted(declared)}"
            )
        if not set(PRIMARY_KEYS[name]) <= declared:
            raise RuntimeError(f"schemas.{name}: PRIMARY_KEY {PRIMARY_KEYS[name]} names unknown columns")
    if set(quarantine.TABLES) != set(SCHEMAS):
        raise RuntimeError("schemas.quarantine.TABLES must list every table")


_check_declarations()


def _model(table: str) -> type[pa.DataFrameModel]:
    try:
        return SCHEMAS[table]
    except KeyError:
        raise KeyError(f"unknown table {table!r}; known tables: {', '.join(SCHEMAS)}") from None


def arrow_type(table: str, column: str) -> pyarrow.DataType:
    """The Arrow type a column is stored as (all columns are Arrow-backed ``pd.ArrowDtype``)."""
    dtype = _model(table).to_schema().columns[column].dtype.type
    assert isinstance(dtype, pd.ArrowDtype), f"{table}.{column} is not Arrow-backed"
    return dtype.pyarrow_dtype


def arrow_schema(table: str) -> pyarrow.Schema:
    """The table's Arrow schema in contract order, with nullability and descriptions as field metadata."""
    columns = _model(table).to_schema().columns
    return pyarrow.schema(
        [
            pyarrow.field(
                name,
                arrow_type(table, name),
                nullable=bool(columns[name].nullable),
                metadata={"description": columns[name].description or ""},
            )
            for name in COLUMNS[table]
        ]
    )


def descriptions(table: str) -> dict[str, str]:
    """Column name → its one-sentence description, in contract order."""
    columns = _model(table).to_schema().columns
    return {name: columns[name].description or "" for name in COLUMNS[table]}


def table_from_rows(table: str, rows: list[dict[str, Any]]) -> pyarrow.Table:
    """An Arrow table with exactly the table's columns, in contract order, with ``arrow_schema``.

    A key a row lacks becomes null; a key the table does not have raises
    ``ValueError`` (it means the caller and the contract disagree). The rows are converted in one
    pass of Arrow's own (a struct array of the rows, then its fields as the columns); only when
    that fails are the columns converted one by one, to name the column that cannot be stored.
    """
    _model(table)
    columns = COLUMNS[table]
    allowed = set(columns)
    if not allowed.issuperset(set().union(*rows)):  # every row's keys at once; the culprit only on failure
        for i, row in enumerate(rows):
            extra = set(row) - allowed
            if extra:
                raise ValueError(f"{table} row {i} has columns the contract does not: {sorted(extra)}")
    schema = arrow_schema(table)
    try:
        struct = pyarrow.array(rows, type=pyarrow.struct(list(schema)))
    except (pyarrow.ArrowInvalid, pyarrow.ArrowTypeError, TypeError, OverflowError):
        pass  # found again below, column by column, to say which column
    else:
        return pyarrow.Table.from_arrays(struct.flatten(), schema=schema)
    arrays = []
    for name in columns:
        values = [row.get(name) for row in rows]
        try:
            arrays.append(pyarrow.array(values, type=arrow_type(table, name)))
        except (pyarrow.ArrowInvalid, pyarrow.ArrowTypeError, TypeError, OverflowError) as err:
            raise ValueError(
                f"{table}.{name}: cannot store the values as {arrow_type(table, name)}: {err}"
            ) from err
    return pyarrow.Table.from_arrays(arrays, schema=schema)


def frame_from_arrow(arrow: pyarrow.Table) -> pd.DataFrame:
    """An Arrow table as an Arrow-backed frame with a RangeIndex: every column ``pd.ArrowDtype``."""
    return arrow.to_pandas(types_mapper=pd.ArrowDtype, ignore_metadata=True)


def frame_from_rows(table: str, rows: list[dict[str, Any]]) -> pd.DataFrame:
    """A frame with exactly the table's columns, in contract order and declared dtypes (Arrow-backed).

    A key a row lacks becomes null; a key the table does not have raises ``ValueError``.
    """
    return frame_from_arrow(table_from_rows(table, rows))


def empty_frame(table: str) -> pd.DataFrame:
    """A zero-row frame with the table's columns and dtypes."""
    return frame_from_rows(table, [])


__all__ = [
    "COLUMNS",
    "PRIMARY_KEYS",
    "ROW_CHECKS",
    "SCHEMAS",
    "SCHEMA_VERSION",
    "Provenance",
    "RowCheck",
    "arrow_schema",
    "arrow_type",
    "descriptions",
    "empty_frame",
    "frame_from_arrow",
    "frame_from_rows",
    "table_from_rows",
]
