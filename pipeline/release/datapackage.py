"""PURE: the release's Frictionless Data Package (v2) descriptor and its data dictionary, from the schemas.

Everything here is derived from ``schemas`` (types, nullability, checks,
descriptions, keys) and from values handed in by the caller (file hashes,
examples taken from the data, the run manifest); nothing reads or writes
files. Column descriptions live once, on the pandera models.

1. Each Arrow type maps to a Table Schema type (``list<string>`` → ``array``,
   which the CSV holds as a JSON array).
2. pandera checks become constraints (``isin`` → ``enum``, ``str_matches`` →
   ``pattern``, bounds → ``minimum``/``maximum``); a non-nullable column is
   ``required``.
3. Foreign keys come from ``FOREIGN_KEYS``, kept only where both tables and
   columns exist, so tables may come and go without editing this module.
4. Each table is one tabular CSV resource (validated by Frictionless) plus its
   Parquet twin as a file resource (checked by hash and size).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from schemas import COLUMNS, PRIMARY_KEYS, SCHEMA_VERSION, SCHEMAS, arrow_schema

PACKAGE_PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
TABLE_SCHEMA_PROFILE = "https://datapackage.org/profiles/2.0/tableschema.json"
DIALECT_PROFILE = "https://datapackage.org/profiles/2.0/tabledialect.json"
PACKAGE_NAME = "biographical-records"
PACKAGE_TITLE = "Biographical records extracted from text documents"
PACKAGE_DESCRIPTION = (
    "Persons, their names, dates and places, and the documents' sections, links, categories, "
    "bibliography and infobox lines, extracted from biographical text documents (Wikipedia-style "
    "articles). Every text-derived row carries its document and character span; dates keep the "
    "precision the text gives. Cleaning removals (dropped), warnings and rejected rows (quarantine) "
    "are published alongside."
)

# The text the data is derived from is Wikipedia's, licensed CC BY-SA 4.0: derived data stays share-alike.
LICENCE = "CC-BY-SA-4.0"
KNOWN_LICENCES: dict[str, dict[str, str]] = {
    "CC-BY-SA-4.0": {
        "path": "https://creativecommons.org/licenses/by-sa/4.0/",
        "title": "Creative Commons Attribution-ShareAlike 4.0",
    },
    "CC-BY-4.0": {
        "path": "https://creativecommons.org/licenses/by/4.0/",
        "title": "Creative Commons Attribution 4.0",
    },
    "CC0-1.0": {
        "path": "https://creativecommons.org/publicdomain/zero/1.0/",
        "title": "Creative Commons Zero 1.0 (public domain dedication)",
    },
    "ODbL-1.0": {
        "path": "https://opendatacommons.org/licenses/odbl/1-0/",
        "title": "Open Data Commons Open Database License 1.0",
    },
}

CSV_TRUE, CSV_FALSE, CSV_NULL = "true", "false", ""  # what pipeline/output/write.py's pyarrow CSV writer emits


@dataclass(frozen=True, slots=True)
class ForeignKey:
    """``table.column`` holds values of ``ref_table.ref_column`` (null allowed where the column is)."""

    table: str
    column: str
    ref_table: str
    ref_column: str


def _refs(column: str, ref_table: str, tables: Sequence[str]) -> tuple[ForeignKey, ...]:
    return tuple(ForeignKey(t, column, ref_table, column) for t in tables)


# What pipeline/output/validate.py's reference check guarantees (quarantine excluded: its doc_id may name a
# document row that was itself quarantined), plus tables announced for later; an entry whose table
# or column does not exist is skipped.
DOC_ID_TABLES = (
    "persons", "person_names", "facts", "infobox", "sections", "links", "categories", "bibliography",
    "dropped", "warnings", "mentions", "events", "person_links", "person_matches",
)  # fmt: skip
PERSON_ID_TABLES = ("person_names", "facts", "links", "mentions", "events", "person_matches")
FOREIGN_KEYS: tuple[ForeignKey, ...] = (
    *_refs("doc_id", "documents", DOC_ID_TABLES),
    *_refs("person_id", "persons", PERSON_ID_TABLES),
    ForeignKey("person_links", "source_person_id", "persons", "person_id"),
    ForeignKey("person_links", "target_person_id", "persons", "person_id"),
    ForeignKey("person_matches", "matched_doc_id", "documents", "doc_id"),
)


@dataclass(frozen=True, slots=True)
class FileInfo:
    """A written file: its name inside the release folder, size and sha256."""

    path: str
    bytes: int
    sha256: str


# 1. Types ----------------------------------------------------------------------------------------


def field_type(arrow_type: pa.DataType) -> dict[str, Any]:
    """The Table Schema type (and array item type) for an Arrow type."""
    if pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type):
        return {"type": "string"}
    if pa.types.is_boolean(arrow_type):
        return {"type": "boolean", "trueValues": [CSV_TRUE], "falseValues": [CSV_FALSE]}
    if pa.types.is_integer(arrow_type):
        return {"type": "integer"}
    if pa.types.is_floating(arrow_type) or pa.types.is_decimal(arrow_type):
        return {"type": "number"}
    if pa.types.is_date(arrow_type):
        return {"type": "date"}
    if pa.types.is_timestamp(arrow_type):
        return {"type": "datetime"}
    if pa.types.is_list(arrow_type) or pa.types.is_large_list(arrow_type):
        return {"type": "array", "arrayItem": field_type(arrow_type.value_type)}
    return {"type": "any"}


def type_label(arrow_type: pa.DataType) -> str:
    """A short human-readable type for the data dictionary: ``integer (int16)``, ``array of string``."""
    kind = field_type(arrow_type)
    if kind["type"] == "array":
        return f"array of {type_label(arrow_type.value_type)}"
    if kind["type"] in ("integer", "number"):
        return f"{kind['type']} ({arrow_type})"
    return str(kind["type"])


# 2. Constraints ----------------------------------------------------------------------------------


def _xsd_pattern(regex: str) -> str:
    """Table Schema patterns are implicitly anchored (XML Schema style): drop ``^`` and ``$``."""
    return re.sub(r"(?<!\\)\$$", "", regex.removeprefix("^"))


def may_be_empty_string(table: str, column: str) -> bool:
    """True for a string column whose checks let ``""`` through.

    The CSV writes ``""`` for an empty string and nothing for null, but CSV readers
    (Frictionless included) see both as an empty cell, so such a column cannot be
    ``required`` in the CSV's schema even when it is never null.
    """
    if not pa.types.is_string(arrow_schema(table).field(column).type):
        return False
    for check in SCHEMAS[table].to_schema().columns[column].checks:
        stats = check.statistics or {}
        if check.name == "empty-string":
            return False
        if check.name == "str_matches" and re.search(str(stats["pattern"]), "") is None:
            return False
        if check.name == "isin" and "" not in stats["allowed_values"]:
            return False
    return True


def constraints(table: str, column: str) -> dict[str, Any]:
    """The column's pandera checks and nullability as Table Schema constraints."""
    col = SCHEMAS[table].to_schema().columns[column]
    out: dict[str, Any] = {}
    if not col.nullable and not may_be_empty_string(table, column):
        out["required"] = True
    for check in col.checks:
        stats = check.statistics or {}
        if check.name == "isin":
            out["enum"] = list(stats["allowed_values"])
        elif check.name == "equal_to":
            out["enum"] = [stats["value"]]
        elif check.name == "str_matches":
            out["pattern"] = _xsd_pattern(str(stats["pattern"]))
        elif check.name == "greater_than_or_equal_to":
            out["minimum"] = stats["min_value"]
        elif check.name == "greater_than":
            out["exclusiveMinimum"] = stats["min_value"]
        elif check.name == "less_than_or_equal_to":
            out["maximum"] = stats["max_value"]
        elif check.name == "less_than":
            out["exclusiveMaximum"] = stats["max_value"]
        elif check.name == "in_range":
            out["minimum" if stats.get("include_min", True) else "exclusiveMinimum"] = stats["min_value"]
            out["maximum" if stats.get("include_max", True) else "exclusiveMaximum"] = stats["max_value"]
        elif check.name == "str_length":
            if stats.get("min_value") is not None:
                out["minLength"] = stats["min_value"]
            if stats.get("max_value") is not None:
                out["maxLength"] = stats["max_value"]
    return out


