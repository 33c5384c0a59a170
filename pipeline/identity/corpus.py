"""Pure: the corpus-level identity stage: every document's persons and name runs → one id per person.

1. Known candidates: each document's subject and gloss persons, with all their names
   (``person_names``) and chosen life dates; a first ``resolve`` clusters them.
2. Name index: every cluster's names by full key and by (given, surname) key.
3. Runs (``name_runs`` rows from ``pipeline.extract.mentions``): the longest window of
   each run that names a known person is a mention. What is left of a run becomes a
   *prose person* only with good evidence: a cue in the text (a title word, a role or
   kinship noun before it) or the same name left unmatched in two or more documents
   (not led by an adjective such as ``White`` or ``Eastern``); it must look like a
   person's name (2–4 tokens, no organisation word).
4. A second ``resolve`` over known and prose candidates gives the final clusters and
   ids: the slug of the representative's name (a document subject before a gloss
   person before a prose person), ``-2``, ``-3``… for distinct clusters sharing a slug.
5. Mentions: links to persons (``link``), names in prose (``name-match``) and in glosses
   (``gloss-name-match``), and one-token surnames: the document subject's
   (``subject-surname``), else the one person already named in the document with that
   surname (``surname-in-doc``); an ambiguous surname is no mention.
6. ``person_links``: who is mentioned in whose biography, with the number of mentions;
   ``n_docs``: the documents a person is a candidate or a mention in (``candidate_docs`` once,
   ``mention_only_docs`` per batch).

The stage is a map and a small reduce. What must be global is only what needs every
document: the clusters (a person's documents may be anywhere in the corpus), the prose
persons (a name counts when two documents leave it unmatched) and the ids (numbered
across the corpus). So: ``known_index`` (reduce: the known persons, small) →
``prose_names`` per batch (map, in the workers) → ``identify`` (reduce: the final
clusters and ids, and what the next map reads: the ``MentionIndex``, shared, and each batch's
``DocPersons``) → ``batch_mentions`` per batch
(map, with each batch's ``mention_only_docs``) and their sum (reduce).
Runs are matched by ``pipeline.identity.runs``, once per distinct run; only persons and
their names are held for the whole corpus.
"""

from __future__ import annotations

import sys
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from typing import Any, NamedTuple

import pyarrow as pa

from pipeline.identity.keys import name_key, token_key
from pipeline.identity.resolve import Candidate, Merge, Resolution, name_forms, resolve
from pipeline.identity.runs import Cut, NameIndex, Run, cut_of, name_index, runs_that_matter
from pipeline.normalise.names import looks_like_person_name, person_slug
from pipeline.records import DateValue, Span

Row = dict[str, Any]
Cid = tuple[str, str]
NAME_KINDS = frozenset({"title", "full", "variant", "alias", "native", "birth_name"})


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


NOT_A_GIVEN_NAME = _words(
    """white red black green great greater little soviet russian imperial royal nazi communist eastern western
    northern southern central far near middle new old upper lower north south east west holy saint st. san santa
    fort mount lake cape port jewish spanish japanese german french british english american chinese polish
    ukrainian belarusian lithuanian turkish italian mexican georgian latvian estonian finnish swedish korean
    socialist supreme general special secret foreign national federal state internal international"""
)


class KnownPerson(NamedTuple):
    """One document's subject or gloss person (its draft persons row, ``pipeline.tables``)."""

    doc_id: str
    key: str
    full_name: str | None
    is_subject: bool
    span: Span  # where the person's name is stated
    birth: DateValue | None = None
    death: DateValue | None = None


class ProseName(NamedTuple):
    """A leftover stretch of a run that could name a person of its own (see ``prose_names``): its
    place in the source at ``start``–``end``. A tuple of plain values, as tens of thousands of them
    come back from the workers per batch (a dataclass holding a ``Span`` pickled ten times slower)."""

    doc_id: str
    surface: str
    start: int
    end: int
    cue: str | None


@lru_cache(maxsize=1 << 16)  # the same leftover names recur from document to document
def _prose_pair(surface: str) -> tuple[str, str] | None:
    """The (given, surname) key of a leftover stretch that looks like a person's own name (2–4 tokens,
    no organisation word), None for any other stretch."""
    key = name_key(surface)
    if key is None or not 2 <= len(surface.split()) <= 4 or not looks_like_person_name(surface):
        return None
    return (key.given, key.surname)


