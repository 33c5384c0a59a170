"""Date expressions in English biographical text, turned into ``DateValue`` records at the text's precision.

Why hand-written regexes and not a library (measured in NOTES.md): ``dateparser`` fills in parts the text
does not give (``1900`` becomes 1900-<today>) and is slow; ``edtf`` reads two-digit years as 20xx; no
parser understands Old Style / New Style pairs.  So finding is done by one precompiled regex per layer,
and ``datetime``-style validation plus ``convertdate.julian`` are used only to *check* values:

1. ``find_dates`` looks for digits first (every date expression holds a year, so digit-free stretches
   of text are skipped without running the big pattern), then runs ``_TEXT_RX`` from a short look-back
   window before each digit run.  The pattern only delimits an expression: optional prefix
   (from/between/since/until), a start atom, an optional connector and an end atom.
2. Each atom's surface text is read by ``_parse_atom``: whitespace and dashes are normalised, a
   qualifier prefix/suffix is taken off, and the rest must fully match one of ``_FORMS``.
3. Values are validated (month 1..12, the day exists in that month of the proleptic Gregorian calendar,
   the year is plausible) and written as EDTF with nothing filled in.
4. Ranges and open ranges are assembled and checked (an inherited year/month must give start <= end);
   a start without an era takes its end's BC (``c. 365 – c. 285 BC``).
5. Glue points: a 5-6 digit run before a month name (``1 May 189328 December 1936``) is scanned again
   with the lost dash put back, kept only when it gives two valid dates in order (``_scan``).

Decisions (the contract's open points):

* Precision is what the text states: ``1900`` -> ``1900`` (year), ``July 1898`` -> ``1898-07``.
* Qualifiers: ``c.``, ``ca.``, ``circa``, ``about``, ``around``, ``approx(imately)`` -> ``approximate``
  (EDTF ``~``); ``possibly``, ``probably``, ``perhaps``, a ``?`` glued to the date or ``(?)`` ->
  ``uncertain`` (``?``).  When both appear, ``uncertain`` wins (the contract has no combined value).
* Years: in running text a year is four digits 1000..2100, or carries an era marker (AD/CE/BC/BCE),
  or is three digits right after ``c.``/``ca.``/``circa``.  ``in 988`` or ``March 300`` is *not* a
  date in running text (``In March 300 soldiers ...``).  ``parse_date`` reads a whole string the caller
  already knows is a date, so it also takes a bare three-digit year and EDTF forms (``0988``, ``-0043``).
  Two-digit numbers are never years, except a range's abbreviated end (``1941–42`` -> 1942, same
  century; an end that would not be later than the start is not a range).
* BC years use ISO 8601 / EDTF astronomical numbering, so ``edtf`` and ``year`` agree and re-parse:
  1 BC = ``0000`` (year 0), 44 BC = ``-0043`` (year -43).
* Decades (``the 1920s``, ``1930's``) are not dates here: EDTF ``192X`` needs a precision the contract
  lacks, so ``parse_date`` returns ``None`` and ``find_dates`` yields nothing for them.
* Month names count only capitalised (``may`` the verb never matches; ``JUNE`` is not read either); a
  month always needs an adjacent day or year, or must start a range whose end states the year
  (``May–June 1938``).
* ``YYYY-MM`` with a plain hyphen in running text is ISO year-month when the month has a leading zero
  or is not later than the year's last two digits (``1898-07``, ``1912-10``); otherwise it is an
  abbreviated range (``1910-12`` -> 1910..1912).  ``parse_date`` always reads ``YYYY-MM`` as ISO.
* Old Style: ``12 March [O.S. 27 February] 1900``, ``12 January 1900 [O.S. 31 December 1899]``,
  ``19 (31) December 1897``, ``27 February (12 March) 1900``, ``19/31 December 1897`` give the New Style
  date as written with ``calendar_note="julian-converted"``.  ``[N.S. ...]`` brackets mark the bracketed
  date as the New Style one.  The shared year belongs to the date outside the bracket (for ``(..)`` and
  ``/`` pairs: to the New Style date).  ``convertdate.julian`` checks the pair; a disagreement keeps the
  New Style date and sets ``DateMatch.warning = "os-ns-mismatch"``, except for the slash form, where a
  disagreement means it was not an O.S./N.S. pair (``the night of 5/6 December``) and nothing matches.
  ``6 March 1900 (O.S.)`` alone is converted with ``convertdate``.
* Invalid dates (31 February, month 13) give ``None`` and ``find_dates`` yields nothing over their span.
* A year given as two alternatives (``645/646``, ``1890/91``) is the earlier year, ``uncertain``, in
  ``parse_date`` and ``parse_lifespan``; in running text ``1914/1918`` stays a range.
* ``parse_date`` drops a rendered infobox's ISO echo (``24 June 1798(1798-06-24)``) when it agrees.
* Open ranges keep their prefix in the span: ``from May 1935`` (rule ``open-from``, also ``since``),
  ``until 1915`` (rule ``open-until``, also ``till``); the value is the stated date.
* Bare four-digit years after ``p.``/``pp.``/``No.``/currency signs or before a unit/count noun
  (``1500 troops``, ``2000 km``) are not dates.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from convertdate import julian

from pipeline.records import DateValue

__all__ = ["DateMatch", "Lifespan", "find_dates", "is_month_name", "parse_date", "parse_lifespan"]

APPROXIMATE = "approximate"
UNCERTAIN = "uncertain"
JULIAN_CONVERTED = "julian-converted"
OS_NS_MISMATCH = "os-ns-mismatch"
MIN_TEXT_YEAR = 1000
MAX_YEAR = 2100


@dataclass(frozen=True, slots=True)
class DateMatch:
    """One date expression found in text; ``end_value`` is set for ranges."""

    start: int
    end: int
    raw: str
    value: DateValue
    end_value: DateValue | None = None
    rule: str = "y"
    warning: str | None = None


@dataclass(frozen=True, slots=True)
class Lifespan:
    """Birth and death read from a biography's lead parenthesis; spans are relative to its content."""

    birth: DateMatch | None
    death: DateMatch | None
    ambiguous: bool


