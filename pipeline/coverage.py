"""Pure: which non-whitespace characters of a document some output row accounts for."""

from __future__ import annotations

from collections.abc import Iterable

from pipeline.records import Span


def merge(spans: Iterable[Span]) -> list[Span]:
    """Sorted, non-overlapping union of ``spans``."""
    merged: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        if span.start == span.end:
            continue
        if merged and span.start <= merged[-1].end:
            if span.end > merged[-1].end:
                merged[-1] = Span(merged[-1].start, span.end)
        else:
            merged.append(span)
    return merged


def non_whitespace(text: str) -> int:
    return len("".join(text.split()))


def uncovered(text: str, spans: Iterable[Span]) -> list[Span]:
    """The stretches of ``text`` holding non-whitespace characters no span covers, trimmed."""
    gaps: list[Span] = []
    position = 0
    for span in [*merge(spans), Span(len(text), len(text))]:
        if span.start > position:
            gap = text[position : span.start]
            stripped = gap.strip()
            if stripped:
                start = position + (len(gap) - len(gap.lstrip()))
                gaps.append(Span(start, start + len(stripped)))
        position = max(position, span.end)
    return gaps


def coverage(text: str, spans: Iterable[Span]) -> float:
    """Share of the non-whitespace characters of ``text`` inside some span (1.0 for no text)."""
    return covered_share(text, uncovered(text, spans))


def covered_share(text: str, gaps: Iterable[Span]) -> float:
    """``coverage`` from the gaps ``uncovered`` already found (1.0 for no text)."""
    total = non_whitespace(text)
    if total == 0:
        return 1.0
    missing = sum(non_whitespace(text[g.start : g.end]) for g in gaps)
    return (total - missing) / total
