"""Pure: a document's name runs against the index of known names: which stretch of a run names whom.

The corpus stage (``pipeline.identity.corpus``) matches every run of capitalised words
(``pipeline.extract.mentions``) twice, against the names of the known persons and then
against the final clusters. A corpus holds hundreds of runs per document but few distinct
ones (the same people, places and bodies recur), so the work is done once per distinct run:

1. ``NameIndex``: every cluster's name keys, by full key and by (given name, surname).
2. A run's *cut* (``Cut``): its tokens split greedily, longest window (up to
   ``MAX_WINDOW`` tokens) first, into windows that name one cluster and the stretches
   left between. Only windows holding a token that gives an indexed given name and one
   that gives an indexed surname are looked up (``identity.keys.piece_keys``).
3. A cut depends on the run's words and, where a window names several clusters (a
   tie, which goes to the clusters already in the document), on which of those are in
   the document; it is remembered by (surface, those clusters) in ``NameIndex.cuts``.
4. Runs are stored per batch as an Arrow table (``NAME_RUN_SCHEMA``: token texts are
   the surface split at single spaces, so only their offsets are stored).
   ``runs_that_matter`` decides per distinct surface whether a run can give anything
   and turns only those rows into ``Run`` values.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import pyarrow as pa
import pyarrow.compute as pc

from pipeline.identity.keys import NameKey, name_key, piece_keys, similarity
from pipeline.identity.resolve import PATRONYMIC_SIMILARITY, Resolution, name_forms

MAX_WINDOW = 5
"""The longest window of a run looked up as one name (given, two middles, two surnames)."""

NAME_RUN_SCHEMA = pa.schema(
    [
        pa.field("doc_id", pa.string(), nullable=False),
        pa.field("surface", pa.string(), nullable=False),  # tokens joined by single spaces
        pa.field("char_start", pa.int64(), nullable=False),
        pa.field("char_end", pa.int64(), nullable=False),
        pa.field("token_starts", pa.list_(pa.int64()), nullable=False),
        pa.field("token_ends", pa.list_(pa.int64()), nullable=False),
        pa.field("cue", pa.string()),
        pa.field("in_gloss", pa.bool_(), nullable=False),
        pa.field("link_no", pa.int64()),
    ]
)

Cut = tuple[tuple[int, int, int | None], ...]
"""A run cut into windows: (first token, end token, cluster) in order; cluster None for a leftover stretch."""


@dataclass
class NameIndex:
    """Every cluster's name keys, and the cuts of the runs matched against them so far."""

    by_full: dict[tuple[str, ...], set[int]] = field(default_factory=lambda: defaultdict(set))
    by_pair: dict[tuple[str, str], set[tuple[int, tuple[str, ...]]]] = field(
        default_factory=lambda: defaultdict(set)
    )
    surnames: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))
    givens: set[str] = field(default_factory=set)  # every indexed key's given name
    all_surnames: set[str] = field(default_factory=set)  # every indexed key's surnames
    ties: dict[str, frozenset[int]] = field(default_factory=dict)  # by run surface, see ``cut_of``
    cuts: dict[tuple[str, frozenset[int]], Cut] = field(default_factory=dict)

    def may_name(self, pieces: frozenset[str]) -> tuple[bool, bool]:
        """Whether a token with these ``piece_keys`` can give an indexed (given name, surname)."""
        return not self.givens.isdisjoint(pieces), not self.all_surnames.isdisjoint(pieces)


def name_index(resolution: Resolution) -> NameIndex:
    """Every cluster's name keys; members with the same names (one prose name in many documents) once."""
    index = NameIndex()
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


def _hits(index: NameIndex, key: NameKey) -> set[int]:
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


def _lookup(index: NameIndex, key: NameKey, local: frozenset[int]) -> int | None:
    """The one cluster a name names; a tie goes to clusters already in the document; else None."""
    hits = _hits(index, key)
    if len(hits) > 1:
        hits = hits & local or hits
    return next(iter(hits)) if len(hits) == 1 else None


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


