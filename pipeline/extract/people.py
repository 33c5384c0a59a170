"""Pure: persons, their names and every candidate fact, from a parsed document.

1. The subject: the lead's first sentence (``parse_lead``) names the person the
   document is about; the title, when there is one, is the display name, and a lead
   that opens with the title itself names the subject even when the name is a single
   word or a byname.
2. Names: title, full name, ``or`` variants, ``also known as`` aliases, birth names,
   native-script names (with their ISO 15924 script) and the DEFAULTSORT key.
3. Facts, each a candidate with its source kind and rule: infobox values, the lead's
   lifespan, body sentences whose grammatical subject is the subject, and
   ``NNNN births`` / ``NNNN deaths`` categories.
4. Links: a gloss (hover summary) is a lead sentence about the linked page; its
   subject is the link's target, and when that subject is a person the gloss gives a
   person of its own, with the gloss's dates. Nothing in a gloss is ever a fact of
   the document's subject.
5. ``rank_facts`` chooses one candidate per person and field by the declared
   priority and marks every candidate that disagrees with another.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

import regex

from pipeline.codes import Warn, message
from pipeline.extract.lead import Lead, parse_lead
from pipeline.extract.literals import Literals
from pipeline.extract.locate import Reading, locate
from pipeline.normalise.dates import DateMatch, find_dates, old_style_edtf, parse_date
from pipeline.normalise.names import (
    common_name,
    looks_like_byname,
    looks_like_person_name,
    script_of,
    spelling_pattern,
)
from pipeline.normalise.places import place_parts, place_phrases
from pipeline.normalise.text import nfc
from pipeline.records import (
    DateValue,
    Extracted,
    Fact,
    Link,
    Notice,
    Parsed,
    Person,
    PersonName,
    Section,
    Span,
)

SUBJECT_PRIORITY = ("infobox", "lead", "body", "category", "gloss")
"""Declared priority among sources; for dates a more precise candidate wins first."""
PRECISION_RANK = {"day": 3, "month": 2, "year": 1}
MAX_LIFESPAN_YEARS = 120

_SENTENCE_END = re.compile(r"(?<=[.!?])(?<!\bc\.)(?<!\bca\.)(?<!\bfl\.)[\"”’)]?\s+(?=[\"“(]?[A-Z0-9])")
"""A sentence ends at ``.``/``!``/``?`` before a capital or digit, but not at a date's ``c.``/``ca.``/``fl.``."""
_BORN = re.compile(r"\bwas born\b|\b[Bb]orn\b")
_DIED = re.compile(
    r"\b(?:died|was executed|was killed|was shot dead|was assassinated|was murdered|passed away)\b"
)
_CLAUSE_END = re.compile(
    r";|, (?:and|but|where|when|while|who|whom|whose|which|his|her|their|he|she|they) | and (?=[a-z])"
)
"""Where the clause of a ``born``/``died`` verb ends: ``born at Reykholt and taught in Reykjavík``;
a comma before a new subject (``born in Tartu, her father was ...``) ends it too."""
_VERB_CLAUSE_END = re.compile(r"\s(?:while|whilst|when|after|because)(?![\w-])|,\s+[a-z]+ing(?![\w-])")
"""A subordinate or participle phrase after the verb (``was killed during a mission while crossing
into X``) states where something else happened, not the birth or death: the clause stops there."""
_OTHER_SUBJECT = re.compile(r"\b(?:who|whom|whose|which)\b|\b(?:his|her|their)\s+[\w-]+(?:\s+[\w-]+)?\s+$")
"""Before the verb: a relative clause or a relative (``her father died``) is another person's statement."""
_WHERE = re.compile(r",\s+where\s+(?:he|she)\s+(?:had\s+)?$")
"""``returned to Riga, where she died``: the place stated before ``where`` is where the verb happened."""


_parse_gloss = lru_cache(maxsize=16_384)(parse_lead)
"""Glosses repeat across a corpus (every page linking the NKVD carries its summary): read each once."""


@dataclass(frozen=True, slots=True)
class RankedFact:
    fact: Fact
    chosen: bool
    conflict: bool


@lru_cache(maxsize=256)
def sentences(text: str) -> tuple[tuple[int, str], ...]:
    """(offset, sentence) pairs of a prose text; a paragraph break always ends a sentence.

    Cached: the body-fact and the body-name passes read the same section texts."""
    out = []
    offset = 0
    for paragraph in text.split("\n\n"):
        start = 0
        for match in _SENTENCE_END.finditer(paragraph):
            out.append((offset + start, paragraph[start : match.start()]))
            start = match.end()
        if start < len(paragraph):
            out.append((offset + start, paragraph[start:]))
        offset += len(paragraph) + 2
    return tuple(out)


