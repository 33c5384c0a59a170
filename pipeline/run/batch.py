"""Batches of documents → staged tables, and the staged tables of all batches → the run's tables.

A batch reads its files (the only I/O here, plus the per-document cache and the
batch's ``Parts``): the run's workers (``pipeline.run.cluster``) each take a chunk of its
files, run the whole per-document pass (``core.run_document``) on each and send back
every table as Arrow (a draft ``persons`` row per person a document names among them); the
batch stacks them into its parts, with ``person_id`` columns still holding person *keys*.
``two_at_a_time`` keeps the next batch running while one is merged. ``resolve_batches``
runs the corpus stage: two maps over the batches (``map_batches``, on the workers) and a
small reduce after each. ``table_chunks`` gives each table batch by batch with the
final person ids, in ``doc_id`` order. What grows with the corpus is the persons and
their clusters, not the documents' rows.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import sys
import threading
import time
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Executor, ThreadPoolExecutor
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, BinaryIO, Protocol, TypeVar, cast

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.codes import Reject, Warn, message
from pipeline.core import run_document
from pipeline.extract.mentions import NameRun
from pipeline.identity.corpus import (
    NAME_KINDS,
    DocPersons,
    Identity,
    KnownPerson,
    MentionIndex,
    ProseName,
    batch_mentions,
    candidate_docs,
    identify,
    known_candidates,
    known_index,
    match_columns,
    mention_index,
    mention_only_docs,
    prose_names,
)
from pipeline.identity.resolve import Candidate
from pipeline.identity.runs import NAME_RUN_SCHEMA, NameIndex
from pipeline.output.validate import Validator, chunked, concat
from pipeline.output.write import Written, write_stream
from pipeline.records import DocResult, Notice, SourceDoc, Span
from pipeline.run.cache import DocCache, run_fingerprint
from pipeline.run.cluster import Workers, local_workers, run_workers
from pipeline.run.containers import Member, read_member
from pipeline.run.heap import collector_paused, release_free_memory
from pipeline.run.parts import Parts
from pipeline.run.sources import content_sha256, list_inputs, read_source, source_name_of
from pipeline.tables import (
    DATE_FIELDS,
    DATE_PARTS,
    PERSON_DRAFT_SCHEMA,
    DocOutput,
    KeysAsIds,
    Row,
    date_value,
    doc_rows,
    name_run_table,
    persons_table,
    preferred_views,
    prose_drafts,
)
from schemas import SCHEMAS, arrow_schema, empty_frame, frame_from_arrow, frame_from_rows, table_from_rows
from schemas.base import arrow_array

PERSON_ID_COLUMNS = {
    "person_names": "person_id",
    "events": "person_id",
    "facts": "person_id",
    "links": "person_id",
    "documents": "subject_id",
}
T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)
DEFAULT_BATCH_SIZE = 500
"""Documents per batch: one Prefect task each, and the unit memory follows."""
CORPUS_CHUNK_ROWS = 20_000
"""Rows of a corpus-wide table (persons, person_matches) validated at a time."""
ALARM_REPEAT = 0.05
"""Seconds between the alarm's rings once a document is past its time limit (see ``time_limit``)."""
DEFAULT_DOC_TIMEOUT = 30.0
"""Seconds of wall-clock time one document's pass (core and row builders) may take before it is rejected."""


class PipelineBug(RuntimeError):
    """A document made our code raise: a bug to fix, never a property of the input."""


class _OutOfTime(BaseException):
    """Raised by the SIGALRM handler of ``time_limit``; a BaseException, so no ``except Exception`` eats it."""


