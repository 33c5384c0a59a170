"""Pure: cluster person candidates from every document into one identity per real person, with evidence.

1. Name forms: every name a candidate is known by (title, full, variants, aliases,
   native script, birth name) as ``NameKey``s; a one-token variant or alias
   (``Ezhov``, ``Spiegelglass``) stands for the surname when its key is close to it.
2. Pair rules, strongest first (``schemas.person_matches.RULES``): ``same-name``; ``romanisation-key`` (every
   token's key equal); ``given-surname-key`` (given and surname keys equal, a
   patronymic on one side only); ``given-variant`` (surname keys equal, given keys
   Jaro–Winkler ≥ 0.8 with the same initial: Naum/Nahum, Aleksandr/Alexander);
   ``given-initial`` (``N. Eitingon``); ``surname-variant`` (given keys equal, surname
   keys ≥ 0.88) only when a life date confirms it.
3. Vetoes (cannot-link): life dates that disagree at their common precision; the same
   surname with given names no rule accepts (a namesake: ``Max Eitingon`` and
   ``Nahum Eitingon``); patronymics on both sides that differ (``Isaak Faivelovich``).
4. Clustering: pairs in descending score order are joined (union–find) unless any
   member of one cluster vetoes any member of the other, so no chain of merges can put
   two people the rules keep apart into one cluster.
5. Each accepted join is a ``Merge`` with its rule, score and a readable evidence line.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations

from pipeline.identity.keys import NameKey, name_key, similarity, token_key
from pipeline.records import DateValue, Span

GIVEN_SIMILARITY = 0.8
SURNAME_SIMILARITY = 0.88
PATRONYMIC_SIMILARITY = 0.85
ORIGIN_RANK = {"subject": 0, "gloss": 1, "prose": 2}


@dataclass(frozen=True, slots=True)
class Candidate:
    """One document's view of a person, with every name it is known by there."""

    doc_id: str
    key: str  # the person key inside its document (display name)
    origin: str  # subject | gloss | prose
    names: tuple[str, ...]
    span: Span
    birth: DateValue | None = None
    death: DateValue | None = None
    shown: str | None = None  # the name ``span`` shows when it is not ``key`` (a full name the key shortens)

    @property
    def cid(self) -> tuple[str, str]:
        return (self.doc_id, self.key)


@dataclass(frozen=True, slots=True)
class Verdict:
    rule: str | None  # the best rule that accepts the pair, None when none does
    score: float
    veto: str | None = None  # why the two can never be one person
    joined: tuple[Candidate, str, NameKey, Candidate, str, NameKey] | None = None
    """With a rule: each candidate with the name form the rule joined, and that form's key."""

    @property
    def evidence(self) -> str:
        """The readable evidence line: the two forms, their keys, origins and life dates (made when
        asked: most accepted pairs join candidates already in one cluster and are never shown)."""
        if self.joined is None:
            return ""
        a, name_a, key_a, b, name_b, key_b = self.joined
        confirmed = "; life dates agree" if _dates_confirm(a, b) else ""
        return (
            f"{name_a!r} [{' '.join(key_a.full)}] ({a.origin}, doc {a.doc_id}, {_describe_dates(a)}) ~ "
            f"{name_b!r} [{' '.join(key_b.full)}] ({b.origin}, doc {b.doc_id}, {_describe_dates(b)}){confirmed}"
        )


@dataclass(frozen=True, slots=True)
class Merge:
    merged: Candidate
    matched: Candidate
    rule: str
    score: float
    note: str | None = None  # a pair rule's evidence; None: the same names and life dates

    @property
    def evidence(self) -> str:
        """The readable evidence line (made when asked: same-name merges are many)."""
        if self.note is not None:
            return self.note
        merged, matched = self.merged, self.matched
        return (
            f"{merged.key!r} (doc {merged.doc_id}) has the names and life dates of "
            f"{matched.key!r} (doc {matched.doc_id})"
        )


@dataclass
class Resolution:
    clusters: list[list[Candidate]]  # each sorted with its representative first
    merges: list[Merge] = field(default_factory=list)


