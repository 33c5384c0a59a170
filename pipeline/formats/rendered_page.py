"""Pure: read a *rendered page* copy (a mirror site's copy of a rendered wiki article) into structure.

What the layout means: someone saved the text of a page as a browser shows it. The
article sits inside the site's own chrome (a header, a menu, ``From Wikipedia, the
free encyclopedia``, a footer with ``Retrieved from`` and the licence); its title may be
repeated or suffixed by the mirror (``X Explained``); its infobox is flattened into
lines: ``Label | value |`` table rows, ``Label:value``, a label glued to its value
(``Born1757``, ``Died24 June 1798(1798-06-24) (aged 40–41)``) or a label line followed
by value lines; headings stand on their own lines, with or without the ``[edit]`` link.

Stages (numbers repeated as comments in the code):

1. Lines: split on ``\\r\\n``/``\\r``/``\\n``; blank lines separate blocks.
2. The lead: the first line that opens like an encyclopaedia lead: a capitalised name
   (in Markdown bold or not, footnote letters allowed) followed by ``(``, ``,`` or
   ``is``/``was``, in a line of prose (at least ``MIN_LEAD_CHARS`` characters, a verb
   ``is``/``was``/``were``/``are`` in it). With no such line there is no article to
   find: the caller falls back to another reader (see ``find_lead``).
3. The title: the first short line before the lead that opens with words of the
   lead's name (all of its leading words are name words); words the mirror added after
   them → ``dropped``/``title-suffix``. Lines before the title (or before the lead when
   there is none) are the site's header → ``dropped``/``site-chrome``.
4. The rendered infobox: between the title and the lead, and in any block of short
   lines after the lead, when at least one line is a labelled row (``box_row``). Each
   line is one ``infobox`` row; labels go through the alias table, unlabelled lines
   continue the open label. ``Born``/``Died`` fields (a label whose key is a birth or
   death date) are split by what each value line is: a date (``*_date``; the rendered
   ISO copy and the age that follow it stay in the row's span), a person's name
   (``birth_name``), or the place (``*_place``: consecutive place lines joined with a
   space, ``Feres, Ottoman Empire`` + ``(now Greece)``). A line in a non-Latin script
   right after the name row is the ``native_name``. Between the title and the lead,
   with no labelled row, the lines are chrome (``site-chrome``).
5. After the lead, line by line: page furniture (``page-furniture``; after an
   end marker such as ``Retrieved from`` every non-category line is ``site-chrome``),
   ``Categories:`` lines, a table of contents (``table-of-contents``), an editor's aside
   in Markdown emphasis (``editor-note``), an ``[edit]`` heading (``edit-link``), a bare
   heading (a short capitalised line with no sentence punctuation, standing alone after
   a finished sentence or a blank line, with text after it), and prose, cleaned by
   ``clean_value`` (Markdown bold, leaked wiki links, footnotes …); a list item (``-``,
   ``*``, ``•``, ``#``) is a paragraph of its own.
Nothing is dropped silently: every line becomes a title, an infobox row, section text,
a category or a drop.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

import regex

from pipeline.formats import plain
from pipeline.formats.chrome import (
    EDITOR_NOTE,
    FURNITURE,
    TOC_ENTRY,
    TOC_HEADING,
    category_line,
    edit_heading,
)
from pipeline.formats.lines import Line, split_lines
from pipeline.normalise.dates import find_dates
from pipeline.normalise.names import looks_like_person_name, script_of
from pipeline.normalise.text import FOOTNOTE_MARKER, clean_value, nfc, normalise_key
from pipeline.records import Category, Dropped, InfoboxEntry, Notice, Parsed, Span

FORMAT = "rendered_page"
MIN_LEAD_CHARS = 60
TITLE_MAX_WORDS = 10
HEADING_MAX_WORDS = 8
LABEL_MAX_WORDS = 4
LABEL_MAX_CHARS = 30
BOX_LINE_MAX_CHARS = 160
LONG_LINE = 20_000

_FOOTNOTE = rf"(?:{FOOTNOTE_MARKER})*"
_NAME_WORD = r"\p{Lu}[\p{L}\p{M}'’.-]*"
_LEAD = regex.compile(
    rf"(?P<bold>\*\*)?(?P<name>{_NAME_WORD}{_FOOTNOTE}"
    rf"(?:\s+(?:{_NAME_WORD}|al|el|ibn|bin|bint|de|da|di|du|van|von|der|of|la|le|y){_FOOTNOTE}){{0,7}})"
    r"(?(bold)\*\*)\s*(?:\(|,\s|\s(?:is|was|were|are)\s)"
)
_LEAD_VERB = regex.compile(r"\s(?:is|was|were|are)\s")
_WORD = regex.compile(r"[\p{L}\p{M}'’.-]+")
_FOOTNOTES = regex.compile(_FOOTNOTE)
_END_MARKERS = regex.compile(
    r"(?i)^(?:Retrieved from|This page was last edited|(?:Text|Content) is available)"
)
_SENTENCE_END = '.!?:;"”’)'
_BULLETS = "-*•#"
_PIPE_ONLY = regex.compile(r"^[|\s:-]*$")
_COLON_ROW = regex.compile(r"^(?P<label>\p{Lu}[\p{L}'’()/ -]{0,40}?):[ \t]*(?P<value>\S.*)$")
_GLUED_LABEL = re.compile(r"[A-Z][a-z]+(?:[ -][a-z]+){0,3}(?:\(s\))?")
"""A label glued to its value where the page's layout put a cell break: ``Born1757``, ``Spouse(s)Ana``
(the labels of the alias table are ASCII; the value's first letter may be in any script)."""
_DATE_KEYS = {"birth_date": "birth", "death_date": "death"}


@dataclass(frozen=True, slots=True)
class BoxRow:
    """A labelled row of a rendered infobox: the label as written and where its value starts."""

    label: str | None
    value_start: int  # offset of the value in the stripped line (len(line) when the label stands alone)


def lead_name(stripped: str) -> str | None:
    """The name a lead-shaped line opens with (footnotes out), or None when the line is no lead."""
    if len(stripped) < MIN_LEAD_CHARS or not _LEAD_VERB.search(stripped):
        return None
    m = _LEAD.match(stripped)
    return " ".join(_FOOTNOTES.sub("", m["name"]).split()) if m else None


def find_lead(lines: Iterable[Line]) -> tuple[int, str] | None:
    """Stage 2: index of the first lead-shaped line and the name it opens with."""
    for i, line in enumerate(lines):
        name = lead_name(line.text.strip())
        if name:
            return i, name
    return None


def box_row(stripped: str) -> BoxRow | None:
    """A labelled infobox row (pipe table, ``Label:value``, glued ``Born1757``, lone ``Born``), or None."""
    if stripped.endswith("|"):  # a rendered table row ends in its cell separator (a menu does not)
        cells = [c.strip() for c in stripped.split("|")]
        filled = [c for c in cells if c]
        if len(filled) >= 2:
            label = filled[0]
            return BoxRow(label, stripped.index("|", stripped.index(label) + len(label)) + 1)
        return BoxRow(None, stripped.index(filled[0]) if filled else 0)  # one cell: a row with no label
    m = _COLON_ROW.match(stripped) if ":" in stripped else None
    if m and len(m["label"].split()) <= LABEL_MAX_WORDS and not m["label"].endswith(" "):
        return BoxRow(m["label"], m.start("value"))
    if (
        len(stripped) <= LABEL_MAX_CHARS
        and len(stripped.split()) <= LABEL_MAX_WORDS
        and normalise_key(stripped)
    ):
        return BoxRow(stripped, len(stripped))
    m = _GLUED_LABEL.match(stripped)
    if m and m.end() < len(stripped):
        nxt = stripped[m.end()]
        if (nxt.isupper() or nxt.isdigit() or nxt == "(") and normalise_key(m.group()):
            return BoxRow(m.group(), m.end())
    return None


def _is_prose(stripped: str) -> bool:
    return len(stripped) > BOX_LINE_MAX_CHARS or (
        len(stripped.split()) >= 8 and stripped.endswith((".", "!", "?"))
    )


def _name_words(name: str) -> set[str]:
    return {nfc(w).casefold() for w in _WORD.findall(name)}


def _title(lines: list[Line], lead_at: int, lead_name: str) -> tuple[int, int] | None:
    """Stage 3: (line index, length of the title in the stripped line) of the title, if any."""
    words = _name_words(lead_name)
    for i in range(lead_at):
        stripped = lines[i].text.strip()
        if FURNITURE.fullmatch(stripped) or len(stripped.split()) > TITLE_MAX_WORDS:
            continue
        end = 0
        for m in _WORD.finditer(stripped):
            if nfc(m.group()).casefold() not in words or stripped[end : m.start()].strip():
                break
            end = m.end()
        if end:
            return i, end
    return None


@dataclass
class _Builder:
    text: str
    infobox: list[InfoboxEntry] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)
    categories: list[Category] = field(default_factory=list)
    warnings: list[Notice] = field(default_factory=list)
    sections: list[plain.OpenSection] = field(default_factory=list)

    def drop(self, line: Line, rule: str) -> None:
        span = line.stripped_span
        self.dropped.append(Dropped(span, span.of(self.text), rule))

    def entry(self, raw_key: str | None, key: str | None, span: Span, value_span: Span) -> None:
        """One infobox row; what ``clean_value`` removes from its value is logged, as in prose."""
        value, drops = clean_value(value_span.of(self.text), value_span.start)
        if value:
            self.infobox.append(InfoboxEntry(len(self.infobox), raw_key, key, value, span, value_span))
            self.dropped.extend(drops)
        else:
            self.dropped.append(Dropped(span, span.of(self.text), "table-markup"))