def can_limit_time() -> bool:
    """Whether ``time_limit`` works here: SIGALRM handlers run only in a process's main thread (POSIX)."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise ``_OutOfTime`` inside the body once ``seconds`` have passed; the previous handler is restored.

    No limit when ``seconds`` is None or 0, or where ``can_limit_time`` is false (``run_batch``
    then works in a process pool, whose workers run documents in their main thread).
    """
    if not seconds or not can_limit_time():
        yield
        return

    def expired(signum: int, frame: object) -> None:
        raise _OutOfTime

    previous = signal.signal(signal.SIGALRM, expired)
    mask = signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGALRM})  # a library may have blocked it
    # Past the limit the alarm rings again every ALARM_REPEAT seconds: an exception raised while a
    # ``__del__`` runs (the garbage collector freeing a compiled pattern) is printed and dropped by
    # Python, so one ring alone can be lost and the document run on past its limit.
    signal.setitimer(signal.ITIMER_REAL, seconds, ALARM_REPEAT)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        signal.signal(signal.SIGALRM, previous)


@dataclass(frozen=True, slots=True)
class InputFile:
    """One document to read, and the names of the other files (or members) holding the very same bytes.

    A file below the input folder is read at ``path``; a document of a container (archive
    member, JSON Lines record) is its ``member``, read from the pack file at ``path``.
    """

    path: str
    copies: tuple[str, ...] = ()
    follow_symlinks: bool = False  # read a link that leads out of the input folder (--follow-symlinks)
    member: Member | None = None


def plan_inputs(
    paths: Iterable[Path | str],
    root: Path,
    sha256s: Mapping[str, str] | None = None,
    follow_symlinks: bool = False,
) -> list[InputFile]:
    """The documents of a run in ``doc_id`` order, each distinct content once.

    Files with the same bytes are one document (same ``doc_id``): the first name in
    sorted order is read, the others are its ``copies`` (each gets a
    ``duplicate-content`` warning), so identical mirrors never collide on keys.
    """
    by_sha: dict[str, list[Path]] = defaultdict(list)
    for raw in paths:
        path = Path(raw)
        name = source_name_of(path, root)
        sha = sha256s[name] if sha256s is not None else content_sha256(path, root, follow_symlinks)
        by_sha[sha].append(path)
    planned = []
    for _, group in sorted(by_sha.items()):  # sha256 order is doc_id order
        first, *others = sorted(group, key=lambda p: source_name_of(p, root))
        copies = tuple(source_name_of(p, root) for p in others)
        planned.append(InputFile(str(first), copies, follow_symlinks))
    return planned


def plan_members(members: Sequence[Member], pack: str) -> list[InputFile]:
    """``plan_inputs`` for a container's documents: in ``doc_id`` order, each distinct content once,
    the first member in listing order read and the others its ``copies``."""
    by_sha: dict[str, list[Member]] = defaultdict(list)
    for member in members:
        by_sha[member.sha256].append(member)
    return [
        InputFile(pack, tuple(m.name for m in others), member=first)
        for _, (first, *others) in sorted(by_sha.items())
    ]


@dataclass
class BatchOutput:
    parts: Parts  # the batch's tables (and its ``person_drafts`` and ``name_runs``), person keys not yet ids
    formats: Counter[str]
    cache_hits: int = 0


def with_copies(source: SourceDoc, copies: Sequence[str]) -> SourceDoc:
    notes = tuple(
        Notice(Warn.DUPLICATE_CONTENT, message(Warn.DUPLICATE_CONTENT, name=name)) for name in copies
    )
    return replace(source, warnings=(*source.warnings, *notes)) if notes else source


def _cache_key(source: SourceDoc, copies: Sequence[str]) -> str:
    if not copies:
        return source.sha256
    names = "\n".join(copies).encode()
    return f"{source.sha256}-{hashlib.sha256(names).hexdigest()[:16]}"


def timed_out(source: SourceDoc, limit: float) -> DocOutput:
    """The rows of a document whose pass ran past ``limit`` seconds: rejected as ``timeout``, nothing parsed."""
    note = Notice(Reject.TIMEOUT, message(Reject.TIMEOUT, limit=limit))
    rejected = replace(source, reject_code=Reject.TIMEOUT, warnings=(*source.warnings, note))
    return DocOutput(doc_rows(DocResult(rejected, None), KeysAsIds()), [], [])


