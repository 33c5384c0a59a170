"""Lead sentences: parse the opening sentence of a biography or a link gloss into a ``Lead``.

Pure: ``parse_lead(sentence)`` reads one string and every span it returns is an
offset into that string (end exclusive). The layout it reads is the
encyclopaedic lead ``SUBJECT [or VARIANT ...] [ZONE] VERB DESCRIPTION.`` where
the ZONE between the name and the verb holds parentheses (native spellings,
lifespans, transcription debris), ``also known as`` / ``born`` / ``née`` phrases
and, in scraped text, stray template debris.

Stages (numbers repeated in the body):
1. a trailing `` ...`` / ``…`` marks a cut gloss: it is set aside and flagged;
2. the subject: a run of capitalised tokens (initials, particles and ``of``/``for``
   between capitalised tokens allowed) after an optional leading ``The`` (or ``A``/``An``);
   a quoted nickname inside the run (``Ivan "Vanya" Sidorov``) is an alias and, with
   glued footnote markers (``Bosch[b]``), is left out of the subject's text;
3. variants: ``X or Y or Z`` right after the subject (and ``X (…) or Y (…)``, read in 5);
4. the zone runs to the first ``was``/``is``/``were``/``are`` outside parentheses
   and quotes, or to the end of the first sentence; its top-level parentheses are
   the lead's ``parens``;
5. each zone piece (parenthesis content or text between them), split at ``;``:
   lifespan segment → ``dates.parse_lifespan`` (with ``in PLACE`` right after a birth or
   death date as that date's place); non-Latin runs → native names, one
   per run of one script (pronunciation fields ``p=``, ``/…/``, ``[…]`` skipped; a
   bracketed nickname in the run's script stays in it); cue phrases (``also known
   as``, ``sometimes``, ``known by her pen name``, ``née``, ``born as``) → aliases,
   birth name, abbreviations; a Latin name after a language label (``Aromanian: X``)
   or after a native name and a comma (its romanisation) → alias; ``or Y`` between
   parentheses → variant; everything else is ignored (``rus,``, ``r=…``, italic
   romanisations, ``now Belarus``);
6. the description: from after the verb to the end of the first sentence;
7. ``is_person``: the subject looks like a person name (or a byname ``X of Y``) and a
   date was found or the description's head noun names a person.
Dates found anywhere in the zone belong to the subject, even inside an alias's
parenthesis. Nothing is invented: a lone date the dates module cannot place stays
``lifespan_ambiguous`` with no birth and no death.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

import regex

from pipeline.normalise.dates import DateMatch, parse_lifespan
from pipeline.normalise.names import (
    PARTICLES,
    looks_like_byname,
    looks_like_person_name,
    script_of,
    split_name_variants,
)
from pipeline.normalise.text import FOOTNOTE_MARKER
from pipeline.records import Span


@dataclass(frozen=True, slots=True)
class NameMention:
    """A name found in a lead. ``text`` is the name with quote marks and wiki quotes removed;
    ``span`` covers it as written (they differ only by those marks)."""

    text: str
    span: Span
    script: str


@dataclass(frozen=True, slots=True)
class Lead:
    subject: str
    subject_span: Span
    variants: tuple[NameMention, ...] = ()  # the other names of "X or Y or Z" (X itself excluded)
    aliases: tuple[NameMention, ...] = ()
    native_names: tuple[NameMention, ...] = ()
    birth_name: NameMention | None = None
    abbreviations: tuple[NameMention, ...] = ()
    birth: DateMatch | None = None
    death: DateMatch | None = None
    lifespan_ambiguous: bool = False
    lifespan_span: Span | None = None  # the text handed to parse_lifespan
    birth_place: NameMention | None = None  # ``born 3 May 1850 in Kazan``: the place right after a date
    death_place: NameMention | None = None
    description: str | None = None
    description_span: Span | None = None
    is_person: bool = False
    parens: tuple[Span, ...] = ()
    truncated: bool = False


# ---------------------------------------------------------------- vocabulary

_TOKEN_RE = re.compile(r"\S+")
_TRUNCATION_RE = re.compile(r"\s*(?:\.\.\.|…)\s*$")
_CONNECTORS = frozenset({"of", "for", "and", "the", "on", "upon", "&", *PARTICLES})


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_ABBREVIATIONS = _words(
    """mr mrs ms dr st jr sr gen col lt capt maj sgt prof rev hon mt no vs etc c ca approx
    inc ltd co corp fl b d est op cf al jan feb mar apr jun jul aug sep sept oct nov dec
    adm cmdr gov sen rep pres ft"""
)
_VERB_RE = re.compile(r"(?:was|is|were|are)(?=\s)")
_MONTHS = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?"
)
_DATE_WORD = (
    rf"(?:\d{{1,4}}(?:st|nd|rd|th)?\??|\(\d{{1,2}}\)|{_MONTHS}|c\.|ca\.|circa|born|b\.|died|d\.|fl\.|bap\.|bapti[sz]ed|christened|buried|"
    r"about|around|after|before|between|and|or|O\.S\.|N\.S\.|BCE?|AD|CE|\[O\.S\.|\[N\.S\.)"
)
_DATE_SEP = r"[\s,–—\-/~\[\]]"
_YEAR_RE = re.compile(r"(?<![\d=])(?:\d{3,4}(?!\d)|\d{1,4}(?=\s?(?:BCE?|AD|CE)\b)|(?<=AD\s)\d{1,2}(?!\d))")
_DATE_BACK_RE = re.compile(rf"(?:{_DATE_WORD}{_DATE_SEP}*)*$")
_DATE_FWD_RE = re.compile(rf"(?:{_DATE_SEP}*{_DATE_WORD})*\??")
_OPEN_DASH_RE = re.compile(r"(?:\?\s*)?[–—-]\s*$")
_CLOSE_DASH_RE = re.compile(r"[\s–—-]*[–—-][\s?]*$")
_BAPTISM_RE = re.compile(r"\b(?:bap\.|bapti[sz]ed|christened)", re.IGNORECASE)
_LIFE_PLACE_RE = regex.compile(
    r",?[ \t]+(?:in|at)[ \t]+(?P<place>\p{Lu}[^;()\[\]\n]*?)(?=,[ \t]*(?:died|d\.)[ \t]|[ \t.]*$)"
)
"""A place right after a lifespan date, to the next ``died`` or the end of the parenthesis
(``born 3 May 1850 in Kazan, Russia, died ...``)."""

_ALIAS_CUE = (
    r"(?:(?:also|commonly|better|simply|professionally|popularly|widely|otherwise|sometimes|"
    r"often|originally|formerly|locally|usually|mostly|generally)\s+){0,2}"
    r"(?:known\s+by\s+(?:(?:his|her|their|the)\s+)?(?:(?:pen|stage|assumed|given)\s+)?"
    r"(?:name|pseudonym|nickname|epithet|sobriquet)?\s*"
    r"|(?:known|spelt|spelled|called|written|transliterated|romani[sz]ed|rendered|styled|referred\s+to)"
    r"(?:\s+as\s+|\s*:\s*|\s+))"
    r"|\b(?:AKA|aka|a\.k\.a\.?)\s+"
    r"|\bofficially(?:\s+(?:known\s+as|called|named|styled))?\s+"
    r"|\b(?:nicknamed|dubbed)\s+|\b(?:the\s+)?(?:nickname|epithet|sobriquet|pseudonym|pen\s+name)\s*:?\s+"
    r"|\b(?:sometimes|also)\s+(?=[\"“]?(?-i:[A-Z]))"
)
"""Phrases that introduce another name of the subject. The bare ``sometimes``/``also``
cue only counts before a capital (``sometimes Ivo Marek``); a pen-name or nickname cue
may stand alone (``known by her pen name X``, ``the nickname "X"``)."""
_BIRTH_NAME_CUE = r"\b(?:birth\s+name|born\s+as|born|n[ée]e|original\s+name|real\s+name)\s*:?\s+"
_ABBREV_CUE = r"\babbreviated(?:\s+as)?\s+|\bshort\s+for\s+"
_CUE_RE = re.compile(
    rf"(?P<alias>{_ALIAS_CUE})|(?P<birth_name>{_BIRTH_NAME_CUE})|(?P<abbrev>{_ABBREV_CUE})",
    re.IGNORECASE,
)
_ACRONYM_RE = re.compile(r"[A-Z][A-Z0-9&.\-]{1,9}")
_PRON_FIELD_RE = re.compile(r"\b(?:p|IPA|pron)=[^,;]*|/[^/,;]*/|\[[^\],;]*\]")
_SCRIPT_WORDS_RE = regex.compile(r"[\p{L}\p{M}\s'’\-]+")
_LATIN_LETTER_RE = regex.compile(r"\p{Script=Latin}")
_FOOTNOTE_RE = re.compile(rf"{FOOTNOTE_MARKER}|\[citation needed\]")
"""A footnote marker glued to a word (``Bosch[b]``, ``Fereu[1]``): never part of a name."""
_TRAILING_FOOTNOTE_RE = re.compile(rf"(?:{_FOOTNOTE_RE.pattern})+[\s,.;:]*$")
_NICKNAME_RE = re.compile(r"(?<!\S)([\"“])([^\"“”\n]{1,40})[\"”](?!\S)")
"""A nickname in double quotes between the words of a name (``Ivan "Vanya" Sidorov``)."""
_LABEL_RE = regex.compile(r"\s*(?P<label>\p{L}{2,15})\s*:\s*")
"""A language label opening a field of the parenthesis (``Aromanian: ``, ``russian:``)."""
_PARTICLE_HEAD_RE = regex.compile(r"(?:al|el|ad|an|ar|as|at|az|ash|ul|ibn|bin|bint|ben)-\p{Lu}")
"""A name may open with an Arabic article or kin word joined by a hyphen (``al-Khansāʾ``)."""
_WORD_RE = regex.compile(r"[\p{L}\p{M}][\p{L}\p{M}'’\-]*")
_QUOTE_CHARS = '"“”„«»'
_TRIM_CHARS = " \t\r\n,.;:'{}[]|_–—-" + _QUOTE_CHARS

_PERSON_NOUNS = _words(
    """officer agent spy spymaster politician statesman stateswoman diplomat singer writer author
    poet novelist journalist anthropologist historian scientist physicist chemist mathematician
    engineer physician doctor surgeon lawyer attorney judge soldier general admiral commander
    leader official revolutionary activist actor actress artist painter composer musician pianist
    violinist conductor philosopher economist teacher professor businessman businesswoman
    entrepreneur priest bishop monk nun rabbi imam king queen prince princess emperor empress tsar
    nobleman noblewoman aristocrat defector assassin murderer criminal dissident chekist commissar
    functionary bureaucrat administrator director head chief minister ambassador president premier
    secretary mayor governor athlete footballer boxer wrestler explorer inventor architect sculptor
    photographer filmmaker producer dancer ballerina man woman person emigre émigré refugee
    socialite heir heiress linguist translator scholar academic researcher critic editor publisher
    banker merchant industrialist pilot aviator cosmonaut astronaut sailor colonel major captain
    lieutenant sergeant marshal guerrilla partisan insurgent terrorist anarchist bolshevik menshevik
    psychologist sociologist biologist archaeologist ethnographer geographer propagandist publicist
    playwright screenwriter lyricist cartoonist columnist essayist dramatist theologian
    mathematician astronomer botanist zoologist geologist informant courier illegal operative
    chairman chairwoman deputy commissioner prosecutor investigator interrogator executioner
    revolutionist militant philanthropist senator orator grammarian consul tribune general moneyer
    scribe courtier missionary saint martyr abbot abbess chronicler jurist magistrate"""
)
_CLAUSE_END_RE = re.compile(r",|;|\s(?:who|whom|whose|which|that|of|in|from|and|with|at|for|during|until)\s")


# ---------------------------------------------------------------- small helpers


def _is_initial_or_abbrev(core: str) -> bool:
    """``M.``, ``U.S.``, ``Jr.``, ``St.``: a dot that does not end a sentence."""
    word = core[:-1]
    if "." in word or len(word) == 1:
        return True
    return word.casefold() in _ABBREVIATIONS


def _is_sentence_end(s: str, i: int, limit: int) -> bool:
    """Whether the ``.`` at ``i`` ends a sentence: whitespace then a capital/quote or the end."""
    j = i + 1
    if j >= limit:
        return True
    if not s[j].isspace():
        return False
    while j < limit and s[j].isspace():
        j += 1
    if j < limit and not (s[j].isupper() or s[j] in _QUOTE_CHARS):
        return False
    m = re.search(r"\S+$", s[max(0, i - 40) : i])
    return m is None or not _is_initial_or_abbrev(m.group() + ".")


def _name_like(token: str) -> bool:
    """A capitalised token; an ayin/hamza (``ʿAmr``) or a hyphened article (``al-Ḥārith``) may precede the capital."""
    core = token.lstrip(_QUOTE_CHARS + "'ʿʾ")
    return bool(core) and (core[0].isupper() or bool(_PARTICLE_HEAD_RE.match(core)))


def _clean_name(raw: str) -> str:
    """A name as written → the name: quoted nicknames, footnote markers, quote marks and wiki quotes removed."""
    text = _NICKNAME_RE.sub(" ", raw) if len(raw.split()) > 2 else raw
    text = _FOOTNOTE_RE.sub("", text)
    return " ".join(re.sub(rf"''+|[{_QUOTE_CHARS}]", "", text).split())


def _nicknames(s: str, start: int, end: int) -> list[NameMention]:
    """The quoted nicknames inside the name ``s[start:end]`` (``Ivan "Vanya" Sidorov`` → ``Vanya``)."""
    out = []
    for m in _NICKNAME_RE.finditer(s, start, end):
        if s[start : m.start()].strip() and s[m.end() : end].strip():
            text = " ".join(m.group(2).split())
            out.append(NameMention(text, Span(m.start(), m.end()), script_of(text)))
    return out


def _name_run(s: str, pos: int, limit: int) -> int:
    """End of the run of name tokens starting at ``pos`` (``pos`` itself when there is none).

    A quoted nickname between two name tokens (``Ivan "Vanya" Sidorov``) and a footnote
    marker glued to a token (``Bosch[b]``) stay inside the run; ``_clean_name`` removes them.
    """
    end = pos
    tokens = _TOKEN_RE.finditer(s, pos, limit)
    m = next(tokens, None)
    expected = pos
    first = True
    while m is not None:
        t_start, token = m.start(), m.group()
        following = next(tokens, None)
        gap = s[expected:t_start]
        if "\n" in gap or (not first and not gap):
            break
        if not first and token[0] in '"“' and (nick := _NICKNAME_RE.match(s, t_start, limit)):
            after = _TOKEN_RE.search(s, nick.end(), limit)
            if after is None or "\n" in s[nick.end() : after.start()] or not _name_like(after.group()):
                break
            expected = nick.end()
            tokens = _TOKEN_RE.finditer(s, after.start(), limit)
            m = next(tokens, None)
            continue
        if token.startswith(("(", "[", "{")):
            break
        foot = re.search(rf"(?:{_FOOTNOTE_RE.pattern})+$", token)
        if foot and foot.start() > 0:
            token = token[: foot.start()]
        core = token.rstrip(",;:}]|)\"'”")
        stop_after = core != token
        if core.endswith(".") and not _is_initial_or_abbrev(core):
            core, stop_after = core[:-1], True
        if not core:
            break
        if core.casefold() in _CONNECTORS and not stop_after:
            nxt = following.group() if following else ""
            if not (end > pos and _name_like(nxt)):
                break
        elif not _name_like(core):
            break
        else:
            end = t_start + len(core)
        expected = t_start + len(m.group())
        if stop_after:
            break
        m, first = following, False
    return end


def _trim(s: str, start: int, end: int, chars: str = _TRIM_CHARS) -> tuple[int, int]:
    while start < end and s[start] in chars:
        start += 1
    while end > start and s[end - 1] in chars:
        end -= 1
    return start, end


def _mention(s: str, start: int, end: int) -> NameMention | None:
    """A Latin-script name from ``s[start:end]``: quotes, wiki quotes, notes, footnotes and articles trimmed.

    A name wholly in quotes is taken as quoted, lower case and article included
    (``the nickname "the iron lady"``).
    """
    foot = _TRAILING_FOOTNOTE_RE.search(s, start, end)
    if foot and foot.start() > start:
        end = foot.start()
    start, end = _trim(s, start, end)
    if 0 < start < end < len(s) and s[start - 1] in '"“' and s[end] in '"”' and "(" not in s[start:end]:
        text = " ".join(s[start:end].split())
        if not any(ch.isdigit() for ch in text) and len(text.split()) <= 6:
            return NameMention(text, Span(start, end), script_of(text))
        return None
    paren = s.find("(", start, end)
    if paren > start:
        start, end = _trim(s, start, paren)
    while True:
        m = re.match(r"(?:and|or|the)\s+", s[start:end], re.IGNORECASE)
        if m is None:
            break
        start, end = _trim(s, start + m.end(), end)
    raw = s[start:end]
    text = " ".join(re.sub(rf"''+|[{_QUOTE_CHARS}]", "", raw).split())
    if not text or not _name_like(text) or any(ch.isdigit() for ch in text):
        return None
    if len(text.split()) > 8:
        return None
    return NameMention(text, Span(start, end), script_of(text))


def _split_list(s: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split a list of names at ``,``/``;``/`` or ``/`` and ``/quote boundaries outside quotes."""
    pieces: list[tuple[int, int]] = []
    in_quote = False
    piece_start = start
    i = start
    while i < end:
        ch = s[i]
        if ch in _QUOTE_CHARS:
            closing = ch in '"”»' and in_quote
            in_quote = not closing if ch == '"' else ch in "“„«"
            if closing and s[i - 1] in ",;":  # "Ignace Poretsky," "Ignatz Reiss,"
                pieces.append((piece_start, i + 1))
                piece_start = i = i + 1
                continue
            if closing:
                j = i + 1
                while j < end and s[j].isspace():
                    j += 1
                if j < end and s[j] in _QUOTE_CHARS:
                    pieces.append((piece_start, i + 1))
                    piece_start, i = j, j
                    continue
        elif not in_quote:
            m = re.match(r",|;|\s+(?:or|and)\s+", s[i:end])
            if m:
                pieces.append((piece_start, i))
                piece_start = i + m.end()
                i = piece_start
                continue
        i += 1
    pieces.append((piece_start, end))
    return [p for p in pieces if p[1] > p[0]]


