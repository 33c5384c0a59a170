"""Subject, names and facts on documents written for these tests (not the seeds)."""

from __future__ import annotations

from pipeline.core import process_document
from pipeline.extract.lead import parse_lead
from pipeline.extract.people import rank_facts, sentences
from pipeline.run.sources import source_from_bytes

MIRROR = (
    "Home | About | Contact\n\nJohn Smith (1920-2001) - Mirror\n\n"
    "John Smith (born 3 March 1920 in Leeds; died 2001) was an English engineer. He worked in London.\n\n"
    "This page was mirrored from Wikipedia. Copyright (c) 2020.\n"
)
FRAGMENT = (
    "Ivan Ivanovich Petrov (Russian: Иван Иванович Петров; c. 1885 – 1937) was a Soviet\ndiplomat\n"
    "A diplomat is a person appointed by a state to conduct diplomacy with other states ...\nand member of the\n"
    "Comintern\nThe Communist International, abbreviated as Comintern, was an organization ...\n. He worked with\n"
    "Grigory Zinoviev\nGrigory Yevseyevich Zinoviev (born Hirsch Apfelbaum; 23 September [O.S. 11 September] "
    "1883 – 25 August 1936) was a Russian revolutionary.\nLife\nZinoviev was born ...\nin the 1920s.\n"
    "References\n{{DEFAULTSORT:Petrov, Ivan Ivanovich}}\n1885 births\n1937 deaths\n"
)


def _chosen(result: object, person_id_part: str) -> dict[str, str]:
    facts = rank_facts(result.extracted.facts)  # type: ignore[attr-defined]
    return {r.fact.field: r.fact.value for r in facts if r.chosen and person_id_part in r.fact.person_key}


def test_navigation_debris_is_not_the_subjects_name() -> None:
    result = process_document(source_from_bytes("mirror.txt", MIRROR.encode()))
    subject = next(p for p in result.extracted.persons if p.is_subject)
    assert subject.name == "John Smith"
    chosen = _chosen(result, "John Smith")
    assert chosen["birth_date"] == "1920-03-03"  # the body sentence is more precise than the lead
    assert chosen["birth_place"] == "Leeds"
    assert chosen["death_date"] == "2001"


def test_fragment_of_another_person() -> None:
    result = process_document(source_from_bytes("petrov.txt", FRAGMENT.encode()))
    assert result.parsed is not None and result.parsed.format == "wiki_fragment"
    subject = next(p for p in result.extracted.persons if p.is_subject)
    assert subject.name == "Ivan Ivanovich Petrov"
    chosen = _chosen(result, "Petrov")
    assert chosen["birth_date"] == "1885~" and chosen["death_date"] == "1937"
    zinoviev = _chosen(result, "Zinoviev")
    assert zinoviev == {"birth_date": "1883-09-23", "death_date": "1936-08-25"}  # the gloss's, not Petrov's
    targets = {link.anchor: link.target for link in result.extracted.links}
    assert targets["diplomat"] == "diplomat"
    assert targets["Comintern"] == "Communist International"
    assert result.coverage == 1.0


def test_indefinite_article_is_not_the_subject() -> None:
    assert parse_lead("A diplomat is a person appointed by a state ...").subject == "diplomat"
    assert parse_lead("An ensign is a junior rank ...").subject == "ensign"
    assert parse_lead("The Cheka was a secret police.").subject == "Cheka"


def test_a_paragraph_break_ends_a_sentence() -> None:
    text = "John Smith (1920-2001) - Mirror\n\nJohn Smith was born in Leeds. He died."
    assert [s for _, s in sentences(text)] == [
        "John Smith (1920-2001) - Mirror",
        "John Smith was born in Leeds.",
        "He died.",
    ]
    for offset, sentence in sentences(text):
        assert text[offset : offset + len(sentence)] == sentence


def test_a_chronology_item_without_a_subject_is_the_subjects() -> None:
    """``- 1907 Born in Kuopio.`` in a dated list: the page's subject was born there, that year;
    another person's item (``- 1950 Her coach was born in Oulu.``) is not read."""
    text = (
        "Site\nMenu\nSearch\n\nMirja Koskinen (14 February 1927 – 30 July 1988) was a Finnish skier.\n\n"
        "Career\n\n- 1927 Born in Kuopio.\n- 1950 Her coach was born in Oulu.\n- 1952 Olympic gold at Oslo.\n"
    )
    result = process_document(source_from_bytes("timeline.txt", text.encode()))
    places = [f.value for f in result.extracted.facts if f.field == "birth_place"]
    years = [f.value for f in result.extracted.facts if f.field == "birth_date" and f.source_kind == "body"]
    assert places == ["Kuopio"] and years == ["1927"]
