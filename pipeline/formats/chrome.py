"""Vocabulary of page chrome: what a rendered or mirrored wiki page carries that is not the article.

One home for the patterns the ``plain`` and ``rendered_page`` readers (and the
detector) share. Each pattern matches a whole stripped line or a marked piece of one;
what it matches goes to ``dropped`` under the rule named beside it.
"""

from __future__ import annotations

import re

from pipeline.formats.lines import Line
from pipeline.formats.wiki_markup import category_record
from pipeline.records import Category, Dropped, Span

FURNITURE = re.compile(
    r"(?:From (?:Wikipedia|Wikimedia Commons|[\w .-]{1,40}), the free encyclopedia"
    r"|Jump to (?:navigation|search|content|main content)"
    r"|Navigation menu|Main menu|Toggle the table of contents|Toggle (?:the )?[\w ]{1,40} subsection"
    r"|\(Redirected from [^)\n]{1,200}\)"
    r"|Retrieved from [\"“][^\"”\n]{1,500}[\"”]"
    r"|This page was last edited on [^\n]{1,200}"
    r"|(?:Text|Content) is available under [^\n]{1,500}"
    r"|This article (?:is licensed under|uses material from) [^\n]{1,500}"
    r"|Hidden categor(?:y|ies): [^\n]*)",
    re.IGNORECASE,
)
"""Reviewed whole-line page furniture of rendered wiki pages (never content): rule ``page-furniture``."""
FURNITURE_WORDS = (
    "free encyclopedia",
    "jump to",
    "retrieved from",
    "navigation menu",
    "main menu",
    "toggle",
    "redirected from",
    "last edited",
    "available under",
    "this article",
    "hidden categor",
)
"""A word every ``FURNITURE`` line holds, lower-cased: a text with none of them has no furniture."""

EDIT_HEADING = re.compile(
    r"^(?:(?P<pre>\[\s*edit(?: source)?\s*\])\s*(?P<after>[^\s\[].*?)"
    r"|(?P<before>[^\s\[].*?)\s*(?P<post>\[\s*edit(?: source)?\s*\]))$"
)
"""A rendered heading with its ``[edit]`` link, after it (today's skins) or before it (older ones)."""

TOC_HEADING = re.compile(r"^Contents(?:\s*\[\s*(?:hide|show)\s*\])?$", re.IGNORECASE)
TOC_ENTRY = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\s+\S.{0,80}$")
"""A table of contents: ``Contents`` then numbered entries (``1 Early life``, ``2.1 Exile``): rule
``table-of-contents``."""

EDITOR_NOTE = re.compile(r"^\*\(.{1,300}\)\*$|^\*[a-z(][^*]{0,300}\*$")
"""A whole line in Markdown emphasis that begins lower-case or with ``(``: an editor's aside to
themselves (``*(more to come)*``), not article text: rule ``editor-note``."""

TITLE_SUFFIX = re.compile(
    r"\s*(?:[-–—|:]\s*(?:Wikipedia|Wikiwand|biography|bio|profile|facts)\b.*|\s(?:Explained|Biography))$",
    re.IGNORECASE,
)
"""What a mirror appends to an article's title (``X Explained``, ``X - Wikipedia``, ``X : biography``)."""


def edit_heading(stripped: str) -> tuple[str, int, int, int, int] | None:
    """``(heading, heading_start, heading_end, edit_start, edit_end)`` of a rendered ``[edit]`` heading."""
    m = EDIT_HEADING.match(stripped)
    if m is None:
        return None
    if m["pre"] is not None:
        return m["after"], m.start("after"), m.end("after"), m.start("pre"), m.end("pre")
    return m["before"], m.start("before"), m.end("before"), m.start("post"), m.end("post")


_CATEGORIES = re.compile(r"(?P<label>Categor(?:y|ies)\s*:\s*)(?P<items>\S.*)$", re.IGNORECASE)


def category_line(line: Line) -> tuple[list[Category], list[Dropped]] | None:
    """``Categories: A | B`` → one category per item; the label and separators are ``category-markup``."""
    stripped = line.text.strip()
    m = _CATEGORIES.fullmatch(stripped)
    if m is None or ("|" not in m["items"] and m["items"].endswith(".")):
        return None
    base = line.stripped_span.start
    cats: list[Category] = []
    drops = [Dropped(Span(base, base + m.end("label")), m["label"], "category-markup")]
    pos = m.start("items")
    for part in re.finditer(r"[^|]+|\|", stripped[pos:]):
        start, end = base + pos + part.start(), base + pos + part.end()
        if part.group() == "|":
            drops.append(Dropped(Span(start, end), "|", "category-markup"))
            continue
        name = part.group().strip()
        if not name:
            continue
        lead = len(part.group()) - len(part.group().lstrip())
        span = Span(start + lead, start + lead + len(name))
        cats.append(category_record(name, span))
    return cats, drops
