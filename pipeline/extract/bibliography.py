"""Pure: read one bibliography entry's text into authors, title, publisher and year.

Shared by every layout. ``parse_citation`` never invents: a part the entry does
not state stays empty (``()`` / ``None``).

Steps (numbers repeated in the body):
1. Trim the entry and one trailing ``.``.
2. Year: author–date style ``Smith, J. (1999). Title. Place: Publisher`` — the text
   before the parenthesised year is the authors, the text after it is read as title
   and publisher by step 3; else 3–4 digits at the very end (``…, 1999``,
   ``… (1999)``); else a parenthesised year anywhere. The year is cut out of the
   text before the other steps.
3. Title: the first ``''…''`` (any run of 2+ apostrophes), ``"…"`` or ``“…”``;
   the text before it holds the authors, the text after it the publisher.
   Without a marked title the entry is cut into segments (on ``. `` after a word
   of 2+ letters that is not a capital plus one letter, so initials ``J. R.`` and
   ``St.``/``Dr.`` do not cut; else on ``, ``):
   first segment authors, second title, the rest publisher.
4. Authors: editor markers (``(ed.)``, ``(eds.)``, ``, ed.``) and ``et al.`` are
   removed; then split on ``;``, then on `` and `` / `` & ``, then on ``, `` —
   except that ``Surname, Given`` (two comma parts, the first a single word) and
   an even run of single-word parts (``Smith, John, Doe, Jane``) are kept as
   inverted names.
5. Publisher: the segment after the title, trimmed of separators (a place such as
   ``London: Penguin`` is kept as written).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Citation:
    authors: tuple[str, ...]
    title: str | None
    publisher: str | None
    year: int | None


_YEAR_END_RE = re.compile(r"(?:^|(?<=[\s,.;:(]))\(?(?P<year>\d{3,4})[a-z]?\)?$")
_YEAR_PAREN_RE = re.compile(r"\s*\((?P<year>\d{3,4})[a-z]?\)")
_AUTHOR_DATE_RE = re.compile(r"(?P<authors>[^()]+?)\s*\((?P<year>\d{3,4})[a-z]?\)\s*[.,:]\s+(?P<rest>\S.*)$")
_TITLE_RE = re.compile(r"'{2,}(?P<it>.+?)'{2,}|\"(?P<dq>[^\"]+)\"|“(?P<cq>[^”]+)”")
_PERIOD_SPLIT_RE = re.compile(r"(?<=[^\W\d_]{2})(?<![A-Z][a-z])\.\s+|(?<=[\d)])\.\s+")
_EDITOR_RE = re.compile(
    r"\s*\(\s*(?:eds?|editors?|comp|compilers?)\.?\s*\)|,\s*eds?\.(?=\s|$|;)", re.IGNORECASE
)
_ETAL_RE = re.compile(r",?\s*\bet\s+al\b\.?", re.IGNORECASE)
_AND_RE = re.compile(r"\s+(?:and|&)\s+")
_QUOTE_RUN_RE = re.compile(r"'{2,}")
_EDGE = " \t,;:"


def parse_citation(raw: str) -> Citation:
    """Authors, title, publisher and year of one bibliography entry (see module steps)."""
    text = raw.strip()  # 1
    if text.endswith(".") and not text.endswith("..."):
        text = text[:-1].rstrip()
    if not text:
        return Citation((), None, None, None)
    m = _AUTHOR_DATE_RE.match(text)
    if m:  # 2, author–date: the names, then (year), then title and publisher
        _, title, after = _cut_title("Authors. " + m.group("rest"))
        return Citation(_split_authors(m.group("authors")), title, _clean_publisher(after), int(m["year"]))
    year, text = _cut_year(text)  # 2
    before, title, after = _cut_title(text)  # 3
    return Citation(_split_authors(before), title, _clean_publisher(after), year)  # 4, 5


def _cut_year(text: str) -> tuple[int | None, str]:
    """The entry's year and the entry without it."""
    m = _YEAR_END_RE.search(text)
    if m:
        return int(m.group("year")), text[: m.start()].rstrip(_EDGE + ".(")
    m = _YEAR_PAREN_RE.search(text)
    if m:
        return int(m.group("year")), (text[: m.start()] + text[m.end() :]).strip()
    return None, text


def _cut_title(text: str) -> tuple[str, str | None, str]:
    """(authors part, title, publisher part)."""
    m = _TITLE_RE.search(text)
    if m:
        title = m.group("it") or m.group("dq") or m.group("cq") or ""
        return text[: m.start()], _clean_title(title), text[m.end() :]
    segments = [s for s in _PERIOD_SPLIT_RE.split(text) if s.strip()]
    joiner = ". "
    if len(segments) < 2:
        segments = [s for s in text.split(", ") if s.strip()]
        joiner = ", "
    if len(segments) < 2:
        return "", _clean_title(text), ""
    return segments[0], _clean_title(segments[1]), joiner.join(segments[2:])


def _clean_title(title: str) -> str | None:
    title = _QUOTE_RUN_RE.sub("", title).strip(_EDGE)
    if title.endswith(".") and not title.endswith("..."):
        title = title[:-1].rstrip()
    return title or None


def _clean_publisher(part: str) -> str | None:
    part = part.strip(_EDGE + ".")
    return part or None


def _split_authors(part: str) -> tuple[str, ...]:
    part = _ETAL_RE.sub("", _EDITOR_RE.sub("", part)).strip(_EDGE)
    if part.endswith(".") and not re.search(r"\b\w\.$", part):
        part = part[:-1]
    authors: list[str] = []
    for group in part.split(";"):
        for name in _AND_RE.split(group):
            authors.extend(_split_commas(name))
    return tuple(a for a in (x.strip(_EDGE) for x in authors) if a)


def _single_word(s: str) -> bool:
    """One word, or a run of initials (``J. R.``)."""
    return len(s.split()) == 1 or all(len(t) <= 2 and t.endswith(".") for t in s.split())


def _split_commas(name: str) -> list[str]:
    parts = [p.strip() for p in name.split(",") if p.strip()]
    if len(parts) <= 1:
        return parts
    if len(parts) == 2 and len(parts[0].split()) == 1:
        return [f"{parts[0]}, {parts[1]}"]  # Surname, Given
    if len(parts) % 2 == 0 and all(_single_word(p) for p in parts):
        return [f"{parts[i]}, {parts[i + 1]}" for i in range(0, len(parts), 2)]
    return parts
