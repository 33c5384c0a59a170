"""Pure: the runs of capitalised words in one document that may name a person, with the cue before each.

Which run names whom is decided at corpus level (``pipeline.identity.corpus``), because
it needs every document's known names. Here, per document:

1. Streams: each section's prose pieces and each link gloss become a ``Stream`` whose
   offsets map back to the source (glosses never mix into the prose around them).
2. Runs: maximal sequences of capitalised tokens (lower-case particles such as ``del``
   or ``von`` allowed inside) separated only by whitespace in one unbroken stretch of
   source. A possessive ``'s`` is cut off and ends the run. Sentence-initial function
   words (``In``, ``After``, ``The``…) are cut off the front.
3. Cues: a title word inside or before the run (``General``, ``Gen.``, ``Bishop``…)
   splits it and marks the rest ``title``; a lower-case role noun right before the run
   (``the defector Georges Agabekov``, ``ideologue, Ramón Mercader``) marks it ``role``;
   a kinship noun (``His father, Isaak …``, ``a great-cousin of Max …``) marks it ``kin``.
4. One-token runs are kept only when they can be a surname the document uses for a
   person it names in full (the last token of a longer run, or of the subject's names):
   that is all the corpus stage needs for surname-only mentions, and it keeps memory small.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from typing import NamedTuple

import regex

from pipeline.extract.events import prose_stream
from pipeline.extract.textmap import Stream, build_stream
from pipeline.identity.keys import token_key
from pipeline.records import Link, Parsed, Span

Token = tuple[str, int, int, bool]  # (token, stream start, stream end, ends the run)
Part = tuple[list[Token], bool]  # a run's tokens, and whether they open the run (no title word before them)


class NameRun(NamedTuple):
    """A run (or the part of one after a title word) placed in the source: the columns of
    ``identity.runs.NAME_RUN_SCHEMA`` after ``doc_id``, in its order, its tokens' offsets as lists."""

    surface: str  # tokens joined by single spaces
    char_start: int
    char_end: int
    token_starts: list[int]
    token_ends: list[int]
    cue: str | None  # title | role | kin
    in_gloss: bool
    link_no: int | None = None

    @property
    def span(self) -> Span:
        return Span(self.char_start, self.char_end)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


TITLE_WORDS = _words(
    """general gen gen. marshal admiral adm. colonel col. major maj. captain capt. lieutenant lt. sergeant
    commander commissar bishop archbishop metropolitan patriarch cardinal father rabbi imam pope
    dr. doctor professor prof. president premier chairman tsar czar tsarina emperor empress king queen
    prince princess count countess baron baroness sir lord lady mr. mrs. ms. madame monsieur ataman
    hetman comrade judge senator ambassador"""
)
ROLE_NOUNS = _words(
    """officer agent spy spymaster politician diplomat singer writer author poet novelist journalist
    anthropologist historian scientist physicist engineer physician surgeon lawyer painter composer
    musician actor actress artist philosopher economist teacher professor businessman priest monk nun
    aristocrat defector assassin murderer dissident chekist functionary bureaucrat ambassador minister
    leader revolutionary activist ideologue intellectual commander chief deputy director parachutist
    mistress collaborator informant courier operative illegal executioner interrogator investigator
    prosecutor emigre émigré nationalist bolshevik menshevik anarchist
    guerrilla partisan handler recruiter superior subordinate colleague successor predecessor rival
    associate deputy secretary translator editor publisher scholar"""
)
KIN_NOUNS = _words(
    """father mother son daughter brother sister wife husband widow widower cousin great-cousin uncle aunt
    nephew niece grandfather grandmother grandson granddaughter father-in-law mother-in-law
    son-in-law daughter-in-law brother-in-law sister-in-law stepfather stepmother stepson stepdaughter"""
)
FUNCTION_WORDS = _words(
    """in on at after before when while during from following however the a an his her their its this that
    these those since until by for with through then although though as some others according under
    later also but and or if once upon among between despite within without into onto thereafter
    meanwhile eventually soon finally both all many several most each every no not nor so yet shortly"""
)
PARTICLES = _words("van von der den de del della di da du la le y")

