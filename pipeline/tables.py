"""Pure: document results → table rows (dicts keyed by the contract's column names).

One document gives rows for every doc-scoped table (``doc_rows``), its name runs (a chunk of
documents stacks them as one Arrow table: ``name_run_table``) and a draft ``persons`` row per person it names
(``person_drafts``: its view of the person, keyed by the person key). Persons are
assembled across documents (``preferred_views``, ``persons_table``) because one person can be
named in several documents. ``person_id`` is the slug of the canonical name; two different
canonical names with the same slug get ``-2``, ``-3``… in sorted order of the name.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

import pyarrow as pa
import pyarrow.compute as pc

from pipeline.extract.events import extract_events
from pipeline.extract.mentions import NameRun, name_runs
from pipeline.extract.people import RankedFact, rank_facts
from pipeline.identity.runs import NAME_RUN_SCHEMA
from pipeline.normalise.names import sort_name
from pipeline.records import DateValue, DocResult, Fact, Parsed, Person
from schemas import arrow_schema

Row = dict[str, Any]
DOC_TABLES = (
    "documents",
    "person_names",
    "facts",
    "infobox",
    "sections",
    "links",
    "categories",
    "bibliography",
    "dropped",
    "warnings",
    "events",
)
DATE_FIELDS = ("birth_date", "death_date")
PLACE_FIELDS = ("birth_place", "death_place")


def _draft_schema() -> pa.Schema:
    """``persons``' columns but ``n_docs`` (counted across documents), all nullable, and ``prose``."""
    persons = arrow_schema("persons")
    fields = [persons.field(name).with_nullable(True) for name in persons.names if name != "n_docs"]
    return pa.schema([*fields, pa.field("prose", pa.bool_(), nullable=False)])


PERSON_DRAFT_SCHEMA = _draft_schema()
"""One document's view of a person, before persons are assembled across documents: a ``persons``
row whose ``person_id`` is still the person key, with the document's own ``is_subject``, a
``sort_name`` only when the document gives a sort key, and ``prose`` true for a person named only
in running text (``identity.corpus``: no gloss or lead of its own)."""


class DocOutput(NamedTuple):
    """Everything one document gives, as a batch stacks it and the cache keeps it: its rows of every
    doc-scoped table; its name runs, which the corpus stage consumes and never publishes (a
    hundred-odd runs per document, the bulk of its rows; Arrow only per chunk of documents, as
    ``name_run_table``, where Arrow's cost per call is paid once); its draft persons rows
    (``PERSON_DRAFT_SCHEMA``)."""

    rows: dict[str, list[Row]]
    runs: list[NameRun]
    persons: list[Row]


class KeysAsIds(dict[str, str]):
    """The person-id map of a document's own pass: each person key stands for its id until the
    corpus stage gives the ids (``batch.with_ids``)."""

    def __missing__(self, key: str) -> str:
        return key

    def get(self, key: str, default: str | None = None) -> str | None:  # type: ignore[override]
        return key


def document_output(result: DocResult) -> DocOutput:
    """One document's rows, name runs and draft persons rows, its facts ranked once for rows and drafts."""
    ranked = rank_facts(result.extracted.facts)
    names = _subject_names(result)
    rows = doc_rows(result, KeysAsIds(), ranked, names)
    return DocOutput(rows, doc_name_runs(result, names), person_drafts(result, ranked))


def status_of(result: DocResult) -> str:
    if result.source.reject_code:
        return "rejected"
    if result.source.warnings or (result.parsed and result.parsed.warnings) or result.extracted.warnings:
        return "parsed_with_warnings"
    return "parsed"


DATE_PARTS = ("", "_precision", "_year", "_qualifier", "_calendar_note")
"""The columns a date takes (``date_columns``): its prefix followed by each of these, in
``DateValue``'s field order."""


def date_columns(prefix: str, value: DateValue | None) -> Row:
    """A date's columns (``DATE_PARTS`` after ``prefix``), all null for no date."""
    if value is None:
        return dict.fromkeys(f"{prefix}{suffix}" for suffix in DATE_PARTS)
    values = (value.edtf, value.precision, value.year, value.qualifier, value.calendar_note)
    return {f"{prefix}{suffix}": v for suffix, v in zip(DATE_PARTS, values, strict=True)}