@lru_cache(maxsize=65536)
def name_forms(candidate: Candidate) -> tuple[tuple[str, NameKey], ...]:
    """(name, key) for every multi-token name; one-token names close to the surname become surname variants."""
    forms: list[tuple[str, NameKey]] = []
    singles: list[str] = []
    for name in dict.fromkeys((candidate.key, *candidate.names)):
        key = name_key(name)
        if key is not None:
            forms.append((name, key))
        elif name.strip():
            singles.append(name.strip())
    if forms:
        _, base = forms[0]
        for single in singles:
            variant = token_key(single)
            if variant and similarity(variant, base.surname) >= GIVEN_SIMILARITY:
                forms.append((single, NameKey(base.given, base.middles, (variant,))))
    return tuple(forms)


def _dates_disagree(a: DateValue | None, b: DateValue | None) -> bool:
    if a is None or b is None or a.edtf == b.edtf:
        return False
    x, y = a.edtf.rstrip("~?"), b.edtf.rstrip("~?")
    n = min(len(x), len(y))
    return x[:n] != y[:n]


def _dates_confirm(a: Candidate, b: Candidate) -> bool:
    pairs = ((a.birth, b.birth), (a.death, b.death))
    return any(x is not None and y is not None and not _dates_disagree(x, y) for x, y in pairs)


def _middles_conflict(x: NameKey, y: NameKey) -> bool:
    if not x.middles or not y.middles:
        return False
    return similarity(" ".join(x.middles), " ".join(y.middles)) < PATRONYMIC_SIMILARITY


def _form_rule(x: NameKey, y: NameKey, raw_equal: bool) -> tuple[str | None, float, bool]:
    """(rule, score, namesake) for two name forms; namesake: same surname, given names incompatible."""
    if x.full == y.full:
        return ("same-name", 1.0, False) if raw_equal else ("romanisation-key", 0.95, False)
    if not set(x.surnames).isdisjoint(y.surnames):  # the same surname
        if _middles_conflict(x, y):
            return None, 0.0, True
        if x.given == y.given:
            return "given-surname-key", 0.9, False
        if x.initial_only or y.initial_only:
            return ("given-initial", 0.7, False) if x.given[0] == y.given[0] else (None, 0.0, True)
        sim = similarity(x.given, y.given)
        if sim >= GIVEN_SIMILARITY and x.given[0] == y.given[0]:
            return "given-variant", round(0.9 * sim, 3), False
        return None, 0.0, True
    if x.given == y.given and not _middles_conflict(x, y):
        sim = max(similarity(s, t) for s in x.surnames for t in y.surnames)
        if sim >= SURNAME_SIMILARITY:
            return "surname-variant", round(0.85 * sim, 3), False
    return None, 0.0, False


def _describe_dates(c: Candidate) -> str:
    return f"{c.birth.edtf if c.birth else '?'}–{c.death.edtf if c.death else '?'}"


Forms = tuple[tuple[str, str, NameKey], ...]
"""A candidate's ``name_forms`` with each name casefolded too: (name, casefolded name, key)."""


def forms_of(c: Candidate) -> Forms:
    return tuple((name, name.casefold(), key) for name, key in name_forms(c))


def _same_name(forms_a: Forms, forms_b: Forms) -> tuple[str, float, str, str, NameKey, NameKey] | None:
    """The first pair of forms (in ``_compare``'s order) that is ``same-name``, or None.

    ``same-name`` scores highest, so the search over every pair of forms would keep this
    first one; most joined pairs share a name as written, and are settled here without it."""
    folded_b = {folded for _, folded, _ in forms_b}
    for name_a, folded_a, key_a in forms_a:
        if folded_a not in folded_b:
            continue
        for name_b, folded, key_b in forms_b:
            if folded == folded_a and key_a.full == key_b.full:
                return "same-name", 1.0, name_a, name_b, key_a, key_b
    return None


