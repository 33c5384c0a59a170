"""Pure: read the *wiki markup* layout into structure (Parsed).

Stages, in the order the body runs them:

1. Lines keep their offsets (``split_lines``); CRLF is fine.
2. Title: a first line ``= Title =`` (one ``=`` on each side) is the title and the
   heading of section 0 (the lead).
3. Name line: a short line right after the title that is neither a bullet nor a
   heading nor a sentence is the infobox's caption (``raw_key`` null, key ``name``).
4. Infobox: the run of ``- Key: value`` (or ``* Key: value``) bullets before the first
   paragraph. A bullet with no ``Key:`` is not an infobox fact.
5. Body: ``==`` … ``======`` headings (an ``[edit]`` link after one → ``dropped``) open sections (level = number of ``=``, parent =
   the nearest earlier section of lower level); blank lines separate paragraphs.
6. Bullets (``-``, ``*``, ``•``, ``#``, ``1.``) in the body: under an end-matter heading that
   lists works or citations (Further reading, Bibliography, References…) they are
   bibliography entries; under any other list heading (See also, Related…) each is a
   ``see_also`` link; elsewhere each is a line of prose of its own (never joined to the
   next). A table (``{|`` … ``|}``): the frame lines and cell markers → ``dropped``
   (``table-markup``); each row is one line, its cells joined by `` | ``.
7. Inline markup: ``[[Target|anchor]]`` links, ``[[Category:X]]``, ``{{DEFAULTSORT:X}}``,
   ``<ref>…</ref>``, other ``{{templates}}`` and HTML comments; the markup is logged in
   ``dropped`` and the prose keeps the anchor.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from pipeline.extract.bibliography import parse_citation
from pipeline.formats.lines import Line, split_lines
from pipeline.normalise.text import clean_value, normalise_key
from pipeline.records import (
    BibEntry,
    Category,
    Dropped,
    InfoboxEntry,
    Link,
    Notice,
    Parsed,
    Section,
    Span,
)

FORMAT = "wiki_markup"
BIBLIOGRAPHY_HEADINGS = frozenset(
    {
        "further reading",
        "bibliography",
        "works",
        "publications",
        "literature",
        "sources",
        "selected works",
        "references",
        "notes",
        "citations",
        "footnotes",
        "notes and references",
    }
)
LIST_OF_LINKS_HEADINGS = frozenset({"see also", "related", "related articles", "external links"})

_TITLE = re.compile(r"^\s*=(?!=)\s*(?P<title>[^=].*?)\s*=\s*$")
_HEADING = re.compile(r"^\s*(?P<marks>={2,6})\s*(?P<heading>[^=].*?)\s*(?P=marks)\s*(?P<edit>\[edit\])?\s*$")
_BULLET = re.compile(
    r"^\s*(?:[-*•#]+|\d{1,3}[.)](?=\s))\s*(?:\^(?=\s)\s*)?"
)  # "1. ^ Berg": the back-link too
_TABLE_FRAME = re.compile(r"^\s*(?:\{\||\|\}|\|-|\|\+)")
_TABLE_ROW = re.compile(r"^\s*[|!]")
_CELL_SEPARATOR = re.compile(r"^\s*[|!]|\|\||!!")
_KEY_VALUE = re.compile(r"^\s*[-*•]\s*(?P<key>[^:\n]{1,60}?)\s*:\s*(?P<value>.*?)\s*$")
_INLINE = re.compile(
    r"\[\[(?P<link>[^\[\]\n|]+)(?:\|(?P<anchor>[^\[\]\n]*))?\]\]"
    r"|\{\{DEFAULTSORT:(?P<sort>[^}\n]*)\}\}"
    r"|<ref[^>/]*/>|<ref[^>]*>.*?</ref>"
    r"|<!--.*?-->"
    r"|\{\{[^{}\n]*\}\}",
    re.DOTALL,
)
_CATEGORY_PREFIX = "category:"
_BIRTHS_DEATHS = re.compile(r"^(?P<year>\d{3,4}) (?P<kind>births|deaths)$")


@dataclass
class _Builder:
    """Mutable accumulator used only inside ``parse``."""

    sections: list[Section] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    categories: list[Category] = field(default_factory=list)
    bibliography: list[BibEntry] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)
    warnings: list[Notice] = field(default_factory=list)
    sort_key: str | None = None
    sort_key_span: Span | None = None


@dataclass
class _OpenSection:
    section_no: int
    level: int
    heading: str | None
    heading_span: Span | None
    parent_no: int | None
    start: int
    paragraphs: list[list[str]] = field(default_factory=list)
    pieces: list[Span] = field(default_factory=list)
    end: int = 0


def category_record(name: str, span: Span) -> Category:
    match = _BIRTHS_DEATHS.match(name)
    if match:
        return Category(name, match["kind"], int(match["year"]), span)
    return Category(name, "other", None, span)


def _inline(text: str, offset: int, section_no: int, b: _Builder) -> str:
    """Prose of one line with inline markup resolved; records links, categories, drops."""
    out: list[str] = []
    pos = 0

    def keep(start: int, end: int) -> None:
        if start < end:
            raw = text[start:end]
            cleaned, drops = clean_value(raw, offset + start)
            b.dropped.extend(drops)
            removed = [(d.span.start - offset - start, d.span.end - offset - start) for d in drops]
            opens, ends = _spaced_edges(raw, removed)
            lead = " " if opens else ""
            trail = " " if ends else ""
            if cleaned.strip():
                out.append(f"{lead}{cleaned}{trail}")
            else:  # all debris ("[3]" after a link) or whitespace: keep only a separating space
                out.append(" " if drops and (lead or trail) else "" if drops else raw)

    for match in _INLINE.finditer(text):
        keep(pos, match.start())
        pos = match.end()
        span = Span(offset + match.start(), offset + match.end())
        if match["link"] is not None:
            target = match["link"].strip()
            if target.lower().startswith(_CATEGORY_PREFIX):
                name = target[len(_CATEGORY_PREFIX) :].split("|")[0].strip()
                b.categories.append(category_record(name, span))
                continue
            anchor_group = "anchor" if match["anchor"] else "link"
            g_start, g_end = match.span(anchor_group)
            written = text[g_start:g_end]
            a_start = g_start + len(written) - len(written.lstrip())
            a_end = max(a_start, g_end - (len(written) - len(written.rstrip())))
            anchor = text[a_start:a_end]
            b.links.append(
                Link(
                    len(b.links),
                    section_no,
                    anchor,
                    target,
                    None,
                    False,
                    "inline",
                    Span(offset + a_start, offset + a_end),
                )
            )
            b.dropped.append(
                Dropped(Span(span.start, offset + g_start), text[match.start() : g_start], "link-markup")
            )
            b.dropped.append(
                Dropped(Span(offset + g_end, span.end), text[g_end : match.end()], "link-markup")
            )
            # ``[[ births]]``: the space inside the brackets still parts the anchor from the word before it
            out.append(f"{' ' if a_start > g_start else ''}{anchor}{' ' if a_end < g_end else ''}")
        elif match["sort"] is not None:
            s_start, s_end = match.span("sort")
            b.sort_key = match["sort"].strip()
            b.sort_key_span = Span(offset + s_start, offset + s_end)
            b.dropped.append(
                Dropped(
                    Span(span.start, offset + s_start), text[match.start() : s_start], "defaultsort-markup"
                )
            )
            b.dropped.append(
                Dropped(Span(offset + s_end, span.end), text[s_end : match.end()], "defaultsort-markup")
            )
        else:
            rule = (
                "reference"
                if match.group().startswith("<ref")
                else ("html-comment" if match.group().startswith("<!--") else "template")
            )
            b.dropped.append(Dropped(span, match.group(), rule))
    keep(pos, len(text))
    return re.sub(r"\s+", " ", "".join(out)).strip()


def _spaced_edges(raw: str, removed: list[tuple[int, int]]) -> tuple[bool, bool]:
    """Whether ``raw`` read without its ``removed`` stretches (sorted, disjoint) opens and ends with
    whitespace: ``'' from`` after a link reads `` from``, so the words stay apart."""
    first, last = 0, len(raw)
    for start, end in removed:
        if start <= first < end:
            first = end
    for start, end in reversed(removed):
        if start < last <= end:
            last = start
    return first < last and raw[first].isspace(), first < last and raw[last - 1].isspace()


def _read_header(
    lines: list[Line], b: _Builder
) -> tuple[int, str | None, Span | None, Span | None, list[InfoboxEntry]]:
    """Stages 2–4: title, name line and infobox; returns the index of the first body line."""
    i = 0
    while i < len(lines) and lines[i].blank:
        i += 1
    title = title_span = title_line_span = None
    if i < len(lines) and (m := _TITLE.match(lines[i].text)):
        title = m["title"]
        title_span = Span(lines[i].start + m.start("title"), lines[i].start + m.end("title"))
        title_line_span = lines[i].span
        i += 1
    infobox: list[InfoboxEntry] = []
    j = i
    while j < len(lines) and lines[j].blank:
        j += 1
    if title and j < len(lines) and _is_name_line(lines, j):
        sp = lines[j].stripped_span
        infobox.append(InfoboxEntry(0, None, "name", _src(lines[j], sp), lines[j].span, sp))
        j += 1
    while j < len(lines) and (m := _KEY_VALUE.match(lines[j].text)) and not _HEADING.match(lines[j].text):
        line = lines[j]
        raw_key = m["key"]
        value_span = Span(line.start + m.start("value"), line.start + m.end("value"))
        value, drops = clean_value(m["value"], value_span.start)
        b.dropped.extend(drops)
        infobox.append(
            InfoboxEntry(len(infobox), raw_key, normalise_key(raw_key), value, line.span, value_span)
        )
        j += 1
    first_body = j if infobox else i
    return first_body, title, title_span, title_line_span, infobox


def _src(line: Line, span: Span) -> str:
    return line.text[span.start - line.start : span.end - line.start]


def _is_name_line(lines: list[Line], j: int) -> bool:
    text = lines[j].text.strip()
    if _BULLET.match(text) or _HEADING.match(text) or len(text) > 80:
        return False
    if text.endswith((".", ",", ";", ":")) or len(text.split()) > 8:
        return False
    following = lines[j + 1] if j + 1 < len(lines) else None
    return (
        following is None
        or following.blank
        or bool(_KEY_VALUE.match(following.text))
        or _opens_with(following.text, text)
    )


def _opens_with(line: str, name: str) -> bool:
    """Whether ``line`` opens with the first word of ``name``: the lead right under its name line
    (``Jane Roe`` / ``Jane Mary Roe (1900 – 1970) was …``), never one paragraph with it."""
    first = name.split()[0] if name.split() else ""
    return bool(first) and line.lstrip().startswith(first) and len(line.split()) > len(name.split())


def parse(text: str) -> Parsed:
    """Structure of one wiki-markup document."""
    b = _Builder()
    lines = split_lines(text)
    first_body, title, title_span, title_line_span, infobox = _read_header(lines, b)
    lead_start = (
        title_line_span.start
        if title_line_span
        else (lines[first_body].start if first_body < len(lines) else 0)
    )
    current = _OpenSection(0, 1, title, title_span, None, lead_start)
    if title_line_span:
        current.pieces.append(title_line_span)
    # the header (title, name line, infobox) is the first section's even when a heading follows it at once
    current.end = lines[first_body - 1].end if first_body else lead_start
    open_sections: list[_OpenSection] = [current]
    ancestors: list[tuple[int, int]] = [(current.level, current.section_no)]  # levels rise bottom to top
    paragraph: list[str] = []

    def close_paragraph() -> None:
        if paragraph:
            current.paragraphs.append(list(paragraph))
            paragraph.clear()

    for line in lines[first_body:]:
        if line.blank:
            close_paragraph()
            continue
        heading = _HEADING.match(line.text)
        if heading:
            close_paragraph()
            level = len(heading["marks"])
            while ancestors and ancestors[-1][0] >= level:  # the latest section of a lower level stays
                ancestors.pop()
            parent = ancestors[-1][1] if ancestors else 0
            ancestors.append((level, len(open_sections)))
            h_span = Span(line.start + heading.start("heading"), line.start + heading.end("heading"))
            current = _OpenSection(len(open_sections), level, heading["heading"], h_span, parent, line.start)
            current.pieces.append(line.span)
            current.end = line.end
            open_sections.append(current)
            if heading["edit"]:  # the edit link a rendered page leaves after a heading
                e_span = Span(line.start + heading.start("edit"), line.start + heading.end("edit"))
                b.dropped.append(Dropped(e_span, heading["edit"], "edit-link"))
            continue
        current.end = line.end
        kind = (current.heading or "").strip().lower()
        if _BULLET.match(line.text) and kind in BIBLIOGRAPHY_HEADINGS:
            _bibliography_line(line, current.section_no, b)
        elif _BULLET.match(line.text) and kind in LIST_OF_LINKS_HEADINGS:
            _see_also_line(line, current.section_no, b)
        elif _TABLE_FRAME.match(line.text):  # a table's frame: {| … |- … |}
            close_paragraph()
            b.dropped.append(Dropped(line.stripped_span, line.text.strip(), "table-markup"))
        elif _TABLE_ROW.match(line.text) or _BULLET.match(
            line.text
        ):  # a table row or a list item: a line of its own
            close_paragraph()
            prose = _table_row(line, current.section_no, b) if _TABLE_ROW.match(line.text) else None
            prose = prose if prose is not None else _inline(line.text, line.start, current.section_no, b)
            if prose:
                current.paragraphs.append([prose])
            current.pieces.append(line.stripped_span)
        else:
            prose = _inline(line.text, line.start, current.section_no, b)
            if prose:
                paragraph.append(prose)
            current.pieces.append(line.stripped_span)
    close_paragraph()

    sections = tuple(
        Section(
            s.section_no,
            s.level,
            s.heading,
            s.parent_no,
            "\n\n".join(" ".join(p) for p in s.paragraphs),
            Span(s.start, max(s.end, s.start)),
            tuple(s.pieces),
            s.heading_span,
        )
        for s in open_sections
    )
    return Parsed(
        format=FORMAT,
        evidence="",
        title=title,
        title_span=title_span,
        infobox=tuple(infobox),
        sections=sections,
        links=tuple(b.links),
        categories=tuple(b.categories),
        bibliography=tuple(b.bibliography),
        sort_key=b.sort_key,
        sort_key_span=b.sort_key_span,
        dropped=tuple(b.dropped),
        warnings=tuple(b.warnings),
    )


def _table_row(line: Line, section_no: int, b: _Builder) -> str:
    """A table row's cells joined by `` | ``; the ``|``/``!``/``||``/``!!`` markers → ``dropped``."""
    cells: list[str] = []
    pos = 0
    for m in _CELL_SEPARATOR.finditer(line.text):
        if m.start() > pos:
            cells.append(_inline(line.text[pos : m.start()], line.start + pos, section_no, b))
        start, end = line.start + m.start() + (len(m.group()) - len(m.group().lstrip())), line.start + m.end()
        b.dropped.append(Dropped(Span(start, end), line.text[start - line.start : m.end()], "table-markup"))
        pos = m.end()
    cells.append(_inline(line.text[pos:], line.start + pos, section_no, b))
    return " | ".join(c for c in cells if c)