def _date_line(stripped: str) -> int | None:
    """End of the date a rendered ``Born``/``Died`` value line opens with, or None."""
    dates = find_dates(stripped)
    if dates and dates[0].start == 0:
        return dates[0].end
    return None


@dataclass
class _Field:
    """The open label of a rendered infobox and the place lines gathered under it."""

    label: str | None = None
    key: str | None = None
    named: bool = False
    place: list[tuple[Line, Span, bool]] = field(default_factory=list)  # (line, value, on the label's line)


def _read_box(b: _Builder, lines: list[Line]) -> None:
    """Stage 4: every line of a rendered infobox region becomes infobox rows."""
    open_ = _Field()
    previous_was_name = False
    for line in lines:
        if line.blank:
            continue
        stripped = line.text.strip()
        sp = line.stripped_span
        if FURNITURE.fullmatch(stripped) or _PIPE_ONLY.match(stripped):
            _flush_place(b, open_)  # a dropped line ends the run of place lines: they join only consecutive
            b.drop(line, "page-furniture" if FURNITURE.fullmatch(stripped) else "table-markup")
            continue
        row = box_row(stripped)
        labelled = row is not None and row.label is not None
        if labelled and row is not None:
            _flush_place(b, open_)
            open_ = _Field(row.label, normalise_key(row.label or ""))
        start = row.value_start if row is not None else 0
        value = stripped[start:].strip(" |")
        if not value:
            if labelled:  # a label standing alone: its values follow on the next lines
                b.infobox.append(
                    InfoboxEntry(len(b.infobox), open_.label, open_.key, "", line.span, Span(sp.end, sp.end))
                )
            else:
                _flush_place(b, open_)
                b.drop(line, "table-markup")
            continue
        value_start = sp.start + stripped.index(value, start)
        value_span = Span(value_start, value_start + len(value))
        if open_.key in _DATE_KEYS:
            _life_value(b, open_, line, value_span, labelled)
            continue
        is_name = not b.infobox and looks_like_person_name(value)
        key = open_.key
        if open_.label is None:
            non_latin = script_of(value) not in ("Latn", "Zyyy")
            key = "name" if is_name else "native_name" if previous_was_name and non_latin else None
        b.entry(open_.label if labelled else None, key, line.span, value_span)
        previous_was_name = is_name
    _flush_place(b, open_)


