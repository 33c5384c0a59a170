"""Pure: decide a document's layout from its text, and say on what evidence.

Each layout has cues that follow from what the layout *is*, not from any sample:

- wiki markup: a ``= Title =`` first line, ``== Section ==`` headings, ``- Key: value``
  infobox bullets near the top, ``[[links]]``.
- rendered page (a mirror's copy of a page as a browser shows it): a lead sentence after
  lines of site chrome or a flattened infobox, page furniture (``From Wikipedia, the free
  encyclopedia``, ``Retrieved from``), ``[edit]`` links beside headings, infobox rows
  rendered as ``Label | value |``, ``Label:value`` or glued (``Born1757``), Markdown bold.
- wiki fragment (a rendered page scraped as text): hover-preview summaries cut with
  `` ...`` on their own lines, a ``{{DEFAULTSORT:`` left at the end, bare category
  lines such as ``1897 births``; and, counted only when the cheaper cues leave the
  decision open (it reads every line), anchor + gloss pairs: a short anchor line, a
  lead-shaped preview, then the sentence resuming mid-way, with or without ``...``.

A ``= Title =`` line is wiki source, which no browser shows: a document that opens with one
is never a rendered page (its cues are not even looked for). Line ends may be ``\n``, ``\r\n`` or ``\r``; a heading may carry the ``[edit]`` link a
rendered page leaves after it. The layout with the most cue points wins if it reaches ``MIN_SCORE``; otherwise
the document is ``plain``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.formats.chrome import FURNITURE, FURNITURE_WORDS, edit_heading
from pipeline.formats.lines import iter_lines, split_lines
from pipeline.formats.rendered_page import box_row, lead_name
from pipeline.formats.wiki_fragment import gloss_pairs

MIN_SCORE = 3
PAIR_POINTS = 4
_EDIT_LINK = re.compile(r"\[\s*edit")
BOX_SCAN_LINES = 40
"""Lines after the lead scanned for rendered infobox rows (a rendered infobox sits beside the lead)."""

_TITLE = re.compile(r"\A\s*(=)[^=\r\n].*?[^=\r\n]=[ \t]*\r?$", re.MULTILINE)
_HEADING = re.compile(r"^(={2,6})[^=\r\n].*?\1[ \t]*(?:\[edit\])?[ \t]*\r?$", re.MULTILINE)
_INFOBOX = re.compile(r"^[-•] ?[A-Z][\w .()/'-]{0,40}:[ \t]*\S", re.MULTILINE)
_WIKILINK = re.compile(r"\[\[[^\]\n]+\]\]")
_LINE_END_ELLIPSIS = re.compile(r"\.\.\.[ \t]*\r?$", re.MULTILINE)
"""The ``...`` that ends a line: a pattern opening with a fixed string, found at C speed."""
_DEFAULTSORT = re.compile(r"\{\{DEFAULTSORT:")
_CATEGORY_LINE = re.compile(r"^\d{1,4}s?(?: BC)? (?:births|deaths)[ \t]*\r?$", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Detection:
    format: str
    evidence: str
    scores: tuple[tuple[str, int], ...]


def _markup_cues(text: str, titled: bool) -> list[tuple[str, int]]:
    cues = []
    if titled:
        cues.append(("title line '= … ='", 3))
    headings = len(_HEADING.findall(text))
    if headings:
        cues.append((f"{headings} '==' heading(s)", min(headings, 3)))
    infobox = len(_INFOBOX.findall(text[:3000]))
    if infobox:
        cues.append((f"{infobox} infobox bullet(s)", min(infobox, 2)))
    links = len(_WIKILINK.findall(text))
    if links:
        cues.append((f"{links} [[link]](s)", min(links, 2)))
    return cues


def _cut_preview_lines(text: str) -> int:
    """How many lines end in `` ...`` or are ``...`` alone (blanks and a carriage return after it aside)."""
    return sum(
        1 for m in _LINE_END_ELLIPSIS.finditer(text) if m.start() == 0 or text[m.start() - 1] in " \n"
    )


def _fragment_cues(text: str) -> list[tuple[str, int]]:
    cues = []
    ellipses = _cut_preview_lines(text)
    if ellipses:
        cues.append((f"{ellipses} line(s) ending in ' ...' (cut hover previews)", min(ellipses, 4)))
    if _DEFAULTSORT.search(text):
        cues.append(("'{{DEFAULTSORT:' left in the text", 2))
    categories = len(_CATEGORY_LINE.findall(text))
    if categories:
        cues.append((f"{categories} bare category line(s) ('NNNN births')", min(categories, 2)))
    return cues


def _pair_cue(text: str) -> tuple[str, int] | None:
    """The costlier fragment cue: anchor + gloss pairs whose sentence resumes after the preview."""
    pairs = gloss_pairs(text)
    if not pairs:
        return None
    return f"{pairs} anchor + gloss pair(s) (short line, lead-shaped preview, sentence resumes)", min(
        2 * pairs, PAIR_POINTS
    )


def _head(text: str) -> tuple[list[str], int] | None:
    """The stripped lines up to ``BOX_SCAN_LINES`` past the first lead-shaped line, and its index."""
    head: list[str] = []
    lead_at = None
    for line in iter_lines(text):
        head.append(line.text.strip())
        if lead_at is None:
            lead_at = len(head) - 1 if lead_name(head[-1]) else None
        elif len(head) > lead_at + BOX_SCAN_LINES:
            break
    return None if lead_at is None else (head, lead_at)


def _rendered_cues(text: str) -> list[tuple[str, int]]:
    """Cues of a rendered page copy; none unless the page holds a lead sentence to read."""
    found = _head(text)
    if found is None:
        return []
    head, lead_at = found
    cues = []
    lowered = text.lower()
    if any(word in lowered for word in FURNITURE_WORDS) or _EDIT_LINK.search(text):  # else no line need be read
        every = [line.text.strip() for line in split_lines(text)]
        furniture = sum(1 for t in every if FURNITURE.fullmatch(t))
        if furniture:
            cue = f"{furniture} line(s) of page furniture ('From Wikipedia…', 'Retrieved from…')"
            cues.append((cue, min(furniture + 1, 3)))
        edits = sum(1 for t in every if "edit" in t and edit_heading(t))
        if edits:
            cues.append((f"{edits} heading(s) with an '[edit]' link", min(edits, 3)))
    rows = sum(1 for t in head if len(t) <= 80 and (r := box_row(t)) is not None and r.label)
    if rows:
        cues.append(
            (f"{rows} rendered infobox row(s) ('Label | value |', 'Label:value', 'Born1757')", min(rows, 3))
        )
    if head[lead_at].startswith("**"):
        cues.append(("the lead opens with the name in Markdown bold ('**Name** (…) was')", 3))
    before = sum(1 for t in head[:lead_at] if t)
    if before >= 2:
        points = 3 if before >= 3 else 2
        cues.append((f"the lead sentence after {before} line(s) of page chrome or infobox", points))
    return cues


def detect(text: str) -> Detection:
    """The layout of ``text`` with the evidence for the decision."""
    titled = _TITLE.search(text[:2000]) is not None
    candidates = {
        "wiki_markup": _markup_cues(text, titled),
        "wiki_fragment": _fragment_cues(text),
        "rendered_page": [] if titled else _rendered_cues(text),  # a browser never shows '= Title ='
    }
    scores = {name: sum(points for _, points in cues) for name, cues in candidates.items()}
    others = max(scores["wiki_markup"], scores["rendered_page"])
    needed = max(MIN_SCORE, others + 1)
    if scores["wiki_fragment"] < needed <= scores["wiki_fragment"] + PAIR_POINTS and (cue := _pair_cue(text)):
        candidates["wiki_fragment"].append(cue)  # counted only where it can change the decision
        scores["wiki_fragment"] += cue[1]
    best = max(scores, key=lambda name: (scores[name], name == "wiki_markup"))
    ranked = tuple(sorted(scores.items()))
    if scores[best] < MIN_SCORE:
        seen = "; ".join(cue for cues in candidates.values() for cue, _ in cues) or "no cues"
        return Detection("plain", f"no layout reached {MIN_SCORE} points ({seen})", ranked)
    cue_text = "; ".join(cue for cue, _ in candidates[best])
    return Detection(best, f"{scores[best]} points: {cue_text}", ranked)