# ---------------------------------------------------------------- vocabulary

_MONTH_NUMBERS: dict[str, int] = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip


def is_month_name(word: str) -> bool:
    """Whether ``word`` names a month (``March``, ``Sept.``): a month is never a place or a name."""
    return word.casefold().rstrip(".") in _MONTH_NUMBERS


# Month names factored by first letter: a failing alternation then costs one comparison, not 24.
_MON = (
    r"(?:J(?:anuary|an\.?|une|un\.?|uly|ul\.?)|F(?:ebruary|eb\.?)|Ma(?:rch|r\.?|y)|A(?:pril|pr\.?|ugust|ug\.?)"
    r"|Sep(?:tember|t\.?|\.?)|O(?:ctober|ct\.?)|N(?:ovember|ov\.?)|D(?:ecember|ec\.?))(?![a-z])"
)
_DAY = r"(?:3[01]|[12][0-9]|0?[1-9])(?:st|nd|rd|th)?(?![0-9])"
_ERA_PRE = r"(?:A\.[^\S\n]?D\.|AD|C\.E\.|CE)"
_ERA_POST = r"(?:B\.[^\S\n]?C\.[^\S\n]?E\.?|B\.[^\S\n]?C\.?|BCE|BC|A\.[^\S\n]?D\.?|AD|C\.E\.?|CE)(?![A-Za-z])"
_QUAL = (
    r"(?:[Cc]irca|[Cc]a\.|[Cc]\.|c(?=[^\S\n]?\d)|[Aa]bout|[Aa]round|[Aa]pprox(?:imately|\.)"
    r"|[Pp]ossibly|[Pp]robably|[Pp]erhaps)"
)
_OS_MARK = r"(?:O\.[^\S\n]?S\.?|N\.[^\S\n]?S\.?|OS|NS|[Oo]ld[^\S\n]+[Ss]tyle|[Nn]ew[^\S\n]+[Ss]tyle)"
_OS_ONLY_MARK = r"(?:O\.[^\S\n]?S\.?|OS|[Oo]ld[^\S\n]+[Ss]tyle)"
_DASH_CHARS = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_DASH = f"[{_DASH_CHARS}]"


# ---------------------------------------------------------------- layer 1: delimiting in running text

_WS = r"(?:[^\S\n]+(?:\n[^\S\n]*)?|\n[^\S\n]*)"  # some whitespace, at most one line break
_WS0 = r"(?:[^\S\n]*(?:\n[^\S\n]*)?)"
# a year: an era marker with 1-4 digits, or 3-4 digits (the look-behind counts them without backtracking)
_YR_T = (
    rf"(?:{_ERA_PRE}{_WS0}[0-9]{{1,4}}|[0-9]{{1,4}}(?![0-9])(?:{_WS0}{_ERA_POST}|(?<=[0-9]{{3}})))"
    r"(?![\w%]|[.,][0-9]|['’]s\b)"
)
_OSB_T = (
    rf"[\[(]{_WS0}{_OS_MARK}{_WS0}:?{_WS0}(?:{_DAY}{_WS}{_MON}|{_MON}{_WS}{_DAY})"
    rf"(?:,?{_WS}{_YR_T})?{_WS0}[\])]"
)
_OSTAG_T = rf"[\[(]{_WS0}{_OS_ONLY_MARK}{_WS0}[\])]"
_ISO_HY = "[-\u2010\u2011]"
_ISO_T = (  # not before a month name: "1871-12 June 1933" runs from 1871 to 12 June 1933
    rf"[0-9]{{4}}{_ISO_HY}(?:[0-9]{{2}}{_ISO_HY}[0-9]{{2}}|0[1-9]|1[0-2])(?![{_DASH_CHARS}0-9])(?!{_WS}{_MON})"
)
# Layer 1 only delimits, so the forms are factored by their first token (see _form_table for the forms).
_DAY_FORMS_T = (
    rf"{_DAY}(?:"
    rf"(?:{_WS}of)?{_WS}{_MON}(?:"
    rf"{_WS0}{_OSB_T},?{_WS0}{_YR_T}"  # 12 March [O.S. 27 February] 1900; then 2 Feb (14 Feb) 1900
    rf"|{_WS0}(?:\({_WS0}{_DAY}{_WS}{_MON}{_WS0}\)|/{_WS0}{_DAY}{_WS}{_MON}),?{_WS}{_YR_T}"
    rf"|,?{_WS}{_YR_T}(?:{_WS0}(?:{_OSB_T}|{_OSTAG_T}))?)"  # 6 December 1899 [O.S. ...]
    rf"|{_WS0}(?:\({_WS0}{_DAY}{_WS0}\)|/{_WS0}{_DAY}){_WS}{_MON},?{_WS}{_YR_T})"  # 19 (31) December 1897
)
_MON_FORMS_T = (
    rf"{_MON}(?:"
    rf"{_WS}{_DAY}(?:{_WS0}{_OSB_T},?{_WS0}{_YR_T}|,?{_WS}{_YR_T}(?:{_WS0}(?:{_OSB_T}|{_OSTAG_T}))?)"
    rf"|,?{_WS}(?:of{_WS})?{_YR_T})"
)
_UNC_T = r"(?:\?|[^\S\n]?\(\?\))?"
_ATOM_T = rf"(?:{_QUAL}{_WS0})?(?:{_ISO_T}|{_DAY_FORMS_T}|{_MON_FORMS_T}|{_YR_T}){_UNC_T}"
_PART_T = rf"(?:{_QUAL}{_WS0})?(?:{_DAY}(?:(?:{_WS}of)?{_WS}{_MON})?|{_MON}(?:{_WS}{_DAY})?)"
_CONN_T = rf"(?:{_WS0}{_DASH}{_WS0}|{_WS}(?:to|until|till|through|and){_WS}|{_WS0}/{_WS0})"
_TEXT_RX = re.compile(
    r"(?<![\w\-.,/$£€#№])"
    rf"(?:(?P<pre>[Ff]rom|[Bb]etween|[Ss]ince|[Uu]ntil|[Tt]ill){_WS})?"
    rf"(?:(?P<a>{_ATOM_T})(?:(?P<conn>{_CONN_T})(?:(?P<b>{_ATOM_T})|(?P<abbr>[0-9]{{2}})(?![\w%]|[.,][0-9])))?"
    rf"|(?P<pa>{_PART_T})(?P<conn2>{_CONN_T})(?P<b2>{_ATOM_T})"
    rf"|(?P<md>{_MON}{_WS}{_DAY})(?P<conn3>{_WS0}{_DASH}{_WS0})(?P<dy>{_DAY},?{_WS}{_YR_T}))"
)
_DIGITS = re.compile(r"[0-9][0-9]*")  # measured: faster than \d+ (which also takes non-ASCII digits)
_LEAD_WORDS = sorted(
    {w.capitalize() for w in _MONTH_NUMBERS}
    | {
        v
        for w in (
            "from",
            "between",
            "since",
            "until",
            "till",
            "circa",
            "ca",
            "c",
            "about",
            "around",
            "approx",
            "possibly",
            "probably",
            "perhaps",
        )
        for v in (w, w.capitalize())
    }
    | {"A", "AD", "C", "CE"},  # A.D., AD, C.E., CE
    key=lambda w: (-len(w), w),
)