def sentence_regions(
    section: Section, source: str, reading: Reading | None = None
) -> Iterator[tuple[int, str, Span]]:
    """(offset, sentence, region) for each sentence of a section: where in the source to look for its values.

    A region runs from where the sentence's opening words stand to the section's end,
    found after the previous sentence, so a sentence written twice (the same words in two
    places) reads its values from its own place, never from the first copy's. The previous
    sentence ends at least as many characters after its opening as it has characters other
    than whitespace (cleaning only removes: markup, whitespace runs, glosses), so the next
    opening is never taken from inside it (``… 1879. \x1b She died in Lyon.`` then ``She
    died in Lyon.``). The opening words are found verbatim or, given the document's
    ``reading``, as the source reads with its removed markup out; when they are found neither
    way, the region starts where the previous sentence's did. The opening words
    are looked for only a little past the previous sentence's length (``_SENTENCE_SLACK``),
    and the searches that find nothing (each scans its whole window, which grows with every
    miss) may scan ``_MISS_BUDGET`` times the section in all, after which unfound openings are
    no longer looked for: a long section is read in linear time.
    """
    cursor, previous = section.span.start, 0
    budget = _MISS_BUDGET * (section.span.end - section.span.start) + _SENTENCE_SLACK
    for offset, sentence in sentences(section.text):
        opening = " ".join(sentence.split()[:_OPENING_WORDS])
        window = min(section.span.end, cursor + 2 * previous + _SENTENCE_SLACK)
        found = locate(source, opening, cursor, window, reading) if budget > 0 else None
        budget -= 0 if found else window - cursor
        start = found.start if found else cursor
        yield offset, sentence, Span(start, section.span.end)
        if found:
            cursor = min(section.span.end, max(found.end, found.start + _non_space_length(sentence)))
            previous = len(sentence)
        else:
            previous += len(sentence)


def _non_space_length(text: str) -> int:
    """How many characters of ``text`` are not whitespace: the least source a cleaned text was read from."""
    return len("".join(text.split()))


_OPENING_WORDS = 4
"""How many of a sentence's first words place it in the source (``sentence_regions``)."""
_SENTENCE_SLACK = 2000
"""Characters of markup, glosses and debris allowed between two sentences' opening words."""
_MISS_BUDGET = 4
"""How many times its length a section's unfruitful opening searches may scan (``sentence_regions``)."""


def _first_paragraph(parsed: Parsed) -> str:
    """The lead's first paragraph of prose (list items are not the lead sentence)."""
    if not parsed.sections:
        return ""
    paragraphs = [p for p in parsed.sections[0].text.split("\n\n") if p and p.lstrip()[:1] not in "-*•#"]
    return paragraphs[0] if paragraphs else ""


def _name_rows(
    key: str, lead: Lead, sentence: str, source: str, region: Span, reading: Reading | None = None
) -> list[PersonName]:
    """The names a lead sentence states, located in the source region the sentence was read from.

    The name is the lead's cleaned text (quote marks and wiki quotes removed, NFC); its
    span covers the name as written in the source. Names are located in the order the
    sentence states them, each after the one before it, so a name written twice
    (``(森 和弘 (森 和弘``) gives each copy its own place.
    """
    found: list[tuple[str, Span, str]] = [(lead.subject, lead.subject_span, "full")]
    found += [(m.text, m.span, "variant") for m in lead.variants]
    found += [(m.text, m.span, "alias") for m in lead.aliases]
    found += [(m.text, m.span, "native") for m in lead.native_names]
    if lead.birth_name:
        found.append((lead.birth_name.text, lead.birth_name.span, "birth_name"))
    placed: dict[int, Span] = {}
    # previous: (sentence offset, source offset) of the last name placed
    cursor, previous = region.start, None
    for i in sorted(range(len(found)), key=lambda i: found[i][1].start):
        at = found[i][1]
        if previous is not None:
            cursor = previous[1] + 1 if at.start > previous[0] else previous[1]
        span = locate(source, sentence[at.start : at.end], cursor, region.end, reading)
        if span is not None:
            placed[i] = span
            previous = (at.start, span.start)
    return [
        PersonName(key, nfc(name.strip()), kind, script_of(name), placed[i])
        for i, (name, _, kind) in enumerate(found)
        if i in placed and name.strip()
    ]


def _date_fact(
    key: str,
    field: str,
    match: DateMatch,
    source: str,
    region: Span,
    kind: str,
    rule: str,
    reading: Reading | None = None,
) -> Fact | None:
    span = locate(source, match.raw, region.start, region.end, reading)
    if span is None:
        return None
    return Fact(key, field, match.value.edtf, span.of(source), kind, rule, span, date=match.value)


def _place_fact(
    key: str,
    field: str,
    place: tuple[str, str],
    source: str,
    region: Span,
    kind: str,
    rule: str,
    reading: Reading | None = None,
) -> Fact | None:
    """A place candidate: ``place`` is (value, the words as written), located in the region."""
    value, surface = place
    span = locate(source, surface, region.start, region.end, reading)
    if span is None:
        return None
    return Fact(key, field, value, span.of(source), kind, rule, span, parts=place_parts(value))