def _split_top(s: str, start: int, end: int, seps: str) -> list[tuple[int, int]]:
    """Split ``s[start:end]`` at separators outside nested parentheses."""
    out: list[tuple[int, int]] = []
    depth, piece = 0, start
    for i in range(start, end):
        ch = s[i]
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif ch in seps and depth == 0:
            out.append((piece, i))
            piece = i + 1
    out.append((piece, end))
    return out


def _native_bracket(field: str) -> bool:
    """``[Буду]``: a bracket holding words of one non-Latin script is a bracketed nickname, not a pronunciation."""
    inner = field[1:-1]
    return (
        field.startswith("[")
        and bool(_SCRIPT_WORDS_RE.fullmatch(inner))
        and script_of(inner) not in ("Latn", "Zyyy", "Zzzz")
        and not _LATIN_LETTER_RE.search(inner)
    )


def _native_runs(s: str, start: int, end: int) -> list[NameMention]:
    """Maximal runs of same-script non-Latin words, outside pronunciation fields.

    A bracketed nickname in the run's script joins the run (``Иван [Ваня] Сидоров``).
    """
    masked = list(s[start:end])
    for m in _PRON_FIELD_RE.finditer(s, start, end):
        if _native_bracket(m.group()):
            continue
        for i in range(m.start(), m.end()):
            masked[i - start] = " "
    text = "".join(masked)
    out: list[NameMention] = []
    run: list[tuple[int, int]] = []
    run_script = ""

    def flush() -> None:
        if run:
            a, b = start + run[0][0], start + run[-1][1]
            if s.count("[", a, b) > s.count("]", a, b) and b < end and s[b] == "]":
                b += 1
            name = s[a:b]
            if sum(ch.isalpha() for ch in name) >= 2:
                out.append(NameMention(name, Span(a, b), run_script))

    for m in _WORD_RE.finditer(text):
        script = script_of(m.group())
        gap = text[run[-1][1] : m.start()] if run else ""
        joined = script == run_script and gap in (" ", "\u00a0", "·", " · ", " [", "] ")
        if script in ("Latn", "Zyyy", "Zzzz"):
            flush()
            run, run_script = [], ""
        elif joined:
            run.append((m.start(), m.end()))
        else:
            flush()
            run, run_script = [(m.start(), m.end())], script
    flush()
    return out