def date_value(row: Row, prefix: str) -> DateValue | None:
    """The date ``date_columns(prefix, …)`` put in ``row``, None where it put none."""
    parts = [row[f"{prefix}{suffix}"] for suffix in DATE_PARTS]
    return None if parts[0] is None else DateValue(*parts)


def _warning_rows(doc_id: str, result: DocResult) -> list[Row]:
    notes = [*result.source.warnings]
    if result.parsed:
        notes.extend(result.parsed.warnings)
    notes.extend(result.extracted.warnings)
    return [
        {
            "doc_id": doc_id,
            "code": n.code,
            "message": n.message,
            "char_start": n.span.start if n.span else None,
            "char_end": n.span.end if n.span else None,
        }
        for n in notes
    ]


def _document_title(parsed: Parsed | None, subject: Person | None) -> str | None:
    """The layout's title; for plain text, whose first line is only a guess, the subject's name first."""
    if parsed is None:
        return None
    if parsed.format == "plain" and subject is not None:
        return subject.name
    return parsed.title or (subject.name if subject else None)


def doc_rows(
    result: DocResult,
    person_ids: dict[str, str],
    ranked: Sequence[RankedFact] | None = None,
    subject_names: list[str] | None = None,
) -> dict[str, list[Row]]:
    """Rows of every doc-scoped table for one document; ``person_ids`` maps person keys to ids;
    ``ranked`` (``rank_facts`` of its facts) and ``subject_names`` (``_subject_names``) when already known."""
    source = result.source
    doc_id = source.doc_id
    parsed = result.parsed
    warnings = _warning_rows(doc_id, result)
    subject = next((p for p in result.extracted.persons if p.is_subject), None)
    rows: dict[str, list[Row]] = {name: [] for name in DOC_TABLES}
    rows["warnings"] = warnings
    rows["documents"].append(
        {
            "doc_id": doc_id,
            "source_name": source.source_name,
            "sha256": source.sha256,
            "bytes": source.n_bytes,
            "encoding": source.encoding,
            "format": parsed.format if parsed else None,
            "format_evidence": parsed.evidence if parsed else None,
            "title": _document_title(parsed, subject),
            "subject_id": person_ids.get(subject.person_key) if subject else None,
            "status": status_of(result),
            "reject_code": source.reject_code,
            "n_chars": len(source.text) if source.text is not None else None,
            "coverage": result.coverage,
            "n_warnings": len(warnings),
        }
    )
    if parsed is None:
        return rows
    for entry in parsed.infobox:
        rows["infobox"].append(
            {
                "doc_id": doc_id,
                "ordinal": entry.ordinal,
                "raw_key": entry.raw_key,
                "key": entry.key,
                "value": entry.value,
                "char_start": entry.span.start,
                "char_end": entry.span.end,
            }
        )
    for s in parsed.sections:
        rows["sections"].append(
            {
                "doc_id": doc_id,
                "section_no": s.section_no,
                "level": s.level,
                "heading": s.heading,
                "parent_no": s.parent_no,
                "text": s.text,
                "char_start": s.span.start,
                "char_end": s.span.end,
            }
        )
    link_people = dict(result.extracted.link_people)
    for link in result.extracted.links or parsed.links:
        key = link_people.get(link.link_no)
        rows["links"].append(
            {
                "doc_id": doc_id,
                "link_no": link.link_no,
                "section_no": link.section_no,
                "anchor": link.anchor,
                "target": link.target,
                "gloss": link.gloss,
                "gloss_truncated": link.gloss_truncated,
                "kind": link.kind,
                "char_start": link.span.start,
                "char_end": link.span.end,
                "gloss_start": link.gloss_span.start if link.gloss_span else None,
                "gloss_end": link.gloss_span.end if link.gloss_span else None,
                "person_id": person_ids.get(key) if key else None,
            }
        )
    for c in parsed.categories:
        rows["categories"].append(
            {
                "doc_id": doc_id,
                "category": c.category,
                "kind": c.kind,
                "year": c.year,
                "char_start": c.span.start,
                "char_end": c.span.end,
            }
        )
    for bib in parsed.bibliography:
        rows["bibliography"].append(
            {
                "doc_id": doc_id,
                "entry_no": bib.entry_no,
                "authors": list(bib.authors),
                "title": bib.title,
                "publisher": bib.publisher,
                "year": bib.year,
                "raw": bib.raw,
                "char_start": bib.span.start,
                "char_end": bib.span.end,
            }
        )
    for d in (*parsed.dropped, *result.extracted.dropped):
        rows["dropped"].append(
            {
                "doc_id": doc_id,
                "char_start": d.span.start,
                "char_end": d.span.end,
                "text": d.text,
                "rule": d.rule,
            }
        )
    for n in result.extracted.names:
        rows["person_names"].append(
            {
                "person_id": person_ids[n.person_key],
                "name": n.name,
                "kind": n.kind,
                "script": n.script,
                "doc_id": doc_id,
                "char_start": n.span.start,
                "char_end": n.span.end,
            }
        )
    for fact in rank_facts(result.extracted.facts) if ranked is None else ranked:
        f = fact.fact
        rows["facts"].append(
            {
                "doc_id": doc_id,
                "person_id": person_ids[f.person_key],
                "field": f.field,
                "value": f.value,
                "raw": f.raw,
                "source_kind": f.source_kind,
                "rule": f.rule,
                "char_start": f.span.start,
                "char_end": f.span.end,
                "chosen": fact.chosen,
                "conflict": fact.conflict,
            }
        )
    if result.source.text is not None:
        names = _subject_names(result) if subject_names is None else subject_names
        rows["events"] = event_rows(result, names, person_ids.get(subject.person_key) if subject else None)
    return rows