def process_file(
    item: InputFile,
    root: Path,
    max_bytes: int,
    cache_dir: str | None = None,
    doc_timeout: float | None = DEFAULT_DOC_TIMEOUT,
    pack: BinaryIO | None = None,
) -> tuple[DocOutput, bool]:
    """One document's rows, from the cache when its bytes and the pipeline are unchanged; and whether they were.

    The pass runs under ``time_limit(doc_timeout)``; a document that runs out of time is a
    ``timeout`` rejection, never cached (a faster machine or a higher limit may parse it).
    A container's member is read from ``pack`` when given (see ``process_chunk``), and its
    ``source_meta`` set; a file's stays null.
    """
    output, hit = _rows_of(item, root, max_bytes, cache_dir, doc_timeout, pack)
    if item.member is not None:
        output.rows["documents"][0]["source_meta"] = item.member.meta
    return output, hit


def read_item(item: InputFile, root: Path, max_bytes: int, pack: BinaryIO | None = None) -> SourceDoc:
    """The item's SourceDoc: a file read below ``root``, or a container's member read from the open ``pack``
    (opened here when none is given)."""
    if item.member is None:
        return read_source(Path(item.path), root, max_bytes, item.follow_symlinks)
    if pack is None and item.member.offset >= 0:
        with open(item.path, "rb") as handle:
            return read_member(item.member, handle)
    return read_member(item.member, pack)


def _rows_of(
    item: InputFile,
    root: Path,
    max_bytes: int,
    cache_dir: str | None,
    doc_timeout: float | None,
    pack: BinaryIO | None,
) -> tuple[DocOutput, bool]:
    source = with_copies(read_item(item, root, max_bytes, pack), item.copies)
    cache = DocCache(Path(cache_dir), run_fingerprint(max_bytes)) if cache_dir and source.text else None
    key = _cache_key(source, item.copies)
    if cache is not None:
        cached = cache.get(key)
        if isinstance(cached, DocOutput):
            cached.rows["documents"][0]["source_name"] = source.source_name  # same bytes, maybe another name
            return cached, True
    try:
        with time_limit(doc_timeout):
            output = run_document(source)
    except _OutOfTime:
        return timed_out(source, doc_timeout or 0), False
    except Exception as error:  # bad input is data; an exception here is our bug: fail loudly, say where
        raise PipelineBug(
            f"processing {source.source_name} (doc_id {source.doc_id}) failed: {error!r}"
        ) from error
    if cache is not None:
        cache.put(key, output)
    return output, False


@dataclass
class ChunkOutput:
    """A run of consecutive files of a batch, processed by one worker: its tables as Arrow."""

    tables: dict[str, pa.Table]
    formats: Counter[str]
    cache_hits: int


def process_chunk(
    items: Sequence[InputFile],
    root: Path,
    max_bytes: int,
    cache_dir: str | None = None,
    doc_timeout: float | None = DEFAULT_DOC_TIMEOUT,
) -> ChunkOutput:
    """``process_file`` for each file, in order; the rows of each table stacked as one Arrow table
    (built here, in the worker, so only Arrow buffers travel back). A container's pack is opened
    once for the whole chunk."""
    rows: dict[str, list[Row]] = defaultdict(list)
    runs: list[tuple[str, list[NameRun]]] = []
    persons: list[Row] = []
    formats: Counter[str] = Counter()
    hits = 0
    packed = next((i.path for i in items if i.member is not None and i.member.offset >= 0), None)
    with open(packed, "rb") if packed else nullcontext() as pack:
        for item in items:
            doc, hit = process_file(item, root, max_bytes, cache_dir, doc_timeout, pack)
            for name, table_rows in doc.rows.items():
                rows[name].extend(table_rows)
            runs.append((doc.rows["documents"][0]["doc_id"], doc.runs))
            persons.extend(doc.persons)
            formats[doc.rows["documents"][0]["format"] or "rejected"] += 1
            hits += hit
    tables = {
        "name_runs": name_run_table(runs),
        "person_drafts": pa.Table.from_pylist(persons, schema=PERSON_DRAFT_SCHEMA),
    }
    tables |= {name: table_from_rows(name, table_rows) for name, table_rows in rows.items()}
    return ChunkOutput(tables, formats, hits)