def _trie(words: list[str]) -> str:
    """An alternation factored into a prefix tree: sre tries one branch per letter instead of every word."""
    tree: dict[str, dict] = {}  # type: ignore[type-arg]
    for word in words:
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:  # type: ignore[type-arg]
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:
            return f"(?:{body})?" if len(branches) > 1 or len(body) > 1 else f"{body}?"
        return body

    return emit(tree)


_LEAD_RX = re.compile(rf"(?:{_trie(_LEAD_WORDS)})(?![a-z])")
# The same words (and the connectors between them) spelt backwards, matched on the reversed text from
# just before a digit run: an anchored match, so the lead of an expression is found without a search.
_REV_LEAD_RX = re.compile(
    rf"(?:[{_DASH_CHARS}\s,(\[]*\.?(?:"
    + _trie([w[::-1] for w in [*_LEAD_WORDS, "to", "and", "through", "of"]])
    + r")(?![A-Za-z]))*"
)
_LOOK_BACK = 64  # longest digit-free lead of an expression: "from approximately September to December "
_GLUED_AFTER = re.compile(rf"{_WS}{_MON}")  # after a 5-6 digit run: a year glued to a day ("189328 May")

_PAGE_BEFORE = re.compile(r"(?:\bpp?\.?|\bpages?|\bnos?\.|\bvol\.|\bISBN|[$£€#№])\s*$", re.IGNORECASE)
_UNIT_AFTER = re.compile(
    r"[^\S\n]*(?:%|(?:per[^\S\n]?cent|percent|km|kilomet(?:re|er)s?|miles?|met(?:re|er)s?|m|ft|feet|kg"
    r"|tons?|tonnes?|people|persons|men|women|soldiers|troops|prisoners|agents|officers|members"
    r"|copies|pages|roubles|rubles|dollars|pounds|hectares|acres|years|months|days|hours)\b)"
)


# ---------------------------------------------------------------- layer 2: reading one atom


def _g(name: str) -> dict[str, str]:
    return {
        "d": rf"(?P<{name}d>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?",
        "m": rf"(?P<{name}m>[A-Z][a-z]+)\.?",
        "y": rf"(?P<{name}y>(?:A\.D\.|AD|C\.E\.|CE) ?\d{{1,4}}|\d{{1,4}} ?(?:B\.C\.E\.?|BCE|B\.C\.?|BC"
        r"|A\.D\.?|AD|C\.E\.?|CE)|\d{3,4})",
    }


_A, _B = _g(""), _g("o")  # principal date, the other date of an O.S./N.S. pair
_DMY = rf"{_A['d']}(?: of)? {_A['m']}"
_MDY = rf"{_A['m']} {_A['d']}"


def _os_bracket(other: str) -> str:
    return rf"[\[(] ?(?P<mk>{_OS_MARK}) ?:? ?{other}(?:,? {_B['y']})? ?[\])]"


def _form_table() -> list[tuple[str, str]]:
    """(rule, pattern) in trial order; ``re`` forbids repeated group names, so each order is its own form."""
    forms = [("iso", r"(?P<neg>-)?(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2}))?)?")]
    for principal in (_DMY, _MDY):
        for other in (rf"{_B['d']} {_B['m']}", rf"{_B['m']} {_B['d']}"):
            forms.append(("os-bracket", rf"{principal} ?{_os_bracket(other)},? ?{_A['y']}"))
            forms.append(("os-bracket", rf"{principal},? {_A['y']} ?{_os_bracket(other)}"))
        forms.append(("os-tag", rf"{principal},? {_A['y']} ?[\[(] ?{_OS_ONLY_MARK} ?[\])]"))
    # the bracket inside the principal date, after its day (``13 [O.S. 1 May] May 1895``)
    inner = _os_bracket(rf"{_B['d']} {_B['m']}")
    forms.append(("os-bracket", rf"{_A['d']} ?{inner} {_A['m']},? {_A['y']}"))
    forms += [
        ("os-paren", rf"{_B['d']} ?\( ?{_A['d']} ?\) {_A['m']},? {_A['y']}"),
        ("os-slash", rf"{_B['d']} ?/ ?{_A['d']} {_A['m']},? {_A['y']}"),
        ("os-paren", rf"{_B['d']} {_B['m']} ?\( ?{_A['d']} {_A['m']} ?\),? {_A['y']}"),
        ("os-slash", rf"{_B['d']} {_B['m']} ?/ ?{_A['d']} {_A['m']},? {_A['y']}"),
        ("dmy", rf"{_DMY},? {_A['y']}"),
        ("mdy", rf"{_MDY},? {_A['y']}"),
        ("my", rf"{_A['m']},? (?:of )?{_A['y']}"),
        ("y", _A["y"]),
    ]
    return forms