def _lead_facts(
    key: str, lead: Lead, source: str, region: Span, kind: str, reading: Reading | None = None
) -> list[Fact]:
    """The lifespan's dates and the places stated right after them (``born 3 May 1850 in Kazan``)."""
    facts = []
    for field, match in (("birth_date", lead.birth), ("death_date", lead.death)):
        if match is not None:
            rule = f"{kind}-lifespan-{match.rule}"
            fact = _date_fact(key, field, match, source, region, kind, rule, reading)
            if fact:
                facts.append(fact)
    for field, place in (("birth_place", lead.birth_place), ("death_place", lead.death_place)):
        if place is not None:
            pair = (place.text, place.text)
            fact = _place_fact(key, field, pair, source, region, kind, f"{kind}-lifespan-place", reading)
            if fact:
                facts.append(fact)
    return facts


def _infobox_facts(key: str, parsed: Parsed, source: str) -> tuple[list[Fact], list[Notice]]:
    """Date and place candidates from infobox rows; ``raw`` is the value's source text (its lines)."""
    facts, notes = [], []
    for entry in parsed.infobox:
        if not entry.value:  # a label standing alone (a rendered ``Born`` line): its values follow it
            continue
        if entry.key in ("birth_date", "death_date"):
            value = parse_date(entry.value)
            if value is None:
                notes.append(
                    Notice(
                        Warn.UNPARSED_DATE,
                        message(Warn.UNPARSED_DATE, field=entry.key, value=entry.value),
                        entry.value_span,
                    )
                )
                continue
            facts.append(
                Fact(
                    key,
                    entry.key,
                    value.edtf,
                    entry.value_span.of(source),
                    "infobox",
                    f"infobox-{entry.key}",
                    entry.value_span,
                    date=value,
                )
            )
        elif entry.key in ("birth_place", "death_place") and entry.value:
            facts.append(
                Fact(
                    key,
                    entry.key,
                    entry.value,
                    entry.value_span.of(source),
                    "infobox",
                    f"infobox-{entry.key}",
                    entry.value_span,
                    parts=place_parts(entry.value),
                )
            )
    return facts, notes


INFOBOX_NAME_KINDS = {
    "native_name": "native",
    "birth_name": "birth_name",
    "other_names": "alias",
    "pen_name": "alias",
}
"""Infobox keys whose values are names of the subject, and the kind of name each gives."""
_NAME_LIST_SEP = re.compile(r"\s*[;,]\s*|\s+or\s+")


def _infobox_names(key: str, parsed: Parsed, source: str) -> list[PersonName]:
    """Names the infobox states (``Native name``, ``Birth name``, ``Other names``, ``Pen name``…).

    A list of other names or pen names (``A, B; C or D``) gives one name per item; a native
    or birth name is one name. Each span covers the name as written.
    """
    rows = []
    for entry in parsed.infobox:
        kind = INFOBOX_NAME_KINDS.get(entry.key or "")
        if kind is None or not entry.value:
            continue
        written = entry.value_span.of(source)
        pieces = [(0, len(written))] if kind != "alias" else _split_spans(written)
        for start, end in pieces:
            name = nfc(" ".join(written[start:end].split()))
            if name and any(c.isalpha() for c in name):
                span = Span(entry.value_span.start + start, entry.value_span.start + end)
                rows.append(PersonName(key, name, kind, script_of(name), span))
    return rows


def _split_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each item of a name list, separators and edge spaces out."""
    out, pos = [], 0
    for m in (*_NAME_LIST_SEP.finditer(text), None):
        end = m.start() if m else len(text)
        piece = text[pos:end]
        lead = len(piece) - len(piece.lstrip())
        if piece.strip():
            out.append((pos + lead, pos + lead + len(piece.strip())))
        pos = m.end() if m else len(text)
    return out


_OPENER_PREFIX = re.compile(r"(?:In|On|By|After|Before|Born)\b[^,]{0,40},\s+")
"""A participle or time opener before the sentence's subject: ``Born in Onitsha, she studied …``."""
_PRONOUNS_AFTER_COMMA = Literals(("he", "she"), possessive="'’")


@dataclass(frozen=True, slots=True)
class SubjectOpener:
    """A sentence opener that makes the subject its grammatical subject: one of ``words`` (its names,
    ``He``, ``She``) first, or after an ``_OPENER_PREFIX`` (there ``he``/``she`` after its comma too)."""

    words: Literals

    def match(self, sentence: str) -> bool:
        prefix = _OPENER_PREFIX.match(sentence)
        if prefix is not None:
            at = prefix.end()
            if self.words.match(sentence, at) or (
                sentence[at - 2 : at] == ", " and _PRONOUNS_AFTER_COMMA.match(sentence, at)
            ):
                return True
        return self.words.match(sentence, 0) is not None


def _subject_opener(names: Iterable[str], sort_key: str | None = None) -> SubjectOpener:
    """The subject's opener (``SubjectOpener``), with the names the body may call the subject by.

    The whole name, any tail of it that starts with a capitalised word (a compound
    surname: ``Ferreira de Almeida``, ``Arap Rono``) and the surname a sort key puts
    before its comma (``Mori, Kazuhiro`` → ``Mori``, a family name written first).
    """
    words = {"He", "She"}
    for name in names:
        tokens = name.split()
        for i in range(len(tokens)):
            if tokens[i][:1].isupper() and (i == 0 or tokens[i - 1] != "of"):  # "of Kolophon" names a place
                words.add(" ".join(tokens[i:]))
        if "of" in tokens[1:]:  # a byname: "Nikandros of Kolophon" is "Nikandros" in the body
            words.add(" ".join(tokens[: tokens.index("of", 1)]))
    if sort_key and sort_key.count(",") == 1:
        surname = sort_key.split(",")[0].strip()
        if surname and any(surname in name.split() for name in names):
            words.add(surname)
    return SubjectOpener(Literals(words, possessive="'’"))


