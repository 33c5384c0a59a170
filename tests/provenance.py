"""Invariants over built tables: each row's span reproduces its text, and no primary key repeats.

Shared by ``tests/test_invariants.py`` (seeds and invented documents),
``tests/test_fuzz.py`` and ``benchmarks/bench_fuzz.py`` (mutated documents).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence

import pandas as pd

from schemas import PRIMARY_KEYS

QUOTES = re.compile(r"'{2,}|[\"“”]")
WORD = re.compile(r"\w+")

SPAN_TABLES = (
    "mentions",
    "events",
    "person_matches",
    "dropped",
    "links",
    "categories",
    "person_names",
    "facts",
    "infobox",
    "persons",
    "bibliography",
    "sections",
)


def words_in_order(words: list[str], haystack: str) -> bool:
    """Every word (letters and digits, punctuation aside) stands in ``haystack`` in this order."""
    position = 0
    for word in WORD.findall(" ".join(words)):
        found = haystack.find(word, position)
        if found < 0:
            return False
        position = found + len(word)
    return True


def normal(s: str) -> str:
    """Text as the pipeline normalises a value it reads: NFC, quote marks and wiki quote runs out,
    whitespace runs (tabs, newlines) as one space, ends trimmed. A row reproduces its span when
    both read the same under it."""
    return " ".join(QUOTES.sub("", unicodedata.normalize("NFC", s)).split())


def read_span(source: str, start: int, end: int, removed: Sequence[tuple[int, int]] = ()) -> str:
    """``source[start:end]`` as a cleaned value reads it: every removed stretch (``removed``, sorted
    (start, end) pairs) taken out where it overlaps the span."""
    kept, at = [], start
    for r_start, r_end in removed:
        if r_end <= at or r_start >= end:
            continue
        kept.append(source[at : max(at, r_start)])
        at = max(at, r_end)
    kept.append(source[at:end])
    return "".join(kept)


def removals(dropped: pd.DataFrame) -> dict[str, list[tuple[int, int]]]:
    """The ``dropped`` rows' spans by doc_id, sorted: what the cleaners logged as removed."""
    by_doc: dict[str, list[tuple[int, int]]] = {}
    for row in dropped.itertuples():
        by_doc.setdefault(row.doc_id, []).append((int(row.char_start), int(row.char_end)))
    return {doc: sorted(spans) for doc, spans in by_doc.items()}


def surface_ok(table: str, row: pd.Series, source: str, removed: Sequence[tuple[int, int]] = ()) -> bool:
    """Does ``source[char_start:char_end]`` reproduce what the row says it read there?

    A span is compared as written (``shown``) and, for a table whose values cleaners clean, as
    read (``read``): less the stretches a cleaner removed inside it and logged as ``dropped``
    rows (``removed``, the document's ``dropped`` spans; each of those must reproduce its own
    text exactly): markup, footnote markers, ``[edit]`` links, empty parentheses. Infobox
    values and section prose are always cleaned, so only ``read`` counts; names, anchors and
    mentions come cleaned from prose or as written from a line, so either does; the other
    tables state their text as written."""
    start, end = int(row["char_start"]), int(row["char_end"])
    surface = source[start:end]
    shown = normal(surface)
    read = normal(read_span(source, start, end, removed))
    if table == "dropped":
        return surface == row["text"]
    if table == "facts":
        return surface == row["raw"]
    if table == "links":
        return normal(row["anchor"]) in (shown, read)
    if table == "categories":
        return normal(row["category"]) in shown
    if table in ("person_names", "mentions", "person_matches"):
        column = {"person_names": "name", "mentions": "surface", "person_matches": "merged_name"}[table]
        return normal(row[column]) in (shown, read)
    if table == "persons":
        return bool({shown, read} & {normal(row["name"]), normal(str(row["full_name"]))})
    if table == "infobox":
        # a rendered value spread over lines (``Feres, Ottoman Empire`` / ``(now Greece)``) is read joined
        return normal(row["value"]) in read and (pd.isna(row["raw_key"]) or normal(row["raw_key"]) in shown)
    if table == "events":
        return words_in_order(normal(row["sentence"]).split(), shown)
    if table == "bibliography":
        return words_in_order(normal(row["raw"]).split(), shown)
    if table == "sections":
        heading_ok = pd.isna(row["heading"]) or normal(row["heading"]) in read
        return heading_ok and words_in_order(normal(row["text"]).split(), read)
    raise AssertionError(f"no surface rule for {table}")


def span_failures(tables: Mapping[str, pd.DataFrame], texts: Mapping[str, str]) -> list[tuple[str, dict]]:
    """Every (table, row) of the span tables whose span does not reproduce its text; ``texts`` by doc_id."""
    removed = removals(tables["dropped"])
    return [
        (table, row.to_dict())
        for table in SPAN_TABLES
        for _, row in tables[table].iterrows()
        if not surface_ok(table, row, texts[row["doc_id"]], removed.get(row["doc_id"], ()))
    ]


def duplicate_keys(tables: Mapping[str, pd.DataFrame]) -> list[tuple[str, dict]]:
    """Every (table, row) whose primary key another row of the same table also has."""
    found = []
    for table, frame in tables.items():
        key = list(PRIMARY_KEYS[table])
        if frame.empty:
            continue
        repeated = frame[frame.duplicated(subset=key, keep=False)]
        found.extend((table, row.to_dict()) for _, row in repeated.iterrows())
    return found