def _prose_candidates(leftovers: Sequence[ProseName]) -> list[Candidate]:
    """Unmatched names with a cue, or left unmatched in two or more documents."""
    docs_of: dict[tuple[str, str], set[str]] = defaultdict(set)
    for w in leftovers:
        pair = _prose_pair(w.surface)
        if pair:
            docs_of[pair].add(w.doc_id)
    groups: dict[tuple[str, tuple[str, str]], list[ProseName]] = defaultdict(list)
    for w in leftovers:
        pair = _prose_pair(w.surface)
        if pair is None:
            continue
        multi_doc = len(docs_of[pair]) >= 2 and w.surface.split()[0].casefold() not in NOT_A_GIVEN_NAME
        if w.cue or multi_doc:
            groups[(w.doc_id, pair)].append(w)
    out = []
    for (doc_id, _), ws in sorted(groups.items()):
        ws.sort(key=lambda w: w.start)
        names = tuple(dict.fromkeys(sys.intern(w.surface) for w in ws))  # held for the corpus: interned
        longest = max(names, key=lambda n: (len(n.split()), n))
        at = next(w for w in ws if w.surface == longest)
        out.append(Candidate(sys.intern(doc_id), longest, "prose", names, Span(at.start, at.end)))
    return out


def known_candidates(known: Sequence[KnownPerson], names: Iterable[Row]) -> list[Candidate]:
    """Resolution candidates of documents' subject and gloss persons, with their names from ``person_names``."""
    by_person: dict[Cid, list[str]] = defaultdict(list)
    for row in names:
        if row["kind"] in NAME_KINDS:
            by_person[(row["doc_id"], row["person_id"])].append(sys.intern(row["name"]))  # names recur
    out = []
    for k in known:
        extra = [n for n in (k.full_name,) if n]
        out.append(
            Candidate(
                k.doc_id,
                k.key,
                "subject" if k.is_subject else "gloss",
                tuple(dict.fromkeys([*extra, *by_person[(k.doc_id, k.key)]])),
                k.span,
                k.birth,
                k.death,
                _shown_name(k),
            )
        )
    return out


def _shown_name(k: KnownPerson) -> str | None:
    """The full name when the person's span shows it rather than the key (a subject whose short
    name, ``Radka Mincheva``, is not written, located by its full name ``Radka Stoeva Mincheva``):
    the span is as long as the full name and not as long as the key. None when the span shows the key."""
    width = k.span.end - k.span.start
    full = k.full_name
    return full if full and full != k.key and width == len(full) and width != len(k.key) else None


def assign_ids(resolution: Resolution) -> dict[Cid, str]:
    """Each candidate's person id: its cluster representative's slug, numbered on collision."""
    reps = sorted(
        range(len(resolution.clusters)),
        key=lambda i: (resolution.clusters[i][0].key, resolution.clusters[i][0].doc_id),
    )
    taken: Counter[str] = Counter()
    ids: dict[Cid, str] = {}
    for i in reps:
        slug = person_slug(resolution.clusters[i][0].key) or "person"
        taken[slug] += 1
        person_id = slug if taken[slug] == 1 else f"{slug}-{taken[slug]}"
        for member in resolution.clusters[i]:
            ids[member.cid] = person_id
    return ids


def _mention(doc_id: str, person_id: str, surface: str, method: str, span: Span) -> Row:
    return {
        "doc_id": doc_id,
        "person_id": person_id,
        "surface": surface,
        "method": method,
        "char_start": span.start,
        "char_end": span.end,
    }


class SpanSet:
    """Spans, asked whether a span overlaps any of them: a search, not a scan (a document's runs
    are each checked against its links)."""

    def __init__(self, spans: Iterable[Span]) -> None:
        ordered = sorted(spans, key=lambda s: s.start)
        self._starts = [s.start for s in ordered]
        self._reach = list(accumulate((s.end for s in ordered), max))  # the furthest end so far

    def overlaps(self, span: Span) -> bool:
        """Whether some span starts before ``span`` ends and ends after it starts."""
        before = bisect_left(self._starts, span.end)  # the spans that start before it ends
        return before > 0 and self._reach[before - 1] > span.start