_FORMS: tuple[tuple[str, re.Pattern[str]], ...] = tuple((rule, re.compile(p)) for rule, p in _form_table())
_PLAIN_RULES = ("iso", "dmy", "mdy", "my", "y")
_FORMS_PLAIN = tuple(form for form in _FORMS if form[0] in _PLAIN_RULES)  # no bracket, paren or slash
_PARTIAL_FORMS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("dm", re.compile(_DMY)),
    ("md", re.compile(_MDY)),
    ("m", re.compile(_A["m"])),
    ("d", re.compile(_A["d"])),
)
_QUAL_RX = re.compile(rf"(?P<q>{_QUAL}) ?")
_UNCERTAIN_WORDS = ("possibly", "probably", "perhaps")
_TIGHT_QUALS = ("c", "ca", "circa")  # qualifiers that make a bare three-digit number a year
_DASH_TABLE = str.maketrans(dict.fromkeys(_DASH_CHARS, "-"))
_ERA_RX = re.compile(r"(?P<era_pre>A\.D\.|AD|C\.E\.|CE)? ?(?P<n>\d{1,4}) ?(?P<era>[A-Z.]+)?")
_BC = frozenset({"BC", "B.C.", "B.C", "BCE", "B.C.E.", "B.C.E"})
_ERA_IN_RX = re.compile(r"[ABC]\.?[^\S\n]?[DCE]")  # an era marker inside an atom: AD, BC, CE, B.C.E.
_EITHER_RX = re.compile(r"(?P<a>\d{3,4}) ?/ ?(?P<b>\d{2,4})")


@dataclass(frozen=True, slots=True)
class _Atom:
    value: DateValue
    rule: str
    warning: str | None = None


@dataclass(frozen=True, slots=True)
class _Hit:
    start: int
    end: int
    value: DateValue
    rule: str
    end_value: DateValue | None = None
    warning: str | None = None
    parts: tuple[tuple[int, int, DateValue, str], ...] = ()  # (start, end, value, atom rule) per side


def _normalise(raw: str) -> str:
    text = " ".join(raw.split())  # every Unicode space (nbsp, thin space) and line break -> one space
    return text if text.isascii() else text.translate(_DASH_TABLE)


def _year_value(raw: str, *, strict: bool) -> int | None:
    """Astronomical year from a year token; ``strict`` = running text (4 digits or an era marker)."""
    m = _ERA_RX.fullmatch(raw)
    if m is None:
        return None
    number, era = int(m["n"]), m["era"] or m["era_pre"]
    if era is not None:
        if not 1 <= number <= (9999 if era in _BC else MAX_YEAR):
            return None
        return 1 - number if era in _BC else number
    digits = m["n"]
    if len(digits) < 3 or number > MAX_YEAR:
        return None
    if strict and (len(digits) != 4 or number < MIN_TEXT_YEAR):
        return None
    return number


def _days_in_month(year: int, month: int) -> int:
    if month == 2:
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return 29 if leap else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _valid(year: int, month: int | None, day: int | None) -> bool:
    if month is None:
        return day is None
    if not 1 <= month <= 12:
        return False
    return day is None or 1 <= day <= _days_in_month(year, month)


def _edtf_year(year: int) -> str:
    return f"-{-year:04d}" if year < 0 else f"{year:04d}"


def _value(
    year: int, month: int | None, day: int | None, qualifier: str | None = None, note: str | None = None
) -> DateValue | None:
    if not _valid(year, month, day):
        return None
    edtf = _edtf_year(year)
    precision = "year"
    if month is not None:
        edtf, precision = f"{edtf}-{month:02d}", "month"
        if day is not None:
            edtf, precision = f"{edtf}-{day:02d}", "day"
    if qualifier is not None:
        edtf += "~" if qualifier == APPROXIMATE else "?"
    return DateValue(edtf=edtf, precision=precision, year=year, qualifier=qualifier, calendar_note=note)


def _month(raw: str | None) -> int | None:
    return None if raw is None else _MONTH_NUMBERS.get(raw.lower())


def _int(raw: str | None) -> int | None:
    return None if raw is None else int(raw)


def _julian_to_gregorian(year: int, month: int, day: int) -> tuple[int, int, int] | None:
    if not 1 <= month <= 12 or year < 1:
        return None
    feb = 29 if year % 4 == 0 else 28
    if not 1 <= day <= (feb if month == 2 else _days_in_month(2001, month)):
        return None
    y, m, d = julian.to_gregorian(year, month, day)
    return int(y), int(m), int(d)


def _os_agrees(old: tuple[int, int, int], new: tuple[int, int, int]) -> bool:
    return _julian_to_gregorian(*old) == new


def _other_year(principal: tuple[int, int, int], other: tuple[int, int], principal_is_new: bool) -> int:
    """The unstated year of the other date of a pair: the one that keeps Old Style before New Style."""
    year, month, day = principal
    if principal_is_new:
        return year if other <= (month, day) else year - 1
    return year if other >= (month, day) else year + 1


# ---------------------------------------------------------------- reading one atom: per-form handlers

_Core = tuple[int, int | None, int | None, str | None, str | None]  # year, month, day, note, warning


def _read_plain(m: re.Match[str], strict: bool) -> _Core | None:
    year = _year_value(m["y"], strict=strict)
    month = _month(m.groupdict().get("m"))
    if year is None or (m.groupdict().get("m") is not None and month is None):
        return None
    return year, month, _int(m.groupdict().get("d")), None, None


def _read_iso(m: re.Match[str], strict: bool) -> _Core | None:
    year = int(m["y"]) * (-1 if m["neg"] else 1)
    if year > MAX_YEAR or (strict and year < MIN_TEXT_YEAR):
        return None
    return year, _int(m["m"]), _int(m["d"]), None, None


