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
3. variants: ``X or Y or Z`` right after the subject;
4. the zone runs to the first ``was``/``is``/``were``/``are`` outside parentheses
   and quotes, or to the end of the first sentence; its top-level parentheses are
   the lead's ``parens``;
5. each zone piece (parenthesis content or text between them), split at ``;``:
   lifespan segment → ``dates.parse_lifespan``; non-Latin runs → native names
   (pronunciation fields ``p=``, ``/…/``, ``[…]`` skipped); cue phrases → aliases,
   birth name, abbreviations; everything else is ignored (``rus,``, ``r=…``, italic
   romanisations, ``now Belarus``);
6. the description: from after the verb to the end of the first sentence;
7. ``is_person``: the subject looks like a person name and a date was found or the
   description's head noun names a person.
Dates found anywhere in the zone belong to the subject, even inside an alias's
parenthesis. Nothing is invented: a lone date the dates module cannot place stays
``lifespan_ambiguous`` with no birth and no death.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import regex

from pipeline.normalise.dates import DateMatch, parse_lifespan
from pipeline.normalise.names import PARTICLES, looks_like_person_name, script_of, split_name_variants
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

_ALIAS_CUE = (
    r"(?:(?:also|commonly|better|simply|professionally|popularly|widely|otherwise|sometimes|"
    r"often|originally|formerly|locally|usually)\s+)?"
    r"(?:known|spelt|spelled|called|written|transliterated|romani[sz]ed|rendered|styled)\s+(?:as\s+)?"
    r"|\b(?:AKA|aka|a\.k\.a\.?)\s+"
    r"|\bofficially(?:\s+(?:known\s+as|called|named|styled))?\s+"
    r"|\bnicknamed\s+|\bpseudonym\s+|\bpen\s+name\s+"
)
_BIRTH_NAME_CUE = r"\b(?:birth\s+name|born\s+as|born|n[ée]e|original\s+name|real\s+name)\s*:?\s+"
_ABBREV_CUE = r"\babbreviated(?:\s+as)?\s+|\bshort\s+for\s+"
_CUE_RE = re.compile(
    rf"(?P<alias>{_ALIAS_CUE})|(?P<birth_name>{_BIRTH_NAME_CUE})|(?P<abbrev>{_ABBREV_CUE})",
    re.IGNORECASE,
)
_ACRONYM_RE = re.compile(r"[A-Z][A-Z0-9&.\-]{1,9}")
_PRON_FIELD_RE = re.compile(r"\b(?:p|IPA|pron)=[^,;]*|/[^/,;]*/|\[[^\],;]*\]")
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
    core = token.lstrip(_QUOTE_CHARS + "'")
    return bool(core) and core[0].isupper()


def _name_run(s: str, pos: int, limit: int) -> int:
    """End of the run of name tokens starting at ``pos`` (``pos`` itself when there is none)."""
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
        if token.startswith(("(", "[", "{")):
            break
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
        expected = t_start + len(token)
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
    """A Latin-script name from ``s[start:end]``: quotes, wiki quotes, notes and articles trimmed."""
    start, end = _trim(s, start, end)
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
    if not text or not text[0].isupper() or any(ch.isdigit() for ch in text):
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


def _native_runs(s: str, start: int, end: int) -> list[NameMention]:
    """Maximal runs of same-script non-Latin words, outside pronunciation fields."""
    masked = list(s[start:end])
    for m in _PRON_FIELD_RE.finditer(s, start, end):
        for i in range(m.start(), m.end()):
            masked[i - start] = " "
    text = "".join(masked)
    out: list[NameMention] = []
    run: list[tuple[int, int]] = []
    run_script = ""

    def flush() -> None:
        if run:
            a, b = start + run[0][0], start + run[-1][1]
            name = s[a:b]
            if sum(ch.isalpha() for ch in name) >= 2:
                out.append(NameMention(name, Span(a, b), run_script))

    for m in _WORD_RE.finditer(text):
        script = script_of(m.group())
        gap = text[run[-1][1] : m.start()] if run else ""
        joined = script == run_script and gap in (" ", "\u00a0", "·", " · ")
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
        open_end = _CLOSE_DASH_RE.match(s, b, end)  # "(1888 – )", a cut "(1888 – ": a birth, death unstated
        a, b = _trim(s, a, b, " \t\r\n,;[")
        b = _trim(s, a, b, " \t\r\n,;–—-[")[1]
        if open_end:
            b = _trim(s, a, open_end.end(), " \t\r\n,;[?")[1]
        if b > a:
            return a, b
    return None


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
    birth_name: NameMention | None = None
    birth: DateMatch | None = None
    death: DateMatch | None = None
    ambiguous: bool = False
    lifespan_span: Span | None = None


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


def _read_zone(s: str, start: int, end: int, parens: tuple[Span, ...]) -> _Zone:
    zone = _Zone([], [], [])
    for piece_start, piece_end in _pieces(s, start, end, parens):
        for a, b in _split_top(s, piece_start, piece_end, ";"):
            seg = _date_segment(s, a, b) if zone.lifespan_span is None else None
            if seg is not None:
                _read_lifespan(s, zone, *seg)
                if zone.lifespan_span is None:
                    seg = None
            zone.native.extend(_native_runs(s, a, b))
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
    subject = s[subject_span.start : subject_span.end]
    dated = zone.birth is not None or zone.death is not None or zone.ambiguous
    is_person = looks_like_person_name(subject) and (dated or _describes_person(description))
    return Lead(
        subject=subject,
        subject_span=subject_span,
        variants=variants,
        aliases=tuple(zone.aliases),
        native_names=tuple(zone.native),
        birth_name=zone.birth_name,
        abbreviations=tuple(zone.abbreviations),
        birth=zone.birth,
        death=zone.death,
        lifespan_ambiguous=zone.ambiguous,
        lifespan_span=zone.lifespan_span,
        description=description,
        description_span=description_span,
        is_person=is_person,
        parens=parens,
        truncated=cut is not None,
    )