def _merge(chunks: Iterable[ChunkOutput], parts: Parts) -> BatchOutput:
    stacked: dict[str, list[pa.Table]] = defaultdict(list)
    formats: Counter[str] = Counter()
    hits = 0
    for chunk in chunks:
        for name, arrow in chunk.tables.items():
            stacked[name].append(arrow)
        formats += chunk.formats
        hits += chunk.cache_hits
    for name, arrows in stacked.items():
        parts.put_arrow(name, pa.concat_tables(arrows))
    return BatchOutput(parts, formats, hits)


def run_batch(
    files: Sequence[InputFile | str],
    root: str,
    max_bytes: int,
    workers: int = 1,
    cache_dir: str | None = None,
    stage_dir: str | None = None,
    doc_timeout: float | None = DEFAULT_DOC_TIMEOUT,
    pool: Executor | None = None,
) -> BatchOutput:
    """Parse one batch of files, on ``workers`` processes when more than one.

    Plain paths are planned here (copies grouped, ``doc_id`` order); the tables go to
    ``stage_dir`` when given, else stay in memory. Each document may take ``doc_timeout``
    seconds (None: no limit); with a limit even one worker is a process of its own, whose main
    thread runs nothing else, so the alarm that enforces it cannot be held up by whatever else
    the calling process runs (threads, blocked signals). ``pool`` is the executor of the run's
    workers (``cluster.run_workers``), used instead of processes of the batch's own.
    """
    root_path = Path(root)
    items = [f for f in files if isinstance(f, InputFile)]
    if len(items) < len(files):
        items = plan_inputs([f for f in files if isinstance(f, str)], root_path)
    parts = Parts(Path(stage_dir) if stage_dir else None)
    in_process = workers <= 1 or len(items) < 2 * workers
    if in_process and (not items or not doc_timeout) and pool is None:
        return _merge([process_chunk(items, root_path, max_bytes, cache_dir, doc_timeout)], parts)
    if pool is not None:
        return _merge(
            _chunk_results(pool, workers, items, root_path, max_bytes, cache_dir, doc_timeout), parts
        )
    with local_workers(1 if in_process else workers) as own:
        chunks = _chunk_results(own.executor, workers, items, root_path, max_bytes, cache_dir, doc_timeout)
        return _merge(chunks, parts)