def _doc_mentions(
    doc_id: str, runs: Sequence[Run], link_rows: Sequence[Row], at: MentionIndex, docs: DocPersons
) -> list[Row]:
    rows: list[Row] = []
    link_spans: list[Span] = []
    named: list[tuple[int, int]] = []  # (position, cluster) of full-name mentions, for surnames
    for link in link_rows:
        if link["person_id"] is not None and (doc_id, link["person_id"]) in docs.ids:
            span = Span(link["char_start"], link["char_end"])
            link_spans.append(span)
            person_id = docs.ids[(doc_id, link["person_id"])]
            named.append((span.start, at.cluster_by_id[person_id]))
            rows.append(_mention(doc_id, person_id, link["anchor"], "link", span))
    linked = SpanSet(link_spans)
    singles: list[tuple[str, Span, bool]] = []
    local = docs.local.get(doc_id, set())
    for run in sorted(runs, key=lambda r: r.char_start):
        words = run.words
        for first, end, cluster in cut_of(run.surface, at.index, local):
            if cluster is None:  # a leftover stretch: its last token may be a surname
                last = end - 1
                singles.append(
                    (words[last], Span(run.token_starts[last], run.token_ends[last]), run.in_gloss)
                )
                continue
            span = Span(run.token_starts[first], run.token_ends[end - 1])
            named.append((span.start, cluster))
            if not linked.overlaps(span):
                method = "gloss-name-match" if run.in_gloss else "name-match"
                rows.append(
                    _mention(doc_id, at.cluster_ids[cluster], " ".join(words[first:end]), method, span)
                )
    subject = docs.subjects.get(doc_id)
    subject_id = docs.ids.get((doc_id, subject)) if subject is not None else None
    subject_cluster = at.cluster_by_id[subject_id] if subject_id is not None else None
    subject_surnames = docs.subject_surnames.get(doc_id, set()) if subject_cluster is not None else set()
    named_before = _named_before(
        named, [(token_key(token), span.start) for token, span, _ in singles], at.index
    )
    for (token, span, in_gloss), earlier in zip(singles, named_before, strict=True):
        if linked.overlaps(span):  # a linked surname is that link's mention already
            continue
        key = token_key(token)
        if subject_cluster is not None and key in subject_surnames and not in_gloss:
            rows.append(_mention(doc_id, at.cluster_ids[subject_cluster], token, "subject-surname", span))
            continue
        if len(earlier) == 1:
            cluster = earlier.pop()
            rows.append(_mention(doc_id, at.cluster_ids[cluster], token, "surname-in-doc", span))
    return rows


def _person_links(mentions: Sequence[Row], subjects: Mapping[str, str]) -> list[Row]:
    counts: Counter[tuple[str, str, str]] = Counter()
    for m in mentions:
        source = subjects.get(m["doc_id"])
        if source and m["person_id"] != source:
            counts[(source, m["person_id"], m["doc_id"])] += 1
    return [
        {"source_person_id": s, "target_person_id": t, "doc_id": d, "n_mentions": n}
        for (s, t, d), n in sorted(counts.items())
    ]


def match_columns(merges: Sequence[Merge], ids: Mapping[Cid, str]) -> dict[str, list[Any]]:
    """The ``person_matches`` rows of ``merges`` (one per merge), column by column.

    ``merged_name`` is the name the merged record's span shows: its key, or its full name when
    only that is written (``Candidate.shown``).
    """
    return {
        "person_id": [ids[m.merged.cid] for m in merges],
        "merged_name": [m.merged.shown or m.merged.key for m in merges],  # the name its span shows
        "matched_name": [m.matched.key for m in merges],
        "matched_doc_id": [m.matched.doc_id for m in merges],
        "rule": [m.rule for m in merges],
        "score": [m.score for m in merges],
        "evidence": [m.evidence for m in merges],
        "doc_id": [m.merged.doc_id for m in merges],
        "char_start": [m.merged.span.start for m in merges],
        "char_end": [m.merged.span.end for m in merges],
    }


