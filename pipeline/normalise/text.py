"""Text values: NFC, removal of stray wiki markup with a log of every removal, infobox key aliases.

``clean_value`` works on one value and reports each removal as a ``Dropped``
record whose span is ``offset`` + the position in the value it was given, so a
caller that passes the value's source offset gets source spans back.

Steps of ``clean_value`` (numbers repeated in the body):
0. scrape debris of a rendered page: footnote markers ``[1]``, ``[a]``, ``[note 3]``
   (``footnote-marker``), editorial tags ``[citation needed]``, ``[who?]``,
   ``[dubious – discuss]`` (``editorial-tag``), ``[edit]`` links (``edit-link``) and
   the lone ``^`` of a back-link (``footnote-caret``); what a rendered copy leaks: Markdown
   bold ``**`` (``markdown-bold``), HTML tags such as ``<nowiki/>`` (``html-tag``), the
   brackets and target of a wiki link ``[[Target|label]]`` (``leaked-wikilink``, the label
   stays); a bracket holding anything else (``[O.S. 27 February]``, ``[sic]``, IPA) is text;
1. wiki quote runs: ``''x''`` (``wiki-italics``), ``'''x'''`` (``wiki-bold``),
   ``'''''x'''''`` (``wiki-bold-italics``), other runs of 2+ apostrophes
   (``wiki-quotes``); each run is one record; steps 0-3 repeat until nothing changes
   (at most ``MAX_ROUNDS`` times, so the time stays linear), since one removal can join
   new debris (``'()'``);
2. separators left at the edge of a parenthesis: ``(; x`` / ``(, x`` / ``x; )``
   (``parenthesis-separator``);
3. parentheses holding nothing but spaces, commas and semicolons: ``()``, ``( )``,
   ``(, )``, ``(; ; )``, and those holding only empty ones, ``( () )`` (``empty-parentheses``),
   found in one pass with a stack; the space before one goes with it when a space,
   punctuation or the end follows (``Paris () is`` → ``Paris is``);
4. whitespace runs collapse to one space and the ends are trimmed (not logged:
   whitespace is not content);
5. NFC.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache
from itertools import compress
from types import MappingProxyType

from pipeline.records import Dropped, Span

FOOTNOTE_MARKER = r"\[(?:\d{1,3}|[a-z]{1,2}|(?:note|nb|n)\s?\d{1,3})\]"
"""A footnote marker of a rendered page, ``[1]``, ``[b]``, ``[note 3]``: the one pattern every reader uses."""
MAX_ROUNDS = 8
"""Rounds of steps 0-3; debris nested deeper than this (quotes in parentheses in quotes …) stays text."""
_QUOTES_RE = re.compile(r"'{2,}")
_QUOTE_RULES = {2: "wiki-italics", 3: "wiki-bold", 5: "wiki-bold-italics"}
_EMPTY_PARENS_RE = re.compile(r"\(\s*(?:[,;]\s*)*\)")
_LEAD_SEP_RE = re.compile(r"(?<=\()\s*[,;](?:\s*[,;])*\s*(?=[^\s,;)])")
_TRAIL_SEP_RE = re.compile(r"(?<=[^\s,;(])\s*[,;](?:\s*[,;])*\s*(?=\))")
_FOLLOWERS = set(",.;:!?)]}")
_DEBRIS_RE = re.compile(
    rf"(?P<marker>{FOOTNOTE_MARKER})"
    r"|(?P<tag>\[(?:[a-z][a-z '’–—-]{1,40}?(?:needed|\?)|dubious[^\]\n]{0,20}|failed verification"
    r"|unreliable source\??|not in citation given|disputed[^\]\n]{0,20})\])"
    r"|(?P<edit>\[edit\])"
    r"|(?P<caret>\^(?<!\S\^)(?!\S))"
    r"|(?P<bold>\*\*(?=[^\s*])|\*\*(?<=[^\s*]\*\*))"
    r"|(?P<html></?(?:nowiki|span|small|sup|sub|br|abbr)\b[^<>\n]{0,80}?/?>)"
    r"|(?P<wikilink>\[\[(?:[^\[\]|\n]{1,200}\|)?|\]\])"
)
_DEBRIS_RULES = {
    "marker": "footnote-marker",
    "tag": "editorial-tag",
    "edit": "edit-link",
    "caret": "footnote-caret",
    "bold": "markdown-bold",
    "html": "html-tag",
    "wikilink": "leaked-wikilink",
}


def nfc(s: str) -> str:
    """Unicode NFC form of ``s``."""
    return unicodedata.normalize("NFC", s)


class _Editor:
    """Removals on a string, tracked as a keep-mask over the original positions."""

    def __init__(self, s: str) -> None:
        self.s = s
        self.kept = [True] * len(s)
        self.drops: dict[tuple[int, int], str] = {}

    def view(self) -> tuple[str, list[int]]:
        """The current text and, for each of its characters, its position in ``s``."""
        return "".join(compress(self.s, self.kept)), list(compress(range(len(self.s)), self.kept))

    def drop(self, start: int, end: int, rule: str) -> None:
        """Remove original positions ``start..end``; absorb earlier drops inside them."""
        if not all(self.kept[start:end]):  # only then can an earlier drop lie inside this one
            for key in [k for k in self.drops if start <= k[0] and k[1] <= end]:
                del self.drops[key]
        for i in range(start, end):
            self.kept[i] = False
        self.drops[(start, end)] = rule


def _drop_view_match(ed: _Editor, index: list[int], start: int, end: int, rule: str) -> None:
    ed.drop(index[start], index[end - 1] + 1, rule)


def _step_debris(ed: _Editor) -> None:
    view, index = ed.view()
    for m in reversed(list(_DEBRIS_RE.finditer(view))):
        _drop_view_match(ed, index, m.start(), m.end(), _DEBRIS_RULES[m.lastgroup or "marker"])


def _step_quotes(ed: _Editor) -> None:
    view, index = ed.view()
    for m in reversed(list(_QUOTES_RE.finditer(view))):
        _drop_view_match(ed, index, m.start(), m.end(), _QUOTE_RULES.get(len(m.group()), "wiki-quotes"))


def _step_separators(ed: _Editor) -> None:
    for pattern in (_LEAD_SEP_RE, _TRAIL_SEP_RE):
        view, index = ed.view()
        for m in reversed(list(pattern.finditer(view))):
            if m.end() > m.start():
                _drop_view_match(ed, index, m.start(), m.end(), "parenthesis-separator")


def _empty_parens(view: str) -> list[tuple[int, int]]:
    """Outermost parentheses of ``view`` that hold nothing but spaces, commas and semicolons, nested
    empty ones included (``( () )``): one pass with a stack, so the time is linear in the text."""
    found: list[tuple[int, int]] = []
    stack: list[tuple[int, bool]] = []  # (position of "(", nothing but filler inside so far)
    for i, ch in enumerate(view):
        if ch == "(":
            stack.append((i, True))
        elif ch == ")" and stack:
            start, empty = stack.pop()
            if empty:
                while found and found[-1][0] > start:  # an empty parenthesis inside this one
                    found.pop()
                found.append((start, i + 1))
            elif stack:
                stack[-1] = (stack[-1][0], False)
        elif stack and stack[-1][1] and not (ch.isspace() or ch in ",;"):
            stack[-1] = (stack[-1][0], False)
    return found


def _step_empty_parens(ed: _Editor) -> None:
    """Drop every empty parenthesis of the current view (with the space before it), in one pass."""
    view, index = ed.view()
    if "(" not in view:
        return
    for start, end in reversed(_empty_parens(view)):
        after = view[end] if end < len(view) else ""
        if start > 0 and view[start - 1].isspace() and (not after or after.isspace() or after in _FOLLOWERS):
            while start > 0 and view[start - 1].isspace():
                start -= 1
        _drop_view_match(ed, index, start, end, "empty-parentheses")


def _has_debris(s: str) -> bool:
    """Whether any step could remove something; the characters every kind of debris holds are
    looked for first (``in`` is far faster than the patterns)."""
    if "''" in s and _QUOTES_RE.search(s):
        return True
    if "(" in s and any(p.search(s) for p in (_EMPTY_PARENS_RE, _LEAD_SEP_RE, _TRAIL_SEP_RE)):
        return True
    return any(ch in s for ch in "[]^*<") and _DEBRIS_RE.search(s) is not None


def clean_value(s: str, offset: int = 0) -> tuple[str, list[Dropped]]:
    """Clean one value (see module steps); return it with every removal, spans shifted by ``offset``."""
    if not _has_debris(s):
        return nfc(" ".join(s.split())), []  # nothing to remove: the common case, kept linear
    ed = _Editor(s)
    n_kept = -1
    for _ in range(MAX_ROUNDS):  # a removal can join new debris ("'()'", "[()["): repeat until stable, bounded
        if n_kept == sum(ed.kept):
            break
        n_kept = sum(ed.kept)
        _step_debris(ed)  # 0
        _step_quotes(ed)  # 1
        _step_separators(ed)  # 2
        _step_empty_parens(ed)  # 3
    view, _ = ed.view()
    cleaned = " ".join(view.split())  # 4
    dropped = [
        Dropped(Span(offset + start, offset + end), s[start:end], rule)
        for (start, end), rule in sorted(ed.drops.items())
    ]
    return nfc(cleaned), dropped  # 5


# Reviewed alias table: written infobox label → canonical snake_case key.
INFOBOX_KEY_ALIASES: Mapping[str, str] = MappingProxyType(
    {
        "Birthplace": "birth_place",
        "Place of birth": "birth_place",
        "Born in": "birth_place",
        "Birth place": "birth_place",
        "Born": "birth_date",
        "Date of birth": "birth_date",
        "Birth date": "birth_date",
        "DOB": "birth_date",
        "Died": "death_date",
        "Date of death": "death_date",
        "Death date": "death_date",
        "Deathplace": "death_place",
        "Place of death": "death_place",
        "Death place": "death_place",
        "Died in": "death_place",
        "Name": "name",
        "Full name": "full_name",
        "Native name": "native_name",
        "Birth name": "birth_name",
        "Other names": "other_names",
        "Also known as": "other_names",
        "AKA": "other_names",
        "Nationality": "nationality",
        "Citizenship": "citizenship",
        "Occupation": "occupation",
        "Allegiance": "allegiance",
        "Rank": "rank",
        "Spouse": "spouse",
        "Spouse(s)": "spouse",
        "Spouses": "spouse",
        "Children": "children",
        "Parents": "parents",
        "Relatives": "relatives",
        "Resting place": "resting_place",
        "Buried": "resting_place",
        "Place of burial": "resting_place",
        "Branch": "branch",
        "Service/branch": "branch",
        "Service years": "service_years",
        "Years of service": "service_years",
        "Awards": "awards",
        "Alma mater": "alma_mater",
        "Education": "education",
        "Known for": "known_for",
        "Cause of death": "cause_of_death",
        "Political party": "political_party",
        "Religion": "religion",
        # labels of infoboxes as rendered pages show them (glued to their value or on a line of their own)
        "Era": "era",
        "Region": "region",
        "School": "school",
        "Main interests": "main_interests",
        "Notable ideas": "notable_ideas",
        "Notable work": "notable_works",
        "Notable works": "notable_works",
        "Influences": "influences",
        "Influenced": "influenced",
        "Signature": "signature",
        "In office": "in_office",
        "Preceded by": "preceded_by",
        "Succeeded by": "succeeded_by",
        "Personal details": "personal_details",
        "Years active": "years_active",
        "Genre": "genre",
        "Genres": "genre",
        "Movement": "movement",
        "Website": "website",
        "Pen name": "pen_name",
        "Pseudonym": "pen_name",
        "Native name lang": "native_name_lang",
    }
)


def _fold_key(raw_key: str) -> str:
    """Case- and punctuation-insensitive form of a label: ``Spouse(s)`` → ``spouses``."""
    return re.sub(r"[\W_]+", "", nfc(raw_key).casefold())


def _folded_aliases() -> dict[str, str]:
    folded: dict[str, str] = {}
    for label, key in INFOBOX_KEY_ALIASES.items():
        f = _fold_key(label)
        if folded.get(f, key) != key:
            raise ValueError(f"alias {label!r} folds onto a different key than {f!r}")
        folded[f] = key
    return folded


_FOLDED_ALIASES = _folded_aliases()


@lru_cache(maxsize=4096)
def normalise_key(raw_key: str) -> str | None:
    """Canonical snake_case infobox key for a written label, or None when the label is unmapped."""
    return _FOLDED_ALIASES.get(_fold_key(raw_key))