_LIFE_VERBS = (("birth_date", _BORN, "birth_place"), ("death_date", _DIED, "death_place"))
"""Each life field, the verb that states it in a sentence, and the place field its clause may state."""

_TIMELINE_ITEM = re.compile(r"[-*•#]\s*(?P<year>\d{3,4})\s+(?=(?:[Bb]orn|[Dd]ied)\b)")
"""A dated item of a chronology list with no subject of its own (``- 1907 Born in Okayama``): the
page's subject is the one born or dead, in that year."""


def _body_facts(
    key: str, parsed: Parsed, source: str, names: Sequence[str], reading: Reading | None = None
) -> list[Fact]:
    """Birth and death stated in sentences whose subject is the document's subject, and in the
    subject-less dated items of a chronology list (``_TIMELINE_ITEM``).

    Only sections where a birth or death verb stands are read sentence by sentence (a
    sentence holds no verb its section does not: it is a stretch of the section's text
    between whitespace), and the subject's opener is built once a sentence holds one."""
    opener: SubjectOpener | None = None
    facts = []
    for section in parsed.sections:
        if not (_BORN.search(section.text) or _DIED.search(section.text)):
            continue
        for offset, sentence, region in sentence_regions(section, source, reading):
            if section.section_no == 0 and offset == 0:
                continue  # the lead sentence is read by parse_lead
            verbs = [(field, verb.search(sentence), place_field) for field, verb, place_field in _LIFE_VERBS]
            if not any(found for _, found, _ in verbs):
                continue
            timeline = _TIMELINE_ITEM.match(sentence)
            opener = opener or _subject_opener(names, parsed.sort_key)
            if not opener.match(sentence) and timeline is None:
                continue
            for field, found, place_field in verbs:
                if not found or _OTHER_SUBJECT.search(sentence, 0, found.start()):
                    continue
                clause = _CLAUSE_END.split(sentence[found.end() :])[0]
                clause = _VERB_CLAUSE_END.split(clause, maxsplit=1)[0]
                dates = find_dates(clause) or (find_dates(timeline["year"]) if timeline else [])
                if dates and dates[0].end_value is None:
                    rule = f"body-{field.split('_')[0]}-sentence"
                    fact = _date_fact(key, field, dates[0], source, region, "body", rule, reading)
                    if fact:
                        facts.append(fact)
                place = _clause_place(sentence[: found.start()], clause)
                if place is not None:
                    rule = f"body-{place_field}-sentence"
                    fact = _place_fact(key, place_field, place, source, region, "body", rule, reading)
                    if fact:
                        facts.append(fact)
    return facts


def _clause_place(before: str, clause: str) -> tuple[str, str] | None:
    """(value, surface) of the place a born/died clause states, or the place before ``, where he``."""
    where = _WHERE.search(before)
    if where is not None:
        phrases = [p for p in place_phrases(before[: where.start()], motion=True) if p.end == where.start()]
        text = before
    else:
        phrases, text = place_phrases(clause)[:1], clause
    if not phrases or find_dates(phrases[-1].value):
        return None
    return phrases[-1].value, text[phrases[-1].start : phrases[-1].end]


def _category_facts(key: str, parsed: Parsed, source: str) -> list[Fact]:
    """Year candidates from ``NNNN births``/``deaths`` categories; ``raw`` is the category as written."""
    facts = []
    for category in parsed.categories:
        if category.kind in ("births", "deaths") and category.year is not None:
            field = "birth_date" if category.kind == "births" else "death_date"
            value = DateValue(f"{category.year:04d}", "year", category.year)
            facts.append(
                Fact(
                    key,
                    field,
                    value.edtf,
                    category.span.of(source),
                    "category",
                    f"category-{category.kind}",
                    category.span,
                    date=value,
                )
            )
    return facts