def _date_segment(s: str, start: int, end: int) -> tuple[int, int] | None:
    """The first run of date words around a 3-4 digit year in ``s[start:end]``."""
    for y in _YEAR_RE.finditer(s, start, end):
        if re.search(r"[=/]\S*$", s[start : y.start()]):  # r=, p=, or a URL
            continue
        back = _DATE_BACK_RE.search(s, max(start, y.start() - 80), y.start())
        a = back.start() if back else y.start()
        dash = _OPEN_DASH_RE.search(s, start, a)  # "( – 1953)", "(? – 1953)": birth unknown
        if dash and not s[start : dash.start()].strip(" \t\r\n,;("):
            a = dash.start()
        fwd = _DATE_FWD_RE.match(s, y.start(), end)
        b = fwd.end() if fwd else y.end()
        b = _through_places(s, b, end)
        open_end = _CLOSE_DASH_RE.match(s, b, end)  # "(1888 – )", a cut "(1888 – ": a birth, death unstated
        a, b = _trim(s, a, b, " \t\r\n,;[")
        b = _trim(s, a, b, " \t\r\n,;–—-[")[1]
        if open_end:
            b = _trim(s, a, open_end.end(), " \t\r\n,;[?")[1]
        if b > a:
            return a, b
    return None


def _through_places(s: str, b: int, end: int) -> int:
    """Extend a date run over ``in PLACE`` when a ``died`` date or the end of the piece follows."""
    for _ in range(2):  # a birth place, then a death place
        place = _LIFE_PLACE_RE.match(s, b, end)
        if place is None:
            break
        fwd = _DATE_FWD_RE.match(s, place.end(), end)
        b = fwd.end() if fwd and fwd.end() > place.end() else place.end()
    return b


