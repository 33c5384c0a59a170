"""Pure: a readable stream of a document's prose pieces, and the map from stream offsets back to the source.

A section's prose is built from source pieces (``Section.pieces``); between two pieces
the source may hold a gloss or other debris. The stream copies the source over every
piece and over every gap that is only whitespace, and puts one space for any other gap,
so a sentence or name found in the stream maps back to exact source offsets. ``starts``
tells where each unbroken stretch of source (no replaced gap inside) begins in the stream.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.records import Span


@dataclass(frozen=True, slots=True)
class Stream:
    text: str
    starts: tuple[int, ...]  # stream offset where each copied segment begins
    sources: tuple[int, ...]  # source offset of each segment's first character
    lengths: tuple[int, ...]

    def _segment(self, i: int) -> int:
        return max(0, bisect_right(self.starts, i) - 1)

    def source_start(self, i: int) -> int:
        """Source offset of stream offset ``i`` (a replaced gap maps to the next segment's start)."""
        k = self._segment(i)
        if i >= self.starts[k] + self.lengths[k] and k + 1 < len(self.starts):
            return self.sources[k + 1]
        return self.sources[k] + min(i - self.starts[k], self.lengths[k])

    def source_end(self, i: int) -> int:
        """Source offset of the exclusive end ``i`` (a replaced gap maps to the previous segment's end)."""
        k = self._segment(max(0, i - 1))
        return self.sources[k] + min(i - self.starts[k], self.lengths[k])

    def shift_at(self, i: int) -> int:
        """What to add to a stream offset inside the segment holding ``i`` to get its source offset."""
        k = self._segment(i)
        return self.sources[k] - self.starts[k]

    def span(self, start: int, end: int) -> Span:
        return Span(self.source_start(start), max(self.source_start(start), self.source_end(end)))


def build_stream(source: str, pieces: Sequence[Span]) -> Stream:
    """The stream over ``pieces`` (in source order); whitespace-only gaps are copied, others become a space."""
    ordered = sorted((p for p in pieces if p.end > p.start), key=lambda p: p.start)
    merged: list[list[int]] = []
    for piece in ordered:
        if merged and (piece.start <= merged[-1][1] or not source[merged[-1][1] : piece.start].strip()):
            merged[-1][1] = max(merged[-1][1], piece.end)
        else:
            merged.append([piece.start, piece.end])
    parts: list[str] = []
    starts, sources, lengths = [], [], []
    at = 0
    for i, (start, end) in enumerate(merged):
        if i:
            parts.append(" ")
            at += 1
        starts.append(at)
        sources.append(start)
        lengths.append(end - start)
        parts.append(source[start:end])
        at += end - start
    if not starts:
        return Stream("", (0,), (0,), (0,))
    return Stream("".join(parts), tuple(starts), tuple(sources), tuple(lengths))