def _read_pair(m: re.Match[str], strict: bool, rule: str) -> _Core | None:
    """An O.S./N.S. pair: group set A is the principal (outer) date, set B the other one."""
    year = _year_value(m["y"], strict=strict)
    month, day = _month(m["m"]), int(m["d"])
    groups = m.groupdict()
    other_month = _month(groups.get("om")) if groups.get("om") else month
    other_day = int(m["od"])
    if year is None or month is None or other_month is None:
        return None
    other_year: int | None = None
    if groups.get("oy"):
        other_year = _year_value(m["oy"], strict=strict)
        if other_year is None:
            return None
    marker = (groups.get("mk") or "").replace(" ", "").upper()
    # O.S. brackets and (..) / "/" pairs: set A is New Style; an N.S. bracket makes set A the Old Style date
    new_is_principal = not (rule == "os-bracket" and marker.startswith("N"))
    if other_year is None:
        other_year = _other_year((year, month, day), (other_month, other_day), new_is_principal)
    principal, other = (year, month, day), (other_year, other_month, other_day)
    new, old = (principal, other) if new_is_principal else (other, principal)
    if not _valid(*new):
        return None
    agrees = _os_agrees(old, new)
    if rule == "os-slash" and not agrees:
        return None
    return new[0], new[1], new[2], JULIAN_CONVERTED, None if agrees else OS_NS_MISMATCH


def _read_tag(m: re.Match[str], strict: bool) -> _Core | None:
    year, month = _year_value(m["y"], strict=strict), _month(m["m"])
    if year is None or month is None:
        return None
    new = _julian_to_gregorian(year, month, int(m["d"]))
    return None if new is None else (new[0], new[1], new[2], JULIAN_CONVERTED, None)


_HANDLERS: dict[str, Callable[[re.Match[str], bool], _Core | None]] = {"iso": _read_iso, "os-tag": _read_tag}


def _read(rule: str, m: re.Match[str], strict: bool) -> _Core | None:
    handler = _HANDLERS.get(rule)
    if handler is not None:
        return handler(m, strict)
    if rule.startswith("os-"):
        return _read_pair(m, strict, rule)
    return _read_plain(m, strict)


def _split_qualifier(text: str) -> tuple[str, str | None, str | None]:
    """Take the qualifier off an atom: (rest, qualifier, the qualifier word)."""
    qualifier: str | None = None
    word: str | None = None
    m = _QUAL_RX.match(text) if text[:1] in "aAcCpP" else None
    if m is not None and m.end() < len(text):
        word = m["q"].lower().rstrip(".")
        qualifier = UNCERTAIN if word in _UNCERTAIN_WORDS else APPROXIMATE
        text = text[m.end() :]
    if text.endswith("(?)"):
        return text[:-3].rstrip(), UNCERTAIN, word
    if text.endswith("?"):
        return text[:-1].rstrip(), UNCERTAIN, word
    if text.endswith("~") and qualifier is None:
        return text[:-1].rstrip(), APPROXIMATE, word
    return text, qualifier, word


@lru_cache(maxsize=16384)
def _parse_atom(raw: str, *, strict: bool) -> _Atom | None:
    """One date (no range) at the precision it states; ``strict`` applies the running-text year rules.

    Cached: values are frozen, and a corpus repeats its dates (``1938``, ``June 1938``) across documents.
    """
    text, qualifier, word = _split_qualifier(_normalise(raw))
    if not text:
        return None
    forms = _FORMS if any(ch in text for ch in "[(/") else _FORMS_PLAIN
    for rule, rx in forms:
        m = rx.fullmatch(text)
        if m is None:
            continue
        core = _read(rule, m, strict)
        if core is None and rule == "y" and strict and word in _TIGHT_QUALS:
            core = _read(rule, m, False)  # "c. 980": a three-digit year after a tight qualifier
        if core is None:
            return None
        year, month, day, note, warning = core
        value = _value(year, month, day, qualifier, note)
        if rule == "iso" and month is None:
            rule = "y"  # an EDTF year such as -0043 or 0988
        return None if value is None else _Atom(value, rule, warning)
    return None


def _parse_partial(raw: str) -> tuple[int | None, int | None, str | None] | None:
    """A range's start without a year: (month, day, qualifier)."""
    text, qualifier, _ = _split_qualifier(_normalise(raw))
    for _kind, rx in _PARTIAL_FORMS:
        m = rx.fullmatch(text)
        if m is None:
            continue
        groups = m.groupdict()
        month = _month(groups.get("m"))
        if groups.get("m") is not None and month is None:
            return None
        return month, _int(groups.get("d")), qualifier
    return None


_AGE_NOTE_RE = re.compile(r"\s*\(\s*aged?\s+\d{1,3}(?:[–—-]\d{1,3})?\s*\)\s*$", re.IGNORECASE)
"""An infobox's age note after the date (``12 May 1970 (age 56)``): a computed age, not part of the date."""


def _strip_outer(raw: str) -> str:
    text = _AGE_NOTE_RE.sub("", raw).strip().strip(" \t\n\xa0.,;:\"'“”‘’")
    text = text.lstrip("\u2013\u2014\u2212 ")
    pairs = {"(": ")", "[": "]"}
    while len(text) > 1 and text[0] in pairs and text[-1] == pairs[text[0]]:
        text = text[1:-1].strip().strip(" .,;:")
    while text and text[-1] in ")]" and text.count(text[-1]) > text.count({")": "(", "]": "["}[text[-1]]):
        text = text[:-1].rstrip(" .,;:")
    return text


_ISO_ECHO_RE = re.compile(r"\s*\(\s*(?P<iso>-?\d{4}(?:-\d{2}){0,2})\s*\)$")
"""A rendered infobox repeats its date in ISO form (``24 June 1798(1798-06-24)``): an echo, not a second date."""


def parse_date(raw: str) -> DateValue | None:
    """One whole date expression -> ``DateValue`` at the precision it states, or ``None``.

    A trailing ISO echo of the same date is dropped; an echo that disagrees makes the value ``None``.
    """
    text = _strip_outer(raw)
    echo = _ISO_ECHO_RE.search(text)
    if echo is not None and echo.start() > 0:
        value = parse_date(text[: echo.start()])
        return value if value is not None and value.edtf.rstrip("~?") == echo["iso"] else None
    if not text or len(text) > 120:
        return None
    atom = _parse_atom(text, strict=False)
    if atom is None and (either := _EITHER_RX.fullmatch(text)) is not None:
        first = _parse_atom(either["a"], strict=False)
        digits = either["b"]
        if first is None or (len(digits) == 2 and first.value.year < 100):
            return None
        year = first.value.year - first.value.year % 100 + int(digits) if len(digits) == 2 else int(digits)
        second = _value(year, None, None)
        return None if second is None else _either_year(first.value, second)
    return None if atom is None else atom.value


