"""Pure: dated events of a document's subject, read from the running text of its sections.

1. Streams: each prose section (not references or reading lists) as a ``Stream``, so
   glosses never enter and every sentence maps back to source offsets; sentences by
   ``people.sentences``.
2. Dates: ``find_dates`` on the sentence with parenthesised asides and quoted titles
   blanked out (a lifespan or a dated title is not the sentence's event).
3. Triggers (``TRIGGERS``): a verb phrase names the event type. The subject takes part
   when the nearest reference before the trigger (``he``/``she``, the subject's names
   or surname; an apposition ``, … ,`` skipped) stands with nothing name-like between,
   and for the verbs one undergoes (arrested, sentenced, executed…) only in the
   passive (``was arrested``); or as the object right after the verb (``sentenced
   him``) or before it after ``had`` (``had Spigelglas arrested``).
4. The date is the date nearest the trigger in its clause (clauses split at ``, and``,
   ``, but``, ``;``…), else in its sentence. A typed event (not birth or death) in a
   sentence without a date takes the date of the sentence just before it in the same
   section when that sentence has exactly one date and itself holds a typed event of
   the subject
   (``date_inherited``: ``In November 1957 he was put on trial … The court sentenced
   him to 12 years``).
5. ``other``: a sentence whose grammatical subject is the subject, with a date and no
   trigger, gives one event of type ``other`` with its first date.
6. Place: the first ``in``/``at``/``into`` + capitalised phrase after the trigger that
   is not an organisation; organisation: the capitalised phrase the trigger governs
   (``joined the Cheka``, ``graduated from Frunze Military Academy``, ``deputy
   director of the Administration for Special Tasks``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.extract.literals import Literals
from pipeline.extract.people import sentences
from pipeline.extract.textmap import Stream, build_stream
from pipeline.normalise.dates import DateMatch, find_dates
from pipeline.normalise.names import ORGANISATION_WORDS
from pipeline.records import Parsed, Section, Span

UNDERGONE = frozenset(
    {
        "arrested",
        "sentenced",
        "executed",
        "released",
        "rehabilitated",
        "assassinated",
        "appointed",
        "promoted",
    }
)
SKIP_HEADINGS = frozenset(
    {
        "see also",
        "further reading",
        "references",
        "bibliography",
        "external links",
        "notes",
        "sources",
        "works",
        "publications",
        "citations",
    }
)
_PASSIVE = r"(?:was|were|been|being|be|is|are|got)\s+(?:\w+ly\s+|again\s+|also\s+|later\s+|then\s+|soon\s+)*"
TRIGGERS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern))
    for kind, pattern in (
        ("birth", r"\bwas born\b"),
        ("death", r"\b(?:died|passed away|was killed|perished)\b"),
        ("joined", r"\b(?:joined|enlisted in|became a member of)\b"),
        ("promoted", r"\bpromoted\b"),
        (
            "appointed",
            r"\b(?:appointed|named|made|posted|transferred|shifted|reassigned)\b(?=\s+(?:to|as|the|a|an|head|chief|deputy|director|commander|acting)\b)|\breceived (?:his|her) (?:\w+ )?posting\b",
        ),
        ("graduated", r"\bgraduated\b"),
        ("arrested", r"\b(?:arrested|detained|accused|charged|indicted)\b"),
        ("sentenced", r"\b(?:sentenced|convicted)\b"),
        ("executed", r"\bexecuted\b"),
        ("released", r"\b(?:released|freed)\b"),
        (
            "rehabilitated",
            r"\brehabilitated\b|\bcleared (?:his|her) name\b|\bannulled (?:the|his|her) conviction\b",
        ),
        ("defected", r"\bdefected\b"),
        ("assassinated", r"\b(?:assassinated|murdered)\b"),
        ("married", r"\bmarried\b"),
    )
)
TRIGGER_WORDS: dict[str, tuple[str, ...]] = {
    "birth": ("born",),
    "death": ("died", "passed away", "killed", "perished"),
    "joined": ("joined", "enlisted in", "became a member of"),
    "promoted": ("promoted",),
    "appointed": ("appointed", "named", "made", "posted", "transferred", "shifted", "reassigned", "posting"),
    "graduated": ("graduated",),
    "arrested": ("arrested", "detained", "accused", "charged", "indicted"),
    "sentenced": ("sentenced", "convicted"),
    "executed": ("executed",),
    "released": ("released", "freed"),
    "rehabilitated": ("rehabilitated", "cleared", "annulled"),
    "defected": ("defected",),
    "assassinated": ("assassinated", "murdered"),
    "married": ("married",),
}
"""Per event type, words every match of its trigger holds: a sentence holding none of them cannot
match the pattern, which is then not tried (a test checks each pattern's words)."""
_POSSESSIVE_REF = frozenset({"his", "her"})
_ASIDE = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|''[^']+''|\"[^\"]*\"|“[^”]*”")
_MONTH_NAMES = "January|February|March|April|May|June|July|August|September|October|November|December"
_CAPITAL = rf"(?!(?:{_MONTH_NAMES})\b)[A-Z][\w'’.-]*"
_CAPITAL_PHRASE = rf"(?:\d+(?:st|nd|rd|th)\s+)?{_CAPITAL}(?:\s+(?:of|for|and|the|de|del)?\s*{_CAPITAL})*"
_PLACE = re.compile(rf"\b(?:in|at|into)\s+(?P<x>{_CAPITAL_PHRASE})")
_ORG_AFTER = re.compile(
    rf"^\s*(?:(?:from|to|as|into|in)\s+)?(?:[a-z-]+\s+){{0,4}}?(?:(?:of|in|to|from)\s+)?(?:the\s+)?(?P<x>{_CAPITAL_PHRASE})"
)
_TERM = re.compile(
    r"\bto\s+(?P<x>(?:\d+|\w+)\s+years?(?:\s+in\s+(?:prison|a labour camp|a labor camp|the Gulag))?)"
)
_MONTHS = frozenset(_MONTH_NAMES.split("|"))
_OPENER = re.compile(r"^(?:[A-Z][^,]{0,120},\s+(?:[a-z][^,]{0,60},\s+)?)")
_NAME_LIKE = re.compile(r"\b[A-Z][a-z]+\b")
_CLAUSE_BREAK = re.compile(r",\s+(?:and|but|while|whereas|which|who|where)\s+|;\s+")
NEVER_INHERITED = frozenset({"birth", "death", "other"})


@dataclass(frozen=True, slots=True)
class Event:
    type: str
    trigger: str
    date: DateMatch
    date_inherited: bool
    place: str | None
    organisation: str | None
    detail: str | None
    sentence: str
    span: Span


def _mask(sentence: str) -> str:
    """The sentence with parenthesised asides and quoted titles blanked (same length)."""
    return _ASIDE.sub(lambda m: " " * len(m.group(0)), sentence)


def _subject_refs(names: Sequence[str]) -> Literals:
    """What refers to the subject: a pronoun, one of its names, or a name's last word."""
    words = {"He", "he", "She", "she"}
    for name in names:
        tokens = name.split()
        if tokens:
            words.update((name, tokens[-1]))
    return Literals(words)


def _agent_ok(gap: str) -> bool:
    """Nothing between the subject reference and the trigger that could be another subject."""
    gap = re.sub(r"^\s*,[^,]*,", " ", gap)
    if ";" in gap or re.search(r"\b(?:who|which|whom|that|when|while|and\s+[a-z]+ed)\b", gap):
        return False
    return not any(word not in _MONTHS for word in _NAME_LIKE.findall(gap))


def _involves_subject(kind: str, masked: str, at: re.Match[str], refs: Literals) -> bool:
    before, after = masked[: at.start()], masked[at.end() :]
    if kind == "rehabilitated" and any(w in at.group(0).split() for w in _POSSESSIVE_REF):
        return True  # "cleared his name": the possessive is the subject in a biography
    object_ref = refs.match(after.lstrip())
    if kind in UNDERGONE and object_ref and object_ref.group(0) not in ("He", "She", "he", "she"):
        return True
    if kind in UNDERGONE and re.match(r"\s+(?:him|her)\b", after):
        return True
    refs_before = list(refs.finditer(before))
    if not refs_before:
        return False
    last = refs_before[-1]
    gap = before[last.end() :]
    if kind in UNDERGONE:
        if re.search(r"\b(?:had|have|has|ordered)\s+$", before[: last.start()]) and not gap.strip():
            return True
        if not re.search(rf"{_PASSIVE}$", gap):
            return False
    return len(gap) <= 160 and _agent_ok(gap)


def _phrase_ok(value: str) -> bool:
    words = value.split()
    return bool(words) and words[0] not in _MONTHS and not value[:1].isdigit()


def _place(after: str) -> str | None:
    """The first place phrase in the trigger's clause (up to the next comma or semicolon)."""
    for m in _PLACE.finditer(re.split(r"[,;]", after, maxsplit=1)[0]):
        value = m.group("x").rstrip(".,")
        if _phrase_ok(value) and not {w.casefold() for w in value.split()} & ORGANISATION_WORDS:
            return value
    return None


def _organisation(kind: str, after: str) -> str | None:
    if kind not in ("joined", "graduated", "appointed", "promoted"):
        return None
    m = _ORG_AFTER.match(after[:160])
    if not m:
        return None
    value = m.group("x").rstrip(".,")
    return value if _phrase_ok(value) else None


def _nearest(dates: list[DateMatch], position: int, masked: str) -> DateMatch | None:
    """The date in the trigger's clause nearest to it; else the nearest date in the sentence."""
    if not dates:
        return None
    breaks = [m.start() for m in _CLAUSE_BREAK.finditer(masked)]
    lo = max((b for b in breaks if b < position), default=0)
    hi = min((b for b in breaks if b > position), default=len(masked))
    in_clause = [d for d in dates if lo <= d.start < hi]
    return min(
        in_clause or dates, key=lambda d: (min(abs(d.start - position), abs(d.end - position)), d.start)
    )


def _section_events(stream: Stream, refs: Literals) -> list[Event]:
    """The events of one prose stream, sentence by sentence.

    Only the triggers whose words the stream holds are tried on its sentences (a sentence
    holds nothing its stream does not), and a sentence's dates are read only when it gives
    an event or its one date may be inherited by the next sentence's."""
    triggers = [(kind, pattern) for kind, pattern in TRIGGERS if _holds_a_word(stream.text, kind)]
    events: list[Event] = []
    previous: tuple[str, bool] | None = None  # the last sentence (masked), and whether it gave a typed event
    for offset, sentence in sentences(stream.text):
        masked = _mask(sentence)
        typed = [
            (kind, at)
            for kind, pattern in triggers
            if _holds_a_word(masked, kind)
            for at in pattern.finditer(masked)
            if _involves_subject(kind, masked, at, refs)
        ]
        about_subject = bool(typed) or bool(refs.match(_OPENER.sub("", masked, count=1)))
        dates = find_dates(masked) if about_subject else []
        if typed or dates:  # the sentence may give an event
            span = stream.span(offset, offset + len(sentence.rstrip()))
            clean = " ".join(sentence.split())
        for kind, at in typed:
            date = _nearest(dates, at.start(), masked)
            inherited = False
            if date is None and previous is not None and previous[1] and kind not in NEVER_INHERITED:
                before = find_dates(previous[0])
                date, inherited = (before[0], True) if len(before) == 1 else (None, False)
            if date is None:
                continue
            after = masked[at.end() :]
            term = _TERM.search(after) if kind == "sentenced" else None
            events.append(
                Event(
                    kind,
                    at.group(0),
                    date,
                    inherited,
                    _place(after),
                    _organisation(kind, after),
                    term.group("x") if term else None,
                    clean,
                    span,
                )
            )
        if not typed and about_subject and dates:
            events.append(Event("other", "", dates[0], False, None, None, None, clean, span))
        previous = (masked, bool(typed))
    return events


def _holds_a_word(text: str, kind: str) -> bool:
    """Whether ``text`` holds one of the words every match of ``kind``'s trigger holds."""
    return any(word in text for word in TRIGGER_WORDS[kind])


def _dedupe(events: list[Event]) -> list[Event]:
    seen: set[tuple[str, str, str | None]] = set()
    out = []
    for e in events:
        key = (e.type, e.date.value.edtf, e.date.end_value.edtf if e.date.end_value else None)
        if key in seen:
            continue
        seen.add(key)
        out.append(e)
    return out


def prose_stream(source: str, section: Section) -> Stream:
    """The section's prose pieces as a stream, its heading line left out."""
    heading = section.heading_span
    pieces = [
        p
        for p in section.pieces
        if heading is None or not (p.start <= heading.start and heading.end <= p.end)
    ]
    return build_stream(source, pieces)


def extract_events(parsed: Parsed, source: str, subject_names: Sequence[str]) -> list[Event]:
    """The subject's dated events, in text order, one per (type, date)."""
    if not subject_names:
        return []
    refs = _subject_refs(subject_names)
    events: list[Event] = []
    for section in parsed.sections:
        if (section.heading or "").strip().casefold() in SKIP_HEADINGS:
            continue
        events.extend(_section_events(prose_stream(source, section), refs))
    return _dedupe(events)
