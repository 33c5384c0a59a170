"""Pure: find where a cleaned value stands in the untouched source.

Values are read from clean prose (anchors rejoined, markup removed, NFC) but their
provenance must point into the source, where the same words may be split across
lines, hold the markup a cleaner removed (``Ivan[[ Petrov``, ``Ivan''' Petrov``,
``Ivan[a] Petrov``) or combining marks NFC composes. ``locate`` finds the value
verbatim, or with any run of whitespace standing for any other; given a ``Reading``
of the source (the source less the stretches its cleaners removed, in NFC), it then
looks for the value there and maps what it finds back to the source characters the
value was read from.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from bisect import bisect_left
from collections.abc import Iterable
from functools import cached_property

from pipeline.records import Span


def _flexible_find(haystack: str, words: list[str], start: int, stop: int) -> tuple[int, int] | None:
    """(start, end) of the first place in ``haystack[start:stop]`` where ``words`` stand in order with
    a run of whitespace between each two (what ``\\s+``-joined escaped words would match), found with
    ``str.find`` and ``str.startswith``: the needles are a document's own values, so a compiled
    pattern per needle would be compiled once and used once."""
    first, rest = words[0], words[1:]
    at = haystack.find(first, start, stop)
    while at >= 0:
        end = at + len(first)
        for word in rest:
            gap = end
            while gap < stop and haystack[gap].isspace():
                gap += 1
            if gap == end or not haystack.startswith(word, gap, stop):
                break
            end = gap + len(word)
        else:
            return at, end
        at = haystack.find(first, at + 1, stop)
    return None


def _find(haystack: str, needle: str, start: int, stop: int) -> tuple[int, int] | None:
    """(start, end) of the first place ``needle`` stands in ``haystack[start:stop]``, verbatim or with
    flexible whitespace: a copy split by a line break (``He died\\vin``) before a verbatim one is the first."""
    at = haystack.find(needle, start, stop)
    words = needle.split()
    if not words:
        return None if at < 0 else (at, at)
    if at >= 0 and len(words) == 1:
        return at, at + len(needle)
    return _flexible_find(haystack, words, start, stop if at < 0 else at + len(needle))


def _kept_stretches(length: int, removed: Iterable[Span]) -> list[tuple[int, int]]:
    """(start, end) of the stretches of a text of ``length`` characters that no span of ``removed`` covers."""
    kept, at = [], 0
    for span in sorted(removed, key=lambda s: s.start):
        if span.start > at:
            kept.append((at, span.start))
        at = max(at, span.end)
    if at < length:
        kept.append((at, length))
    return kept


class Reading:
    """A source as its cleaned values read it: the removed stretches out, NFC, each character
    mapped back to the source characters it stands for.

    Built on first use only (most values are found verbatim in the source): the text of the
    kept stretches with, for every character, the source offset of its first and after its
    last source character. A character NFC composed from a letter and a combining mark
    stands for both."""

    def __init__(self, source: str, removed: Iterable[Span]) -> None:
        self.source = source
        self.removed = tuple(removed)

    @cached_property
    def _view(self) -> tuple[str, array[int], array[int] | None]:
        """(text, first source offset of each character, source end of each character or None
        when every character stands for one source character)."""
        kept = _kept_stretches(len(self.source), self.removed)
        text = "".join(self.source[a:b] for a, b in kept)
        starts = array("q")
        for a, b in kept:
            starts.extend(range(a, b))
        if unicodedata.is_normalized("NFC", text):
            return text, starts, None
        return _composed(text, starts)

    def locate(self, needle: str, start: int = 0, end: int | None = None) -> Span | None:
        """The first span of the source at or after ``start`` (before ``end``) whose reading is ``needle``."""
        text, starts, ends = self._view
        stop = len(self.source) if end is None else end
        window = bisect_left(starts, start), bisect_left(starts, stop)
        found = _find(text, unicodedata.normalize("NFC", needle), *window)
        if found is None:
            return None
        first, last = found
        source_end = ends[last - 1] if ends is not None else starts[last - 1] + 1
        return Span(starts[first], min(source_end, stop))


_WORDS_AND_GAPS = re.compile(r"\S+|\s+")


def _composed(text: str, starts: array[int]) -> tuple[str, array[int], array[int]]:
    """``text`` in NFC with each character's source start and end: a letter and the combining marks
    after it are composed together and every character they become stands for all of them. Only
    the words that are not in NFC already are taken apart, so the time stays close to linear."""
    out: list[str] = []
    new_starts, new_ends = array("q"), array("q")
    for piece in _WORDS_AND_GAPS.finditer(text):
        a, b = piece.span()
        if unicodedata.is_normalized("NFC", piece.group()):
            out.append(piece.group())
            new_starts.extend(starts[a:b])
            new_ends.extend(s + 1 for s in starts[a:b])
            continue
        i = a
        while i < b:
            j = i + 1
            while j < b and unicodedata.combining(text[j]):
                j += 1
            cluster = unicodedata.normalize("NFC", text[i:j])
            out.append(cluster)
            new_starts.extend([starts[i]] * len(cluster))
            new_ends.extend([starts[j - 1] + 1] * len(cluster))
            i = j
    return "".join(out), new_starts, new_ends


def locate(
    source: str, needle: str, start: int = 0, end: int | None = None, reading: Reading | None = None
) -> Span | None:
    """The first span at or after ``start`` (before ``end``) where ``needle`` stands in ``source``:
    verbatim, with flexible whitespace, or (given ``reading``) as the source reads once its removed
    stretches are out and its combining marks composed."""
    needle = needle.strip()
    if not needle:
        return None
    stop = len(source) if end is None else end
    found = _find(source, needle, start, stop)
    if found is not None:
        return Span(*found)
    return reading.locate(needle, start, stop) if reading is not None else None