def _life_value(b: _Builder, open_: _Field, line: Line, value_span: Span, labelled: bool) -> None:
    """One value line of a ``Born``/``Died`` field: a date, the birth name, or a line of the place."""
    value = value_span.of(b.text)
    raw_key = open_.label if labelled else None
    date_end = _date_line(value)
    if date_end is not None:
        _flush_place(b, open_)
        date_span = Span(value_span.start, value_span.start + date_end)
        b.infobox.append(
            InfoboxEntry(len(b.infobox), raw_key, open_.key, nfc(date_span.of(b.text)), line.span, date_span)
        )
    elif open_.key == "birth_date" and not open_.named and not open_.place and looks_like_person_name(value):
        open_.named = True
        b.entry(raw_key, "birth_name", line.span, value_span)
    else:
        open_.place.append((line, value_span, labelled))


def _flush_place(b: _Builder, open_: _Field) -> None:
    """The place lines of a ``Born``/``Died`` field as one row, joined (``Feres`` + ``(now Greece)``)."""
    if open_.place and open_.key in _DATE_KEYS:
        first_line, first_value, on_label_line = open_.place[0]
        last_line, last_value, _ = open_.place[-1]
        key = f"{_DATE_KEYS[open_.key]}_place"
        raw_key = open_.label if on_label_line else None
        b.entry(raw_key, key, Span(first_line.start, last_line.end), Span(first_value.start, last_value.end))
    open_.place.clear()