def _life_place(s: str, after: DateMatch | None, b: int) -> NameMention | None:
    """The place stated right after a birth or death date of the lifespan, if any."""
    place = _LIFE_PLACE_RE.match(s, after.end, b) if after is not None else None
    if place is None:
        return None
    start, end = _trim(s, place.start("place"), place.end("place"), " \t,.")
    return NameMention(s[start:end], Span(start, end), script_of(s[start:end])) if end > start else None


def _shift(m: DateMatch | None, offset: int) -> DateMatch | None:
    if m is None:
        return None
    return replace(m, start=m.start + offset, end=m.end + offset)


# ---------------------------------------------------------------- the zone


@dataclass
class _Zone:
    aliases: list[NameMention]
    native: list[NameMention]
    abbreviations: list[NameMention]
    variants: list[NameMention] = field(default_factory=list)
    birth_name: NameMention | None = None
    birth: DateMatch | None = None
    death: DateMatch | None = None
    ambiguous: bool = False
    lifespan_span: Span | None = None
    birth_place: NameMention | None = None
    death_place: NameMention | None = None


def _zone_end(
    s: str, pos: int, limit: int, quotes: bool = True
) -> tuple[int, tuple[Span, ...], re.Match[str] | None]:
    """Scan from ``pos``: (end of zone, top-level parenthesis spans, verb match or None).

    Text inside double quotes at the top level is skipped; when a quote never closes
    the scan is repeated without quote tracking, so a stray ``"`` cannot hide the verb.
    """
    parens: list[Span] = []
    depth, open_at, in_quote = 0, -1, False
    i = pos
    while i < limit:
        ch = s[i]
        if in_quote and ch != '"':
            pass
        elif ch == "(":
            if depth == 0:
                open_at = i
            depth += 1
        elif ch == ")" and depth > 0:
            depth -= 1
            if depth == 0:
                parens.append(Span(open_at, i + 1))
        elif depth == 0 and ch == '"' and quotes:
            in_quote = not in_quote
        elif depth == 0 and not in_quote:
            if ch == "." and _is_sentence_end(s, i, limit):
                return i, tuple(parens), None
            if (i == 0 or s[i - 1].isspace()) and (verb := _VERB_RE.match(s, i, limit)):
                return i, tuple(parens), verb
        i += 1
    if in_quote:
        return _zone_end(s, pos, limit, quotes=False)
    if depth > 0:
        parens.append(Span(open_at, limit))
    return limit, tuple(parens), None