def constraint_label(found: Mapping[str, Any]) -> str:
    """Constraints in a few words for the data dictionary."""
    parts = []
    if "enum" in found:
        parts.append("one of " + ", ".join(f"`{v}`" for v in found["enum"]))
    if "pattern" in found:
        parts.append(f"pattern `{found['pattern']}`")
    for key, sign in (
        ("minimum", "≥"),
        ("exclusiveMinimum", ">"),
        ("maximum", "≤"),
        ("exclusiveMaximum", "<"),
    ):
        if key in found:
            parts.append(f"{sign} {found[key]}")
    return "; ".join(parts)


# 3. Keys ------------------------------------------------------------------------------------------


def foreign_keys(table: str, tables: Sequence[str]) -> list[ForeignKey]:
    """The declared foreign keys of ``table`` whose tables and columns all exist among ``tables``."""
    return [
        fk
        for fk in FOREIGN_KEYS
        if fk.table == table
        and fk.ref_table in tables
        and fk.table in tables
        and fk.column in COLUMNS[fk.table]
        and fk.ref_column in COLUMNS[fk.ref_table]
    ]


def broken_foreign_keys(tables: Mapping[str, pa.Table]) -> list[str]:
    """One message per declared foreign key that the data violates (values missing from the target)."""
    problems = []
    for table in tables:
        for fk in foreign_keys(table, list(tables)):
            known = set(tables[fk.ref_table].column(fk.ref_column).to_pylist())
            missing = sorted(
                {v for v in tables[table].column(fk.column).to_pylist() if v is not None} - known
            )
            if missing:
                shown = ", ".join(map(str, missing[:5])) + (" …" if len(missing) > 5 else "")
                target = f"{fk.ref_table}.{fk.ref_column}"
                problems.append(f"{table}.{fk.column}: {len(missing)} value(s) not in {target}: {shown}")
    return problems