def _is_heading(lines: list[Line], i: int) -> bool:
    """Stage 5: a bare heading line: short, capitalised, alone after a finished sentence, with text after it."""
    stripped = lines[i].text.strip()
    words = stripped.split()
    if not words or len(words) > HEADING_MAX_WORDS or not stripped[0].isupper():
        return False
    if stripped[-1] in ".,;:!?|" or "|" in stripped or ". " in stripped or box_row(stripped):
        return False
    before = lines[i - 1].text.strip() if i > 0 else ""
    if before and not before.endswith(tuple(_SENTENCE_END)):
        return False
    after = next((lines[j].text.strip() for j in range(i + 1, len(lines)) if not lines[j].blank), "")
    return bool(after) and (after[0].isupper() or after[0].isdigit() or after[0] in '-*•"“')


def _block_end(lines: list[Line], i: int) -> int:
    j = i
    while j < len(lines) and not lines[j].blank:
        j += 1
    return j


def _is_box_block(lines: list[Line]) -> bool:
    """A block of short lines with at least one labelled row, mostly not prose: a rendered infobox."""
    texts = [line.text.strip() for line in lines]
    labelled = sum(1 for t in texts if (r := box_row(t)) is not None and r.label is not None)
    return len(texts) >= 2 and labelled >= 1 and sum(_is_prose(t) for t in texts) * 2 < len(texts)


def parse(text: str) -> Parsed:
    lines = split_lines(text)  # 1
    found = find_lead(lines)  # 2
    if found is None:  # no article in the page: read it as plain text, under this layout's name
        return replace(plain.parse(text), format=FORMAT)
    lead_at, lead_name = found
    b = _Builder(text)
    title = title_span = None
    titled = _title(lines, lead_at, lead_name)  # 3
    first_article_line = lead_at
    if titled is not None:
        t_at, t_len = titled
        line = lines[t_at]
        sp = line.stripped_span
        title_span = Span(sp.start, sp.start + t_len)
        title = nfc(title_span.of(text))
        rest = text[title_span.end : sp.end]
        if rest.strip():
            start = title_span.end + len(rest) - len(rest.lstrip())
            b.dropped.append(Dropped(Span(start, sp.end), text[start : sp.end], "title-suffix"))
        first_article_line = t_at + 1
        for chrome in lines[:t_at]:
            if not chrome.blank:
                b.drop(
                    chrome, "page-furniture" if FURNITURE.fullmatch(chrome.text.strip()) else "site-chrome"
                )
    pre = lines[first_article_line:lead_at] if titled is not None else []
    if titled is None:
        for chrome in lines[:lead_at]:
            if not chrome.blank:
                b.drop(
                    chrome, "page-furniture" if FURNITURE.fullmatch(chrome.text.strip()) else "site-chrome"
                )
    elif any(
        (r := box_row(line.text.strip())) is not None and r.label is not None
        for line in pre
        if not line.blank
    ):
        _read_box(b, pre)  # 4
    else:
        for chrome in pre:
            if not chrome.blank:
                b.drop(
                    chrome, "page-furniture" if FURNITURE.fullmatch(chrome.text.strip()) else "site-chrome"
                )
    _read_body(b, lines, lead_at, title, title_span)  # 5
    return _assemble(b, title, title_span, lines)


