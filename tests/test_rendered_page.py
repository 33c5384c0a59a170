"""The rendered-page layout, case by case: leads, titles, infobox rows, headings, chrome."""

from __future__ import annotations

import pytest

from pipeline.detect import detect
from pipeline.formats.lines import split_lines
from pipeline.formats.rendered_page import box_row, find_lead, parse

# line → (label, value) of a rendered infobox row; None when the line is not a labelled row
BOX_ROWS: list[tuple[str, tuple[str | None, str] | None]] = [
    ("Born1802", ("Born", "1802")),
    ("Died9 May 1871(1871-05-09) (aged 68)", ("Died", "9 May 1871(1871-05-09) (aged 68)")),
    ("Spouse(s)Ana Ilić", ("Spouse(s)", "Ana Ilić")),
    ("Preceded byOffice created", ("Preceded by", "Office created")),
    ("Alma materUniversity of Turku (1840)", ("Alma mater", "University of Turku (1840)")),
    ("Birth Place:Turku, Grand Duchy of Finland", ("Birth Place", "Turku, Grand Duchy of Finland")),
    ("Native Name:Юрий Беляев", ("Native Name", "Юрий Беляев")),
    ("Bronze | 1936 Berlin | 400 metres |", ("Bronze", "1936 Berlin | 400 metres |")),
    ("Born", ("Born", "")),
    ("Main interests", ("Main interests", "")),
    ("Olympic medalist | |||", (None, "Olympic medalist | |||")),
    # not labelled rows: a name with an inner capital, a menu, prose, an unknown glued word
    ("MacArthur", None),
    ("Douglas MacArthur", None),
    ("Home | About | Contact", None),
    ("He was born in Turku in 1802.", None),
    ("Bornholm", None),
]


@pytest.mark.parametrize(("line", "expected"), BOX_ROWS)
def test_box_rows(line: str, expected: tuple[str | None, str] | None) -> None:
    row = box_row(line)
    got = None if row is None else (row.label, line[row.value_start :].strip())
    assert got == (None if expected is None else (expected[0], expected[1].strip()))


# text → name the lead opens with (None: no lead)
LEADS: list[tuple[str, str | None]] = [
    ("Menu\n\nJuho Kallio (14 May 1802 – 9 May 1871) was a Finnish surveyor and mapmaker.", "Juho Kallio"),
    ("**Ana Ilić Petrović** (born 1850 in Niš) was a Serbian painter and teacher of drawing.", "Ana Ilić Petrović"),
    ("Hélène Marchetti[a] Rossi[b] (née Durand; 1901 – 1977) was a French chemist and a teacher.", "Hélène Marchetti Rossi"),
    ("Ibn Battuta was a Maghrebi traveller and explorer who crossed the known world twice.", "Ibn Battuta"),
    # short lines, a sentence that is not a lead, a list item
    ("Juho Kallio\nFinnish surveyor\n1802 – 1871", None),
    ("In 1840 the survey of the coast was finished, and the maps were printed in Turku.", None),
    ("- 1840 Finished the survey of the coast of the Gulf of Bothnia; it is printed in Turku.", None),
]


@pytest.mark.parametrize(("text", "expected"), LEADS)
def test_leads(text: str, expected: str | None) -> None:
    found = find_lead(split_lines(text))
    assert (found[1] if found else None) == expected


LEAD = "Juho Kallio (14 May 1802 – 9 May 1871) was a Finnish surveyor and mapmaker."


@pytest.mark.parametrize(
    ("header", "title", "suffix"),
    [
        ("Juho Kallio Explained\n\n", "Juho Kallio", "Explained"),
        ("mapwiki.example - People\nJuho Kallio - Wikipedia\n", "Juho Kallio", "- Wikipedia"),
        ("Juho Kallio : biography\n", "Juho Kallio", ": biography"),
        ("Kallio\n", "Kallio", None),
        ("Surveyors of Finland\n\n", None, None),  # a header that does not name the subject
    ],
)
def test_titles_and_what_the_mirror_added(header: str, title: str | None, suffix: str | None) -> None:
    parsed = parse(header + LEAD)
    assert parsed.title == title
    suffixes = [d.text for d in parsed.dropped if d.rule == "title-suffix"]
    assert suffixes == ([suffix] if suffix else [])


def test_born_and_died_fields_split_into_name_date_and_place() -> None:
    text = (
        "Juho Kallio\n"
        "Personal details\n"
        "Born\nJohan Kallio\n\n14 May 1802\nOulu, Sweden\n(now Finland)\n"
        "Died9 May 1871(1871-05-09) (aged 68)\nTurku, Grand Duchy of Finland\n"
        "Spouse(s)Maria Kallio\nEva Kallio\n\n" + LEAD
    )
    parsed = parse(text)
    rows = [(e.raw_key, e.key, e.value) for e in parsed.infobox]
    assert parsed.title == "Juho Kallio"
    assert rows == [
        ("Personal details", "personal_details", ""),
        ("Born", "birth_date", ""),
        (None, "birth_name", "Johan Kallio"),
        (None, "birth_date", "14 May 1802"),
        (None, "birth_place", "Oulu, Sweden (now Finland)"),
        ("Died", "death_date", "9 May 1871"),
        (None, "death_place", "Turku, Grand Duchy of Finland"),
        ("Spouse(s)", "spouse", "Maria Kallio"),
        (None, "spouse", "Eva Kallio"),
    ]
    for entry in parsed.infobox:  # each row's span holds its value, and its label when it names one
        surface = entry.value_span.of(text)
        assert " ".join(surface.split()) == entry.value
        assert entry.raw_key is None or entry.raw_key in entry.span.of(text)


def test_headings_chrome_and_notes() -> None:
    text = (
        "Juho Kallio\nFrom Wikipedia, the free encyclopedia\n" + LEAD + "\n"
        "Contents\n1 Surveys\n2 Later life\n"
        "[edit] Surveys\nHe mapped the coast.\n\n"
        "Later life\n\nHe retired to Turku.\n\n*(dates to be checked)*\n\n"
        'Retrieved from "https://mapwiki.example/Juho_Kallio"\nPrivacy policy | About\n'
    )
    parsed = parse(text)
    assert [s.heading for s in parsed.sections] == ["Juho Kallio", "Surveys", "Later life"]
    rules = {d.text: d.rule for d in parsed.dropped}
    assert rules["From Wikipedia, the free encyclopedia"] == "page-furniture"
    assert rules["Contents"] == rules["1 Surveys"] == "table-of-contents"
    assert rules["[edit]"] == "edit-link"
    assert rules["*(dates to be checked)*"] == "editor-note"
    assert rules["Privacy policy | About"] == "site-chrome"  # after the end of the article
    assert "Retrieved" not in " ".join(s.text for s in parsed.sections)


@pytest.mark.parametrize(
    ("text", "layout"),
    [
        ("Site\nMenu\nSearch\n\n" + LEAD, "rendered_page"),
        ("**Juho Kallio** (14 May 1802 – 9 May 1871) was a Finnish surveyor and mapmaker.", "rendered_page"),
        ("Juho Kallio\n\n" + LEAD + "\n\nHe mapped the coast.", "plain"),  # a title and a lead: no chrome
        ("Some notes\nabout maps\nand more\n\nnothing here reads like a lead sentence", "plain"),
    ],
)
def test_detection_needs_a_lead_and_evidence(text: str, layout: str) -> None:
    detection = detect(text)
    assert detection.format == layout, detection.evidence
