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
   ``n_docs``: the documents a person is a candidate or a mention in.

Runs and links are read one batch of whole documents at a time (``identify`` takes
the batches' runs as an iterable; ``batch_mentions`` and ``DocCounter`` work per
batch), so what is held for the whole corpus is the persons and their names.
"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from pipeline.identity.keys import NameKey, name_key, piece_keys, similarity, token_key
from pipeline.identity.resolve import PATRONYMIC_SIMILARITY, Candidate, Resolution, name_forms, resolve
from pipeline.normalise.names import looks_like_person_name, person_slug
from pipeline.records import Person, Span

Row = dict[str, Any]
Cid = tuple[str, str]
NAME_KINDS = frozenset({"title", "full", "variant", "alias", "native", "birth_name"})
MAX_WINDOW = 5


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


NOT_A_GIVEN_NAME = _words(
    """white red black green great greater little soviet russian imperial royal nazi communist eastern western
    northern southern central far near middle new old upper lower north south east west holy saint st. san santa
    fort mount lake cape port jewish spanish japanese german french british english american chinese polish
    ukrainian belarusian lithuanian turkish italian mexican georgian latvian estonian finnish swedish korean
    socialist supreme general special secret foreign national federal state internal international"""
)


@dataclass(frozen=True, slots=True)
class KnownPerson:
    """A candidate of ``pipeline.tables``: one document's subject or gloss person."""

    doc_id: str
    key: str
    person: Person
    birth: Any = None  # DateValue | None
    death: Any = None


@dataclass
class _Index:
    by_full: dict[tuple[str, ...], set[int]] = field(default_factory=lambda: defaultdict(set))
    by_pair: dict[tuple[str, str], set[tuple[int, tuple[str, ...]]]] = field(
        default_factory=lambda: defaultdict(set)
    )
    surnames: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))
    givens: set[str] = field(default_factory=set)  # every indexed key's given name
    all_surnames: set[str] = field(default_factory=set)  # every indexed key's surnames
    ties: dict[str, frozenset[int]] = field(default_factory=dict)  # by run surface, see ``_cut_of``
    cuts: dict[tuple[str, frozenset[int]], "Cut"] = field(default_factory=dict)

    def may_name(self, pieces: frozenset[str]) -> tuple[bool, bool]:
        """Whether a token with these ``piece_keys`` can give an indexed (given name, surname)."""
        return not self.givens.isdisjoint(pieces), not self.all_surnames.isdisjoint(pieces)


def _index(resolution: Resolution) -> _Index:
    """Every cluster's name keys; members with the same names (one prose name in many documents) once."""
    index = _Index()
    for i, members in enumerate(resolution.clusters):
        seen: set[tuple[str, tuple[str, ...]]] = set()
        for member in members:
            if (member.key, member.names) in seen:
                continue
            seen.add((member.key, member.names))
            for _, key in name_forms(member):
                index.givens.add(key.given)
                index.all_surnames.update(key.surnames)
                index.by_full[key.full].add(i)
                for surname in key.surnames:
                    index.by_pair[(key.given, surname)].add((i, key.middles))
                    index.surnames[i].add(surname)
    return index


def _hits(index: _Index, key: NameKey) -> set[int]:
    """Every cluster a name may name: by its full key, else by (given, surname) with close middles."""
    hits = set(index.by_full.get(key.full, set()))
    if not hits:
        for surname in key.surnames:
            for cluster, middles in index.by_pair.get((key.given, surname), []):
                if (
                    not key.middles
                    or not middles
                    or similarity(" ".join(key.middles), " ".join(middles)) >= PATRONYMIC_SIMILARITY
                ):
                    hits.add(cluster)
    return hits


def _lookup(index: _Index, key: NameKey, local: set[int]) -> int | None:
    """The one cluster a name names; a tie goes to clusters already in the document; else None."""
    hits = _hits(index, key)
    if len(hits) > 1:
        hits = hits & local or hits
    return next(iter(hits)) if len(hits) == 1 else None


@dataclass(frozen=True, slots=True)
class _Window:
    doc_id: str
    surface: str
    span: Span
    in_gloss: bool
    cluster: int | None
    cue: str | None
    tokens: tuple[tuple[str, int, int], ...]


Cut = tuple[tuple[int, int, int | None], ...]
"""A run cut into windows: (first token, end token, cluster) in order; cluster None for a leftover stretch."""