def compare(a: Candidate, b: Candidate) -> Verdict:
    """The best rule joining two candidates, or the veto that keeps them apart."""
    return _compare(a, forms_of(a), b, forms_of(b))


def _compare(a: Candidate, forms_a: Forms, b: Candidate, forms_b: Forms) -> Verdict:
    """``compare`` with each candidate's ``forms_of`` worked out once (``_resolve_distinct``)."""
    for label, x, y in (("birth", a.birth, b.birth), ("death", a.death, b.death)):
        if _dates_disagree(x, y):
            return Verdict(
                None, 0.0, f"{label} dates disagree: {x.edtf if x else ''} vs {y.edtf if y else ''}"
            )
    best = _same_name(forms_a, forms_b)
    namesake = False
    if best is None:
        for name_a, folded_a, key_a in forms_a:
            for name_b, folded_b, key_b in forms_b:
                rule, score, clash = _form_rule(key_a, key_b, folded_a == folded_b)
                namesake = namesake or clash
                if rule and (best is None or score > best[1]):
                    best = (rule, score, name_a, name_b, key_a, key_b)
    if best is None:
        return Verdict(None, 0.0, "same surname, different given names or patronymics" if namesake else None)
    rule, score, name_a, name_b, key_a, key_b = best
    if rule == "surname-variant" and not _dates_confirm(a, b):
        return Verdict(None, 0.0)
    return Verdict(rule, score, None, (a, name_a, key_a, b, name_b, key_b))


@lru_cache(maxsize=65536)
def _reach(c: Candidate) -> frozenset[str]:
    """Keys of the candidates whose vetoes count against this one: a surname, or a given name with the
    surname's initial."""
    return frozenset(
        k for _, key in name_forms(c) for s in key.surnames for k in (f"s:{s}", f"g:{key.given}:{s[0]}")
    )


def _block_keys(c: Candidate) -> frozenset[str]:
    """The blocks a candidate is in: ``s:`` a surname key and the given name's initial, or ``v:`` a
    given key and the surname's initial (surname variants). A pair in both kinds of block is compared
    in its first surname block (``s:`` sorts before ``v:``), which has no date condition."""
    keys: set[str] = set()
    for _, key in name_forms(c):
        keys.update(f"s:{s}:{key.given[0]}" for s in key.surnames)
        keys.update(f"v:{key.given}:{s[0]}" for s in key.surnames)
    return frozenset(keys)


def _blocks(keys: Sequence[frozenset[str]]) -> dict[str, list[int]]:
    """Candidates some rule could join, by block key (``_block_keys`` of each candidate).

    Every rule needs one of the two (``_form_rule``): a shared surname with the same initial
    of the given name, or, for ``surname-variant``, the same given name. So the blocks miss no
    join and stay small where a surname is common.
    """
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, own in enumerate(keys):
        for k in own:
            blocks[k].append(i)
    return blocks


def _pairs(block: list[int], order: Sequence[Candidate], confirmed_only: bool) -> Iterator[tuple[int, int]]:
    """The pairs of a block that a rule may join: never two different birth years (their dates disagree).

    Namesakes with other birth dates (a common name in a large corpus) would otherwise
    be compared pair by pair, the square of their number. With ``confirmed_only`` (a surname-variant
    block), only pairs a life date can confirm: both born, or both dead. Undated names in prose that
    share a given name and a surname's initial are many, and no rule joins two of them there.
    """
    by_year: dict[int, list[int]] = defaultdict(list)
    undated: list[int] = []
    for i in sorted(set(block)):
        birth = order[i].birth
        (undated if birth is None else by_year[birth.year]).append(i)
    for group in by_year.values():
        yield from combinations(group, 2)
    if confirmed_only:
        undated = [i for i in undated if order[i].death is not None]
    yield from combinations(undated, 2)
    dated = [
        i for group in by_year.values() for i in group if not confirmed_only or order[i].death is not None
    ]
    for i in undated:
        yield from ((min(i, j), max(i, j)) for j in dated)


def _representative_order(c: Candidate) -> tuple[int, str, str]:
    return (ORIGIN_RANK.get(c.origin, 3), c.doc_id, c.key)