_PARTICLE = "|".join(sorted(PARTICLES, key=len, reverse=True))
_RUN_WORD = regex.compile(
    r"(?<!\p{L}[\p{L}\p{M}'’′\-]*?)"
    r"(?:[^\P{L}\p{Ll}][\p{L}\p{M}'’′\-]*(?:\.(?=\s|$))?"
    rf"|(?:{_PARTICLE})(?![\p{{L}}\p{{M}}'’′\-]|\.(?=\s|$)))"
)
"""The words that can be in a run: a letter, then letters, marks, apostrophes and hyphens (a full
stop before a space), starting where no letter of the same word stands before it; all but those
that start with a lower-case letter and are no particle, which are skipped without a Python step
per word (most words of prose are those). The lookbehind comes first and tries the shortest stretch
first, so a position inside a word fails at once on the letter before it."""
_TAIL = regex.compile(r"^(.*?\p{L})(['’′]*)(s?)(\.?)$")
_CAPITALISED = regex.compile(r"\p{Lu}")
_LAST_WORD = regex.compile(r"(\S+)\s+$", regex.REVERSE)  # tried from the end: one step per character
_LEADING_NON_LETTERS = regex.compile(r"^[^\p{L}]+")
_NOUN = regex.compile(r"\p{L}[\p{L}\-]*")
SKIP_HEADINGS = frozenset({"references", "notes", "external links", "sources", "citations"})


@lru_cache(maxsize=1 << 16)  # pure, and a corpus repeats its capitalised words
def _is_title(token: str) -> bool:
    folded = token.casefold()
    return folded in TITLE_WORDS or any(part in TITLE_WORDS for part in folded.split("-") if part)


def _cue_before(text: str, at: int) -> str | None:
    """``kin`` or ``role`` when the word before ``at`` (skipping ``,`` and ``of the``) is such a noun.

    Plain string operations: a ``$``-anchored regex searched from every position of
    the window cost a third of the per-document time.
    """
    window = text[max(0, at - 60) : at].rstrip(" \t\r\n,")
    has_of = False
    for suffix in (" of the", " of"):
        if window.endswith(suffix):
            window, has_of = window[: -len(suffix)].rstrip(" \t\r\n,"), True
            break
    last = window.rsplit(None, 1)
    return _noun_cue(last[-1] if last else "", has_of)


@lru_cache(maxsize=1 << 16)  # pure, and a corpus repeats the word before its names
def _noun_cue(tail: str, has_of: bool) -> str | None:
    """``kin`` or ``role`` when ``tail`` (leading non-letters aside) is such a lower-case noun."""
    word = _LEADING_NON_LETTERS.sub("", tail)
    if not word or word[0].isupper() or not _NOUN.fullmatch(word):
        return None
    folded = word.casefold()
    if folded in KIN_NOUNS:
        return "kin"
    if not has_of and folded in ROLE_NOUNS:
        return "role"
    return None


@lru_cache(maxsize=1 << 16)  # pure, and a corpus repeats its capitalised words
def _clean_token(raw: str) -> tuple[str, bool, bool, bool]:
    """(token, possessive, ends a sentence, capitalised): quotes and ``'s`` cut off, a full stop read.

    A trailing full stop is kept on an initial or an abbreviated title (``M.``, ``Gen.``);
    on any other word it ends the sentence, so it ends the run.
    """
    m = _TAIL.match(raw)
    if m is None:
        return "", False, False, False
    body, quotes, s_after, dot = m.groups()
    possessive = len(quotes) == 1 and (s_after == "s" or body.endswith("s"))
    if s_after and not quotes:
        body = body + s_after  # an ordinary word ending in s
    stop = False
    if dot:
        if len(body) == 1 or f"{body.casefold()}." in TITLE_WORDS or body in ("St", "Jr", "Sr"):
            body += "."
        else:
            stop = True
    return body, possessive, stop, bool(_CAPITALISED.match(body))