def _candidate_windows(words: Sequence[str], index: _Index) -> Iterator[tuple[int, int]]:
    """(first token, size) of every window of a run worth a ``name_key`` lookup, each position's
    longest first. A window names an indexed cluster only if one of its tokens gives an indexed
    given name and one an indexed surname (``piece_keys``): the shortest such window from each
    position bounds the sizes (most runs, ``Soviet Union``, have none)."""
    shortest = _shortest_candidates([index.may_name(piece_keys(w)) for w in words])
    for i in range(len(words)):
        for size in range(min(MAX_WINDOW, len(words) - i), max(1, shortest[i] - 1), -1):
            yield i, size


def _tied(words: Sequence[str], index: _Index) -> frozenset[int]:
    """Every cluster some window of the run names together with another: the clusters the run's cut
    can depend on (a tie goes to the clusters already in the document)."""
    tied: set[int] = set()
    for i, size in _candidate_windows(words, index):
        key = name_key(" ".join(words[i : i + size]))
        if key is not None:
            hits = _hits(index, key)
            if len(hits) > 1:
                tied |= hits
    return frozenset(tied)


def _cut(words: Sequence[str], index: _Index, local: set[int] | frozenset[int]) -> Cut:
    """The run's words cut greedily, longest window (up to ``MAX_WINDOW``) first, into windows that
    name one cluster (``_lookup``) and the stretches left between them."""
    sizes: dict[int, list[int]] = defaultdict(list)
    for i, size in _candidate_windows(words, index):
        sizes[i].append(size)
    cut: list[tuple[int, int, int | None]] = []
    stretch_from = None
    i = 0
    while i < len(words):
        hit = None
        for size in sizes.get(i, ()):
            key = name_key(" ".join(words[i : i + size]))
            cluster = None if key is None else _lookup(index, key, set(local))
            if cluster is not None:
                hit = (size, cluster)
                break
        if hit is None:
            stretch_from = i if stretch_from is None else stretch_from
            i += 1
            continue
        if stretch_from is not None:
            cut.append((stretch_from, i, None))
            stretch_from = None
        cut.append((i, i + hit[0], hit[1]))
        i += hit[0]
    if stretch_from is not None:
        cut.append((stretch_from, len(words), None))
    return tuple(cut)


def _cut_of(run: Row, index: _Index, local: set[int]) -> Cut:
    """``_cut`` of a run, remembered by its surface and the clusters of its ties already in the
    document (all the cut depends on): a corpus names the same people and places over and over."""
    surface = run["surface"]  # its tokens joined by single spaces (tokens hold no whitespace)
    tied = index.ties.get(surface)
    if tied is None:
        tied = index.ties[surface] = _tied(surface.split(" "), index)
    key = (surface, tied & local if tied else tied)
    cut = index.cuts.get(key)
    if cut is None:
        cut = index.cuts[key] = _cut(surface.split(" "), index, key[1])
    return cut


def _windows(run: Row, index: _Index, local: set[int]) -> tuple[list[_Window], list[_Window]]:
    """(matched windows, leftover stretches) of one run; leftovers keep their token order."""
    tokens = run["tokens"]
    matched: list[_Window] = []
    leftovers: list[_Window] = []
    for first, end, cluster in _cut_of(run, index, local):
        part = tokens[first:end]
        window = _Window(
            run["doc_id"],
            " ".join(t[0] for t in part),
            Span(part[0][1], part[-1][2]),
            run["in_gloss"],
            cluster,
            run["cue"],
            tuple((t[0], t[1], t[2]) for t in part),
        )
        (leftovers if cluster is None else matched).append(window)
    return matched, leftovers


def _shortest_candidates(flags: Sequence[tuple[bool, bool]]) -> list[int]:
    """Per position, the size of the shortest window from it holding a (given, surname) token pair
    (``flags`` per token); past the end when there is none."""
    out = [0] * len(flags)
    next_given = next_surname = len(flags) + MAX_WINDOW  # beyond any window
    for i in range(len(flags) - 1, -1, -1):
        given, surname = flags[i]
        next_given = i if given else next_given
        next_surname = i if surname else next_surname
        out[i] = max(next_given, next_surname, i + 1) - i + 1
    return out


def _prose_ok(surface: str) -> bool:
    tokens = surface.split()
    return 2 <= len(tokens) <= 4 and looks_like_person_name(surface)


def _pair_key(surface: str) -> tuple[str, str] | None:
    key = name_key(surface)
    return (key.given, key.surname) if key else None