# 4. Examples --------------------------------------------------------------------------------------


def first_examples(data: pa.Table) -> dict[str, Any]:
    """Column → its first non-null value (a list column: its first non-empty list, if any), or None."""
    out: dict[str, Any] = {}
    for name in data.column_names:
        column = data.column(name).drop_null()
        if pa.types.is_list(column.type) and len(column):
            filled = column.filter(pc.greater(pc.list_value_length(column), 0))
            column = filled if len(filled) else column
        out[name] = column[0].as_py() if len(column) else None
    return out


def example_text(value: Any, limit: int = 80) -> str:
    """An example as one markdown-safe line: lists as JSON, long text cut with an ellipsis."""
    if value is None:
        return "(no non-null value in this release)"
    if isinstance(value, bool):
        text = CSV_TRUE if value else CSV_FALSE
    elif isinstance(value, (list, dict)):
        text = json.dumps(value, ensure_ascii=False)
    else:
        text = str(value)
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return "`" + text.replace("`", "'").replace("|", "\\|") + "`"


# 5. Descriptor ------------------------------------------------------------------------------------


def field_descriptor(table: str, column: str, example: Any = None) -> dict[str, Any]:
    """One Table Schema field: name, type, description, example, constraints."""
    field = arrow_schema(table).field(column)
    descriptor: dict[str, Any] = {"name": column, **field_type(field.type)}
    descriptor["description"] = field.metadata[b"description"].decode() if field.metadata else ""
    if example is not None:
        descriptor["example"] = example
    found = constraints(table, column)
    if found:
        descriptor["constraints"] = found
    return descriptor


