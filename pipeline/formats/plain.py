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

from pipeline.formats.chrome import FURNITURE, category_line, edit_heading
from pipeline.formats.lines import Line, split_lines
from pipeline.normalise.text import clean_value
from pipeline.records import Category, Dropped, Notice, Parsed, Section, Span

FORMAT = "plain"
LONG_LINE = 20_000
TITLE_MAX_CHARS = 120
HEADING_MAX_WORDS = 8


OpenSection = tuple[str | None, Span | None, int, list[list[str]], list[Span]]
"""A section being read: (heading, heading span, start, paragraphs of cleaned pieces, source pieces)."""


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
    sections: list[OpenSection] = [
        (title, title_span, lines[0].start, [[]], [title_span] if title_span else [])
    ]
    previous_end = None
    for line in lines[1 if title else 0 :]:
        stripped = line.text.strip()
        span = line.stripped_span
        if FURNITURE.fullmatch(stripped):  # 2
            dropped.append(Dropped(span, stripped, "page-furniture"))
            continue
        found = category_line(line)  # 3
        if found is not None:
            categories.extend(found[0])
            dropped.extend(found[1])
            continue
        heading = edit_heading(stripped)
        if heading and len(heading[0].split()) <= HEADING_MAX_WORDS:  # 4
            name, h_start, h_end, e_start, e_end = heading
            h_span = Span(span.start + h_start, span.start + h_end)
            dropped.append(
                Dropped(Span(span.start + e_start, span.start + e_end), stripped[e_start:e_end], "edit-link")
            )
            sections.append((name, h_span, span.start, [[]], [h_span]))
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
    out = build_sections(sections, lines[-1].end)
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


def build_sections(sections: list[OpenSection], doc_end: int) -> tuple[Section, ...]:
    """The sections read line by line: the first is the lead (level 1), the others level 2 under it."""
    ends = [s[2] for s in sections[1:]] + [doc_end]
    return tuple(
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


def _last_end(pieces: list[Span], start: int, limit: int) -> int:
    """End of a section: its last piece, or where the next section starts when it has none."""
    return max((p.end for p in pieces), default=min(start, limit))