def _candidate_windows(words: Sequence[str], index: NameIndex) -> Iterator[tuple[int, int]]:
    """(first token, size) of every window of a run worth a ``name_key`` lookup, each position's
    longest first: those holding a token that gives an indexed given name and one that gives an
    indexed surname (most runs, ``Soviet Union``, have none)."""
    shortest = _shortest_candidates([index.may_name(piece_keys(w)) for w in words])
    for i in range(len(words)):
        for size in range(min(MAX_WINDOW, len(words) - i), max(1, shortest[i] - 1), -1):
            yield i, size


def _tied(words: Sequence[str], index: NameIndex) -> frozenset[int]:
    """Every cluster some window of the run names together with another: the clusters the run's cut
    can depend on."""
    tied: set[int] = set()
    for i, size in _candidate_windows(words, index):
        key = name_key(" ".join(words[i : i + size]))
        if key is not None:
            hits = _hits(index, key)
            if len(hits) > 1:
                tied |= hits
    return frozenset(tied)


def _cut(words: Sequence[str], index: NameIndex, local: frozenset[int]) -> Cut:
    """The run's words cut greedily, longest window first, into windows that name one cluster
    (``_lookup``) and the stretches left between them."""
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
            cluster = None if key is None else _lookup(index, key, local)
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


T = TypeVar("T")
MEMO_ENTRIES = 1 << 17
"""The most ties or cuts a ``NameIndex`` remembers: a full memo is emptied and filled again, so a
worker that matches batch after batch holds a bounded memo, not one entry per distinct run it has
matched (the same surfaces recur within a batch far more than across the corpus)."""


def _remember(memo: dict[Any, T], key: Any, value: T) -> T:
    if len(memo) >= MEMO_ENTRIES:
        memo.clear()
    memo[key] = value
    return value


def ties_of(surface: str, index: NameIndex) -> frozenset[int]:
    """The clusters a run's cut can depend on (see ``_tied``), remembered by surface."""
    tied = index.ties.get(surface)
    if tied is None:
        tied = _remember(index.ties, surface, _tied(surface.split(" "), index))
    return tied


def cut_of(surface: str, index: NameIndex, local: frozenset[int] | set[int]) -> Cut:
    """The cut of a run with this surface in a document holding the clusters ``local``."""
    tied = ties_of(surface, index)
    key = (surface, tied & local if tied else tied)
    cut = index.cuts.get(key)
    if cut is None:
        cut = _remember(index.cuts, key, _cut(surface.split(" "), index, key[1]))
    return cut


@dataclass(frozen=True, slots=True)
class Run:
    """One name run of a document, as the corpus stage reads it back from its batch's table."""

    doc_id: str
    surface: str
    char_start: int
    token_starts: list[int]
    token_ends: list[int]
    cue: str | None
    in_gloss: bool

    @property
    def words(self) -> list[str]:
        return self.surface.split(" ")


def runs_that_matter(runs: pa.Table, index: NameIndex, gives: Callable[[Cut, list[str]], bool]) -> list[Run]:
    """The runs of a batch whose cut can give something (``gives(cut, words)``), in table order.

    Decided once per distinct surface: a run whose cut does not depend on its document (no
    tie) and gives nothing is never turned into Python values.
    """
    if runs.num_rows == 0:
        return []
    surfaces = pc.dictionary_encode(runs["surface"]).combine_chunks()
    keep = [
        bool(ties_of(s, index)) or gives(cut_of(s, index, frozenset()), s.split(" "))
        for s in surfaces.dictionary.to_pylist()
    ]
    mask = pc.take(pa.array(keep, pa.bool_()), surfaces.indices)
    kept = runs.filter(mask).select(
        ["doc_id", "surface", "char_start", "token_starts", "token_ends", "cue", "in_gloss"]
    )
    return [Run(*values) for values in zip(*(kept[c].to_pylist() for c in kept.column_names), strict=True)]