def _clusters_by_doc(resolution: Resolution) -> defaultdict[str, set[int]]:
    """doc_id → the clusters with a member in that document, computed once (not per document)."""
    local: defaultdict[str, set[int]] = defaultdict(set)
    for i, members in enumerate(resolution.clusters):
        for c in members:
            local[c.doc_id].add(i)
    return local


@dataclass
class Identity:
    """The corpus stage's decision: final clusters, every candidate's id, and the persons found in prose."""

    resolution: Resolution
    ids: dict[Cid, str]
    prose_persons: list[Candidate]


@dataclass
class MentionIndex:
    """What every batch of the mentions step reads of the final clusters (the value every worker
    gets once, pickled): their names and ids, nothing per document (that is ``DocPersons``).

    ``cluster_ids``: each cluster's person id, ``cluster_by_id`` the other way (ids are one per
    cluster; a map per candidate would be as large as ``Identity.ids``)."""

    index: NameIndex
    cluster_by_id: dict[str, int]
    cluster_ids: list[str]


@dataclass
class DocPersons:
    """What the mentions step reads about documents' own persons, per document: ``ids`` of their known
    persons (subjects and gloss persons: the only candidates a mention looks up, as a link's person
    and a subject are persons of the document's own draft rows), ``local`` the clusters with a
    member in the document, ``subjects`` the subject's person key, ``subject_surnames`` the surnames
    of its subject's names there.

    Built for the whole corpus in the reduce, then cut to each batch's documents (``of``) and sent
    with the batch, so a worker holds its batch's part only."""

    ids: dict[Cid, str]
    local: dict[str, set[int]]
    subjects: dict[str, str]
    subject_surnames: dict[str, set[str]]

    def of(self, doc_ids: Iterable[str], pairs: Iterable[Cid]) -> DocPersons:
        """These entries for the documents ``doc_ids``, whose known persons' (doc_id, key) are ``pairs``."""
        ids = {pair: self.ids[pair] for pair in pairs if pair in self.ids}
        docs = set(doc_ids)
        return DocPersons(
            ids,
            {d: self.local[d] for d in docs if d in self.local},
            {d: self.subjects[d] for d in docs if d in self.subjects},
            {d: self.subject_surnames[d] for d in docs if d in self.subject_surnames},
        )


def mention_index(identity: Identity, subjects: Mapping[str, str]) -> tuple[MentionIndex, DocPersons]:
    """The ``MentionIndex`` of the final clusters, and every document's ``DocPersons``; ``subjects``
    maps doc_id → subject key."""
    resolution, ids = identity.resolution, identity.ids
    cluster_ids = [ids[members[0].cid] for members in resolution.clusters]
    surnames: dict[str, set[str]] = defaultdict(set)
    for i, members in enumerate(resolution.clusters):
        for c in members:
            subject = subjects.get(c.doc_id)
            if subject is not None and ids.get((c.doc_id, subject)) == cluster_ids[i]:
                surnames[c.doc_id].update(s for _, k in name_forms(c) for s in k.surnames)
    at = MentionIndex(
        name_index(resolution), {person_id: i for i, person_id in enumerate(cluster_ids)}, cluster_ids
    )
    return at, DocPersons(ids, dict(_clusters_by_doc(resolution)), dict(subjects), dict(surnames))


def _by_doc(rows: Iterable[Any], doc_id: Callable[[Any], str]) -> dict[str, list[Any]]:
    grouped: dict[str, list[Any]] = defaultdict(list)
    for row in rows:
        grouped[doc_id(row)].append(row)
    return grouped


@dataclass
class KnownIndex:
    """The known persons clustered once: the names the runs are first matched against."""

    index: NameIndex
    local: defaultdict[str, set[int]]  # doc_id → the clusters with a member in it


def known_index(known: Sequence[Candidate]) -> KnownIndex:
    """The first ``resolve`` of the documents' subjects and gloss persons, and its name index."""
    first = resolve(known)
    return KnownIndex(name_index(first), _clusters_by_doc(first))


def _gives_prose(cut: Cut, words: list[str]) -> bool:
    return any(c is None and _prose_pair(" ".join(words[a:b])) is not None for a, b, c in cut)