def chunk_size(batch_size: int, workers: int) -> int:
    """How many documents of a batch one worker takes at a time: four chunks per worker, so a slow
    chunk leaves the others work to take."""
    return max(1, batch_size // (max(workers, 1) * 4))


def _chunk_results(
    pool: Executor,
    workers: int,
    items: Sequence[InputFile],
    root: Path,
    max_bytes: int,
    cache_dir: str | None,
    doc_timeout: float | None,
) -> Iterator[ChunkOutput]:
    """``process_chunk`` over a batch cut into chunks (``chunk_size``) on ``pool``; in order."""
    size = chunk_size(len(items), workers)
    chunks = [items[i : i + size] for i in range(0, len(items), size)]
    n = len(chunks)
    return pool.map(process_chunk, chunks, [root] * n, [max_bytes] * n, [cache_dir] * n, [doc_timeout] * n)


class Pending(Protocol[T_co]):
    """A started piece of work: a ``concurrent.futures.Future`` or a Prefect task's future."""

    def result(self) -> T_co: ...


def two_at_a_time(count: int, start: Callable[[int], Pending[T]]) -> Iterator[T]:
    """The results of ``start(0)`` … ``start(count - 1)`` in order, the next one already started
    while one is taken: batch ``n + 1`` keeps the workers busy while batch ``n`` is merged and
    staged, and no more than two batches are being parsed at once."""
    pending: deque[Pending[T]] = deque(start(n) for n in range(min(count, 2)))
    for number in range(count):
        done = pending.popleft().result()
        if number + 2 < count:
            pending.append(start(number + 2))
        yield done


def default_workers() -> int:
    return max(1, min(4, os.cpu_count() or 1))


def _drafts(parts: Parts) -> pa.Table:
    return parts.get_arrow("person_drafts") or PERSON_DRAFT_SCHEMA.empty_table()


_KNOWN_COLUMNS = [
    "doc_id",
    "person_id",
    "full_name",
    "is_subject",
    "char_start",
    "char_end",
    *(f"{field}{part}" for field in DATE_FIELDS for part in DATE_PARTS),
]


def _known(parts: Parts) -> list[KnownPerson]:
    """The batch's persons as the corpus stage clusters them (its draft persons rows). Document ids
    and person keys interned: the stage holds them for the whole corpus, a document's id once per
    person in it and a recurring name's key once per document naming it."""
    return [
        KnownPerson(
            sys.intern(row["doc_id"]),
            sys.intern(row["person_id"]),
            row["full_name"],
            row["is_subject"],
            Span(row["char_start"], row["char_end"]),
            date_value(row, "birth_date"),
            date_value(row, "death_date"),
        )
        for row in _drafts(parts).select(_KNOWN_COLUMNS).to_pylist()
    ]


def _known_names(parts: Parts) -> list[Row]:
    """The batch's ``person_names`` rows of the kinds the corpus stage clusters by."""
    names = parts.get_arrow("person_names")
    if names is None:
        return []
    kept = names.filter(pc.is_in(names["kind"], pa.array(sorted(NAME_KINDS))))
    return kept.select(["doc_id", "person_id", "kind", "name"]).to_pylist()


MATCH_SCHEMA = arrow_schema("person_matches")


def _match_batches(identity: Identity) -> Iterator[pa.RecordBatch]:
    """The ``person_matches`` rows as record batches of ``CORPUS_CHUNK_ROWS`` rows (the last one
    shorter), each made from its merges' columns: never more than one batch's rows at a time."""
    merges = identity.resolution.merges
    for start in range(0, len(merges), CORPUS_CHUNK_ROWS):
        columns = match_columns(merges[start : start + CORPUS_CHUNK_ROWS], identity.ids)
        yield from pa.Table.from_pydict(columns, schema=MATCH_SCHEMA).to_batches()


def _views(drafts: pa.Table, ids: Mapping[tuple[str, str], str]) -> pa.Table:
    """The preferred view of each person drafted in ``drafts`` (person keys), by final id."""
    if not drafts.num_rows:
        return drafts
    person_ids = person_id_array(drafts["doc_id"], drafts["person_id"], ids)
    return preferred_views(
        drafts.set_column(drafts.schema.get_field_index("person_id"), "person_id", person_ids)
    )


def _prose_drafts(prose: Sequence[Candidate]) -> pa.Table:
    return prose_drafts(
        [p.doc_id for p in prose],
        [p.key for p in prose],
        [p.span.start for p in prose],
        [p.span.end for p in prose],
    )


CORPUS_TABLES = ("persons", "person_matches")


@dataclass
class Corpus:
    """What the corpus stage decided: every (doc_id, person key)'s id, and the corpus-wide tables
    (``CORPUS_TABLES``), stored in record batches of ``CORPUS_CHUNK_ROWS`` rows (on disk when the
    batches are staged)."""

    ids: dict[tuple[str, str], str]
    tables: Parts


def _runs(parts: Parts) -> pa.Table:
    return parts.get_arrow("name_runs") or NAME_RUN_SCHEMA.empty_table()


def _person_link_rows(parts: Parts) -> list[Row]:
    """The batch's links to persons (person key set), as the corpus stage reads them."""
    links = parts.get_arrow("links")
    if links is None:
        return []
    linked = links.filter(pc.is_valid(links["person_id"]))
    return linked.select(["doc_id", "person_id", "anchor", "char_start", "char_end"]).to_pylist()


def _prose_names_of(first: NameIndex, batch: tuple[Parts, dict[str, set[int]]]) -> list[ProseName]:
    parts, local = batch
    return prose_names(_runs(parts), first, local)


def _mentions_of(at: MentionIndex, batch: tuple[Parts, DocPersons]) -> Counter[str]:
    """Stores the batch's ``mentions`` and ``person_links`` (given its parts and its documents'
    persons); per person id, the batch's documents that mention it without holding a candidate of
    it (``mention_only_docs``)."""
    parts, docs = batch
    mentions, person_links = batch_mentions(at, docs, _runs(parts), _person_link_rows(parts))
    parts.put("mentions", frame_from_rows("mentions", mentions))
    parts.put("person_links", frame_from_rows("person_links", person_links))
    return mention_only_docs(at, docs, mentions)


def _doc_ids(parts: Parts) -> list[str]:
    documents = parts.get_arrow("documents")
    return documents["doc_id"].to_pylist() if documents is not None else []


def _doc_persons(parts: Parts, docs: DocPersons) -> DocPersons:
    """``docs`` cut to the batch's documents and their known persons (its draft persons rows)."""
    drafts = _drafts(parts)
    pairs = zip(drafts["doc_id"].to_pylist(), drafts["person_id"].to_pylist(), strict=True)
    return docs.of(_doc_ids(parts), pairs)


def map_batches(
    job: Callable[[Any, Any], T],
    shared: Any,
    batches: Sequence[BatchOutput],
    workers: Workers | None,
    extra: Iterable[Any] | None = None,
) -> list[T]:
    """``job(shared, parts)`` for every batch, in batch order (``job(shared, (parts, extra[i]))``
    with ``extra``, a value per batch, taken as the batches are sent); on ``workers`` when the
    batches are staged on disk (so a worker can write to them) and there is more than one."""
    items: Iterable[Any] = (
        (b.parts for b in batches) if extra is None else zip((b.parts for b in batches), extra, strict=True)
    )
    folders = [b.parts.folder for b in batches]
    if workers is None or len(batches) < 2 or None in folders:
        return [job(shared, item) for item in items]
    return workers.map_shared(job, shared, items, Path(cast(Path, folders[0])))


def resolve_batches(
    batches: Sequence[BatchOutput], workers: Workers | None = None, stage_dir: Path | None = None
) -> Corpus:
    """The corpus stage over every batch: a map over the batches (on ``workers``; None: in this
    process) and a small reduce, twice (see ``identity.corpus``).

    Clusters every document's persons, adds persons named only in prose, stores each
    batch's ``mentions`` and ``person_links`` in its parts, and builds ``persons`` and
    ``person_matches``. Ids are per (doc_id, person key), so namesakes kept apart in
    different documents get different ids. A batch's draft persons rows are read twice: as the
    persons the corpus stage clusters, then reduced to each person's preferred view once the ids
    are known (``tables.preferred_views``). ``persons`` and ``person_matches`` go to ``stage_dir``
    when given (else they stay in memory), so they are not held while the other tables are
    validated and written. Runs with the garbage collector paused (``heap.collector_paused``), as
    do its steps on the workers (``cluster.map_shared``). A step's workers get the small shared value
    (a name index) once and each batch's own part of the per-document maps with the batch.
    """
    with collector_paused():
        return _resolve_batches(batches, workers, stage_dir)


def _resolve_batches(
    batches: Sequence[BatchOutput], workers: Workers | None, stage_dir: Path | None
) -> Corpus:
    tables = Parts(stage_dir)
    ids, prose_view, at, docs = _decide(batches, workers, tables)
    release_free_memory()  # the candidates and merges, and what writing the merges made
    n_docs = _store_mentions(at, docs, batches, workers)
    views = [_views(_drafts(b.parts), ids) for b in batches]
    views.append(prose_view)
    persons = persons_table(views, n_docs).combine_chunks()
    tables.put_batches("persons", persons.schema, persons.to_batches(CORPUS_CHUNK_ROWS))
    del persons, views
    release_free_memory()
    return Corpus(ids, tables)


def _decide(
    batches: Sequence[BatchOutput], workers: Workers | None, tables: Parts
) -> tuple[dict[tuple[str, str], str], pa.Table, MentionIndex, DocPersons]:
    """The clusters and ids, and what the rest of the stage reads of them: the ids, the prose
    persons' views, the ``MentionIndex`` and every document's ``DocPersons``; ``person_matches``
    stored in ``tables``. The candidates and merges are freed on return, before the mentions step."""
    known = [c for b in batches for c in known_candidates(_known(b.parts), _known_names(b.parts))]
    identity = _identify(known, batches, workers)
    tables.put_batches("person_matches", MATCH_SCHEMA, _match_batches(identity))
    at, docs = mention_index(identity, {c.doc_id: c.key for c in known if c.origin == "subject"})
    return identity.ids, _views(_prose_drafts(identity.prose_persons), identity.ids), at, docs


def _identify(known: list[Candidate], batches: Sequence[BatchOutput], workers: Workers | None) -> Identity:
    """The final clusters and ids (``identity.corpus.identify``); the first clusters' index and the
    leftover names it gave are freed on return, before the mentions step."""
    first = known_index(known)
    local = ({d: first.local[d] for d in _doc_ids(b.parts) if d in first.local} for b in batches)
    names = [n for found in map_batches(_prose_names_of, first.index, batches, workers, local) for n in found]
    return identify(known, names)


def _store_mentions(
    at: MentionIndex, docs: DocPersons, batches: Sequence[BatchOutput], workers: Workers | None
) -> dict[str, int]:
    """Every batch's ``mentions`` and ``person_links`` stored in its parts, each batch given its own
    documents' persons only (``DocPersons``); ``n_docs`` per person id."""
    n_docs = candidate_docs(at, docs)
    per_batch = (_doc_persons(b.parts, docs) for b in batches)  # made as the batches are sent
    for counts in map_batches(_mentions_of, at, batches, workers, per_batch):
        n_docs.update(counts)
    return dict(n_docs)


def with_ids(table: str, frame: pd.DataFrame, ids: Mapping[tuple[str, str], str]) -> pd.DataFrame:
    """The frame with its person-key column (if any) holding the corpus stage's person ids.

    Looked up once per distinct (doc_id, key) pair, not per row."""
    column = PERSON_ID_COLUMNS.get(table)
    if column is None or frame.empty:
        return frame
    person_ids = person_id_array(arrow_array(frame["doc_id"]), arrow_array(frame[column]), ids)
    frame = frame.copy()
    frame[column] = pd.Series(
        pd.arrays.ArrowExtensionArray(person_ids), index=frame.index, dtype=frame[column].dtype
    )
    return frame


def person_id_array(
    doc_ids: pa.Array | pa.ChunkedArray, keys: pa.Array | pa.ChunkedArray, ids: Mapping[tuple[str, str], str]
) -> pa.Array:
    """The person id of each (doc_id, person key) pair; a null key stays null. Looked up once per
    distinct pair, not per row."""
    pairs = pc.dictionary_encode(pc.binary_join_element_wise(doc_ids, keys, _PAIR))
    if isinstance(pairs, pa.ChunkedArray):
        pairs = pairs.combine_chunks()
    found = [ids[cast(tuple[str, str], tuple(pair.split(_PAIR, 1)))] for pair in pairs.dictionary.to_pylist()]
    return pc.take(pa.array(found, pa.string()), pairs.indices)


_PAIR = "\x1f"  # between doc_id (hex digits) and person key: the first one splits them


def table_chunks(
    batches: Sequence[BatchOutput], corpus: Corpus
) -> Iterator[tuple[str, Iterator[pd.DataFrame]]]:
    """Every published table (``quarantine`` aside) as frames, one per batch, with final person ids.

    Tables come in ``schemas.SCHEMAS`` order (documents, then persons, then the rest),
    the order validation needs to check references.
    """
    for name in SCHEMAS:
        if name == "quarantine":
            continue
        if name in CORPUS_TABLES:
            yield name, _corpus_frames(corpus.tables, name)
        else:
            yield name, (with_ids(name, b.parts.get(name), corpus.ids) for b in batches)


def _corpus_frames(tables: Parts, name: str) -> Iterator[pd.DataFrame]:
    """A corpus-wide table's frames, a record batch each; one empty frame when it has no rows."""
    empty = True
    for batch in tables.batches(name):
        empty = False
        yield frame_from_arrow(pa.Table.from_batches([batch]))
    if empty:
        yield empty_frame(name)


def assemble(batches: Sequence[BatchOutput]) -> dict[str, pd.DataFrame]:
    """Every table whole, in memory: the staged run's tables for tests and small corpora."""
    corpus = resolve_batches(batches)
    tables = {}
    for name, chunks in table_chunks(batches, corpus):
        tables[name] = concat(chunks, name)
    return tables


def validated_chunks(
    batches: Sequence[BatchOutput], corpus: Corpus, validator: Validator
) -> Iterator[tuple[str, Iterator[pd.DataFrame]]]:
    """Every table in chunks (a document's tables: consecutive batches stacked, ``validate.chunked``),
    valid rows only; the quarantine last, once every other table is in."""
    for name, chunks in table_chunks(batches, corpus):
        if name not in CORPUS_TABLES:
            chunks = chunked(chunks, name)
        yield name, (validator.chunk(name, chunk) for chunk in chunks)
        release_free_memory()  # the table is written: its buffers go back to the OS
    yield "quarantine", iter([validator.quarantine()])


def write_tables(
    batches: Sequence[BatchOutput], corpus: Corpus, output_dir: Path, extra: Mapping[str, Any]
) -> Written:
    """Every table validated a chunk at a time and written (``output.write.write_stream``, with
    ``extra`` for the manifest); returns the manifest and the view. Runs with the garbage collector paused
    (``heap.collector_paused``): validating and writing make next to no reference cycles."""
    with collector_paused():
        return write_stream(validated_chunks(batches, corpus, Validator()), output_dir, extra)


def run_local(
    input_dir: Path,
    output_dir: Path,
    stage_dir: Path,
    batch_size: int,
    workers: int = 1,
    max_bytes: int = 1 << 24,
    doc_timeout: float | None = DEFAULT_DOC_TIMEOUT,
    dask: str | None = None,
    cache_dir: Path | None = None,
) -> dict[str, Any]:
    """The flow's stages in this process, without Prefect (benchmarks, debugging, properties of
    incremental runs); the manifest, with the seconds each stage took under ``stage_seconds`` (not
    written to the manifest file) and the documents taken from the cache under ``from_cache``.

    The work goes to ``workers`` local processes, or to Dask when ``dask`` names a scheduler
    (or ``local``, see ``cluster.run_workers``). Documents come from the per-document cache in
    ``cache_dir`` when given (as in the flow; the whole-run check is the flow's). Batches are
    staged in ``stage_dir``, which is removed at the end.
    """
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    files = plan_inputs(list_inputs(input_dir), input_dir)
    starts = range(0, len(files), batch_size)
    try:
        with run_workers(dask, workers) as pool, ThreadPoolExecutor(max_workers=2) as threads:

            def start(n: int) -> Pending[BatchOutput]:
                batch = files[starts[n] : starts[n] + batch_size]
                stage = str(stage_dir / str(starts[n]))
                cache = str(cache_dir) if cache_dir else None
                return threads.submit(
                    run_batch,
                    batch,
                    str(input_dir),
                    max_bytes,
                    workers,
                    cache,
                    stage,
                    doc_timeout,
                    pool.executor,
                )

            batches = list(two_at_a_time(len(starts), start))
            seconds["parse"] = time.perf_counter() - started
            corpus = resolve_batches(batches, pool, stage_dir / "corpus")
        seconds["corpus"] = time.perf_counter() - started - seconds["parse"]  # the workers' closing included
        extra = {"inputs": [], "pipeline_version": "local"}
        manifest = write_tables(batches, corpus, output_dir, extra).manifest
        seconds["validate_write"] = time.perf_counter() - started - seconds["parse"] - seconds["corpus"]
        return manifest | {"stage_seconds": seconds, "from_cache": sum(b.cache_hits for b in batches)}
    finally:
        shutil.rmtree(stage_dir, ignore_errors=True)