# ---------------------------------------------------------------- finding in running text


def _sort_key(value: DateValue) -> tuple[int, int, int]:
    parts = value.edtf.rstrip("~?").lstrip("-").split("-")
    return value.year, int(parts[1]) if len(parts) > 1 else 0, int(parts[2]) if len(parts) > 2 else 0


def _bare_year_context_ok(text: str, start: int, end: int) -> bool:
    """A bare number read as a year must not be a page, a price or a count (``1500 troops``)."""
    if _PAGE_BEFORE.search(text, max(0, start - 8), start):
        return False
    return _UNIT_AFTER.match(text, end, min(len(text), end + 24)) is None


def _abbreviated_end(start: DateValue, digits: str) -> DateValue | None:
    if start.precision != "year" or start.year < MIN_TEXT_YEAR:
        return None
    year = start.year - start.year % 100 + int(digits)
    return _value(year, None, None) if year > start.year else None


def _iso_month_as_range(atom: _Atom, raw: str) -> DateValue | None:
    """``1910-12`` in running text: an abbreviated year range, not December 1910 (see module docstring)."""
    tail = _normalise(raw)[5:]
    if atom.rule != "iso" or atom.value.precision != "month" or tail.startswith("0"):
        return None
    return _abbreviated_end(_value(atom.value.year, None, None) or atom.value, tail)


def _single(m: re.Match[str], text: str, atom: _Atom) -> _Hit | None:
    start, end = m.start("a"), m.end("a")
    if atom.rule == "y" and not _bare_year_context_ok(text, start, end):
        return None
    pre = (m["pre"] or "").lower()
    rule = atom.rule
    if pre in ("from", "since"):
        start, rule = m.start("pre"), "open-from"
    elif pre in ("until", "till"):
        start, rule = m.start("pre"), "open-until"
    part = (m.start("a"), end, atom.value, atom.rule)
    return _Hit(start, end, atom.value, rule, warning=atom.warning, parts=(part,))


def _with_year(value: DateValue, year: int) -> DateValue | None:
    month, day = _sort_key(value)[1:]
    return _value(year, month or None, day or None, value.qualifier, value.calendar_note)


def _era_shared(a: _Atom, raw: str, end: DateValue) -> _Atom:
    """``c. 365 – c. 285 BC``: a range's start without an era marker takes the BC era of its end."""
    if end.year > 0 or a.value.year <= 0 or _ERA_IN_RX.search(raw):
        return a
    value = _with_year(a.value, 1 - a.value.year)
    return a if value is None or _sort_key(value) > _sort_key(end) else _Atom(value, a.rule, a.warning)


def _either_year(first: DateValue, second: DateValue) -> DateValue | None:
    """``645/646``: a year given as one of two alternatives is the earlier one, ``uncertain``."""
    if first.precision != "year" or second.precision != "year" or not first.year < second.year:
        return None
    return _value(first.year, None, None, UNCERTAIN)


def _range_start(m: re.Match[str]) -> int:
    return m.start("pre") if (m["pre"] or "").lower() in ("from", "between") else m.start()


def _full_range(m: re.Match[str], text: str, a: _Atom, strict: bool = True) -> _Hit | None:
    conn = _normalise(m["conn"]).lower()
    pre = (m["pre"] or "").lower()
    if (conn == "and") != (pre == "between"):
        return None
    if m["abbr"] is not None:
        end_value, b_rule, b_warning = _abbreviated_end(a.value, m["abbr"]), "y", None
    else:
        b = _parse_atom(m["b"], strict=strict)
        if b is None:
            return None
        end_value, b_rule, b_warning = b.value, b.rule, b.warning
        a = _era_shared(a, m["a"], end_value)
    if end_value is None or (conn == "/" and (a.rule, b_rule) != ("y", "y")):
        return None
    b_start, b_end = (m.start("abbr"), m.end("abbr")) if m["abbr"] is not None else (m.start("b"), m.end("b"))
    if "y" in (a.rule, b_rule) and not _bare_year_context_ok(text, m.start(), b_end):
        return None
    parts = ((m.start("a"), m.end("a"), a.value, a.rule), (b_start, b_end, end_value, b_rule))
    return _Hit(_range_start(m), b_end, a.value, "range", end_value, a.warning or b_warning, parts)


def _partial_range(
    partial: tuple[int | None, int | None, str | None], end: _Atom, bounds: tuple[int, int, int, int]
) -> _Hit | None:
    """A start without a year (``May``, ``6``, ``6 May``, ``May 6``) takes the end's year (and month)."""
    month, day, qualifier = partial
    end_month, end_day = _sort_key(end.value)[1:]
    if end.value.precision == "year" or (month is None and end.value.precision != "day"):
        return None
    start_value = _value(end.value.year, month or end_month, day, qualifier)
    if start_value is None or _sort_key(start_value) > _sort_key(end.value):
        return None
    if month is None and end_day is None:
        return None
    p_start, p_end, b_start, b_end = bounds
    parts = ((p_start, p_end, start_value, "partial"), (b_start, b_end, end.value, end.rule))
    return _Hit(p_start, b_end, start_value, "range", end.value, end.warning, parts)


def _hyphen_range(m: re.Match[str], text: str, a: _Atom, end_value: DateValue) -> _Hit | None:
    start, end = m.start("a"), m.end("a")
    start_value = _value(a.value.year, None, None)
    if start_value is None or not _bare_year_context_ok(text, start, end):
        return None
    parts = ((start, start + 4, start_value, "y"), (end - 2, end, end_value, "y"))
    return _Hit(_range_start(m), end, start_value, "range", end_value, None, parts)


