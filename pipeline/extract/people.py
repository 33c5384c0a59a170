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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from pipeline.codes import Warn, message
from pipeline.extract.lead import Lead, parse_lead
from pipeline.extract.locate import locate
from pipeline.normalise.dates import DateMatch, find_dates, old_style_edtf, parse_date
from pipeline.normalise.names import common_name, looks_like_person_name, script_of
from pipeline.normalise.places import place_parts
from pipeline.normalise.text import nfc
from pipeline.records import DateValue, Extracted, Fact, Link, Notice, Parsed, Person, PersonName, Span

SUBJECT_PRIORITY = ("infobox", "lead", "body", "category", "gloss")
"""Declared priority among sources; for dates a more precise candidate wins first."""
PRECISION_RANK = {"day": 3, "month": 2, "year": 1}
MAX_LIFESPAN_YEARS = 120

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“(]?[A-Z0-9])")
_BORN = re.compile(r"\bwas born\b|\b[Bb]orn\b")
_DIED = re.compile(
    r"\b(?:died|was executed|was killed|was shot dead|was assassinated|was murdered|passed away)\b"
)
_PLACE = re.compile(
    r"\b(?:in|at) (?!the \d)(?P<place>(?:[A-Z][\w'’.-]*)"
    r"(?:\s+(?:[A-Z][\w'’.-]*|(?:of|de|del|la|le|am|an|upon|on|sur)(?=\s+[A-Z])))*"
    r"(?:,\s+(?:in present-day\s+|now\s+)?[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|of(?=\s+[A-Z])))*)*)"
)
"""A place after ``in``/``at``: capitalised words, joined by a particle only when another capitalised word follows
(``Frankfurt am Main``; ``died in Oslo on 2 October`` → ``Oslo``)."""
_CLAUSE_END = re.compile(r";|, (?:and|but|where|when|while|who|which) | and (?=[a-z])")
"""Where the clause of a ``born``/``died`` verb ends: ``born at Reykholt and taught in Reykjavík``."""


_parse_gloss = lru_cache(maxsize=16_384)(parse_lead)
"""Glosses repeat across a corpus (every page linking the NKVD carries its summary): read each once."""


@dataclass(frozen=True, slots=True)
class RankedFact:
    fact: Fact
    chosen: bool
    conflict: bool


def sentences(text: str) -> list[tuple[int, str]]:
    """(offset, sentence) pairs of a prose text; a paragraph break always ends a sentence."""
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
    return out


def _first_paragraph(parsed: Parsed) -> str:
    """The lead's first paragraph of prose (list items are not the lead sentence)."""
    if not parsed.sections:
        return ""
    paragraphs = [p for p in parsed.sections[0].text.split("\n\n") if p and p.lstrip()[:1] not in "-*•#"]
    return paragraphs[0] if paragraphs else ""


def _name_rows(key: str, lead: Lead, sentence: str, source: str, region: Span) -> list[PersonName]:
    """The names a lead sentence states, located in the source region the sentence was read from.

    The name is the lead's cleaned text (quote marks and wiki quotes removed, NFC); its
    span covers the name as written in the source.
    """
    rows = []
    found: list[tuple[str, Span, str]] = [(lead.subject, lead.subject_span, "full")]
    found += [(m.text, m.span, "variant") for m in lead.variants]
    found += [(m.text, m.span, "alias") for m in lead.aliases]
    found += [(m.text, m.span, "native") for m in lead.native_names]
    if lead.birth_name:
        found.append((lead.birth_name.text, lead.birth_name.span, "birth_name"))
    for name, at, kind in found:
        surface = sentence[at.start : at.end]
        span = locate(source, surface, region.start, region.end)
        if span is not None and name.strip():
            rows.append(PersonName(key, nfc(name.strip()), kind, script_of(name), span))
    return rows


def _date_fact(
    key: str, field: str, match: DateMatch, source: str, region: Span, kind: str, rule: str
) -> Fact | None:
    span = locate(source, match.raw, region.start, region.end)
    if span is None:
        return None
    return Fact(key, field, match.value.edtf, span.of(source), kind, rule, span, date=match.value)