def table_schema(table: str, tables: Sequence[str], examples: Mapping[str, Any]) -> dict[str, Any]:
    """The Table Schema of one table: fields in contract order, keys, and how null is written."""
    schema: dict[str, Any] = {
        "$schema": TABLE_SCHEMA_PROFILE,
        "fields": [field_descriptor(table, c, examples.get(c)) for c in COLUMNS[table]],
        "missingValues": [CSV_NULL],
        "primaryKey": list(PRIMARY_KEYS[table]),
    }
    fks = foreign_keys(table, tables)
    if fks:
        schema["foreignKeys"] = [
            {"fields": [fk.column], "reference": {"resource": fk.ref_table, "fields": [fk.ref_column]}}
            for fk in fks
        ]
    return schema


def _file(info: FileInfo) -> dict[str, Any]:
    return {"path": info.path, "bytes": info.bytes, "hash": f"sha256:{info.sha256}"}


def resources(
    table: str, files: Mapping[str, FileInfo], tables: Sequence[str], examples: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """The table's CSV resource (tabular, with its schema) and its Parquet twin (a file resource)."""
    description = _row_meaning(table)
    csv = {
        "name": table,
        "type": "table",
        **_file(files["csv"]),
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "title": table,
        "description": description,
        "dialect": {
            "$schema": DIALECT_PROFILE,
            "header": True,
            "delimiter": ",",
            "quoteChar": '"',
            "doubleQuote": True,
        },
        "schema": table_schema(table, tables, examples),
    }
    parquet = {
        "name": f"{table}-parquet",
        "type": "file",
        **_file(files["parquet"]),
        "format": "parquet",
        "mediatype": "application/vnd.apache.parquet",
        "title": f"{table} (Parquet)",
        "description": f"{description} The same rows as {files['csv'].path}, with Arrow types "
        "(list columns as list<string>); its schema is the CSV resource's.",
    }
    return [csv, parquet]


def licence_descriptor(licence: str) -> dict[str, str]:
    """A v2 licence entry: a known SPDX id gets its path and title; a URL becomes a path."""
    if re.match(r"^https?://", licence):
        return {"path": licence, "title": licence}
    return {"name": licence, **KNOWN_LICENCES.get(licence, {})}


def sources(manifest: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One source per input file of the run, with its doc_id, sha256 and size."""
    out = []
    for item in manifest.get("inputs", []):
        source = {"title": str(item.get("source_name") or item.get("doc_id") or "unknown")}
        source.update({k: item[k] for k in ("doc_id", "sha256", "bytes") if k in item})
        out.append(source)
    return out


def build_datapackage(
    version: str,
    files: Mapping[str, Mapping[str, FileInfo]],
    examples: Mapping[str, Mapping[str, Any]],
    manifest: Mapping[str, Any],
    created: str,
    licence: str = LICENCE,
) -> dict[str, Any]:
    """The whole ``datapackage.json`` for the tables in ``files`` (table → {"csv", "parquet"} → file)."""
    tables = [t for t in SCHEMAS if t in files]
    return {
        "$schema": PACKAGE_PROFILE,
        "name": PACKAGE_NAME,
        "title": PACKAGE_TITLE,
        "description": PACKAGE_DESCRIPTION,
        "version": version,
        "created": created,
        "licenses": [licence_descriptor(licence)],
        "sources": sources(manifest),
        "pipeline": {
            "pipeline_version": manifest.get("pipeline_version"),
            "schema_version": manifest.get("schema_version", SCHEMA_VERSION),
            "run_id": manifest.get("run_id"),
            "run_time": manifest.get("run_time"),
        },
        "resources": [r for t in tables for r in resources(t, files[t], tables, examples.get(t, {}))],
    }


# 6. Data dictionary -------------------------------------------------------------------------------


def _row_meaning(table: str) -> str:
    """What one row of the table is: the model's docstring."""
    return (SCHEMAS[table].__doc__ or "").strip()


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _key_text(columns: Sequence[str]) -> str:
    return ", ".join(f"`{c}`" for c in columns)


def table_section(table: str, rows: int, tables: Sequence[str], examples: Mapping[str, Any]) -> str:
    """The dictionary's section for one table: what a row is, keys, then one line per column."""
    schema = arrow_schema(table)
    lines = [
        f"## {table}",
        "",
        f"{_row_meaning(table)} {rows} rows. Files: `{table}.csv`, `{table}.parquet`.",
        "",
        f"Primary key: {_key_text(PRIMARY_KEYS[table])}.",
    ]
    fks = foreign_keys(table, tables)
    if fks:
        refs = "; ".join(f"`{fk.column}` → `{fk.ref_table}.{fk.ref_column}`" for fk in fks)
        lines.append(f"References: {refs}.")
    lines += [
        "",
        "| column | type | required | meaning | constraints | example |",
        "|---|---|---|---|---|---|",
    ]
    for column in COLUMNS[table]:
        field = schema.field(column)
        meaning = field.metadata[b"description"].decode() if field.metadata else ""
        lines.append(
            f"| `{column}` | {type_label(field.type)} | {'no' if field.nullable else 'yes'} | "
            f"{_cell(meaning)} | {_cell(constraint_label(constraints(table, column)))} | "
            f"{example_text(examples.get(column))} |"
        )
    return "\n".join(lines)


def data_dictionary(
    version: str,
    rows: Mapping[str, int],
    examples: Mapping[str, Mapping[str, Any]],
    licence: str = LICENCE,
) -> str:
    """The release's README.md: conventions, a table index, then every column of every table."""
    tables = [t for t in SCHEMAS if t in rows]
    lic = licence_descriptor(licence)
    licence_text = lic.get("name", lic.get("path", licence))
    if "path" in lic and "name" in lic:
        licence_text = f"[{lic['name']}]({lic['path']})"
    index = [
        f"| [{t}](#{t}) | {rows[t]} | {_key_text(PRIMARY_KEYS[t])} | {_cell(_row_meaning(t))} |"
        for t in tables
    ]
    head = f"""# {PACKAGE_TITLE}: release {version}

{PACKAGE_DESCRIPTION}

Licence: {licence_text}. Schema version {SCHEMA_VERSION}.
Generated from the table schemas; do not edit by hand.

## Files
- `<table>.parquet` and `<table>.csv`: the same rows in both, sorted by primary key.
- `datapackage.json`: Frictionless Data Package v2 (types, constraints, keys, hashes).
- `manifest.json`: the run that produced the data (inputs with sha256, counts).
- `CHANGES.md`: what changed since the previous release, by primary key.
- `SHA256SUMS`: check with `sha256sum -c SHA256SUMS`.

## Conventions
- CSV: UTF-8, header row, RFC 4180 quoting; an empty field is null; booleans are `true`/`false`;
  list columns are JSON arrays (`[]` is an empty list, an empty field is null). An empty string is
  written `""` and null as nothing, but most CSV readers (Frictionless too) read both as empty, so
  `datapackage.json` marks a never-null string column that may hold `""` as not required; the
  Parquet files keep the two apart. "required" below means never null.
- Parquet: Arrow types as listed (`list<string>` for arrays); read with pandas, DuckDB, Polars or pyarrow.
- Character offsets (`char_start`, `char_end`, …) are Python `str` indices into the decoded source
  document, end exclusive.
- Date columns are EDTF strings at the precision the text gives, so one column mixes precisions
  (`1899-12-06`, `1898-07`, `1900`, `1892~`, `1938?`); nothing is filled in. `<date>_precision`,
  `<date>_year`, `<date>_qualifier` and `<date>_calendar_note` describe each value.

## Tables
| table | rows | primary key | what a row is |
|---|---|---|---|
"""
    sections = [table_section(t, rows[t], tables, examples.get(t, {})) for t in tables]
    return head + "\n".join(index) + "\n\n" + "\n\n".join(sections) + "\n"