def _decode(m: re.Match[str], text: str, strict: bool = True) -> tuple[_Hit | None, int]:
    """Turn one layer-1 match into a hit, and say where scanning resumes."""
    if m["a"] is not None:
        a = _parse_atom(m["a"], strict=strict)
        if a is None:
            return None, m.end("a")
        if m["conn"] is not None:
            if a.rule == "y" and not _bare_year_context_ok(text, m.start(), m.end()):
                return None, m.end()  # "pp. 1123–1145", "1500–2000 troops": the whole run is not a date
            hit = _full_range(m, text, a, strict)
            if hit is not None:
                return hit, hit.end
        as_range = _iso_month_as_range(a, m["a"])
        if as_range is not None:
            return _hyphen_range(m, text, a, as_range), m.end("a")
        return _single(m, text, a), m.end("a")
    if m["pa"] is not None:
        partial, b = _parse_partial(m["pa"]), _parse_atom(m["b2"], strict=strict)
        hit = None
        conn = _normalise(m["conn2"]).lower()
        pre = (m["pre"] or "").lower()
        if partial is not None and b is not None and conn != "/" and (conn == "and") == (pre == "between"):
            bounds = (m.start("pa"), m.end("pa"), m.start("b2"), m.end("b2"))
            hit = _partial_range(partial, b, bounds)
        if hit is not None and pre in ("from", "between"):
            hit = _Hit(m.start("pre"), hit.end, hit.value, hit.rule, hit.end_value, hit.warning, hit.parts)
        return (hit, hit.end) if hit is not None else (None, m.start("b2"))
    month_word = m["md"].split()[0]
    partial, end = _parse_partial(m["md"]), _parse_atom(f"{month_word} {m['dy']}", strict=strict)
    if partial is None or end is None:
        return None, m.start("dy")
    start_value = _value(end.value.year, partial[0], partial[1], partial[2])
    if start_value is None or _sort_key(start_value) >= _sort_key(end.value):
        return None, m.start("dy")
    parts = (
        (m.start("md"), m.end("md"), start_value, "partial"),
        (m.start("dy"), m.end("dy"), end.value, "mdy"),
    )
    return _Hit(_range_start(m), m.end("dy"), start_value, "range", end.value, None, parts), m.end("dy")


def _candidates(text: str, reverse: str, lo: int, hi: int) -> list[int]:
    """Where an expression reaching the digit run at ``hi`` may start: lead words in [lo, hi), then hi."""
    n = len(text)
    lead = _REV_LEAD_RX.match(reverse, n - hi, n - lo)
    if lead is None or lead.end() == n - hi:
        return [hi]
    starts = []
    for w in _LEAD_RX.finditer(text, n - lead.end(), hi):
        before = text[w.start() - 1] if w.start() else " "
        if not (before.isalnum() or before in "-.,/"):
            starts.append(w.start())
    starts.append(hi)
    return starts


def _scan_once(text: str, strict: bool) -> tuple[list[_Hit], list[int]]:
    """Every date expression in ``text``, left to right, non-overlapping, and the glue points seen.

    Every expression holds a digit, so only digit runs are looked for; the big pattern is then tried,
    anchored, at the few places before each run where an expression can begin (a month, a qualifier,
    ``from``...).  Running it unanchored over the text costs ~20x more (see NOTES.md on leading
    alternations).  A five- or six-digit run followed by a month name is no date as written, but may be
    a year glued to a day (``189328 December``): its offset after the fourth digit is returned.
    """
    hits: list[_Hit] = []
    glued: list[int] = []
    pos, n = 0, len(text)
    reverse = text[::-1]
    while pos < n:
        digits = _DIGITS.search(text, pos)
        if digits is None:
            break
        if digits.end() - digits.start() > 4:
            if digits.end() - digits.start() <= 6 and _GLUED_AFTER.match(text, digits.end()):
                glued.append(digits.start() + 4)
            pos = digits.end()  # no day or year has five digits
            continue
        m = None
        for start in _candidates(text, reverse, max(pos, digits.start() - _LOOK_BACK), digits.start()):
            m = _TEXT_RX.match(text, start)
            if m is not None:
                break
        if m is None:
            pos = digits.end()  # this digit run is no date; look again from the next one
            continue
        hit, resume = _decode(m, text, strict)
        if hit is not None:
            hits.append(hit)
        pos = max(resume, m.start() + 1)
    return hits, glued


def _with_dashes(text: str, points: list[int]) -> str:
    pieces, last = [], 0
    for point in points:
        pieces += [text[last:point], "\u2013"]
        last = point
    return "".join([*pieces, text[last:]])


def _unglued_at(hits: list[_Hit], dash: int) -> bool:
    """Whether the dash put back at ``dash`` joins two valid dates, in order, into one range."""
    for hit in hits:
        if hit.start < dash < hit.end:
            if hit.rule != "range" or len(hit.parts) != 2 or hit.end_value is None:
                return False
            (_, a_end, a_value, _), (b_start, _, b_value, _) = hit.parts
            ordered = _sort_key(a_value) <= _sort_key(b_value)
            return a_end <= dash < b_start and b_value.precision == "day" and ordered
    return False


def _shift_hit(hit: _Hit, points: list[int]) -> _Hit:
    """A hit found in the text with dashes put back, with offsets into the text as written."""

    def back(x: int) -> int:
        return x - sum(1 for i, p in enumerate(points) if p + i < x)

    parts = tuple((back(s), back(e), v, r) for s, e, v, r in hit.parts)
    return _Hit(back(hit.start), back(hit.end), hit.value, hit.rule, hit.end_value, hit.warning, parts)


def _scan(text: str, strict: bool = True) -> list[_Hit]:
    """``_scan_once``, then again with a dash put back at each glue point that gives two dates in order.

    ``(1 May 189328 December 1936)`` lost the dash of ``1893 – 28 December``: a point is kept only when
    the range through it reads as two valid dates with the first not later than the second, so a
    six-digit number that is no such pair stays no date.  Offsets are mapped back to ``text``.
    """
    hits, glued = _scan_once(text, strict)
    accepted: list[int] = []
    for point in glued:
        trial = [*accepted, point]
        trial_hits = _scan_once(_with_dashes(text, trial), strict)[0]
        if _unglued_at(trial_hits, point + len(accepted)):
            accepted, hits = trial, trial_hits
    return [_shift_hit(hit, accepted) for hit in hits] if accepted else hits