def _lead_facts(key: str, lead: Lead, source: str, region: Span, kind: str) -> list[Fact]:
    facts = []
    for field, match in (("birth_date", lead.birth), ("death_date", lead.death)):
        if match is not None:
            fact = _date_fact(key, field, match, source, region, kind, f"{kind}-lifespan-{match.rule}")
            if fact:
                facts.append(fact)
    return facts


def _infobox_facts(key: str, parsed: Parsed) -> tuple[list[Fact], list[Notice]]:
    facts, notes = [], []
    for entry in parsed.infobox:
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
                    entry.value,
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
                    entry.value,
                    "infobox",
                    f"infobox-{entry.key}",
                    entry.value_span,
                    parts=place_parts(entry.value),
                )
            )
    return facts, notes


def _subject_pattern(names: Iterable[str], sort_key: str | None = None) -> re.Pattern[str]:
    """A sentence opener that makes the subject its grammatical subject.

    The whole name, any tail of it that starts with a capitalised word (a compound
    surname: ``Ferreira de Almeida``, ``Arap Rono``) and the surname a sort key puts
    before its comma (``Mori, Kazuhiro`` → ``Mori``, a family name written first).
    """
    words = {"He", "She"}
    for name in names:
        tokens = name.split()
        for i in range(len(tokens)):
            if tokens[i][:1].isupper() and (i == 0 or tokens[i - 1] != "of"):  # "of Kolophon" names a place
                words.add(re.escape(" ".join(tokens[i:])))
    if sort_key and sort_key.count(",") == 1:
        surname = sort_key.split(",")[0].strip()
        if surname and any(surname in name.split() for name in names):
            words.add(re.escape(surname))
    alternatives = "|".join(sorted(words, key=len, reverse=True))
    # "Born in Onitsha, she studied …": a participle opener whose subject follows the comma
    return re.compile(
        rf"^(?:(?:In|On|By|After|Before|Born)\b[^,]{{0,40}},\s+)?(?:{alternatives}|(?<=, )(?:he|she))\b(?!['’]s)"
    )


def _body_facts(key: str, parsed: Parsed, source: str, names: Sequence[str]) -> list[Fact]:
    """Birth and death stated in sentences whose subject is the document's subject."""
    opener = _subject_pattern(names, parsed.sort_key)
    facts = []
    for section in parsed.sections:
        region = section.span
        for offset, sentence in sentences(section.text):
            if section.section_no == 0 and offset == 0:
                continue  # the lead sentence is read by parse_lead
            if not opener.match(sentence):
                continue
            for field, verb, place_field in (
                ("birth_date", _BORN, "birth_place"),
                ("death_date", _DIED, "death_place"),
            ):
                found = verb.search(sentence)
                if not found:
                    continue
                clause = _CLAUSE_END.split(sentence[found.end() :])[0]
                dates = find_dates(clause)
                if dates and dates[0].end_value is None:
                    fact = _date_fact(
                        key, field, dates[0], source, region, "body", f"body-{field.split('_')[0]}-sentence"
                    )
                    if fact:
                        facts.append(fact)
                place = _PLACE.search(clause)
                if place and not find_dates(place["place"]):
                    value = place["place"].rstrip(".,")
                    span = locate(source, value, region.start, region.end)
                    if span:
                        facts.append(
                            Fact(
                                key,
                                place_field,
                                value,
                                span.of(source),
                                "body",
                                f"body-{place_field}-sentence",
                                span,
                                parts=place_parts(value),
                            )
                        )
    return facts


def _category_facts(key: str, parsed: Parsed) -> list[Fact]:
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
                    category.category,
                    "category",
                    f"category-{category.kind}",
                    category.span,
                    date=value,
                )
            )
    return facts