def _pieces(s: str, start: int, end: int, parens: tuple[Span, ...]) -> list[tuple[int, int]]:
    """The zone cut into parenthesis contents and the text between them."""
    out: list[tuple[int, int]] = []
    pos = start
    for p in parens:
        out.append((pos, p.start))
        inner_end = p.end - 1 if s[p.end - 1] == ")" else p.end
        out.append((p.start + 1, inner_end))
        pos = p.end
    out.append((pos, end))
    return [(a, b) for a, b in out if b > a]


def _read_lifespan(s: str, zone: _Zone, a: int, b: int) -> None:
    segment = s[a:b]
    life = parse_lifespan(segment)
    if life.birth is None and life.death is None and not life.ambiguous:
        return
    zone.birth, zone.death, zone.ambiguous = _shift(life.birth, a), _shift(life.death, a), life.ambiguous
    zone.lifespan_span = Span(a, b)
    if zone.birth is not None and _BAPTISM_RE.search(s, a, zone.birth.start):
        zone.birth = None  # a baptism date is not a birth date
    zone.birth_place, zone.death_place = _life_place(s, zone.birth, b), _life_place(s, zone.death, b)


def _read_names(s: str, zone: _Zone, a: int, b: int) -> None:
    """Cue phrases and acronyms in a Latin stretch of an item."""
    cues = list(_CUE_RE.finditer(s, a, b))
    bounds = [c.start() for c in cues[1:]] + [b] if cues else []
    _read_plain(s, zone, a, cues[0].start() if cues else b)
    for cue, stop in zip(cues, bounds, strict=True):
        kind = cue.lastgroup
        for p_start, p_end in _split_list(s, cue.end(), stop):
            m = _mention(s, p_start, p_end)
            if m is None or m.script != "Latn":
                continue
            if kind == "alias":
                zone.aliases.append(m)
            elif kind == "abbrev":
                zone.abbreviations.append(m)
            elif kind == "birth_name" and zone.birth_name is None:
                zone.birth_name = m