def _to_match(text: str, hit: _Hit) -> DateMatch:
    raw = text[hit.start : hit.end]
    return DateMatch(hit.start, hit.end, raw, hit.value, hit.end_value, hit.rule, hit.warning)


def find_dates(text: str) -> list[DateMatch]:
    """Every date expression in running text as ``DateMatch``es (spans into ``text``), left to right."""
    return [_to_match(text, hit) for hit in _scan(text)]


# ---------------------------------------------------------------- lifespans

_BIRTH_MARK = re.compile(r"(?:\b(?:born|b\.|n[ée]e?)|\*)\s*:?\s*$", re.IGNORECASE)
_DEATH_MARK = re.compile(r"(?:\b(?:died|d\.|deceased)|[†✝+])\s*:?\s*$", re.IGNORECASE)
_OTHER_MARK = re.compile(r"\b(?:fl\.|floruit|active|r\.|reigned|in office)\s*:?\s*$", re.IGNORECASE)
_DASH_END = re.compile(rf"{_DASH}\s*$")
_DASH_START = re.compile(rf"\s*{_DASH}")


def _part_match(inner: str, part: tuple[int, int, DateValue, str], warning: str | None) -> DateMatch:
    start, end, value, rule = part
    return DateMatch(start, end, inner[start:end], value, None, rule, warning)


def _segment_hits(inner: str, hits: list[_Hit]) -> tuple[int, int, list[_Hit]]:
    """The last ``;``-separated segment of ``inner`` that holds a date, with its hits."""
    bounds, start = [], 0
    for i, ch in enumerate(inner):
        if ch == ";":
            bounds.append((start, i))
            start = i + 1
    bounds.append((start, len(inner)))
    for seg_start, seg_end in reversed(bounds):
        inside = [h for h in hits if seg_start <= h.start and h.end <= seg_end]
        if inside:
            return seg_start, seg_end, inside
    return 0, len(inner), []


def _either_hit(inner: str, hit: _Hit) -> _Hit:
    """A ``/`` "range" of two years in a lifespan is one year given as two alternatives (``645/646``)."""
    if hit.rule != "range" or len(hit.parts) != 2 or hit.end_value is None:
        return hit
    (a_start, a_end, a_value, _), (_, b_end, b_value, _) = hit.parts
    if inner[a_end : hit.parts[1][0]].strip() != "/":
        return hit
    value = _either_year(a_value, b_value)
    if value is None:
        return hit
    return _Hit(hit.start, hit.end, value, "either", None, hit.warning, ((a_start, b_end, value, "either"),))


def _adjacent_pairs(inner: str, hits: list[_Hit]) -> list[_Hit]:
    """Two single dates with only spaces between them (the dash was lost), in order, are one range."""
    out: list[_Hit] = []
    for hit in hits:
        last = out[-1] if out else None
        if (
            last is not None
            and last.end_value is None
            and hit.end_value is None
            and last.rule not in ("open-from", "open-until", "either")
            and hit.rule not in ("open-from", "open-until", "either")
            and not inner[last.end : hit.start].strip()
            and _sort_key(last.value) < _sort_key(hit.value)
        ):
            parts = (last.parts[0], hit.parts[0])
            out[-1] = _Hit(
                last.start, hit.end, last.value, "range", hit.value, last.warning or hit.warning, parts
            )
        else:
            out.append(hit)
    return out


def parse_lifespan(inner: str) -> Lifespan:
    """Birth and death from a lead parenthesis' content; one unmarked date gives ``ambiguous=True``.

    The caller has already delimited a run of date words, so a bare three-digit year counts
    (``died 645/646``, ``c. 350 – 285 BC``).  Two alternatives joined by ``/`` are one date
    (``_either_hit``); two dates side by side with no dash between them are a range
    (``_adjacent_pairs``); ``fl.`` / ``r.`` marks an active period, neither birth nor death.
    """
    hits = _adjacent_pairs(inner, [_either_hit(inner, hit) for hit in _scan(inner, strict=False)])
    seg_start, seg_end, hits = _segment_hits(inner, hits)
    if not hits:
        return Lifespan(None, None, False)
    birth: DateMatch | None = None
    death: DateMatch | None = None
    unassigned = 0
    previous_end = seg_start
    for i, hit in enumerate(hits):
        before = inner[previous_end : hit.start]
        following = hits[i + 1].start if i + 1 < len(hits) else seg_end
        after = inner[hit.end : following]
        previous_end = hit.end
        if _OTHER_MARK.search(before) or hit.rule in ("open-from", "open-until"):
            unassigned += 1
        elif hit.rule == "range" and len(hit.parts) == 2:
            birth = birth or _part_match(inner, hit.parts[0], hit.warning)
            death = death or _part_match(inner, hit.parts[1], hit.warning)
        elif _BIRTH_MARK.search(before) and birth is None:
            birth = _part_match(inner, hit.parts[0], hit.warning)
        elif (_DEATH_MARK.search(before) or _DASH_END.search(before)) and death is None:
            death = _part_match(inner, hit.parts[0], hit.warning)
        elif _DASH_START.match(after) and i + 1 == len(hits) and birth is None:
            birth = _part_match(inner, hit.parts[0], hit.warning)
        else:
            unassigned += 1
    return Lifespan(birth, death, unassigned > 0)


def old_style_edtf(value: DateValue) -> str | None:
    """The Julian (Old Style) day of a date converted from a dual-calendar pair, as EDTF; else None.

    A page that states ``13 [O.S. 1 May] May 1895`` in its lead may give ``1 May 1895``
    alone in its infobox: the same day in the old calendar, not a second birth date.
    """
    if value.calendar_note != JULIAN_CONVERTED or value.precision != "day" or value.year < 1:
        return None
    y, m, d = (int(p) for p in value.edtf.rstrip("~?%").split("-"))
    jy, jm, jd = julian.from_gregorian(y, m, d)
    return f"{jy:04d}-{jm:02d}-{jd:02d}"