def _signature(c: Candidate) -> tuple[tuple[str, ...], str | None, str | None]:
    """Candidates with one signature (the same names and life dates) compare alike with everyone."""
    names = tuple(sorted({c.key, *c.names}))
    return (names, c.birth.edtf if c.birth else None, c.death.edtf if c.death else None)


def resolve(candidates: Sequence[Candidate]) -> Resolution:
    """Clusters of candidates that name one person, and the merges that made them.

    Candidates sharing a signature (the same names and dates, typically one prose
    name in many documents) are joined first by ``same-name``; the pair rules then
    run on one candidate per signature, so the cost grows with distinct names, not
    with documents.
    """
    groups: dict[tuple[tuple[str, ...], str | None, str | None], list[Candidate]] = defaultdict(list)
    for c in sorted(candidates, key=lambda c: (c.doc_id, c.key)):
        groups[_signature(c)].append(c)
    resolution = _resolve_distinct([group[0] for group in groups.values()])
    rep_cluster = {c.cid: i for i, members in enumerate(resolution.clusters) for c in members}
    for group in groups.values():
        head, rest = group[0], group[1:]
        for c in rest:
            resolution.clusters[rep_cluster[head.cid]].append(c)
            resolution.merges.append(Merge(c, head, "same-name", 1.0))
    clusters = [sorted(members, key=_representative_order) for members in resolution.clusters]
    clusters.sort(key=lambda members: _representative_order(members[0]))
    return Resolution(clusters, resolution.merges)


def _resolve_distinct(candidates: Sequence[Candidate]) -> Resolution:
    """The pair rules and vetoes over candidates with distinct signatures."""
    order = sorted(candidates, key=lambda c: (c.doc_id, c.key))
    verdicts: dict[tuple[int, int], Verdict] = {}  # pairs a rule joins; vetoes are looked up when needed
    keys = [_block_keys(c) for c in order]
    forms = [forms_of(c) for c in order]
    for key, block in _blocks(keys).items():
        for i, j in _pairs(block, order, confirmed_only=key.startswith("v:")):
            if min(keys[i] & keys[j]) != key:
                continue  # two candidates sharing several blocks are compared in the first of them only
            verdict = _compare(order[i], forms[i], order[j], forms[j])
            if verdict.rule:
                verdicts[(i, j)] = verdict
    parent = list(range(len(order)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(order))}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    vetoes: set[tuple[int, int]] = set()

    def veto(x: int, y: int) -> bool:
        """Whether two candidates that share a surname, or a given name and surname initial, cannot be one."""
        pair = (min(x, y), max(x, y))
        if pair in vetoes:
            return True
        a, b = order[pair[0]], order[pair[1]]
        if pair in verdicts or not _reach(a) & _reach(b):
            return False
        if _compare(a, forms[pair[0]], b, forms[pair[1]]).veto is None:
            return False
        vetoes.add(pair)
        return True

    def vetoed(ra: int, rb: int) -> bool:
        return any(veto(x, y) for x in members[ra] for y in members[rb])

    merges: list[Merge] = []
    accepted = sorted(
        ((v.score, i, j, v) for (i, j), v in verdicts.items() if v.rule), key=lambda t: (-t[0], t[1], t[2])
    )
    for _, i, j, verdict in accepted:
        ra, rb = find(i), find(j)
        if ra == rb or vetoed(ra, rb):
            continue
        keep, gone = (ra, rb) if ra < rb else (rb, ra)
        parent[gone] = keep
        members[keep].extend(members.pop(gone))
        a, b = order[i], order[j]
        merged, matched = (b, a) if _representative_order(a) <= _representative_order(b) else (a, b)
        assert verdict.rule is not None
        merges.append(Merge(merged, matched, verdict.rule, verdict.score, verdict.evidence))
    clusters = [sorted((order[i] for i in group), key=_representative_order) for group in members.values()]
    clusters.sort(key=lambda group: _representative_order(group[0]))
    return Resolution(clusters, merges)
