"""PURE: what changed between two releases, table by table and by primary key, as CHANGES.md text.

A row is *added* when its key is only in the new release, *removed* when only
in the old one, *changed* when the key is in both and some other column
(present in both releases) differs. Null equals null; NaN equals NaN. Tables
and columns that appear or disappear between releases are reported as such.
Counts are exact; examples are the first few keys in key order.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

EXAMPLES = 5
Key = tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class ChangedRow:
    key: Key
    columns: tuple[tuple[str, Any, Any], ...]  # (column, old, new)


@dataclass(frozen=True, slots=True)
class TableChanges:
    """How one table differs; ``rows_before`` is None for a new table, ``rows_after`` for a dropped one."""

    table: str
    key_columns: tuple[str, ...]
    rows_before: int | None
    rows_after: int | None
    n_added: int = 0
    n_removed: int = 0
    n_changed: int = 0
    added: tuple[Key, ...] = ()
    removed: tuple[Key, ...] = ()
    changed: tuple[ChangedRow, ...] = ()
    columns_added: tuple[str, ...] = ()
    columns_removed: tuple[str, ...] = ()
    changed_columns: dict[str, int] = field(default_factory=dict)  # column → rows where it changed
    note: str = ""

    @property
    def unchanged(self) -> bool:
        return (
            self.rows_before is not None
            and self.rows_after is not None
            and not (self.n_added or self.n_removed or self.n_changed)
            and not (self.columns_added or self.columns_removed)
        )


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return bool(a == b)


def _hashable(value: Any) -> Any:
    """Lists (and dicts) as tuples, so any column can be part of a key."""
    if isinstance(value, list):
        return tuple(_hashable(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _hashable(v)) for k, v in value.items()))
    return value


def _rows(data: pa.Table, key_columns: Sequence[str], columns: Sequence[str]) -> dict[Key, tuple[Any, ...]]:
    """Key → values of ``columns``; a repeated key gets an occurrence number so no row is lost."""
    keys = [
        tuple(map(_hashable, k)) for k in zip(*(data.column(c).to_pylist() for c in key_columns), strict=True)
    ]
    values = list(zip(*(data.column(c).to_pylist() for c in columns), strict=True)) or [()] * len(keys)
    out: dict[Key, tuple[Any, ...]] = {}
    for key, row in zip(keys, values, strict=True):
        k, n = key, 1
        while k in out:
            n += 1
            k = (*key, f"#{n}")
        out[k] = row
    return out


def _sort_key(key: Key) -> tuple[tuple[int, str], ...]:
    return tuple((0, "") if v is None else (1, f"{v:020d}" if isinstance(v, int) else str(v)) for v in key)


def compare_table(
    table: str,
    key_columns: Sequence[str],
    old: pa.Table | None,
    new: pa.Table | None,
    examples: int = EXAMPLES,
) -> TableChanges:
    """The differences of one table between an old and a new release (either may be missing)."""
    keys = tuple(key_columns)
    if old is None or new is None:
        present = new if new is not None else old
        assert present is not None, f"{table}: neither release has the table"
        ordered = sorted(_rows(present, keys, []), key=_sort_key)
        return TableChanges(
            table, keys,
            rows_before=None if old is None else old.num_rows,
            rows_after=None if new is None else new.num_rows,
            n_added=len(ordered) if old is None else 0,
            n_removed=len(ordered) if new is None else 0,
            added=tuple(ordered[:examples]) if old is None else (),
            removed=tuple(ordered[:examples]) if new is None else (),
        )  # fmt: skip
    if not set(keys) <= set(old.column_names) & set(new.column_names):
        return TableChanges(
            table, keys, old.num_rows, new.num_rows, n_added=new.num_rows, n_removed=old.num_rows,
            columns_added=tuple(c for c in new.column_names if c not in old.column_names),
            columns_removed=tuple(c for c in old.column_names if c not in new.column_names),
            note="The primary key's columns changed, so rows cannot be matched: all counted as removed and added.",
        )  # fmt: skip
    common = [c for c in new.column_names if c in old.column_names and c not in keys]
    before, after = _rows(old, keys, common), _rows(new, keys, common)
    added = sorted((k for k in after if k not in before), key=_sort_key)
    removed = sorted((k for k in before if k not in after), key=_sort_key)
    changed: list[ChangedRow] = []
    counts: dict[str, int] = {}
    for key in sorted((k for k in after if k in before), key=_sort_key):
        diffs = tuple(
            (c, a, b) for c, a, b in zip(common, before[key], after[key], strict=True) if not _same(a, b)
        )
        if diffs:
            changed.append(ChangedRow(key, diffs))
            for column, _, _ in diffs:
                counts[column] = counts.get(column, 0) + 1
    return TableChanges(
        table, keys, old.num_rows, new.num_rows,
        n_added=len(added), n_removed=len(removed), n_changed=len(changed),
        added=tuple(added[:examples]), removed=tuple(removed[:examples]), changed=tuple(changed[:examples]),
        columns_added=tuple(c for c in new.column_names if c not in old.column_names),
        columns_removed=tuple(c for c in old.column_names if c not in new.column_names),
        changed_columns=dict(sorted(counts.items())),
    )  # fmt: skip


def compare_releases(
    old: Mapping[str, pa.Table],
    new: Mapping[str, pa.Table],
    primary_keys: Mapping[str, Sequence[str]],
    examples: int = EXAMPLES,
) -> list[TableChanges]:
    """Every table of either release compared by its primary key (new tables' order first)."""
    names = [*new, *(t for t in old if t not in new)]
    return [compare_table(t, primary_keys[t], old.get(t), new.get(t), examples) for t in names]


# Inputs ------------------------------------------------------------------------------------------


def compare_inputs(old: Sequence[Mapping[str, Any]], new: Sequence[Mapping[str, Any]]) -> list[str]:
    """Input files added, removed or with new content, by source name (from the manifests' inputs)."""
    before = {str(i.get("source_name")): i.get("sha256") for i in old}
    after = {str(i.get("source_name")): i.get("sha256") for i in new}
    lines = [f"- added `{n}`" for n in sorted(after) if n not in before]
    lines += [f"- removed `{n}`" for n in sorted(before) if n not in after]
    lines += [
        f"- changed `{n}` (sha256 {str(before[n])[:12]}… → {str(after[n])[:12]}…)"
        for n in sorted(after)
        if n in before and before[n] != after[n]
    ]
    return lines


# Rendering ---------------------------------------------------------------------------------------


def value_text(value: Any, limit: int = 60) -> str:
    """A value in one short line: null, JSON for lists, cut with an ellipsis."""
    if value is None:
        text = "null"
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, (list, dict)):
        text = json.dumps(value, ensure_ascii=False)
    else:
        text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def key_text(key_columns: Sequence[str], key: Key) -> str:
    parts = [f"{c}={value_text(v, 40)}" for c, v in zip(key_columns, key, strict=False)]
    parts += [str(v) for v in key[len(key_columns) :]]  # an occurrence number for a repeated key
    return "`" + " ".join(parts).replace("`", "'") + "`"


