"""Table-driven name cases for parse_lead (tests/cases/lead_names.tsv), and names from the
infobox name line and from body sentences."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from pipeline.extract.lead import Lead, parse_lead
from pipeline.extract.people import extract_people
from pipeline.formats import wiki_markup

CASES_FILE = Path(__file__).parent / "cases" / "lead_names.tsv"


def _cases() -> list[tuple[str, str, str, str]]:
    lines = [line for line in CASES_FILE.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    rows = list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [(r["case"], r["sentence"], r["field"], r["want"]) for r in rows]


def _field(lead: Lead, field: str) -> str:
    if field == "subject":
        return lead.subject
    if field == "is_person":
        return str(lead.is_person)
    if field == "birth_name":
        return lead.birth_name.text if lead.birth_name else ""
    if field == "native":
        return " | ".join(f"{m.text}@{m.script}" for m in lead.native_names)
    mentions = {"aliases": lead.aliases, "variants": lead.variants}[field]
    return " | ".join(m.text for m in mentions)


CASES = _cases()


@pytest.mark.parametrize(("case", "sentence", "field", "want"), CASES, ids=[f"{c[0]}-{c[2]}" for c in CASES])
def test_lead_names(case: str, sentence: str, field: str, want: str) -> None:
    assert _field(parse_lead(sentence), field) == want


@pytest.mark.parametrize(("case", "sentence", "field", "want"), CASES, ids=[f"{c[0]}-{c[2]}" for c in CASES])
def test_name_spans_cover_the_name_as_written(case: str, sentence: str, field: str, want: str) -> None:
    lead = parse_lead(sentence)
    for m in lead.native_names:
        assert m.span.of(sentence) == m.text
    for m in (*lead.aliases, *lead.variants, *([lead.birth_name] if lead.birth_name else [])):
        written = m.span.of(sentence)
        assert "".join(ch for ch in written if ch not in '"“”') == m.text


def _names(text: str) -> dict[str, list[str]]:
    extracted = extract_people(text, wiki_markup.parse(text))
    subject = extracted.persons[0].person_key
    out: dict[str, list[str]] = {}
    for n in extracted.names:
        if n.person_key == subject:
            out.setdefault(n.kind, []).append(n.name)
            assert " ".join(text[n.span.start : n.span.end].replace('"', "").split()) == n.name
    return out


def test_native_name_on_the_name_line() -> None:
    text = (
        "= Eka Beridze =\n\nEka Beridze, ეკა ბერიძე\n- Born: 4 April 1950\n\n"
        "Eka Beridze (born 4 April 1950) is a Georgian painter.\n"
    )
    names = _names(text)
    assert names["native"] == ["ეკა ბერიძე"]
    assert "alias" not in names


def test_a_leaked_template_word_is_no_name_and_full_name_falls_back_to_the_title() -> None:
    text = (
        "= Kaoru Sato =\n\nInfobox\n- Pen name: Kaoru Sato\n- Birth name: Yumiko Sato\n\n"
        ", known by her pen name , was a Japanese poet.\n"
    )
    extracted = extract_people(text, wiki_markup.parse(text))
    assert extracted.persons[0].full_name == "Kaoru Sato"
    assert all(n.name != "Infobox" for n in extracted.names)


def test_body_nickname_of_the_subject_but_not_of_a_relative() -> None:
    text = (
        "= Omar Haddad =\n\nOmar Haddad (1905 – 1960) was a French runner.\n\n== Life ==\n\n"
        'Before the war, he won many races and earned the nickname "the desert wind". '
        "His brother, known as Sami Haddad, was a baker. "
        "He later was nicknamed Haddadi by reporters; he is also known as Umar Haddad (عمر حداد). "
        "His first poems appeared under the name Omar Hadad.\n"
    )
    names = _names(text)
    assert names["alias"] == ["the desert wind", "Haddadi", "Umar Haddad", "Omar Hadad"]
    assert names["native"] == ["عمر حداد"]