def _gloss_people(
    parsed: Parsed, source: str, subject_key: str | None
) -> tuple[list[Link], list[tuple[int, str]], list[Person], list[PersonName], list[Fact], list[Notice]]:
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
        link_people.append((link.link_no, key))
        if lead.lifespan_ambiguous:
            notes.append(Notice(Warn.AMBIGUOUS_LIFESPAN, message(Warn.AMBIGUOUS_LIFESPAN), link.gloss_span))
        if key in seen:
            continue
        seen.add(key)
        span = locate(source, key, link.gloss_span.start, link.gloss_span.end) or link.gloss_span
        persons.append(Person(key, key, key, lead.description, False, span))
        names.extend(_name_rows(key, lead, link.gloss, source, link.gloss_span))
        if link.anchor.strip() != key:
            names.append(PersonName(key, link.anchor.strip(), "variant", script_of(link.anchor), link.span))
        facts.extend(_lead_facts(key, lead, source, link.gloss_span, "gloss"))
    return links, link_people, persons, names, facts, notes


def extract_people(source: str, parsed: Parsed) -> Extracted:
    """Persons, names and candidate facts of one parsed document."""
    notes: list[Notice] = []
    persons: list[Person] = []
    names: list[PersonName] = []
    facts: list[Fact] = []
    paragraph = _first_paragraph(parsed)
    lead = parse_lead(paragraph) if paragraph else None
    lead_region = parsed.sections[0].span if parsed.sections else Span(0, len(source))
    title = parsed.title
    full_name = (
        lead.subject.strip()
        if lead and lead.subject and (looks_like_person_name(lead.subject) or _restates(lead.subject, title))
        else None
    )
    if title and parsed.format == "plain" and not looks_like_person_name(title):
        title = None  # a guessed first line ("Home | About | Contact") is not the subject's name
    display = (
        title
        or _title_from_sort_key(parsed.sort_key, full_name)
        or (full_name and common_name(full_name))
        or full_name
    )
    subject_key = display
    if subject_key:
        name_span = (
            (parsed.title_span if title else None)
            or locate(source, subject_key, lead_region.start, lead_region.end)
            or (full_name and locate(source, full_name, lead_region.start, lead_region.end))
            or Span(0, 0)
        )
        description = lead.description if lead and full_name else None
        persons.append(Person(subject_key, subject_key, full_name, description, True, name_span))
        if title and parsed.title_span:
            names.append(PersonName(subject_key, title, "title", script_of(title), parsed.title_span))
        if parsed.sort_key and parsed.sort_key_span:
            names.append(
                PersonName(
                    subject_key, parsed.sort_key, "sort_key", script_of(parsed.sort_key), parsed.sort_key_span
                )
            )
        if lead and full_name:
            names.extend(_name_rows(subject_key, lead, paragraph, source, lead_region))
            facts.extend(_lead_facts(subject_key, lead, source, lead_region, "lead"))
            if lead.lifespan_ambiguous:
                notes.append(Notice(Warn.AMBIGUOUS_LIFESPAN, message(Warn.AMBIGUOUS_LIFESPAN)))
        box_facts, box_notes = _infobox_facts(subject_key, parsed)
        facts.extend(box_facts)
        notes.extend(box_notes)
        known = [n for n in (title, full_name) if n]
        facts.extend(_body_facts(subject_key, parsed, source, known))
        facts.extend(_category_facts(subject_key, parsed))
    else:
        notes.append(Notice(Warn.NO_SUBJECT, message(Warn.NO_SUBJECT)))
    links, link_people, gloss_persons, gloss_names, gloss_facts, gloss_notes = _gloss_people(
        parsed, source, subject_key
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


def _priority(fact: Fact) -> tuple[int, int, int]:
    precision = PRECISION_RANK.get(fact.date.precision, 0) if fact.date else 0
    return (-precision, SUBJECT_PRIORITY.index(fact.source_kind), fact.span.start)


def _old_style_copies(group: Sequence[Fact]) -> set[int]:
    """Candidates that state, in the old calendar alone, a day another candidate gives in both calendars."""
    old_days = {old for f in group if f.date and (old := old_style_edtf(f.date))}
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
        copies = _old_style_copies(group)
        chosen_ids.add(id(min(group, key=lambda f: (id(f) in copies, _priority(f)))))
        for fact in group:
            others = [o for o in group if o is not fact and not {id(o), id(fact)} & copies]
            if any(not _agree(fact, other) for other in others):
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