def prose_names(runs: pa.Table, index: NameIndex, local: Mapping[str, set[int]]) -> list[ProseName]:
    """The leftover stretches of one batch's runs (``runs.NAME_RUN_SCHEMA``) that could name a
    person of their own, once the known persons' names (``KnownIndex.index``) are matched; ``local``:
    the batch's part of ``KnownIndex.local``."""
    out: list[ProseName] = []
    for run in runs_that_matter(runs, index, _gives_prose):
        words = run.words
        for first, end, cluster in cut_of(run.surface, index, local.get(run.doc_id, set())):
            surface = " ".join(words[first:end])
            if cluster is None and _prose_pair(surface) is not None:
                start, stop = run.token_starts[first], run.token_ends[end - 1]
                out.append(ProseName(run.doc_id, sys.intern(surface), start, stop, run.cue))  # names recur
    return out


def identify(known: Sequence[Candidate], names: Iterable[ProseName]) -> Identity:
    """Cluster the known candidates with the persons found in prose (``prose_names`` of every
    batch), give ids."""
    prose = _prose_candidates(list(names))
    final = resolve([*known, *prose])
    ids = assign_ids(final)
    return Identity(final, ids, prose)


def _named_before(
    named: Sequence[tuple[int, int]], singles: Sequence[tuple[str, int]], index: NameIndex
) -> list[set[int]]:
    """For each (surname key, position) of ``singles``: the clusters named in full before that position
    whose surnames hold the key. One sweep over both in position order, so linear in the document."""
    order = sorted(range(len(singles)), key=lambda i: singles[i][1])
    ahead = sorted(named)
    seen: dict[str, set[int]] = defaultdict(set)
    out: list[set[int]] = [set() for _ in singles]
    j = 0
    for i in order:
        key, at = singles[i]
        while j < len(ahead) and ahead[j][0] < at:
            for surname in index.surnames[ahead[j][1]]:
                seen[surname].add(ahead[j][1])
            j += 1
        out[i] = set(seen.get(key, ()))
    return out


def _gives_mentions(index: NameIndex) -> Callable[[Cut, list[str]], bool]:
    """Whether a cut gives a mention: a window naming a cluster, or a leftover whose last token is
    some cluster's surname (a mention by surname)."""

    def gives(cut: Cut, words: list[str]) -> bool:
        return any(c is not None or token_key(words[b - 1]) in index.all_surnames for _, b, c in cut)

    return gives


def batch_mentions(
    at: MentionIndex, docs: DocPersons, runs: pa.Table, links: Sequence[Row]
) -> tuple[list[Row], list[Row]]:
    """(mentions, person_links) of one batch of whole documents: its documents' persons, its runs
    (``runs.NAME_RUN_SCHEMA``) and its links to persons."""
    kept = runs_that_matter(runs, at.index, _gives_mentions(at.index))
    runs_by_doc = _by_doc(kept, lambda r: r.doc_id)
    links_by_doc = _by_doc(links, lambda r: r["doc_id"])
    mentions: list[Row] = []
    for doc_id in sorted(set(runs_by_doc) | set(links_by_doc)):
        mentions.extend(
            _doc_mentions(doc_id, runs_by_doc.get(doc_id, []), links_by_doc.get(doc_id, []), at, docs)
        )
    subject_ids = {
        doc_id: docs.ids[(doc_id, docs.subjects[doc_id])]
        for doc_id in {m["doc_id"] for m in mentions}
        if doc_id in docs.subjects and (doc_id, docs.subjects[doc_id]) in docs.ids
    }
    return mentions, _person_links(mentions, subject_ids)


def candidate_docs(at: MentionIndex, docs: DocPersons) -> Counter[str]:
    """Per person id, the documents holding a candidate of it (a member of its cluster)."""
    return Counter(at.cluster_ids[cluster] for clusters in docs.local.values() for cluster in clusters)


def mention_only_docs(at: MentionIndex, docs: DocPersons, mentions: Iterable[Row]) -> Counter[str]:
    """Per person id, the documents among ``mentions``' that mention it and hold no candidate of it:
    with ``candidate_docs``, summed over batches of whole documents, the documents it is a
    candidate or a mention in (``n_docs``)."""
    pairs = {
        (m["doc_id"], m["person_id"])
        for m in mentions
        if at.cluster_by_id[m["person_id"]] not in docs.local.get(m["doc_id"], ())
    }
    return Counter(person_id for _, person_id in pairs)