def _read_plain(s: str, zone: _Zone, a: int, b: int) -> None:
    """Text without a cue: only acronyms (``USSR``, ``MSU``) are kept, as abbreviations."""
    for p_start, p_end in _split_top(s, a, b, ","):
        p_start, p_end = _trim(s, p_start, p_end, " \t\r\n,.;:")
        token = s[p_start:p_end]
        if _ACRONYM_RE.fullmatch(token) and sum(ch.isupper() for ch in token) >= 2:
            zone.abbreviations.append(NameMention(token, Span(p_start, p_end), "Latn"))


_NOT_LANGUAGE_LABELS = _words(
    "ipa pronounced pronunciation lit literally meaning transl translit born died note see"
)


def _name_shaped(text: str) -> bool:
    """A person name, or one capitalised word; a bracketed nickname inside (``[Budu]``) is ignored."""
    bare = " ".join(re.sub(r"\[[^\]]*\]", " ", text).split())
    return looks_like_person_name(bare) or (len(bare.split()) == 1 and _name_like(bare) and bare.isalpha())


def _read_field_names(s: str, zone: _Zone, a: int, b: int, natives: list[NameMention]) -> None:
    """Latin names a field gives without a cue: after a language label, or after a native name.

    ``Aromanian: Riga Fereu`` → alias ``Riga Fereu``; ``Поликарп Мдивани, Polikarp Mdivani``
    (the romanisation following a native name after a comma) → alias ``Polikarp Mdivani``.
    """
    starts = []
    label = _LABEL_RE.match(s, a, b)
    if label and label["label"].casefold() not in _NOT_LANGUAGE_LABELS:
        starts.append(label.end())
    for native in natives:
        comma = re.match(r"\s*,\s*", s[native.span.end : b])
        if comma:
            starts.append(native.span.end + comma.end())
    for field_start in starts:
        field_end = min(
            [i for i in (s.find(",", field_start, b), s.find(";", field_start, b)) if i >= 0] + [b]
        )
        if _CUE_RE.match(s, field_start, field_end) or ":" in s[field_start:field_end]:
            continue
        m = _mention(s, field_start, field_end)
        if m is not None and m.script == "Latn" and _name_shaped(m.text):
            zone.aliases.append(m)