def _subject_names(result: DocResult) -> list[str]:
    """The names the document gives its subject (title, full, variants, aliases, birth name)."""
    subject = next((p for p in result.extracted.persons if p.is_subject), None)
    if subject is None:
        return []
    kinds = ("title", "full", "variant", "alias", "birth_name")
    names = [
        subject.name,
        *(n.name for n in result.extracted.names if n.person_key == subject.person_key and n.kind in kinds),
    ]
    return list(dict.fromkeys(n for n in names if n))


def event_rows(result: DocResult, subject_names: list[str], subject_id: str | None) -> list[Row]:
    """The subject's dated events (``extract.events``) as rows; ``event_no`` counts from 0 in text order."""
    if result.parsed is None or subject_id is None or result.source.text is None:
        return []
    rows = []
    for n, e in enumerate(extract_events(result.parsed, result.source.text, subject_names)):
        row: Row = {
            "doc_id": result.source.doc_id,
            "event_no": n,
            "person_id": subject_id,
            "type": e.type,
            "trigger": e.trigger or None,
        }
        row.update(date_columns("date", e.date.value))
        row.update(date_columns("end_date", e.date.end_value))
        row.update(
            {
                "date_text": e.date.raw,
                "date_inherited": e.date_inherited,
                "place": e.place,
                "organisation": e.organisation,
                "detail": e.detail,
                "sentence": e.sentence,
                "char_start": e.span.start,
                "char_end": e.span.end,
            }
        )
        rows.append(row)
    return rows


def doc_name_runs(result: DocResult, subject_names: list[str]) -> list[NameRun]:
    """The document's capitalised runs for the corpus stage's name matching (``extract.mentions``)."""
    if result.parsed is None or result.source.text is None:
        return []
    links = result.extracted.links or result.parsed.links
    return name_runs(result.parsed, result.source.text, links, subject_names)


def name_run_table(docs: Sequence[tuple[str, Sequence[NameRun]]]) -> pa.Table:
    """The runs of several documents, each with its ``doc_id``, as one Arrow table of
    ``identity.runs.NAME_RUN_SCHEMA``: the runs transposed into columns, each converted by Arrow in one call."""
    runs = [run for _, doc_runs in docs for run in doc_runs]
    if not runs:
        return NAME_RUN_SCHEMA.empty_table()
    doc_ids = [doc_id for doc_id, doc_runs in docs for _ in doc_runs]
    columns = [doc_ids, *zip(*runs, strict=True)]
    arrays = [pa.array(values, field.type) for values, field in zip(columns, NAME_RUN_SCHEMA, strict=True)]
    return pa.Table.from_arrays(arrays, schema=NAME_RUN_SCHEMA)


