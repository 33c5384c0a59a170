"""Pure: find where a cleaned value stands in the untouched source.

Values are read from clean prose (anchors rejoined, markup removed) but their
provenance must point into the source, where the same words may be split across
lines. ``locate`` finds the value verbatim, or with any run of whitespace standing
for any other.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pipeline.records import Span


@lru_cache(maxsize=4096)
def _flexible(needle: str) -> re.Pattern[str]:
    parts = [re.escape(p) for p in needle.split()]
    return re.compile(r"\s+".join(parts))


def locate(source: str, needle: str, start: int = 0, end: int | None = None) -> Span | None:
    """The first span at or after ``start`` (before ``end``) where ``needle`` stands in ``source``."""
    needle = needle.strip()
    if not needle:
        return None
    stop = len(source) if end is None else end
    at = source.find(needle, start, stop)
    if at >= 0:
        return Span(at, at + len(needle))
    match = _flexible(needle).search(source, start, stop)
    return Span(match.start(), match.end()) if match else None
