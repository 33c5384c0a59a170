"""Pure: read the *wiki fragment* layout (text scraped from a rendered wiki page) into structure.

What the layout means: the scraper broke the line before every hyperlink. A link
with a hover preview is ``anchor`` on its own line, then the preview (the
*gloss*: the linked page's lead, usually ending in `` ...`` or a lone ``...``,
sometimes with a heading of the linked page and several lines, sometimes cut with
no terminator), then the sentence goes on on the next line. A link with no
preview is the start of a line whose text simply continues (``Mosty, in
present-day``). After the body come end-matter headings, ``*`` bibliography
lines, ``{{DEFAULTSORT:key`` (closed or not) and bare category lines.

Stages (numbers repeated as comments in the code) and the evidence each uses:

1. Lines: split on ``\\r\\n``/``\\r``/``\\n``; blank lines are dropped (they carry no
   structure here); each line keeps the span of its stripped text.
2. Page furniture at the end.
   a. The last ``{{DEFAULTSORT:key`` line gives ``sort_key`` (the key only; the
      ``{{DEFAULTSORT:`` and ``}}`` markup → ``dropped``/``defaultsort-markup``);
      every later line is a category (``category-suspect`` when it does not look
      like one).
   b. Before that point (or the end), the trailing run of *category-shaped* lines
      (short, no sentence punctuation at the end, no ``*``/``''``/``...``) that
      follows the last end-matter heading is categories when there is no
      DEFAULTSORT and that heading lists citations (not one of
      ``NAME_LIST_HEADINGS``: See also, External links, Works…); otherwise only
      when the run holds a ``… births``/``… deaths`` line (a list of works or of
      see-also names looks the same as a list of categories, and with a
      DEFAULTSORT the categories follow it).
   c. ``NNN births`` / ``NNNN deaths`` → kind with the year; any other ``… births``
      / ``… deaths`` (``4th-century BC births``, ``1890s births``) → the kind with
      year ``None`` (the text states no single year); the rest → ``other``.
3. One forward pass over the remaining lines; the first test that holds wins:
   a. a whole-line ``{{template}}`` (closed or not) → ``dropped``/``template-markup``;
   b. anchor with gloss (stage 4) → a ``Link``; the anchor rejoins the text;
   c. end-matter heading: the line (minus a trailing ``:``) is in the reviewed
      ``END_MATTER_HEADINGS`` list and the next line does not continue a sentence
      (``,``/lowercase start) → a new level-2 section, parent 0;
   d. body heading (``Early life``), in a body section: a *heading-shaped* line (at
      most ``MAX_HEADING_WORDS`` words, from a capital, anchor-shaped, no ``, . ; : ! ?``
      anywhere, not a date by ``parse_date``) between a line that ended a sentence and
      a line that opens one with a capital (a digit may open a preview-less link:
      ``Following the`` / ``1921 famine, he``), where that next line is prose: it ends
      a sentence, or is not heading-shaped, or its sentence runs on into a link (the
      line after it resumes, or is an anchor whose gloss is followed by a resumption).
      A column of short lines (a navigation box) has no prose after its first line.
      Not right after a gloss (the sentence the anchor broke has to resume first; a
      heading there is the linked page's own, see stage 4) and not when stage 3b
      reads the line as an anchor. → a new level-2 section, parent 0, kind body;
   e. a lone ``...`` → ``dropped``/``orphan-ellipsis``;
   f. a ``*`` (or ``#``) line: in a bibliographic section it opens an entry; in
      any other section it is a list item; the marker → ``dropped``/``list-bullet``
      (a bullet with nothing after it → ``empty-bullet``);
   g. anchor without gloss: an anchor-shaped line of at most
      ``MAX_GLOSSLESS_WORDS`` words whose next line starts with ``, . ; : ) ! ?``
      (the sentence resumes right after it) → a ``Link`` with ``gloss`` None;
   h. anything else is a text line. A line that starts mid-sentence after another
      text line probably begins with a preview-less link (``Mosty, in
      present-day``), but its extent is not stated, so no ``Link`` is invented.
   Items: in an end-matter section every line belongs to an item (in a
   bibliographic section, an entry). Under a ``*`` item a line without ``*``
   continues it (the layout breaks lines inside an entry only at links); with no
   ``*`` a line continues the open item only when it starts with ``,``-like
   punctuation or lowercase, or is an anchor following a text piece that has not
   ended a sentence; otherwise it opens a new item. A ``*`` item in the body
   continues by the same no-``*`` rule, then running text resumes.
4. Anchor + gloss. An *anchor-shaped* line (≤ ``MAX_ANCHOR_CHARS`` characters and
   ≤ ``MAX_ANCHOR_WORDS`` words, no sentence punctuation at its end, no second
   sentence inside, not a bullet/template/ellipsis) followed by a *lead-shaped*
   line (starts with a capital or caseless letter, a digit or a quote, and either
   ends with ``...``/``…`` or has ``(`` or `` is ``/`` was ``/`` are ``/`` were ``/
   `` – `` within ``LEAD_WINDOW`` characters with no sentence end before it).
   The gloss then runs to the first line ending with ``...`` (or a lone ``...``),
   scanning while: the lines stay within ``MAX_GLOSS_CHARS`` (previews are
   bounded: ≈ 250 characters in the layout, the first line alone is exempt), no
   line starts with continuation punctuation or ``*``/``{{``, and no new anchor +
   gloss pair begins after a line that did not end a sentence (a heading inside a
   preview follows a finished sentence; a new link interrupts one). With no
   terminator the gloss is its first line, accepted only if that line fits
   ``MAX_GLOSS_CHARS`` and: the line before the anchor does not end a sentence (the
   link interrupts it), or the gloss ends a sentence and the next line *resumes*
   (starts with continuation punctuation or lowercase: after a finished sentence only
   the sentence the anchor opened can go on so), or its first ``LEAD_SUBJECT_WORDS``
   words share a word stem with the anchor (a lead names its subject first). It runs
   on over a heading of the linked page (heading-shaped line, a sentence, then a
   resuming line, within ``MAX_GLOSS_CHARS``). It gets ``gloss-end-uncertain`` unless
   the next line resumes. ``gloss_pairs`` counts the pairs followed by a resuming
   line: the layout cue ``pipeline.detect`` scores.
   ``gloss`` = the gloss lines joined by single spaces minus the trailing
   ``...``; ``gloss_truncated`` = it ended in ``...`` or does not end a sentence;
   ``gloss_span`` covers the dots.
5. Text. Each body line or anchor is one piece; its text is cleaned by
   ``clean_value`` (wiki quotes, empty parentheses; logged in ``dropped``).
   Pieces join with one space; none before ``, . ; : ) ! ?`` or ``'s``, none after
   ``(``. Paragraph break ``\\n\\n``: between two *adjacent text lines* (nothing
   between them) when the first ends a sentence and the second starts with a
   capital, digit or quote (an anchor never starts a paragraph: the layout breaks
   before every anchor anyway). A heading-like line that stage 3d did not take (a
   navigation-box entry: short, no sentence end, after a paragraph break and before a
   capital) becomes a paragraph of its own. List items and bibliography entries go on
   their own line (``\\n``). Section 0 is everything before the first heading (3c/3d).
6. Bibliography entries: ``raw`` = the entry's pieces joined as in stage 5 without
   cleaning (glosses and the ``*`` out); citation parts from ``parse_citation``;
   the span runs from the ``*`` to the end of the entry's last line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.extract.bibliography import parse_citation
from pipeline.normalise.dates import parse_date
from pipeline.normalise.text import clean_value, nfc
from pipeline.records import BibEntry, Category, Dropped, Link, Notice, Parsed, Section, Span

FORMAT = "wiki_fragment"

# Reviewed list of end-matter headings (casefolded); every one opens a level-2 section.
END_MATTER_HEADINGS: frozenset[str] = frozenset(
    {
        "see also",
        "further reading",
        "references",
        "external links",
        "notes",
        "bibliography",
        "sources",
        "works",
        "literature",
        "citations",
        "footnotes",
        "notes and references",
        "references and notes",
        "selected works",
        "publications",
    }
)
# End-matter sections whose items are links, not citations.
LINK_LIST_HEADINGS: frozenset[str] = frozenset({"see also", "external links"})
# Sections whose bare lines look just like category names (titles, page names).
NAME_LIST_HEADINGS: frozenset[str] = LINK_LIST_HEADINGS | {"works", "selected works", "publications"}

MAX_ANCHOR_CHARS = 80
MAX_ANCHOR_WORDS = 10
MAX_GLOSSLESS_WORDS = 6
MAX_HEADING_WORDS = 5
MAX_GLOSS_CHARS = 320  # previews in the layout are ≈ 250 characters with their " ..."
LEAD_WINDOW = 120
LEAD_SUBJECT_WORDS = 2  # a lead's first words name its subject ("Tula is", "The Cheka was")
MAX_CATEGORY_CHARS = 120
MAX_CATEGORY_WORDS = 15

_LINE_RE = re.compile(r"[^\r\n]+")
_CLEANABLE_RE = re.compile(r"''|\(\s*[,;)]|[,;]\s*\)|\[|\^")  # what clean_value's steps 0-3 can remove
_ELLIPSES = ("...", "…")
_ELLIPSIS_LINE_RE = re.compile(r"^(?:\.{3,}|…)$")
_CONTINUATION_CHARS = frozenset(",.;:)!?]")
_NO_SPACE_BEFORE = frozenset(",.;:)!?")
_POSSESSIVE_RE = re.compile(r"^['’]s\b")
_CLOSERS = "\"'”’»)]"
_SENTENCE_END = frozenset(".!?")
_OPENERS = frozenset("\"“«'‘¿¡")
_SECOND_SENTENCE_RE = re.compile(r"(?:[^\W\d_][^\W\d_A-Z]|\d)[.!?]\s+\S")
_LEAD_MARKER_RE = re.compile(r"[(（]| (?:is|was|are|were|refers to|may refer to)\b| [–—-] ")
_ABBREVIATION_END_RE = re.compile(r"(?:\b[A-Z]\.)+$|\b(?:Jr|Sr|St|Inc|Co|Ltd)\.$")
_BULLET_RE = re.compile(r"^[*#]+\s*")
_TEMPLATE_LINE_RE = re.compile(r"^\{\{[^{}]*\}?\}?$")
_DEFAULTSORT_RE = re.compile(
    r"^(?P<open>\{\{\s*DEFAULTSORT(?:KEY)?\s*:\s*)(?P<key>[^{}]*?)\s*(?P<close>\}\}?.*)?$", re.IGNORECASE
)
_BIRTHS_DEATHS_RE = re.compile(r"^(?:(?P<year>\d{3,4})|\S.*?)\s+(?P<kind>births|deaths)$", re.IGNORECASE)
_SPACE_BEFORE_PUNCT_RE = re.compile(r" +(?=[,.;:)!?])")
_SPACE_AFTER_OPEN_RE = re.compile(r"(?<=\() +")
_WORD_RE = re.compile(r"[^\W\d_]{3,}")
_HEADING_PUNCT_RE = re.compile(r"[,.;:!?]")


@dataclass(frozen=True, slots=True)
class _Line:
    start: int
    end: int
    text: str  # stripped

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)


@dataclass(slots=True)
class _Piece:
    text: str  # cleaned, for section text
    raw: str  # as read, whitespace collapsed, for bibliography raw
    span: Span
    line_no: int
    is_anchor: bool
    item_no: int  # 0: running text; n > 0: the n-th list item / entry of the section


@dataclass(slots=True)
class _OpenSection:
    section_no: int
    heading: str | None
    heading_span: Span | None
    start: int
    end: int
    kind: str  # body | bibliography | links
    pieces: list[_Piece] = field(default_factory=list)
    n_items: int = 0


@dataclass(slots=True)
class _OpenItem:
    """A list item or bibliography entry being read."""

    start: int
    end: int
    bulleted: bool
    marker: Span | None
    item_no: int
    is_entry: bool  # becomes a BibEntry
    pieces: list[_Piece] = field(default_factory=list)


@dataclass
class _Builder:
    """Mutable accumulator used only inside ``parse``."""

    text: str
    sections: list[Section] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    bibliography: list[BibEntry] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)
    warnings: list[Notice] = field(default_factory=list)
    section: _OpenSection | None = None
    item: _OpenItem | None = None

    def drop(self, span: Span, rule: str) -> None:
        self.dropped.append(Dropped(span, self.text[span.start : span.end], rule))


# ---------------------------------------------------------------- line shapes


def _lines(text: str) -> list[_Line]:
    """Non-blank lines (CRLF, CR or LF endings), each with its stripped span."""
    out: list[_Line] = []
    for m in _LINE_RE.finditer(text):
        raw = m.group()
        stripped = raw.strip()
        if stripped:
            start = m.start() + (len(raw) - len(raw.lstrip()))
            out.append(_Line(start, start + len(stripped), stripped))
    return out


def _clean(text: str, offset: int) -> tuple[str, list[Dropped]]:
    """``clean_value`` where there is markup it could remove; a cheap equivalent elsewhere."""
    if _CLEANABLE_RE.search(text):
        return clean_value(text, offset)
    return nfc(" ".join(text.split())), []


def _ends_with_ellipsis(s: str) -> bool:
    return s.endswith(_ELLIPSES)


def _is_ellipsis_line(s: str) -> bool:
    return bool(_ELLIPSIS_LINE_RE.match(s))


def _is_breaker(s: str) -> bool:
    """A line that can only continue a sentence begun before it."""
    return s[0] in _CONTINUATION_CHARS and not _is_ellipsis_line(s)


def _resumes(s: str) -> bool:
    """A line that goes on with a sentence begun before it: continuation punctuation or lowercase."""
    return _is_breaker(s) or _is_lower(s[0])


def _ends_sentence(s: str) -> bool:
    core = s.rstrip(_CLOSERS)
    return bool(core) and core[-1] in _SENTENCE_END and not _ends_with_ellipsis(core)


def _is_lower(c: str) -> bool:
    """A lowercase letter of a script with capitals: one a sentence start would change.

    Georgian Mkhedruli and caseless scripts (CJK…) title-case to themselves, so they
    count as capitals, as sentence starts should.
    """
    return c.title() != c


def _capital(c: str) -> bool:
    return c.isalpha() and not _is_lower(c)


def _starts_sentence(s: str) -> bool:
    c = s[0]
    return _capital(c) or c.isdigit() or (c in _OPENERS and len(s) > 1 and _capital(s[1]))


def _opens_sentence(s: str) -> bool:
    """Starts with a capital (after an opening quote): a digit may open a preview-less link instead."""
    return _capital(s[0]) or (s[0] in _OPENERS and len(s) > 1 and _capital(s[1]))


def _starts_like_lead(s: str) -> bool:
    c = s[0]
    return _capital(c) or c.isdigit() or c in _OPENERS


def _anchor_shaped(s: str) -> bool:
    """Short, a name or a term: no sentence punctuation at its end, no second sentence."""
    if len(s) > MAX_ANCHOR_CHARS or len(s.split()) > MAX_ANCHOR_WORDS:
        return False
    if s[0] in _CONTINUATION_CHARS or s[0] in "*#{" or _ends_with_ellipsis(s):
        return False
    last = s.rstrip(_CLOSERS)[-1:] or s[-1]
    if last in ",;:!?":
        return False
    if last == "." and not _ABBREVIATION_END_RE.search(s.rstrip(_CLOSERS)):
        return False
    return not _SECOND_SENTENCE_RE.search(s)


def _lead_shaped(s: str) -> bool:
    """The first line of a page preview: a lead sentence about its own subject."""
    if not _starts_like_lead(s):
        return False
    if _ends_with_ellipsis(s):
        return True
    m = _LEAD_MARKER_RE.search(s, 0, LEAD_WINDOW)
    if m is None:
        return False
    return not _SECOND_SENTENCE_RE.search(s, 0, m.start())


def _heading_shaped(s: str) -> bool:
    """A bare heading line: a few words from a capital, no punctuation inside or at the end, not a date."""
    return (
        len(s.split()) <= MAX_HEADING_WORDS
        and _capital(s[0])
        and _anchor_shaped(s)
        and not _HEADING_PUNCT_RE.search(s)
        and parse_date(s) is None
    )


def _shares_stem(anchor: str, gloss: str) -> bool:
    """The gloss opens with a word stem of the anchor: a lead names its own subject first."""
    opening = " ".join(gloss.split()[:LEAD_SUBJECT_WORDS])
    stems = {w[:4].casefold() for w in _WORD_RE.findall(anchor)}
    return any(w[:4].casefold() in stems for w in _WORD_RE.findall(opening))


def _heading_key(s: str) -> str:
    return s.rstrip(":").strip().casefold()


def _category_shaped(s: str) -> bool:
    if len(s) > MAX_CATEGORY_CHARS or len(s.split()) > MAX_CATEGORY_WORDS:
        return False
    if s[0] in "*#{[(" or s[0] in _CONTINUATION_CHARS or "''" in s or _ends_with_ellipsis(s):
        return False
    return s[-1] not in ".,;:" and not _SECOND_SENTENCE_RE.search(s)


# ---------------------------------------------------------------- stage 2: furniture


def _category(line: _Line) -> Category:
    m = _BIRTHS_DEATHS_RE.match(line.text)
    if m is None:
        return Category(line.text, "other", None, line.span)
    year = int(m.group("year")) if m.group("year") else None
    return Category(line.text, m.group("kind").casefold(), year, line.span)


def _defaultsort(lines: list[_Line], b: _Builder) -> tuple[int, str | None, Span | None]:
    """(index of the DEFAULTSORT line or len(lines), sort key, key span); markup dropped."""
    for i in range(len(lines) - 1, -1, -1):
        line = lines[i]
        if not line.text.startswith("{{"):
            continue
        m = _DEFAULTSORT_RE.match(line.text)
        if m is None:
            continue
        key = m.group("key")
        if not key:
            b.drop(line.span, "defaultsort-markup")
            return i, None, None
        key_span = Span(line.start + m.start("key"), line.start + m.end("key"))
        b.drop(Span(line.start, key_span.start), "defaultsort-markup")
        if m.group("close"):
            b.drop(Span(line.start + m.start("close"), line.end), "defaultsort-markup")
        return i, key, key_span
    return len(lines), None, None


def _category_run_start(lines: list[_Line], limit: int, has_defaultsort: bool) -> int:
    """Stage 2b: first line of the trailing category run before ``limit`` (``limit`` if none)."""
    last_heading = -1
    for i in range(limit):
        if _heading_key(lines[i].text) in END_MATTER_HEADINGS:
            last_heading = i
    start = limit
    while start - 1 > last_heading and _category_shaped(lines[start - 1].text):
        start -= 1
    if start == limit:
        return limit
    citations = last_heading >= 0 and _heading_key(lines[last_heading].text) not in NAME_LIST_HEADINGS
    if citations and not has_defaultsort:
        return start
    if any(_BIRTHS_DEATHS_RE.match(lines[k].text) for k in range(start, limit)):
        return start
    return limit


# ---------------------------------------------------------------- stage 4: glosses


def _scan_gloss(lines: list[_Line], first: int, limit: int) -> tuple[int, bool]:
    """(index of the gloss's last line, whether it ended in ``...``)."""
    total = 0
    for k in range(first, limit):
        s = lines[k].text
        if k > first:
            if _is_breaker(s) or s[0] in "*#" or s.startswith("{{"):
                break
            if (
                k + 1 < limit
                and not _ends_sentence(lines[k - 1].text)
                and _anchor_shaped(s)
                and _lead_shaped(lines[k + 1].text)
            ):
                break  # a new link interrupts the sentence before it
        total += len(s) + 1
        if k > first and total > MAX_GLOSS_CHARS:
            break
        if _ends_with_ellipsis(s):
            return k, True
    return first, False


def _gloss_after(lines: list[_Line], i: int, limit: int) -> tuple[int, bool] | None:
    """Stage 4: when line ``i`` is an anchor followed by a gloss, (gloss's last line, terminated)."""
    if i + 1 >= limit or not _anchor_shaped(lines[i].text) or not _lead_shaped(lines[i + 1].text):
        return None
    last, terminated = _scan_gloss(lines, i + 1, limit)
    if terminated:
        return last, True
    first = lines[i + 1].text
    if len(first) > MAX_GLOSS_CHARS:
        return None
    interrupts = i == 0 or not _ends_sentence(lines[i - 1].text)
    # after a finished sentence, a lowercase or ``,``-like line can only go on with a
    # sentence the anchor began: the complete preview between them is its gloss
    resumed = _ends_sentence(first) and i + 2 < limit and _resumes(lines[i + 2].text)
    if interrupts or resumed or _shares_stem(lines[i].text, first):
        return _unterminated_end(lines, i + 1, limit), False
    return None


def _unterminated_end(lines: list[_Line], first: int, limit: int) -> int:
    """Last line of a gloss with no terminator: its first line, or on over the preview's own headings.

    A heading of the linked page (``Early life``) after the preview's finished first
    sentence, a sentence under it, and then a line that resumes mid-sentence: in the
    page's body the sentence the anchor broke would have to resume before any heading,
    so the heading and its sentence are still the preview.
    """
    last = first
    total = len(lines[first].text)
    while (
        last + 3 < limit
        and _ends_sentence(lines[last].text)
        and _heading_shaped(lines[last + 1].text)
        and _starts_sentence(lines[last + 2].text)
        and _resumes(lines[last + 3].text)
    ):
        total += len(lines[last + 1].text) + len(lines[last + 2].text) + 2
        if total > MAX_GLOSS_CHARS:
            break
        last += 2
    return last


def _resumed_pair(lines: list[_Line], i: int, limit: int) -> tuple[int, bool] | None:
    """Stage 4 gloss after line ``i`` when the line after it resumes the sentence mid-way."""
    gloss = _gloss_after(lines, i, limit)
    if gloss is not None and gloss[0] + 1 < limit and _resumes(lines[gloss[0] + 1].text):
        return gloss
    return None


def gloss_pairs(text: str) -> int:
    """How many anchor + gloss pairs ``text`` holds whose sentence then resumes mid-way (a layout cue).

    An anchor-shaped line, its lead-shaped preview (stage 4) and a line going on with
    ``,``/``.``/``;`` or lowercase: the shape this layout gives a hovered link, whether or
    not the preview was cut with ``...`` and whatever end matter the page kept.
    """
    lines = _lines(text)
    n = len(lines)
    count = 0
    i = 0
    while i + 2 < n:
        gloss = _resumed_pair(lines, i, n)
        if gloss is not None:
            count += 1
            i = gloss[0] + 1
        else:
            i += 1
    return count


def _gloss_text(lines: list[_Line], first: int, last: int) -> str:
    joined = " ".join(lines[k].text for k in range(first, last + 1))
    for ellipsis in _ELLIPSES:
        if joined.endswith(ellipsis):
            return joined[: -len(ellipsis)].strip()
    return joined.strip()


# ---------------------------------------------------------------- stage 3/5: building


def _open_section(b: _Builder, heading: _Line | None, start: int, body: bool = False) -> None:
    _close_section(b)
    no = len(b.sections)
    if heading is None:
        b.section = _OpenSection(no, None, None, start, start, "body")
        return
    if body:
        kind = "body"
    elif _heading_key(heading.text) in LINK_LIST_HEADINGS:
        kind = "links"
    else:
        kind = "bibliography"
    b.section = _OpenSection(no, heading.text, heading.span, heading.start, heading.end, kind)


def _touch(b: _Builder, end: int) -> None:
    """Extend the open section (and item) over a consumed line."""
    assert b.section is not None
    b.section.end = max(b.section.end, end)
    if b.item is not None:
        b.item.end = max(b.item.end, end)


def _add_piece(b: _Builder, line_no: int, text: str, span: Span, is_anchor: bool) -> None:
    sec = b.section
    assert sec is not None
    cleaned, drops = _clean(text, span.start)
    b.dropped.extend(drops)
    item_no = b.item.item_no if b.item is not None else 0
    piece = _Piece(cleaned, " ".join(text.split()), span, line_no, is_anchor, item_no)
    if cleaned:
        sec.pieces.append(piece)
    if b.item is not None:
        b.item.pieces.append(piece)
    _touch(b, span.end)


def _join(pieces: list[_Piece], cleaned: bool) -> str:
    out: list[str] = []
    prev: _Piece | None = None
    prev_opens = False  # prev began a paragraph after a finished one
    for piece in pieces:
        text = piece.text if cleaned else piece.raw
        if not text:
            continue
        if prev is not None:
            sep = _separator(prev, piece, cleaned, prev_opens)
            out.append(sep)
            prev_opens = sep == "\n\n"
        out.append(text)
        prev = piece
    joined = "".join(out)
    if cleaned:
        joined = _SPACE_AFTER_OPEN_RE.sub("", _SPACE_BEFORE_PUNCT_RE.sub("", joined))
    return joined


def _heading_like(s: str) -> bool:
    """A short capitalised line with no sentence end: a heading when it stands alone."""
    return (
        len(s.split()) <= MAX_HEADING_WORDS and _capital(s[0]) and _anchor_shaped(s) and not _ends_sentence(s)
    )


def _separator(prev: _Piece, cur: _Piece, cleaned: bool, prev_opens: bool) -> str:
    a, c = (prev.text, cur.text) if cleaned else (prev.raw, cur.raw)
    if cur.item_no != prev.item_no:
        return "\n"
    if (
        cleaned
        and not prev.is_anchor
        and not cur.is_anchor
        and cur.line_no == prev.line_no + 1
        and _starts_sentence(c)
        and (_ends_sentence(a) or (prev_opens and _heading_like(a) and _opens_sentence(c)))
    ):
        return "\n\n"
    if c[0] in _NO_SPACE_BEFORE or _POSSESSIVE_RE.match(c) or a.endswith("("):
        return ""
    return " "


def _close_item(b: _Builder) -> None:
    item = b.item
    b.item = None
    if item is None:
        return
    has_text = any(p.raw for p in item.pieces)
    if item.marker is not None:
        b.drop(item.marker, "list-bullet" if has_text else "empty-bullet")
    if not has_text or not item.is_entry:
        return
    raw = _join(item.pieces, cleaned=False)
    c = parse_citation(raw)
    span = Span(item.start, item.end)
    b.bibliography.append(BibEntry(len(b.bibliography), c.authors, c.title, c.publisher, c.year, raw, span))


def _close_section(b: _Builder) -> None:
    _close_item(b)
    sec = b.section
    b.section = None
    if sec is None:
        return
    pieces = tuple(p.span for p in sec.pieces)
    if sec.heading_span is not None:
        pieces = (sec.heading_span, *pieces)
    b.sections.append(
        Section(
            sec.section_no,
            1 if sec.heading is None else 2,
            sec.heading,
            None if sec.heading is None else 0,
            _join(sec.pieces, cleaned=True),
            Span(sec.start, sec.end),
            pieces,
            sec.heading_span,
        )
    )


def _item_continues(item: _OpenItem, in_end_matter: bool, s: str, is_anchor: bool) -> bool:
    if (item.bulleted and in_end_matter) or not item.pieces:
        return True
    if _is_breaker(s) or _is_lower(s[0]):
        return True
    last = item.pieces[-1]
    return is_anchor and not last.is_anchor and not _ends_sentence(last.raw)


def _route(b: _Builder, line: _Line, is_anchor: bool) -> None:
    """Make the open item the one a non-bullet ``line`` belongs to (none for running body text)."""
    sec = b.section
    assert sec is not None
    in_end_matter = sec.kind != "body"
    if b.item is not None and _item_continues(b.item, in_end_matter, line.text, is_anchor):
        return
    _close_item(b)
    if in_end_matter:
        sec.n_items += 1
        b.item = _OpenItem(line.start, line.end, False, None, sec.n_items, sec.kind == "bibliography")


def _add_link(b: _Builder, lines: list[_Line], i: int, gloss: tuple[int, bool] | None) -> None:
    line = lines[i]
    _route(b, line, is_anchor=True)
    sec = b.section
    assert sec is not None
    if b.item is not None and b.item.is_entry:
        kind = "bibliography"
    elif sec.kind == "links" and _heading_key(sec.heading or "") == "see also":
        kind = "see_also"
    else:
        kind = "inline"
    text: str | None = None
    truncated = False
    gloss_span: Span | None = None
    if gloss is not None:
        last, terminated = gloss
        text = _gloss_text(lines, i + 1, last)
        truncated = terminated or not _ends_sentence(text)
        gloss_span = Span(lines[i + 1].start, lines[last].end)
        if not terminated and not (last + 1 < len(lines) and _resumes(lines[last + 1].text)):
            b.warnings.append(
                Notice(
                    "gloss-end-uncertain",
                    f"the preview after anchor {line.text!r} has no '...' terminator; "
                    "it was ended after its first line",
                    gloss_span,
                )
            )
    b.links.append(
        Link(len(b.links), sec.section_no, line.text, line.text, text, truncated, kind, line.span, gloss_span)
    )
    _add_piece(b, i, line.text, line.span, True)
    if gloss_span is not None:
        _touch(b, gloss_span.end)


def _bullet(b: _Builder, line: _Line, i: int) -> None:
    sec = b.section
    assert sec is not None
    m = _BULLET_RE.match(line.text)
    assert m is not None
    _close_item(b)
    sec.n_items += 1
    marker = Span(line.start, line.start + len(m.group().rstrip()))
    b.item = _OpenItem(line.start, line.end, True, marker, sec.n_items, sec.kind == "bibliography")
    if m.end() < len(line.text):
        _add_piece(b, i, line.text[m.end() :], Span(line.start + m.end(), line.end), False)
    else:
        _touch(b, line.end)


def _is_end_heading(lines: list[_Line], i: int, limit: int) -> bool:
    if _heading_key(lines[i].text) not in END_MATTER_HEADINGS:
        return False
    if i + 1 < limit:
        nxt = lines[i + 1].text
        if _is_breaker(nxt) or _is_lower(nxt[0]):
            return False
    return True


def _runs_on(lines: list[_Line], j: int, limit: int) -> bool:
    """Line ``j`` is running prose, not one entry of a column of short lines (a navigation box)."""
    s = lines[j].text
    if _ends_sentence(s) or not _heading_shaped(s):
        return True
    # a short line is prose when its sentence goes on into a link on the next line
    return j + 1 < limit and (_resumes(lines[j + 1].text) or _resumed_pair(lines, j + 1, limit) is not None)


def _is_body_heading(lines: list[_Line], i: int, limit: int) -> bool:
    """Stage 3d: a bare heading of the page's own body, between a finished sentence and a new one."""
    if i == 0 or i + 1 >= limit or not _heading_shaped(lines[i].text):
        return False
    if not _opens_sentence(lines[i + 1].text) or not _ends_sentence(lines[i - 1].text):
        return False
    return _runs_on(lines, i + 1, limit)


def _glossless_anchor(lines: list[_Line], i: int, limit: int) -> bool:
    s = lines[i].text
    return (
        i + 1 < limit
        and _anchor_shaped(s)
        and len(s.split()) <= MAX_GLOSSLESS_WORDS
        and _is_breaker(lines[i + 1].text)
    )


def _body(b: _Builder, lines: list[_Line], limit: int) -> None:
    """Stage 3: one forward pass over ``lines[:limit]``."""
    i = 0
    after_gloss = False  # the previous line ended a gloss: the sentence it broke has not resumed
    while i < limit:
        line = lines[i]
        s = line.text
        if _TEMPLATE_LINE_RE.match(s):  # 3a
            b.drop(line.span, "template-markup")
            _touch(b, line.end)
            i += 1
            continue
        gloss = _gloss_after(lines, i, limit)  # 3b
        if gloss is not None:
            _add_link(b, lines, i, gloss)
            i = gloss[0] + 1
            after_gloss = True
            continue
        sec = b.section
        assert sec is not None
        if _is_end_heading(lines, i, limit):  # 3c
            _open_section(b, line, line.start)
        elif sec.kind == "body" and not after_gloss and _is_body_heading(lines, i, limit):  # 3d
            _open_section(b, line, line.start, body=True)
        elif _is_ellipsis_line(s):  # 3e
            b.drop(line.span, "orphan-ellipsis")
            _touch(b, line.end)
        elif _BULLET_RE.match(s):  # 3f
            _bullet(b, line, i)
        elif _glossless_anchor(lines, i, limit):  # 3g
            _add_link(b, lines, i, None)
        else:  # 3h
            _route(b, line, is_anchor=False)
            _add_piece(b, i, s, line.span, False)
        after_gloss = False
        i += 1


def parse(text: str) -> Parsed:
    """Read one wiki-fragment document into sections, links, bibliography, categories and drops."""
    b = _Builder(text)
    lines = _lines(text)  # 1
    ds_index, sort_key, sort_key_span = _defaultsort(lines, b)  # 2a
    has_ds = ds_index < len(lines)
    limit = _category_run_start(lines, ds_index, has_ds)  # 2b
    category_lines = [*lines[limit:ds_index], *lines[ds_index + 1 :]]
    categories = tuple(_category(line) for line in category_lines)  # 2c
    for line in lines[ds_index + 1 :]:
        if not _category_shaped(line.text):
            b.warnings.append(
                Notice(
                    "category-suspect",
                    f"line after DEFAULTSORT does not look like a category: {line.text!r}",
                    line.span,
                )
            )
    _open_section(b, None, lines[0].start if lines else 0)
    _body(b, lines, limit)  # 3, 4; 5 and 6 as sections and entries close
    _close_section(b)
    return Parsed(
        format=FORMAT,
        evidence="",
        sections=tuple(b.sections),
        links=tuple(b.links),
        categories=categories,
        bibliography=tuple(b.bibliography),
        sort_key=sort_key,
        sort_key_span=sort_key_span,
        dropped=tuple(sorted(b.dropped, key=lambda d: (d.span.start, d.span.end))),
        warnings=tuple(b.warnings),
    )