def _more(shown: int, total: int) -> str:
    return f" (and {total - shown} more)" if total > shown else ""


def table_text(c: TableChanges) -> str:
    """The CHANGES.md section of one table."""
    lines = [f"## {c.table}", ""]
    if c.rows_before is None:
        lines.append(f"New table: {c.rows_after} rows.")
    elif c.rows_after is None:
        lines.append(f"Table removed: it had {c.rows_before} rows.")
    else:
        lines.append(
            f"{c.rows_before} → {c.rows_after} rows: {c.n_added} added, {c.n_removed} removed, "
            f"{c.n_changed} changed."
        )
    if c.note:
        lines.append(c.note)
    if c.columns_added:
        lines.append(f"Columns added: {', '.join(f'`{x}`' for x in c.columns_added)}.")
    if c.columns_removed:
        lines.append(f"Columns removed: {', '.join(f'`{x}`' for x in c.columns_removed)}.")
    if c.changed_columns:
        lines.append(
            "Columns that changed: " + ", ".join(f"`{k}` ({v})" for k, v in c.changed_columns.items()) + "."
        )
    for label, keys, total in (("Added", c.added, c.n_added), ("Removed", c.removed, c.n_removed)):
        if keys:
            lines += ["", f"{label}{_more(len(keys), total)}:"]
            lines += [f"- {key_text(c.key_columns, k)}" for k in keys]
    if c.changed:
        lines += ["", f"Changed{_more(len(c.changed), c.n_changed)}:"]
        for row in c.changed:
            diffs = "; ".join(f"`{col}`: {value_text(a)} → {value_text(b)}" for col, a, b in row.columns)
            lines.append(f"- {key_text(c.key_columns, row.key)}: {diffs}")
    return "\n".join(lines)


def summary_table(changes: Sequence[TableChanges]) -> str:
    def n(v: int | None) -> str:
        return "—" if v is None else str(v)

    rows = [
        f"| {c.table} | {n(c.rows_before)} | {n(c.rows_after)} | "
        f"{c.n_added} | {c.n_removed} | {c.n_changed} |"
        for c in changes
    ]
    return "\n".join(
        [
            "| table | rows before | rows after | added | removed | changed |",
            "|---|---|---|---|---|---|",
            *rows,
        ]
    )


def changes_text(
    version: str,
    previous: str | None,
    changes: Sequence[TableChanges],
    input_lines: Sequence[str] = (),
) -> str:
    """CHANGES.md: a first-release note, or a summary plus one section per table that changed."""
    if previous is None:
        total = sum(c.rows_after or 0 for c in changes)
        listing = "\n".join(f"- {c.table}: {c.rows_after} rows" for c in changes)
        return (
            f"# Changes in {version}\n\nFirst release: there is no earlier release to compare with. "
            f"{total} rows in {len(changes)} tables.\n\n{listing}\n"
        )
    parts = [
        f"# Changes in {version} since {previous}",
        "",
        "Rows are compared table by table by primary key: added (key only in this release), removed "
        f"(key only in {previous}), changed (same key, other values differ). Examples are the first "
        f"{EXAMPLES} keys in key order.",
        "",
        "## Inputs",
        "",
        *(input_lines or ["No input file was added, removed or changed."]),
        "",
        "## Summary",
        "",
        summary_table(changes),
    ]
    moved = [c for c in changes if not c.unchanged]
    if not moved:
        parts += ["", "No table changed."]
    parts += ["", "\n\n".join(table_text(c) for c in moved)] if moved else []
    return "\n".join(parts).rstrip() + "\n"