def _bullet_body(line: Line) -> tuple[str, int]:
    m = _BULLET.match(line.text)
    assert m is not None
    return line.text[m.end() :].rstrip(), line.start + m.end()


def _see_also_line(line: Line, section_no: int, b: _Builder) -> None:
    body, start = _bullet_body(line)
    if not body:
        b.dropped.append(Dropped(line.stripped_span, line.text.strip(), "empty-bullet"))
        return
    n_links = len(b.links)
    prose = _inline(body, start, section_no, b)
    if len(b.links) == n_links:  # a plain bullet: the whole text is the anchor and the target
        b.links.append(
            Link(
                len(b.links),
                section_no,
                prose,
                prose,
                None,
                False,
                "see_also",
                Span(start, start + len(body)),
            )
        )
    else:
        b.links[n_links:] = [replace(lk, kind="see_also") for lk in b.links[n_links:]]
    b.dropped.append(Dropped(Span(line.stripped_span.start, start), text_between(line, start), "list-bullet"))


def text_between(line: Line, start: int) -> str:
    return line.text[line.stripped_span.start - line.start : start - line.start]


def _bibliography_line(line: Line, section_no: int, b: _Builder) -> None:
    body, start = _bullet_body(line)
    if not body:
        b.dropped.append(Dropped(line.stripped_span, line.text.strip(), "empty-bullet"))
        return
    n_links = len(b.links)
    _inline(body, start, section_no, b)  # records the entry's links and drops its markup
    b.links[n_links:] = [replace(lk, kind="bibliography") for lk in b.links[n_links:]]
    citation = parse_citation(body)
    b.bibliography.append(
        BibEntry(
            len(b.bibliography),
            citation.authors,
            citation.title,
            citation.publisher,
            citation.year,
            body,
            line.stripped_span,
        )
    )