def _read_variant(s: str, zone: _Zone, a: int, b: int) -> None:
    """``X (…) or Y (…)``: a name after ``or`` between two parentheses is a variant of the subject."""
    m = re.match(r"\s*,?\s*or\s+", s[a:b])
    if m is None:
        return
    run_end = _name_run(s, a + m.end(), b)
    name = _mention(s, a + m.end(), run_end) if run_end > a + m.end() else None
    if name is not None and name.script == "Latn":
        zone.variants.append(name)


def _read_zone(s: str, start: int, end: int, parens: tuple[Span, ...]) -> _Zone:
    zone = _Zone([], [], [])
    paren_starts = {p.start + 1 for p in parens}
    for piece_start, piece_end in _pieces(s, start, end, parens):
        if piece_start not in paren_starts and piece_start > start:
            _read_variant(s, zone, piece_start, piece_end)
        for a, b in _split_top(s, piece_start, piece_end, ";"):
            seg = _date_segment(s, a, b) if zone.lifespan_span is None else None
            if seg is not None:
                _read_lifespan(s, zone, *seg)
                if zone.lifespan_span is None:
                    seg = None
            natives = _native_runs(s, a, b)
            zone.native.extend(natives)
            _read_field_names(s, zone, a, b, natives)
            if seg is not None:
                _read_names(s, zone, a, seg[0])
                _read_names(s, zone, seg[1], b)
            else:
                _read_names(s, zone, a, b)
    return zone