def _raw_runs(stream: Stream) -> Iterable[list[Token]]:
    """Runs of tokens joined by plain whitespace in one copied segment of the stream.

    Tokens come in stream order, so whether a token lies in the segment of the run's last
    token's start (``Stream.starts``) is read off a pointer moved along the segment starts,
    not searched for per token."""
    run: list[Token] = []
    text = stream.text
    segments = stream.starts
    n_segments = len(segments)
    following = 1  # index of the first segment starting after the run's last token's start
    for m in _RUN_WORD.finditer(text):  # a skipped lower-case word is text between tokens: it ends a run
        raw = m.group(0)
        if raw[0].islower() and raw not in PARTICLES:  # lower case beyond \p{Ll} (ª, ʰ): ends any run
            if run:
                yield run
                run = []
            continue
        token, possessive, stop, name_like = _clean_token(raw)
        if not token:
            continue
        start = m.start()
        end = start + len(token)
        if (
            run
            and not run[-1][3]
            and (name_like or token in PARTICLES)
            and not text[run[-1][2] : start].strip()
        ):
            if n_segments == 1:
                joined = True
            else:
                last_start = run[-1][1]
                while following < n_segments and segments[following] <= last_start:
                    following += 1
                joined = following == n_segments or end <= segments[following]
            if joined:
                run.append((token, start, end, possessive or stop))
                continue
        if run:
            yield run
        run = [(token, start, end, possessive or stop)] if name_like else []
    if run:
        yield run


def _split(run: list[Token]) -> list[Part]:
    """Cut function words off the front and split at title words; each part with whether it
    is the run's first (its cue is read from the text before it) or follows a title word."""
    if len(run) == 1:  # most runs: a capitalised word alone
        word = run[0][0]
        if word.casefold() in FUNCTION_WORDS or word in PARTICLES or _is_title(word):
            return []
        return [(run, True)]
    while run and (run[0][0].casefold() in FUNCTION_WORDS or run[0][0] in PARTICLES):
        run = run[1:]
    while run and run[-1][0] in PARTICLES:
        run = run[:-1]
    parts: list[Part] = []
    current: list[Token] = []
    first = True
    for token in run:
        if _is_title(token[0]):
            if current:
                parts.append((current, first))
            current, first = [], False
            continue
        current.append(token)
    if current:
        parts.append((current, first))
    return parts


def _cue(text: str, part: Part) -> str | None:
    """A part's cue: ``title`` after a title word; for a run's first part, the noun or title word before it."""
    tokens, first = part
    if not first:
        return "title"
    at = tokens[0][1]
    cue = _cue_before(text, at)
    if cue is None and _is_title(_word_before(text, at)):
        cue = "title"
    return cue


def _word_before(text: str, at: int) -> str:
    found = _LAST_WORD.search(text[max(0, at - 30) : at])
    return found.group(1) if found else ""


def _streams(parsed: Parsed, source: str, links: Sequence[Link]) -> Iterator[tuple[Stream, bool, int | None]]:
    """Each prose stream (skipped sections aside), then each link gloss's; with in-gloss and link number."""
    for section in parsed.sections:
        if (section.heading or "").strip().casefold() in SKIP_HEADINGS:
            continue
        yield prose_stream(source, section), False, None
    for link in links:
        if link.gloss_span is not None:
            yield build_stream(source, (link.gloss_span,)), True, link.link_no


def _name_run(stream: Stream, part: Part, in_gloss: bool, link_no: int | None) -> NameRun:
    """One part of a run, its tokens placed in the source.

    A run lies in one copied segment of the stream (``_raw_runs``), so one shift
    places all its tokens."""
    tokens = part[0]
    shift = stream.shift_at(tokens[0][1])
    return NameRun(
        " ".join([t[0] for t in tokens]),
        tokens[0][1] + shift,
        tokens[-1][2] + shift,
        [t[1] + shift for t in tokens],
        [t[2] + shift for t in tokens],
        _cue(stream.text, part),
        in_gloss,
        link_no,
    )


def _may_name(tokens: list[Token], surnames: set[str]) -> bool:
    """Two tokens or more, or one capitalised token that is a surname the document uses."""
    return len(tokens) > 1 or (tokens[0][0][:1].isupper() and token_key(tokens[0][0]) in surnames)


def name_runs(
    parsed: Parsed, source: str, links: Sequence[Link], subject_names: Sequence[str]
) -> list[NameRun]:
    """Every run of capitalised words in the document's prose and glosses that may name a person."""
    found = [
        (stream, part, in_gloss, link_no)
        for stream, in_gloss, link_no in _streams(parsed, source, links)
        for raw in _raw_runs(stream)
        for part in _split(raw)
    ]
    surnames = {token_key(part[0][-1][0]) for _, part, _, _ in found if len(part[0]) > 1}
    surnames |= {token_key(n.split()[-1]) for n in subject_names if n.split()}
    # placed in the source only when kept: most one-token runs are not
    return [_name_run(*f) for f in found if _may_name(f[1][0], surnames)]
