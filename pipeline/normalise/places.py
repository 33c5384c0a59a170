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

``place_phrases`` reads the place a clause states after ``in``/``at`` (``born in the town of
Ouled X in Y`` → ``X, Y``; see ``_read_phrase`` for the rules).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import regex

from pipeline.normalise.dates import is_month_name

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


# ---------------------------------------------------------------- a place phrase in running text

_CAP = r"\p{Lu}[\p{L}\p{M}'’.\-]*"
_NAME = rf"{_CAP}(?:\s+(?:{_CAP}|(?:of\s+the|of|de|del|la|le|am|an|upon|on|sur)(?=\s+\p{{Lu}})))*"
_LIST = rf"{_NAME}(?:,\s+(?:in\s+present-day\s+|present-day\s+|now\s+)?{_NAME})*"
_SETTLEMENT = r"(?:village|town|hamlet|settlement|city|farm|estate|suburb|port)"
_PHRASE_RE = regex.compile(
    rf"(?P<indef>an?\s+(?:small\s+|little\s+|remote\s+)?{_SETTLEMENT}\s+(?:in|near)\s+(?:the\s+)?{_LIST})"
    rf"|(?:the\s+{_SETTLEMENT}\s+of\s+)?(?:the\s+)?(?P<x>{_LIST})(?:\s+in\s+(?:the\s+)?(?P<y>{_LIST}))?"
)
_PREP_RE = regex.compile(r"\b(?:in|at)\s+")
_MOTION_PREP_RE = regex.compile(r"\b(?:in|at|to|into)\s+")  # "returned to Riga, where she died"
_NOT_PLACE_WORDS = frozenset(
    (
        *("party", "army", "navy", "committee", "council", "company", "corporation", "bank", "ministry"),
        *("agency", "movement", "university", "college", "institute", "academy", "society", "school"),
        *("war", "battle", "revolution", "purge", "holocaust", "uprising", "rebellion", "siege", "massacre"),
        *("olympics", "games", "championship", "championships"),
    )
)
"""Head words of organisations and events: ``died in the Great Purge`` names no place."""


@dataclass(frozen=True, slots=True)
class PlacePhrase:
    """A place stated after ``in``/``at``: ``value`` as the project writes it, ``start``/``end`` the phrase."""

    value: str
    start: int
    end: int


def _is_place(name: str) -> bool:
    words = [w.strip(".,").casefold() for w in name.split()]
    return bool(words) and not is_month_name(words[0]) and not _NOT_PLACE_WORDS.intersection(words)


def _read_phrase(text: str, pos: int) -> PlacePhrase | None:
    """The place phrase starting at ``pos`` (right after a preposition), or ``None``.

    Rules: an indefinite settlement (``a village in Penza Governorate``) names no place by
    itself, so the phrase is kept whole; ``the town of X in Y`` and ``X in Y`` give ``X, Y``
    (``Y`` dropped when it is no place); a month, an organisation or an event is never a place.
    """
    m = _PHRASE_RE.match(text, pos)
    if m is None:
        return None
    if m["indef"] is not None:
        value = m["indef"].rstrip(".")
        return PlacePhrase(value, m.start(), m.start() + len(value))
    x = m["x"].rstrip(".")  # a sentence's full stop, not an abbreviation's
    if not _is_place(x):
        return None
    y = (m["y"] or "").rstrip(".")
    if y and _is_place(y):
        return PlacePhrase(f"{x}, {y}", m.start(), m.start("y") + len(y))
    return PlacePhrase(x, m.start(), m.start("x") + len(x))


def place_phrases(text: str, *, motion: bool = False) -> list[PlacePhrase]:
    """Every place phrase after ``in``/``at`` in a clause, left to right (see ``_read_phrase``).

    ``motion`` also reads ``to``/``into`` (``moved to Riga``), for a place that ``where`` refers
    back to; after ``born to`` a name is a parent, so the default leaves them out.
    """
    out = []
    for prep in (_MOTION_PREP_RE if motion else _PREP_RE).finditer(text):
        phrase = _read_phrase(text, prep.end())
        if phrase is not None:
            out.append(phrase)
    return out