def _gloss_people(
    parsed: Parsed, source: str, subject_key: str | None, reading: Reading | None = None
) -> tuple[list[Link], list[tuple[int, str]], list[Person], list[PersonName], list[Fact], list[Notice]]:
    """Step 4: the person each gloss is the lead of, named where the gloss states the name; a gloss
    whose subject stands nowhere in its span as written (words rejoined across debris) gives no person."""
    links, link_people, persons, names, facts, notes = [], [], [], [], [], []
    seen: set[str] = set()
    for link in parsed.links:
        if not link.gloss or link.gloss_span is None:
            links.append(link)
            continue
        lead = _parse_gloss(link.gloss)
        target = lead.subject.strip() if lead.subject and lead.subject.strip() else link.anchor
        links.append(replace(link, target=target))
        if not lead.is_person or not looks_like_person_name(lead.subject):
            continue
        key = lead.subject.strip()
        if key == subject_key:
            continue
        if key not in seen:
            span = _stated_subject(lead, link.gloss, source, link.gloss_span, reading)
            if span is None:
                continue
            seen.add(key)
            persons.append(Person(key, key, key, lead.description, False, span))
            names.extend(_name_rows(key, lead, link.gloss, source, link.gloss_span, reading))
            anchor = _unquoted(link.anchor)
            if anchor and anchor != key:
                names.append(PersonName(key, anchor, "variant", script_of(anchor), link.span))
            facts.extend(_lead_facts(key, lead, source, link.gloss_span, "gloss", reading))
        link_people.append((link.link_no, key))
        if lead.lifespan_ambiguous:
            notes.append(Notice(Warn.AMBIGUOUS_LIFESPAN, message(Warn.AMBIGUOUS_LIFESPAN), link.gloss_span))
    return links, link_people, persons, names, facts, notes


def _stated_subject(
    lead: Lead, sentence: str, source: str, region: Span, reading: Reading | None = None
) -> Span | None:
    """Where ``region`` of the source states the subject of the lead read from ``sentence``: the
    subject as the sentence writes it (quote marks in), found as written or as the source reads
    once its removed markup is out; None when the source does not state it there."""
    written = sentence[lead.subject_span.start : lead.subject_span.end]
    return locate(source, written, region.start, region.end, reading)


_QUOTE_MARKUP = re.compile(r"''+|[\"“”]")


def _unquoted(written: str) -> str:
    """A name as an anchor writes it, without wiki quote runs and quote marks (``Ma''rk`` → ``Mark``), NFC."""
    return nfc(_QUOTE_MARKUP.sub("", written).strip())


def _lead_region(parsed: Parsed, source: str, paragraph: str, reading: Reading | None = None) -> Span:
    """Where the lead's values are looked for: from the lead paragraph's opening words to the end of
    the first section, so a name line or infobox above it (``Теодора Вукчевић``) is never taken for
    the lead's words. The opening words are looked for from the section's first piece of prose
    after its heading (a name line that opens like the lead, ``Tamar Kvaratskhelia (Georgian: …)``,
    is no piece of prose), and the region starts there when they are not found."""
    if not parsed.sections:
        return Span(0, len(source))
    section = parsed.sections[0]
    heading_end = section.heading_span.end if section.heading_span else section.span.start
    prose = min((p.start for p in section.pieces if p.start >= heading_end), default=section.span.start)
    opening = " ".join(paragraph.split()[:_OPENING_WORDS])
    found = locate(source, opening, prose, section.span.end, reading) if opening else None
    return Span(found.start if found else prose, section.span.end)


def extract_people(source: str, parsed: Parsed) -> Extracted:
    """Persons, names and candidate facts of one parsed document."""
    notes: list[Notice] = []
    persons: list[Person] = []
    names: list[PersonName] = []
    facts: list[Fact] = []
    reading = Reading(source, [d.span for d in parsed.dropped])
    paragraph = _first_paragraph(parsed)
    lead = parse_lead(paragraph) if paragraph else None
    lead_region = _lead_region(parsed, source, paragraph, reading)
    title = parsed.title
    lead_span = _stated_subject(lead, paragraph, source, lead_region, reading) if lead else None
    lead_name = (
        lead.subject.strip()
        if lead
        and lead_span is not None  # a name rejoined across a gloss is stated nowhere: no name
        and (
            looks_like_person_name(lead.subject)
            or _restates(lead.subject, title)
            or (lead.is_person and looks_like_byname(lead.subject))
        )
        else None
    )
    if title and parsed.format == "plain" and not looks_like_person_name(title):
        title = None  # a guessed first line ("Home | About | Contact") is not the subject's name
    full_name = lead_name or title  # the fullest form the document gives: at least the title
    display = (
        title
        or _title_from_sort_key(parsed.sort_key, full_name)
        or (full_name and common_name(full_name))
        or full_name
    )
    subject_key = display
    name_span = parsed.title_span if title else None
    if name_span is None and subject_key:  # the display name where the lead states it, else the full name
        name_span = locate(source, subject_key, lead_region.start, lead_region.end, reading) or lead_span
    if subject_key and name_span is not None:
        description = lead.description if lead and lead_name else None
        persons.append(Person(subject_key, subject_key, full_name, description, True, name_span))
        if title and parsed.title_span:
            names.append(PersonName(subject_key, title, "title", script_of(title), parsed.title_span))
        if parsed.sort_key and parsed.sort_key_span:
            names.append(
                PersonName(
                    subject_key, parsed.sort_key, "sort_key", script_of(parsed.sort_key), parsed.sort_key_span
                )
            )
        names.extend(
            _name_line_names(subject_key, parsed, source, [n for n in (title, subject_key, full_name) if n])
        )
        if lead and lead_name:
            names.extend(_name_rows(subject_key, lead, paragraph, source, lead_region, reading))
            facts.extend(_lead_facts(subject_key, lead, source, lead_region, "lead", reading))
            if lead.lifespan_ambiguous:
                notes.append(Notice(Warn.AMBIGUOUS_LIFESPAN, message(Warn.AMBIGUOUS_LIFESPAN)))
        names.extend(_infobox_names(subject_key, parsed, source))
        box_facts, box_notes = _infobox_facts(subject_key, parsed, source)
        facts.extend(box_facts)
        notes.extend(box_notes)
        known = [n for n in (title, full_name) if n]
        names.extend(_body_names(subject_key, parsed, source, [*known, *_stated_names(names)], reading))
        names.extend(_spelling_variants(subject_key, known, source))
        facts.extend(_body_facts(subject_key, parsed, source, known, reading))
        facts.extend(_category_facts(subject_key, parsed, source))
    else:
        notes.append(Notice(Warn.NO_SUBJECT, message(Warn.NO_SUBJECT)))
    links, link_people, gloss_persons, gloss_names, gloss_facts, gloss_notes = _gloss_people(
        parsed, source, subject_key, reading
    )
    persons.extend(gloss_persons)
    names.extend(gloss_names)
    facts.extend(gloss_facts)
    notes.extend(gloss_notes)
    notes.extend(_fact_notes(facts))
    return Extracted(
        persons=tuple(persons),
        names=tuple(_unique_names(names)),
        facts=tuple(facts),
        links=tuple(links),
        link_people=tuple(link_people),
        warnings=tuple(notes),
    )


