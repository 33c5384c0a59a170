"""Pure: best-effort reading of text in no known layout (mirror pages, other scrapes).

1. A short first line that is not a sentence is the title.
2. Blank lines separate paragraphs; every non-blank line is prose of section 0.
3. Inline wiki debris (``''``, empty parentheses) is cleaned and logged like everywhere else.
Nothing is dropped silently: every line becomes part of the section's text.
"""

from __future__ import annotations

from pipeline.formats.lines import split_lines
from pipeline.normalise.text import clean_value
from pipeline.records import Dropped, Notice, Parsed, Section, Span

FORMAT = "plain"
LONG_LINE = 20_000
TITLE_MAX_CHARS = 120


def parse(text: str) -> Parsed:
    lines = [line for line in split_lines(text) if not line.blank]
    if not lines:
        return Parsed(format=FORMAT, evidence="")
    title = title_span = None
    first = lines[0]
    first_text = first.text.strip()
    if (
        len(lines) > 1
        and len(first_text) <= TITLE_MAX_CHARS
        and not first_text.endswith((".", ",", ";", ":"))
    ):
        title, title_span = first_text, first.stripped_span
    paragraphs: list[list[str]] = [[]]
    dropped: list[Dropped] = []
    warnings: list[Notice] = []
    previous_end = None
    for line in lines[1 if title else 0 :]:
        if previous_end is not None and text[previous_end : line.start].count("\n") > 1:
            paragraphs.append([])
        previous_end = line.end
        cleaned, drops = clean_value(line.text.strip(), line.stripped_span.start)
        dropped.extend(drops)
        if cleaned:
            paragraphs[-1].append(cleaned)
        if len(line.text) > LONG_LINE:
            warnings.append(Notice("long-line", f"a line of {len(line.text)} characters", line.span))
    body = "\n\n".join(" ".join(p) for p in paragraphs if p)
    section = Section(
        section_no=0,
        level=1,
        heading=title,
        parent_no=None,
        text=body,
        span=Span(lines[0].start, lines[-1].end),
        pieces=tuple(line.stripped_span for line in lines),
        heading_span=title_span,
    )
    return Parsed(
        format=FORMAT,
        evidence="",
        title=title,
        title_span=title_span,
        sections=(section,),
        dropped=tuple(dropped),
        warnings=tuple(warnings),
    )