# ---------------------------------------------------------------- description and person test


def _description(s: str, pos: int, limit: int) -> tuple[str, Span] | None:
    start = pos
    while start < limit and s[start].isspace():
        start += 1
    depth, end = 0, limit
    for i in range(start, limit):
        ch = s[i]
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif ch == "\n" or (ch == "." and depth == 0 and _is_sentence_end(s, i, limit)):
            end = i
            break
    start, end = _trim(s, start, end, " \t\r\n,;:")
    if end <= start:
        return None
    return s[start:end], Span(start, end)


def _describes_person(description: str | None) -> bool:
    """Whether the head of the predicate's first clause is a person noun (``a Soviet ... officer``)."""
    if not description:
        return False
    if re.match(r"born\b", description, re.IGNORECASE):
        return True
    clause = _CLAUSE_END_RE.split(description, maxsplit=1)[0]
    words = re.split(r"[\s\-]+", clause.casefold())
    return any(w.strip("'\".") in _PERSON_NOUNS for w in words)


# ---------------------------------------------------------------- entry point


def parse_lead(sentence: str) -> Lead:
    """Parse a lead sentence or gloss (see the module stages); spans are offsets into ``sentence``."""
    s = sentence
    # 1. a cut gloss
    cut = _TRUNCATION_RE.search(s)
    limit = cut.start() if cut else len(s)
    # 2. subject
    pos = 0
    while pos < limit and (s[pos].isspace() or s[pos] in "'\"“"):
        pos += 1
    article = re.match(r"(?:The|An?)\s+(?=\S)", s[pos:limit])
    if article and (article.group().startswith("A") or _name_like(s[pos + article.end() :][:1] or "x")):
        pos += article.end()  # "The Union of ..." → "Union of ...", "A diplomat is ..." → "diplomat"
    subject_end = _name_run(s, pos, limit)
    if subject_end == pos:
        zone_end, _, verb = _zone_end(s, pos, limit)
        marks = (s.find("(", pos, zone_end), s.find(",", pos, zone_end), s.find("\n", pos, zone_end))
        stop = min([i for i in marks if i >= 0] + [zone_end])
        subject_end = _trim(s, pos, stop, " \t\r\n,;:")[1]
    # 3. variants
    names_end = subject_end
    while m := re.compile(r",?[ \t]+or[ \t]+").match(s, names_end, limit):
        run_end = _name_run(s, m.end(), limit)
        if run_end == m.end():
            break
        names_end = run_end
    split = split_name_variants(s[pos:names_end]) if names_end > subject_end else []
    variants = tuple(NameMention(t, Span(pos + a, pos + b), script_of(t)) for t, a, b in split[1:])
    subject_span = Span(pos, subject_end)
    # 4. zone
    zone_end, parens, verb = _zone_end(s, names_end, limit)
    # 5. zone contents
    zone = _read_zone(s, names_end, zone_end, parens)
    # 6. description
    desc = _description(s, verb.end(), limit) if verb else None
    description, description_span = desc if desc else (None, None)
    # 7. person test
    subject = _clean_name(s[subject_span.start : subject_span.end])
    dated = zone.birth is not None or zone.death is not None or zone.ambiguous
    is_person = (looks_like_person_name(subject) or looks_like_byname(subject)) and (
        dated or _describes_person(description)
    )
    return Lead(
        subject=subject,
        subject_span=subject_span,
        variants=variants + tuple(zone.variants),
        aliases=tuple(_nicknames(s, subject_span.start, subject_span.end) + zone.aliases),
        native_names=tuple(zone.native),
        birth_name=zone.birth_name,
        abbreviations=tuple(zone.abbreviations),
        birth=zone.birth,
        death=zone.death,
        lifespan_ambiguous=zone.ambiguous,
        lifespan_span=zone.lifespan_span,
        birth_place=zone.birth_place,
        death_place=zone.death_place,
        description=description,
        description_span=description_span,
        is_person=is_person,
        parens=parens,
        truncated=cut is not None,
    )