_LAYOUT_WORDS = frozenset({"infobox", "template", "biography", "persondata", "person", "name"})
"""Words a scraped name line holds when the template's own name leaked instead of the person's."""


_LANGUAGE_LABEL = re.compile(r"[A-Za-z][\w -]{0,24}:\s*")


def _spelling_variants(key: str, known: Sequence[str], source: str) -> list[PersonName]:
    """The subject's title or full name as the document also spells it, with or without its
    diacritics or with another apostrophe (a mirror's ``Ichiyo Higuchi`` beside ``Ichiyō Higuchi``)."""
    rows, seen = [], {nfc(n) for n in known}
    for name in known:
        pattern = spelling_pattern(nfc(name))
        if pattern is None:
            continue
        for m in pattern.finditer(source):
            written = nfc(" ".join(m.group().split()))
            if written not in seen:
                seen.add(written)
                rows.append(PersonName(key, written, "variant", script_of(written), Span(m.start(), m.end())))
    return rows


def _name_line_names(key: str, parsed: Parsed, source: str, stated: Sequence[str]) -> list[PersonName]:
    """The infobox's name line (``Nona Gaprindashvili, ნონა გაფრინდაშვილი``,
    ``Tamar Orbeli (Georgian: თამარ ორბელი)``): its native-script parts are native names, a
    Latin part other than the title or full name is an alias; a language label before a
    part and a leaked template word (``Infobox``) are no name."""
    rows = []
    folded = {nfc(n).casefold() for n in stated}
    for entry in parsed.infobox:
        if entry.key != "name" or not entry.value:
            continue
        written = entry.value_span.of(source)
        pos = 0
        for piece in re.split(r"(\s*[,;()]\s*)", written):
            start, pos = pos, pos + len(piece)
            label = _LANGUAGE_LABEL.match(piece)  # ``(Georgian: თამარ …)``: the label is not the name
            part = piece[label.end() :] if label else piece
            start += label.end() if label else 0
            name = nfc(" ".join(part.split()))
            if not name or not any(c.isalpha() for c in name) or any(c.isdigit() for c in name):
                continue
            if name.casefold() in _LAYOUT_WORDS or name.casefold() in folded:
                continue
            script = script_of(name)
            span = Span(entry.value_span.start + start, entry.value_span.start + start + len(part))
            if script not in ("Latn", "Zyyy", "Zzzz"):
                rows.append(PersonName(key, name, "native", script, span))
            elif name[:1].isupper() or re.match(r"[a-z]{2,4}-[^\W\d_]", name):
                rows.append(PersonName(key, name, "alias", script, span))
    return rows