def _read_body(
    b: _Builder, lines: list[Line], lead_at: int, title: str | None, title_span: Span | None
) -> None:
    text = b.text
    start = title_span.start if title_span else lines[lead_at].start  # the lead section opens at its title
    b.sections.append((title, title_span, start, [[]], [title_span] if title_span else []))
    previous_end: int | None = None
    ended = in_toc = after_item = False
    i = lead_at
    while i < len(lines):
        line = lines[i]
        if line.blank:
            i += 1
            continue
        stripped = line.text.strip()
        span = line.stripped_span
        if FURNITURE.fullmatch(stripped):
            b.drop(line, "page-furniture")
            ended = ended or bool(_END_MARKERS.match(stripped))
            i += 1
            continue
        cats = category_line(line)
        if cats is not None:
            b.categories.extend(cats[0])
            b.dropped.extend(cats[1])
            i += 1
            continue
        if ended:
            b.drop(line, "site-chrome")
            i += 1
            continue
        if TOC_HEADING.match(stripped) or (in_toc and TOC_ENTRY.match(stripped)):
            b.drop(line, "table-of-contents")
            in_toc = True
            i += 1
            continue
        in_toc = False
        if EDITOR_NOTE.match(stripped):
            b.drop(line, "editor-note")
            i += 1
            continue
        if i > lead_at:
            heading = edit_heading(stripped)
            if heading and len(heading[0].split()) <= HEADING_MAX_WORDS:
                name, h_start, h_end, e_start, e_end = heading
                h_span = Span(span.start + h_start, span.start + h_end)
                b.dropped.append(
                    Dropped(
                        Span(span.start + e_start, span.start + e_end), stripped[e_start:e_end], "edit-link"
                    )
                )
                b.sections.append((nfc(name), h_span, span.start, [[]], [h_span]))
                previous_end = None
                i += 1
                continue
            if i == 0 or lines[i - 1].blank:  # only where a block opens: each line is scanned once
                end = _block_end(lines, i)
                if _is_box_block(lines[i:end]):
                    _read_box(b, lines[i:end])
                    i = end
                    continue
            if _is_heading(lines, i):
                b.sections.append((nfc(stripped), span, span.start, [[]], [span]))
                previous_end = None
                i += 1
                continue
        paragraphs, pieces = b.sections[-1][3], b.sections[-1][4]
        is_item = stripped[:1] in _BULLETS
        blank_before = previous_end is not None and text[previous_end : line.start].count("\n") > 1
        if paragraphs[-1] and (blank_before or is_item or after_item):
            paragraphs.append([])  # a list item is a paragraph of its own, as in the other layouts
        previous_end, after_item = line.end, is_item
        cleaned, drops = clean_value(stripped, span.start)
        b.dropped.extend(drops)
        if cleaned:
            paragraphs[-1].append(cleaned)
        pieces.append(span)
        if len(line.text) > LONG_LINE:
            b.warnings.append(Notice("long-line", f"a line of {len(line.text)} characters", line.span))
        i += 1


def _assemble(b: _Builder, title: str | None, title_span: Span | None, lines: list[Line]) -> Parsed:
    sections = plain.build_sections(b.sections, lines[-1].end)
    return Parsed(
        format=FORMAT,
        evidence="",
        title=title,
        title_span=title_span,
        infobox=tuple(b.infobox),
        sections=sections,
        categories=tuple(b.categories),
        dropped=tuple(b.dropped),
        warnings=tuple(b.warnings),
    )
