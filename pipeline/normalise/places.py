"""Place values: split a written place into ordered components, most specific first.

Rule (kept simple on purpose):
1. Parenthetical notes are dropped from the parts: ``Shklov, Russian Empire (now
   Belarus)`` → ``("Shklov", "Russian Empire")``. The parts describe the place as
   written at the time; the caller keeps the raw string for the note.
2. The string is split at commas and semicolons that are outside parentheses.
3. Each part loses surrounding whitespace, quotes and trailing dots, and a leading
   present-day marker (``in present-day``, ``present-day``, ``modern-day``,
   ``today``, ``now``): ``Mosty, in present-day Hrodna Voblast, Belarus`` →
   ``("Mosty", "Hrodna Voblast", "Belarus")``. A leading ``in`` is dropped too;
   ``near`` is kept because it changes the meaning.
4. Empty parts are skipped; the order written is kept.
"""

from __future__ import annotations

import re

_PAREN_RE = re.compile(r"\([^()]*\)")
_MARKER_RE = re.compile(
    r"^(?:(?:in|of)\s+)?(?:the\s+)?(?:present[- ]day|modern[- ]day|today'?s?|now|what\s+is\s+now)\s+",
    re.IGNORECASE,
)
_LEADING_IN_RE = re.compile(r"^in\s+", re.IGNORECASE)
_SPLIT_RE = re.compile(r"[,;]")
_TRIM = " \t\r\n'\".:"


def _strip_notes(s: str) -> str:
    """Remove (possibly nested) parenthetical notes."""
    prev = None
    while prev != s:
        prev = s
        s = _PAREN_RE.sub(" ", s)
    return s.replace("(", " ").replace(")", " ")


def place_parts(s: str) -> tuple[str, ...]:
    """Ordered components of a written place, most specific first (see module rule)."""
    parts: list[str] = []
    for raw in _SPLIT_RE.split(_strip_notes(s)):
        part = " ".join(raw.split()).strip(_TRIM)
        part = _MARKER_RE.sub("", part)
        part = _LEADING_IN_RE.sub("", part).strip(_TRIM)
        if part:
            parts.append(part)
    return tuple(parts)