_NAME_RUN = r"\p{Lu}[\p{L}\p{M}'’ʿʾ-]*(?:\s+(?:\p{Lu}[\p{L}\p{M}'’ʿʾ-]*|(?:de|van|von|al|ibn|bin|bint)(?=\s+\p{Lu})))*"
_NAME_ITEM = rf"[\"“](?P<q>[^\"“”\n]{{1,40}})[\"”]|(?P<n>{_NAME_RUN})"
_NAME_ITEM_RE = regex.compile(_NAME_ITEM)
_NICKNAME_CUE = regex.compile(
    r"\b(?:(?:earned|received|gained|acquired|got|won|was\s+given|bore)\s+the\s+(?:nickname|epithet|sobriquet)"
    r"|(?:was|is|were)?\s*(?:(?:also|sometimes|often|later|widely|popularly|commonly|at\s+some\s+point)\s+)*"
    r"(?:nicknamed|dubbed|known\s+as|called))\s+"
)
"""A body clause giving the subject another name: ``earned the nickname "X"``, ``is also known as X``."""
_CUE_WORDS = re.compile(r"nicknam|dubbed|known|called|epithet|sobriquet|under the|name as")
"""A word every cue of ``_NICKNAME_CUE`` and ``_NAMED_AS_CUE`` holds: a fast test before the slow ones."""
_NAMED_AS_CUE = regex.compile(
    r"\b(?:under\s+the\s+(?:(?:pen|stage|assumed)\s+)?name|(?:his|her)\s+(?:(?:birth|real|legal|full)\s+)?name\s+as)\s+"
)
"""A body phrase stating a form of a name: ``under the name X``, ``gives his name as "X"``."""
_RELATIVE = regex.compile(
    r"\b(?:father|mother|parents?|wife|husband|spouse|brother|sister|son|daughter|uncle|aunt|grand\w+|cousin"
    r"|nephew|niece|friend|teacher|widow|widower)\b",
    regex.IGNORECASE,
)
"""Words that make a clause about someone else: a relative's names are never the subject's."""


def _cued_names(sentence: str, at: int) -> list[tuple[str, int, int]]:
    """The names listed right after a cue: quoted or capitalised items joined by ``or``/``,``."""
    out = []
    pos = at
    while m := _NAME_ITEM_RE.match(sentence, pos):
        group = "q" if m.group("q") else "n"
        out.append((" ".join(m.group(group).split()), m.start(group), m.end(group)))
        sep = regex.match(r"\s*(?:,\s*(?:or\s+)?|\s+or\s+)", sentence[m.end() :])
        if sep is None:
            break
        pos = m.end() + sep.end()
    return out


def _stated_names(names: Sequence[PersonName]) -> list[str]:
    """The Latin names already read for the subject (lead, name line, infobox)."""
    return [
        n.name for n in names if n.kind in ("full", "variant", "alias", "birth_name") and n.script == "Latn"
    ]


def _clause_subject(known: Sequence[str]) -> regex.Pattern[str]:
    """A clause's subject that is the document's subject: ``he``/``she`` or a capitalised word of its names."""
    names_re = "|".join(regex.escape(w) for n in known for w in n.split() if w[:1].isupper())
    return regex.compile(rf"(?:^\s*|[,;]\s+|\band\s+)(?:[Hh]e|[Ss]he|{names_re or '(?!)'})\b")


def _body_names(
    key: str, parsed: Parsed, source: str, known: Sequence[str], reading: Reading | None = None
) -> list[PersonName]:
    """Other names body sentences give the subject.

    A nickname cue (``earned the nickname "X"``, ``was nicknamed X``, ``is also known as X``)
    counts in a clause whose subject is the subject (``he``/``she`` or one of its names
    before the cue, no relative noun, no appositive comma right before the cue); a native
    name in the parenthesis right after is a native name. ``under the name X`` / ``his name
    as X`` count when X shares a word with a name already known for the subject.
    """
    if not any(_CUE_WORDS.search(section.text) for section in parsed.sections):
        return []  # the cues are rare: most documents have none of their words
    subject_re: regex.Pattern[str] | None = None  # compiled at the first cue (a pattern per document)
    known_words = {w.casefold() for n in known for w in n.split()}
    rows = []
    for section in parsed.sections:
        if not _CUE_WORDS.search(section.text):
            continue
        for offset, sentence, region in sentence_regions(section, source, reading):
            if (section.section_no == 0 and offset == 0) or not _CUE_WORDS.search(sentence):
                continue  # the lead sentence is read by parse_lead
            clause_start = 0
            for cue in _NICKNAME_CUE.finditer(sentence):
                clause_start = max(
                    [clause_start] + [m.end() for m in regex.finditer(r";", sentence[: cue.start()])]
                )
                before = sentence[clause_start : cue.start()]
                subject_re = subject_re or _clause_subject(known)
                if not subject_re.search(before) or _RELATIVE.search(before) or before.rstrip().endswith(","):
                    continue
                for name, a, b in _cued_names(sentence, cue.end()):
                    rows.extend(_body_name_rows(key, source, region, sentence, name, a, b, "alias", reading))
                    native = regex.match(r"\s*\((?:[\p{L}]+:\s*)?(?P<nat>[^()\[\];,:]+)\)", sentence[b:])
                    if native and script_of(native["nat"]) not in ("Latn", "Zyyy", "Zzzz"):
                        nat = native["nat"].strip()
                        start = b + native.start("nat") + (len(native["nat"]) - len(native["nat"].lstrip()))
                        rows.extend(
                            _body_name_rows(
                                key, source, region, sentence, nat, start, start + len(nat), "native", reading
                            )
                        )
            for cue in _NAMED_AS_CUE.finditer(sentence):
                if _RELATIVE.search(sentence[: cue.start()]):
                    continue
                for name, a, b in _cued_names(sentence, cue.end())[:1]:
                    if len(name.split()) > 1 and {w.casefold() for w in name.split()} & known_words:
                        rows.extend(
                            _body_name_rows(key, source, region, sentence, name, a, b, "alias", reading)
                        )
    return rows