def person_drafts(result: DocResult, ranked: Sequence[RankedFact] | None = None) -> list[Row]:
    """This document's draft persons rows (``PERSON_DRAFT_SCHEMA``), each with the facts chosen for
    that person (``ranked``: ``rank_facts`` of its facts)."""
    chosen: dict[str, dict[str, Fact]] = defaultdict(dict)
    for ranked_fact in rank_facts(result.extracted.facts) if ranked is None else ranked:
        if ranked_fact.chosen:
            chosen[ranked_fact.fact.person_key][ranked_fact.fact.field] = ranked_fact.fact
    sort_key = (result.parsed.sort_key if result.parsed else None) or None
    rows = []
    for person in result.extracted.persons:
        facts = chosen[person.person_key]
        row: Row = {
            "person_id": person.person_key,
            "name": person.name,
            "full_name": person.full_name,
            "sort_name": sort_key if person.is_subject else None,
        }
        for f in DATE_FIELDS:
            row.update(date_columns(f, facts[f].date if f in facts else None))
        for f in PLACE_FIELDS:
            row[f] = facts[f].value if f in facts else None
        for f in PLACE_FIELDS:
            row[f"{f}_parts"] = list(facts[f].parts) if f in facts else None
        row.update(
            {
                "description": person.description,
                "is_subject": person.is_subject,
                "doc_id": result.source.doc_id,
                "char_start": person.span.start,
                "char_end": person.span.end,
                "prose": False,
            }
        )
        rows.append(row)
    return rows


def prose_drafts(doc_ids: list[str], keys: list[str], starts: list[int], ends: list[int]) -> pa.Table:
    """The draft rows (``PERSON_DRAFT_SCHEMA``) of persons named only in running text, each at
    ``starts``–``ends`` in its document: its name as written (its key), nothing else known.
    Built column by column: a corpus has a few such persons per document."""
    n = len(keys)
    given = {
        "person_id": keys,
        "name": keys,
        "full_name": keys,
        "is_subject": [False] * n,
        "doc_id": doc_ids,
        "char_start": starts,
        "char_end": ends,
        "prose": [True] * n,
    }
    return pa.Table.from_arrays(
        [
            pa.array(given[f.name], f.type) if f.name in given else pa.nulls(n, f.type)
            for f in PERSON_DRAFT_SCHEMA
        ],
        schema=PERSON_DRAFT_SCHEMA,
    )


def preferred_views(drafts: pa.Table) -> pa.Table:
    """One row per ``person_id`` of draft rows (``PERSON_DRAFT_SCHEMA``, ids already given): the
    view that wins (the person's own biography, else one not from prose, else the first
    ``doc_id``; ties in input order), its ``is_subject`` true when any of the person's rows is.

    Associative over concatenation in order: the preferred views of batches' preferred views are
    the preferred views of all the rows."""
    keys = [
        ("person_id", "ascending"),
        ("is_subject", "descending"),
        ("prose", "ascending"),
        ("doc_id", "ascending"),
    ]
    ordered = drafts.take(pc.sort_indices(drafts, sort_keys=keys))  # stable: ties keep input order
    if ordered.num_rows < 2:
        return ordered
    ids = ordered["person_id"]
    first = pc.not_equal(ids.slice(1), ids.slice(0, ordered.num_rows - 1))
    return ordered.filter(pa.concat_arrays([pa.array([True]), *first.chunks]))


def persons_table(views: Sequence[pa.Table], n_docs: Mapping[str, int]) -> pa.Table:
    """The ``persons`` table from preferred views (``preferred_views``) in input order, with ``n_docs``
    per person id and a sort name made from the name where no document gave a sort key."""
    best = preferred_views(pa.concat_tables(views) if views else PERSON_DRAFT_SCHEMA.empty_table())
    rows = best.select(["person_id", "name", "full_name", "sort_name"]).to_pylist()
    sort_names = [r["sort_name"] or sort_name(r["full_name"] or r["name"]) for r in rows]
    schema = arrow_schema("persons")
    columns = {
        "sort_name": pa.array(sort_names, schema.field("sort_name").type),
        "n_docs": pa.array([n_docs[r["person_id"]] for r in rows], schema.field("n_docs").type),
    }
    arrays = [columns[name] if name in columns else best[name] for name in schema.names]
    return pa.Table.from_arrays(arrays, schema=schema)


__all__ = [
    "DATE_FIELDS",
    "DATE_PARTS",
    "DOC_TABLES",
    "PERSON_DRAFT_SCHEMA",
    "DocOutput",
    "KeysAsIds",
    "RankedFact",
    "date_value",
    "doc_name_runs",
    "doc_rows",
    "document_output",
    "name_run_table",
    "person_drafts",
    "persons_table",
    "preferred_views",
    "prose_drafts",
]
