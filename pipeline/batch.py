"""Batches of documents → table rows, and the rows of all batches → validated-ready tables.

A batch reads its files (the only I/O here, plus the per-document cache), runs the
pure core on each document and returns rows whose ``person_id`` columns still hold
person *keys*. The tables the corpus stage reads stay rows; every other table is
kept as a compact Arrow-backed frame. ``assemble`` resolves identities across the
whole corpus and gives the keys their final ids once every batch is in.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from pipeline.cache import DocCache, run_fingerprint
from pipeline.core import process_document
from pipeline.identity.corpus import KnownPerson, resolve_corpus
from pipeline.records import DateValue, Person
from pipeline.sources import read_source
from pipeline.tables import (
    DOC_TABLES,
    INTERNAL_TABLES,
    PersonCandidate,
    Row,
    doc_rows,
    person_candidates,
    person_rows,
)
from schemas import frame_from_rows

PERSON_ID_COLUMNS = {
    "person_names": "person_id",
    "events": "person_id",
    "facts": "person_id",
    "links": "person_id",
    "documents": "subject_id",
}


class _KeyAsId(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return key

    def get(self, key: str, default: str | None = None) -> str | None:  # type: ignore[override]
        return key


class PipelineBug(RuntimeError):
    """A document made our code raise: a bug to fix, never a property of the input."""


CORPUS_INPUTS = ("person_names", "links", "name_runs")
"""Tables the corpus stage reads row by row; every other table is kept as a compact frame per batch."""


@dataclass
class BatchOutput:
    rows: dict[str, list[Row]]  # the corpus stage's inputs, as rows
    persons: list[PersonCandidate]
    formats: Counter[str]
    cache_hits: int = 0
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)  # the other tables, Arrow-backed


DocOutput = tuple[dict[str, list[Row]], list[PersonCandidate]]


def process_file(
    path: Path, root: Path, max_bytes: int, cache_dir: str | None = None
) -> tuple[DocOutput, bool]:
    """One file's rows, from the cache when its bytes and the pipeline are unchanged; and whether they were."""
    source = read_source(path, root, max_bytes)
    cache = DocCache(Path(cache_dir), run_fingerprint(max_bytes)) if cache_dir and source.text else None
    if cache is not None:
        cached = cache.get(source.sha256)
        if cached is not None:
            rows, persons = cached
            rows["documents"][0]["source_name"] = source.source_name  # same bytes, maybe another name
            return (rows, persons), True
    try:
        result = process_document(source)
        output = (doc_rows(result, _KeyAsId()), person_candidates(result))
    except Exception as error:  # bad input is data; an exception here is our bug: fail loudly, say where
        raise PipelineBug(
            f"processing {source.source_name} (doc_id {source.doc_id}) failed: {error!r}"
        ) from error
    if cache is not None:
        cache.put(source.sha256, output)
    return output, False


def _merge(outputs: Iterator[tuple[DocOutput, bool]]) -> BatchOutput:
    rows: dict[str, list[Row]] = {name: [] for name in DOC_TABLES}
    persons: list[PersonCandidate] = []
    formats: Counter[str] = Counter()
    hits = 0
    for (doc, people), hit in outputs:
        for name, table_rows in doc.items():
            rows[name].extend(table_rows)
        persons.extend(people)
        formats[doc["documents"][0]["format"] or "rejected"] += 1
        hits += hit
    # Rows as dicts cost ~10x their Arrow size: only the corpus stage's inputs stay dicts.
    frames = {name: frame_from_rows(name, rows.pop(name)) for name in list(rows) if name not in CORPUS_INPUTS}
    return BatchOutput(rows, persons, formats, hits, frames)


def run_batch(
    paths: Sequence[str], root: str, max_bytes: int, workers: int = 1, cache_dir: str | None = None
) -> BatchOutput:
    """Parse one batch of files, on ``workers`` processes when more than one."""
    root_path = Path(root)
    files = [Path(p) for p in paths]
    if workers <= 1 or len(files) < 2 * workers:
        return _merge(process_file(f, root_path, max_bytes, cache_dir) for f in files)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        chunk = max(1, len(files) // (workers * 4))
        n = len(files)
        results = pool.map(
            process_file, files, [root_path] * n, [max_bytes] * n, [cache_dir] * n, chunksize=chunk
        )
        return _merge(iter(results))


def default_workers() -> int:
    return max(1, min(4, os.cpu_count() or 1))


def _known(candidates: Sequence[PersonCandidate]) -> list[KnownPerson]:
    def date(c: PersonCandidate, field: str) -> DateValue | None:
        fact = c.chosen.get(field)
        return fact.date if fact else None

    return [
        KnownPerson(c.doc_id, c.key, c.person, date(c, "birth_date"), date(c, "death_date"))
        for c in candidates
    ]


def assemble(batches: Sequence[BatchOutput]) -> dict[str, pd.DataFrame]:
    """Every table as a typed frame, identities resolved across documents and person keys replaced by ids.

    The corpus stage (``identity.corpus.resolve_corpus``) clusters every document's
    persons, adds persons named only in prose, and builds mentions, person_links and
    person_matches; ids are per (doc_id, person key), so namesakes kept apart in
    different documents get different ids.
    """
    candidates = [c for b in batches for c in b.persons]
    rows = {name: [row for b in batches for row in b.rows.get(name, [])] for name in CORPUS_INPUTS}
    subjects = {c.doc_id: c.key for c in candidates if c.person.is_subject}
    corpus = resolve_corpus(
        _known(candidates), rows["person_names"], rows["name_runs"], rows["links"], subjects
    )
    ids = corpus.ids
    prose = [
        PersonCandidate(p.key, Person(p.key, p.key, p.key, None, False, p.span), p.doc_id, prose=True)
        for p in corpus.prose_persons
    ]
    tables: dict[str, pd.DataFrame] = {}
    for name in DOC_TABLES:
        if name in INTERNAL_TABLES:
            continue
        column = PERSON_ID_COLUMNS.get(name)
        if name in CORPUS_INPUTS:
            if column:
                for row in rows[name]:
                    if row[column] is not None:
                        row[column] = ids[(row["doc_id"], row[column])]
            tables[name] = frame_from_rows(name, rows[name])
            continue
        parts = [b.frames[name] for b in batches if name in b.frames]
        frame = pd.concat(parts, ignore_index=True) if parts else frame_from_rows(name, [])
        if column:
            person_ids = [
                None if pd.isna(k) else ids[(d, k)]
                for d, k in zip(frame["doc_id"], frame[column], strict=True)
            ]
            frame[column] = pd.Series(person_ids, index=frame.index, dtype=frame[column].dtype)
        tables[name] = frame
    tables["persons"] = frame_from_rows("persons", person_rows([*candidates, *prose], ids, corpus.n_docs))
    tables["mentions"] = frame_from_rows("mentions", corpus.mentions)
    tables["person_links"] = frame_from_rows("person_links", corpus.person_links)
    tables["person_matches"] = frame_from_rows("person_matches", corpus.person_matches)
    return tables