def _prose_candidates(leftovers: Sequence[_Window]) -> list[Candidate]:
    """Unmatched names with a cue, or left unmatched in two or more documents."""
    docs_of: dict[tuple[str, str], set[str]] = defaultdict(set)
    for w in leftovers:
        pair = _pair_key(w.surface)
        if pair and _prose_ok(w.surface):
            docs_of[pair].add(w.doc_id)
    groups: dict[tuple[str, tuple[str, str]], list[_Window]] = defaultdict(list)
    for w in leftovers:
        pair = _pair_key(w.surface)
        if pair is None or not _prose_ok(w.surface):
            continue
        multi_doc = len(docs_of[pair]) >= 2 and w.surface.split()[0].casefold() not in NOT_A_GIVEN_NAME
        if w.cue or multi_doc:
            groups[(w.doc_id, pair)].append(w)
    out = []
    for (doc_id, _), ws in sorted(groups.items()):
        ws.sort(key=lambda w: w.span.start)
        names = tuple(dict.fromkeys(w.surface for w in ws))
        longest = max(names, key=lambda n: (len(n.split()), n))
        out.append(
            Candidate(doc_id, longest, "prose", names, next(w.span for w in ws if w.surface == longest))
        )
    return out


def known_candidates(known: Sequence[KnownPerson], names: Iterable[Row]) -> list[Candidate]:
    """Resolution candidates of documents' subject and gloss persons, with their names from ``person_names``."""
    by_person: dict[Cid, list[str]] = defaultdict(list)
    for row in names:
        if row["kind"] in NAME_KINDS:
            by_person[(row["doc_id"], row["person_id"])].append(sys.intern(row["name"]))  # names recur
    out = []
    for k in known:
        extra = [n for n in (k.person.full_name,) if n]
        out.append(
            Candidate(
                k.doc_id,
                k.key,
                "subject" if k.person.is_subject else "gloss",
                tuple(dict.fromkeys([*extra, *by_person[(k.doc_id, k.key)]])),
                k.person.span,
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
    width = k.person.span.end - k.person.span.start
    full = k.person.full_name
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


def _overlaps(span: Span, spans: list[Span]) -> bool:
    return any(span.start < s.end and s.start < span.end for s in spans)


def _doc_mentions(
    doc_id: str,
    runs: Sequence[Row],
    index: _Index,
    resolution: Resolution,
    ids: Mapping[Cid, str],
    subject: Cid | None,
    link_rows: Sequence[Row],
    cluster_of: Mapping[Cid, int],
    local: set[int],
) -> list[Row]:
    rows: list[Row] = []
    link_spans: list[Span] = []
    named: list[tuple[int, int]] = []  # (position, cluster) of full-name mentions, for surnames
    for link in link_rows:
        if link["person_id"] is not None and (doc_id, link["person_id"]) in ids:
            span = Span(link["char_start"], link["char_end"])
            link_spans.append(span)
            named.append((span.start, cluster_of[(doc_id, link["person_id"])]))
            rows.append(_mention(doc_id, ids[(doc_id, link["person_id"])], link["anchor"], "link", span))
    singles: list[tuple[str, Span, bool]] = []
    for run in sorted(runs, key=lambda r: r["char_start"]):
        matched, leftovers = _windows(run, index, local)
        for w in matched:
            assert w.cluster is not None
            named.append((w.span.start, w.cluster))
            person_id = ids[resolution.clusters[w.cluster][0].cid]
            if not _overlaps(w.span, link_spans):
                rows.append(
                    _mention(
                        doc_id,
                        person_id,
                        w.surface,
                        "gloss-name-match" if w.in_gloss else "name-match",
                        w.span,
                    )
                )
        for w in leftovers:
            token, start, end = w.tokens[-1]
            singles.append((token, Span(start, end), w.in_gloss))
    subject_surnames: set[str] = set()
    subject_cluster = cluster_of.get(subject) if subject else None
    if subject_cluster is not None:
        subject_surnames = {
            s
            for c in resolution.clusters[subject_cluster]
            if c.doc_id == doc_id
            for _, k in name_forms(c)
            for s in k.surnames
        }
    named_before = _named_before(named, [(token_key(token), span.start) for token, span, _ in singles], index)
    for (token, span, in_gloss), earlier in zip(singles, named_before, strict=True):
        key = token_key(token)
        if subject_cluster is not None and key in subject_surnames and not in_gloss:
            rows.append(
                _mention(
                    doc_id, ids[resolution.clusters[subject_cluster][0].cid], token, "subject-surname", span
                )
            )
            continue
        if len(earlier) == 1:
            cluster = earlier.pop()
            rows.append(
                _mention(doc_id, ids[resolution.clusters[cluster][0].cid], token, "surname-in-doc", span)
            )
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


def match_rows(resolution: Resolution, ids: Mapping[Cid, str]) -> Iterator[Row]:
    """The ``person_matches`` rows: one per merge, produced one at a time.

    ``merged_name`` is the name the merged record's span shows: its key, or its full name when
    only that is written (``Candidate.shown``).
    """
    return (
        {
            "person_id": ids[m.merged.cid],
            "merged_name": m.merged.shown or m.merged.key,  # the name its span shows
            "matched_name": m.matched.key,
            "matched_doc_id": m.matched.doc_id,
            "rule": m.rule,
            "score": m.score,
            "evidence": m.evidence,
            "doc_id": m.merged.doc_id,
            "char_start": m.merged.span.start,
            "char_end": m.merged.span.end,
        }
        for m in resolution.merges
    )


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
    index: _Index = field(repr=False, default_factory=_Index)
    cluster_of: dict[Cid, int] = field(repr=False, default_factory=dict)
    local: defaultdict[str, set[int]] = field(repr=False, default_factory=lambda: defaultdict(set))


def _by_doc(rows: Iterable[Row]) -> dict[str, list[Row]]:
    grouped: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        grouped[row["doc_id"]].append(row)
    return grouped


def _prose_windows(runs: Sequence[Row], index: _Index, local: Mapping[str, set[int]]) -> list[_Window]:
    """The leftover stretches of one batch's runs that could name a person of their own."""
    out: list[_Window] = []
    for doc_id, doc_runs in _by_doc(runs).items():
        for run in doc_runs:
            out.extend(
                replace(w, tokens=(), surface=sys.intern(w.surface))  # many, and the same names recur
                for w in _windows(run, index, local.get(doc_id, set()))[1]
                if _pair_key(w.surface) and _prose_ok(w.surface)
            )
    return out


def _prose_persons(known: Sequence[Candidate], run_batches: Iterable[Sequence[Row]]) -> list[Candidate]:
    """The persons named only in prose: what the runs leave once the known persons' names are matched."""
    first = resolve(known)
    index = _index(first)
    first_local = _clusters_by_doc(first)
    return _prose_candidates([w for runs in run_batches for w in _prose_windows(runs, index, first_local)])


def identify(known: Sequence[Candidate], run_batches: Iterable[Sequence[Row]]) -> Identity:
    """Cluster the known candidates, find prose persons in every batch's runs, cluster again, give ids.

    ``run_batches`` yields the ``name_runs`` rows of one batch of whole documents at a
    time, so only the leftover stretches that may name a person are held.
    """
    prose = _prose_persons(known, run_batches)
    final = resolve([*known, *prose])
    ids = assign_ids(final)
    return Identity(final, ids, prose, _index(final), final.cluster_of(), _clusters_by_doc(final))


def _named_before(
    named: Sequence[tuple[int, int]], singles: Sequence[tuple[str, int]], index: _Index
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


def batch_mentions(
    identity: Identity, runs: Sequence[Row], links: Sequence[Row], subjects: Mapping[str, str]
) -> tuple[list[Row], list[Row]]:
    """(mentions, person_links) of one batch of whole documents; ``subjects`` maps doc_id → subject key."""
    runs_by_doc, links_by_doc = _by_doc(runs), _by_doc(links)
    mentions: list[Row] = []
    for doc_id in sorted(set(runs_by_doc) | set(links_by_doc)):
        subject = (doc_id, subjects[doc_id]) if doc_id in subjects else None
        mentions.extend(
            _doc_mentions(
                doc_id,
                runs_by_doc.get(doc_id, []),
                identity.index,
                identity.resolution,
                identity.ids,
                subject,
                links_by_doc.get(doc_id, []),
                identity.cluster_of,
                identity.local[doc_id],
            )
        )
    subject_ids = {
        doc_id: identity.ids[(doc_id, subjects[doc_id])]
        for doc_id in {m["doc_id"] for m in mentions}
        if doc_id in subjects and (doc_id, subjects[doc_id]) in identity.ids
    }
    return mentions, _person_links(mentions, subject_ids)


class DocCounter:
    """``n_docs`` per person id: the documents it is a candidate or a mention in, batch by batch."""

    def __init__(self, ids: Mapping[Cid, str]) -> None:
        self._pairs = {(doc_id, person_id) for (doc_id, _), person_id in ids.items()}
        self._counts: Counter[str] = Counter(person_id for _, person_id in self._pairs)

    def add(self, mentions: Iterable[Row]) -> None:
        """Count the mentions of one batch (batches hold disjoint documents)."""
        new = {(m["doc_id"], m["person_id"]) for m in mentions} - self._pairs
        self._counts.update(person_id for _, person_id in new)

    def counts(self) -> dict[str, int]:
        return dict(self._counts)
