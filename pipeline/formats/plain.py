"""Pure: best-effort reading of text in no known layout (mirror pages, other scrapes).

1. A short first line that is not a sentence is the title.
2. Page furniture a rendered wiki page leaves in a scrape (``From Wikipedia, the free
   encyclopedia``, ``Jump to navigation``, ``Retrieved from "…"``, ``Hidden categories:``…,
   the reviewed ``FURNITURE`` patterns) is logged in ``dropped`` as ``page-furniture``.
3. A ``Categories: A | B | C`` line gives one category per item (``NNNN births`` →
   births with the year); the label and the separators → ``dropped``/``category-markup``.
4. A line ending in the ``[edit]`` link of a rendered heading (``Early life[edit]``)
   opens a level-2 section; the link → ``dropped``/``edit-link``.
5. Blank lines separate paragraphs; every other non-blank line is prose of the open
   section. Inline wiki debris (``''``, empty parentheses, footnote markers) is cleaned
   and logged like everywhere else.
Nothing is dropped silently: every line becomes section text, a category or a drop.
"""

from __future__ import annotations

import re

from pipeline.formats.lines import Line, split_lines
from pipeline.formats.wiki_markup import category_record
from pipeline.normalise.text import clean_value
from pipeline.records import Category, Dropped, Notice, Parsed, Section, Span

FORMAT = "plain"
LONG_LINE = 20_000
TITLE_MAX_CHARS = 120
HEADING_MAX_WORDS = 8

FURNITURE = re.compile(
    r"(?:From (?:Wikipedia|Wikimedia Commons|[\w .-]{1,40}), the free encyclopedia"
    r"|Jump to (?:navigation|search|content|main content)"
    r"|Navigation menu|Main menu|Toggle the table of contents|Toggle (?:the )?[\w ]{1,40} subsection"
    r"|\(Redirected from [^)\n]{1,200}\)"
    r"|Retrieved from [\"“][^\"”\n]{1,500}[\"”]"
    r"|This page was last edited on [^\n]{1,200}"
    r"|Text is available under the Creative Commons [^\n]{1,500}"
    r"|Hidden categor(?:y|ies): [^\n]*)",
    re.IGNORECASE,
)
"""Reviewed whole-line page furniture of rendered wiki pages (never content)."""
_CATEGORIES = re.compile(r"(?P<label>Categor(?:y|ies)\s*:\s*)(?P<items>\S.*)$", re.IGNORECASE)
_EDIT_HEADING = re.compile(r"^(?P<heading>[^\s\[].*?)\s*(?P<edit>\[\s*edit(?: source)?\s*\])$")


def _categories(line: Line) -> tuple[list[Category], list[Dropped]] | None:
    """Stage 3: ``Categories: A | B`` → one category per item, the markup dropped."""
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


def _title(lines: list[Line]) -> tuple[str | None, Span | None]:
    first_text = lines[0].text.strip()
    if (
        len(lines) > 1
        and len(first_text) <= TITLE_MAX_CHARS
        and not first_text.endswith((".", ",", ";", ":"))
        and not FURNITURE.fullmatch(first_text)
    ):
        return first_text, lines[0].stripped_span
    return None, None


def parse(text: str) -> Parsed:
    lines = [line for line in split_lines(text) if not line.blank]
    if not lines:
        return Parsed(format=FORMAT, evidence="")
    title, title_span = _title(lines)  # 1
    dropped: list[Dropped] = []
    warnings: list[Notice] = []
    categories: list[Category] = []
    # (heading, heading_span, start, paragraphs, pieces) of each open section
    sections: list[tuple[str | None, Span | None, int, list[list[str]], list[Span]]] = [
        (title, title_span, lines[0].start, [[]], [title_span] if title_span else [])
    ]
    previous_end = None
    for line in lines[1 if title else 0 :]:
        stripped = line.text.strip()
        span = line.stripped_span
        if FURNITURE.fullmatch(stripped):  # 2
            dropped.append(Dropped(span, stripped, "page-furniture"))
            continue
        found = _categories(line)  # 3
        if found is not None:
            categories.extend(found[0])
            dropped.extend(found[1])
            continue
        heading = _EDIT_HEADING.match(stripped)
        if heading and len(heading["heading"].split()) <= HEADING_MAX_WORDS:  # 4
            h_span = Span(span.start, span.start + heading.end("heading"))
            dropped.append(
                Dropped(Span(span.start + heading.start("edit"), span.end), heading["edit"], "edit-link")
            )
            sections.append((heading["heading"], h_span, span.start, [[]], [h_span]))
            previous_end = None
            continue
        paragraphs, pieces = sections[-1][3], sections[-1][4]
        if previous_end is not None and text[previous_end : line.start].count("\n") > 1:  # 5
            paragraphs.append([])
        previous_end = line.end
        cleaned, drops = clean_value(stripped, span.start)
        dropped.extend(drops)
        if cleaned:
            paragraphs[-1].append(cleaned)
        pieces.append(span)
        if len(line.text) > LONG_LINE:
            warnings.append(Notice("long-line", f"a line of {len(line.text)} characters", line.span))
    ends = [s[2] for s in sections[1:]] + [lines[-1].end]
    out = tuple(
        Section(
            section_no=no,
            level=1 if no == 0 else 2,
            heading=heading,
            parent_no=None if no == 0 else 0,
            text="\n\n".join(" ".join(p) for p in paragraphs if p),
            span=Span(start, max(start, _last_end(pieces, start, end))),
            pieces=tuple(pieces),
            heading_span=h_span,
        )
        for no, ((heading, h_span, start, paragraphs, pieces), end) in enumerate(
            zip(sections, ends, strict=True)
        )
    )
    return Parsed(
        format=FORMAT,
        evidence="",
        title=title,
        title_span=title_span,
        sections=out,
        categories=tuple(categories),
        dropped=tuple(dropped),
        warnings=tuple(warnings),
    )


def _last_end(pieces: list[Span], start: int, limit: int) -> int:
    """End of a section: its last piece, or where the next section starts when it has none."""
    return max((p.end for p in pieces), default=min(start, limit))