def _body_name_rows(
    key: str,
    source: str,
    region: Span,
    sentence: str,
    name: str,
    a: int,
    b: int,
    kind: str,
    reading: Reading | None = None,
) -> list[PersonName]:
    span = locate(source, sentence[a:b], region.start, region.end, reading)
    if span is None or len(name.split()) > 6:
        return []
    return [PersonName(key, nfc(name), kind, script_of(name), span)]


def _restates(subject: str, title: str | None) -> bool:
    """Whether the lead's subject is the page title itself: the name of the page's subject.

    A single name (``Wulfmaer``) or a byname (``Nikandros of Kolophon``) fails the
    conservative person-name test, but a lead that opens with the page's own title
    names the person the page is about.
    """
    return (
        bool(title)
        and nfc(" ".join(subject.split())).casefold() == nfc(" ".join((title or "").split())).casefold()
    )


def _title_from_sort_key(sort_key: str | None, full_name: str | None) -> str | None:
    """``Spigelglas, Sergey`` → ``Sergey Spigelglas`` when every word stands in the full name."""
    if not sort_key or not full_name or sort_key.count(",") != 1:
        return None
    surname, given = (part.strip() for part in sort_key.split(","))
    title = f"{given} {surname}".strip()
    return title if set(title.split()) <= set(full_name.split()) else None


def _unique_names(names: list[PersonName]) -> list[PersonName]:
    seen: set[tuple[str, str, int, str]] = set()
    out = []
    for n in names:
        k = (n.person_key, n.kind, n.span.start, n.name)
        if k not in seen:
            seen.add(k)
            out.append(n)
    return out


def _agree(a: Fact, b: Fact) -> bool:
    """Two candidates agree when they say the same at their common precision."""
    if a.date and b.date:
        common = min(len(a.date.edtf.rstrip("~?")), len(b.date.edtf.rstrip("~?")))
        return a.date.edtf[:common] == b.date.edtf[:common]
    first_a = (a.parts or (a.value,))[0].casefold()
    first_b = (b.parts or (b.value,))[0].casefold()
    return first_a == first_b


def _priority(fact: Fact) -> tuple[int, int, int, int]:
    """Precision, then source; among places of one source the one with more parts (``X, Thrace`` over ``X``)."""
    precision = PRECISION_RANK.get(fact.date.precision, 0) if fact.date else 0
    return (-precision, SUBJECT_PRIORITY.index(fact.source_kind), -len(fact.parts or ()), fact.span.start)


def _old_style_copies(group: Sequence[Fact]) -> set[int]:
    """Candidates that state, in the old calendar alone, a day another candidate gives in both calendars."""
    old_days = {old for f in group if f.date and f.date.calendar_note and (old := old_style_edtf(f.date))}
    if not old_days:
        return set()
    return {id(f) for f in group if f.date and f.date.calendar_note is None and f.date.edtf in old_days}


def rank_facts(facts: Sequence[Fact]) -> list[RankedFact]:
    """Each fact with whether it is chosen for its (person, field) and whether any candidate disagrees.

    An Old Style copy of a dual-calendar date (``_old_style_copies``) is never chosen over
    it and does not conflict with it: both say the same day.
    """
    groups: dict[tuple[str, str], list[Fact]] = defaultdict(list)
    for fact in facts:
        groups[(fact.person_key, fact.field)].append(fact)
    chosen_ids: set[int] = set()
    conflicted: set[int] = set()
    for group in groups.values():
        copies = _old_style_copies(group) if len(group) > 1 else set()
        chosen_ids.add(id(min(group, key=lambda f: (id(f) in copies, _priority(f)))))
        for fact in group:
            if id(fact) in copies:
                continue
            if any(
                not _agree(fact, other) for other in group if other is not fact and id(other) not in copies
            ):
                conflicted.add(id(fact))
    return [RankedFact(f, id(f) in chosen_ids, id(f) in conflicted) for f in facts]


def _fact_notes(facts: Sequence[Fact]) -> list[Notice]:
    notes = []
    ranked = rank_facts(facts)
    chosen = {(r.fact.person_key, r.fact.field): r.fact for r in ranked if r.chosen}
    conflict_fields = sorted({(r.fact.person_key, r.fact.field) for r in ranked if r.conflict})
    for key, field in conflict_fields:
        values = sorted({r.fact.value for r in ranked if (r.fact.person_key, r.fact.field) == (key, field)})
        notes.append(
            Notice(
                Warn.FACT_CONFLICT,
                message(Warn.FACT_CONFLICT, field=f"{key}: {field}", values=", ".join(values)),
            )
        )
    for key in sorted({k for k, _ in chosen}):
        birth, death = chosen.get((key, "birth_date")), chosen.get((key, "death_date"))
        if (
            birth
            and death
            and birth.date
            and death.date
            and death.date.year - birth.date.year > MAX_LIFESPAN_YEARS
        ):
            notes.append(
                Notice(
                    Warn.LIFESPAN_OVER_120,
                    message(Warn.LIFESPAN_OVER_120, birth=birth.value, death=death.value),
                )
            )
    return notes
