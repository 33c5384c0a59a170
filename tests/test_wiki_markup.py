"""The wiki-markup parser: table-driven cases on variations, and the two seeds."""

from __future__ import annotations

import pytest

from pipeline.core import spans_of
from pipeline.coverage import coverage
from pipeline.formats.wiki_markup import parse
from pipeline.records import Extracted, Parsed

DOC = """= Jane Roe =

Jane Roe
- Born: c. 1850
- Place of birth: Leeds, Yorkshire, England
- Occupation: chemist
- not a fact, just a bullet

Jane Roe (c. 1850 – 1901) was an English chemist. See [[Royal Society|the Society]].

== Early life ==
She was born in Leeds.{{citation needed}}<ref>A ref.</ref>

=== School ===
She studied.

==Works==
- ''Chemistry for All'', Macmillan, 1888

== See also ==
- John Doe
- [[Mary Major]]

[[Category:1901 deaths]]
{{DEFAULTSORT:Roe, Jane}}
"""


@pytest.fixture(scope="module")
def doc() -> Parsed:
    return parse(DOC)


def test_title_and_name_line(doc: Parsed) -> None:
    assert doc.title == "Jane Roe"
    assert doc.title_span is not None and DOC[doc.title_span.start : doc.title_span.end] == "Jane Roe"
    assert (
        doc.infobox[0].raw_key is None and doc.infobox[0].key == "name" and doc.infobox[0].value == "Jane Roe"
    )


def test_infobox_keys_through_alias_table(doc: Parsed) -> None:
    rows = [(e.raw_key, e.key, e.value) for e in doc.infobox[1:]]
    assert rows == [
        ("Born", "birth_date", "c. 1850"),
        ("Place of birth", "birth_place", "Leeds, Yorkshire, England"),
        ("Occupation", "occupation", "chemist"),
    ]
    for entry in doc.infobox:
        assert DOC[entry.value_span.start : entry.value_span.end] == entry.value


def test_bullet_without_key_is_not_an_infobox_fact(doc: Parsed) -> None:
    assert all("bullet" not in e.value for e in doc.infobox)
    assert "not a fact, just a bullet" in doc.sections[0].text


def test_sections_levels_and_parents(doc: Parsed) -> None:
    shape = [(s.section_no, s.level, s.heading, s.parent_no) for s in doc.sections]
    assert shape == [
        (0, 1, "Jane Roe", None),
        (1, 2, "Early life", 0),
        (2, 3, "School", 1),
        (3, 2, "Works", 0),
        (4, 2, "See also", 0),
    ]


def test_inline_markup_is_resolved_and_logged(doc: Parsed) -> None:
    lead = doc.sections[0].text
    assert "See the Society." in lead
    assert doc.sections[1].text == "She was born in Leeds."
    rules = {d.rule for d in doc.dropped}
    assert {"link-markup", "template", "reference", "defaultsort-markup"} <= rules
    inline = [lk for lk in doc.links if lk.kind == "inline"]
    assert [(lk.anchor, lk.target) for lk in inline] == [("the Society", "Royal Society")]


def test_see_also_bullets_are_links(doc: Parsed) -> None:
    see_also = [(lk.anchor, lk.target) for lk in doc.links if lk.kind == "see_also"]
    assert see_also == [("John Doe", "John Doe"), ("Mary Major", "Mary Major")]


def test_bibliography_and_categories(doc: Parsed) -> None:
    assert len(doc.bibliography) == 1
    entry = doc.bibliography[0]
    assert entry.title == "Chemistry for All" and entry.year == 1888
    assert [(c.category, c.kind, c.year) for c in doc.categories] == [("1901 deaths", "deaths", 1901)]
    assert doc.sort_key == "Roe, Jane"


def test_every_character_is_accounted_for(doc: Parsed) -> None:
    assert coverage(DOC, spans_of(doc, Extracted())) == 1.0


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_line_endings_do_not_change_structure(newline: str) -> None:
    text = DOC.replace("\n", newline)
    parsed = parse(text)
    assert [s.heading for s in parsed.sections] == [s.heading for s in parse(DOC).sections]
    assert coverage(text, spans_of(parsed, Extracted())) == 1.0


@pytest.mark.parametrize(
    ("text", "headings"),
    [
        ("No title line here.\n\n== A ==\nx\n", [None, "A"]),
        ("= T =\n== A ==\n== B ==\n", ["T", "A", "B"]),
        ("= T =\n\nJust a lead.\n", ["T"]),
    ],
)
def test_variations(text: str, headings: list[str | None]) -> None:
    parsed = parse(text)
    assert [s.heading for s in parsed.sections] == headings
    assert coverage(text, spans_of(parsed, Extracted())) == 1.0


def test_seeds_structure(seed_texts: dict[str, str]) -> None:
    for name, text in seed_texts.items():
        if not name.startswith(("000", "001")):
            continue
        parsed = parse(text)
        assert parsed.title and parsed.infobox and len(parsed.sections) > 3
        assert [lk.kind for lk in parsed.links] == ["see_also"]
        assert coverage(text, spans_of(parsed, Extracted())) == 1.0
