"""parse_citation: one table of citation styles, plus properties that hold for any entry."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.extract.bibliography import Citation, parse_citation

CASES: list[tuple[str, str, Citation]] = [
    (
        "comma-style-two-authors",
        "John Costello and Oleg Tsarev, ''Deadly Illusions'', Crown, 1993",
        Citation(("John Costello", "Oleg Tsarev"), "Deadly Illusions", "Crown", 1993),
    ),
    (
        "publisher-with-comma-and-trailing-period",
        "Pavel Sudoplatov, ''Special Tasks'', Little, Brown and Company, 1994.",
        Citation(("Pavel Sudoplatov",), "Special Tasks", "Little, Brown and Company", 1994),
    ),
    (
        "abbreviated-publisher",
        "Alexander Orlov, ''The March of Time'', St. Ermins Press, 2004.",
        Citation(("Alexander Orlov",), "The March of Time", "St. Ermins Press", 2004),
    ),
    (
        "inverted-name-place-publisher",
        "Smith, John. ''A History of Spies''. London: Penguin, 1999.",
        Citation(("Smith, John",), "A History of Spies", "London: Penguin", 1999),
    ),
    (
        "editor-marker",
        "Brown, Mary (ed.). ''Essays on the Cheka''. Oxford University Press, 2003",
        Citation(("Brown, Mary",), "Essays on the Cheka", "Oxford University Press", 2003),
    ),
    (
        "editors-marker-two-names",
        "Brown, Mary and Green, Tom (eds.), ''Collected Papers'', Routledge, 2011",
        Citation(("Brown, Mary", "Green, Tom"), "Collected Papers", "Routledge", 2011),
    ),
    (
        "et-al",
        "Novak, Petr, et al. ''The Big Book''. Verso, 2010.",
        Citation(("Novak, Petr",), "The Big Book", "Verso", 2010),
    ),
    (
        "no-year",
        "Jane Doe, ''Untitled Memoir'', Penguin",
        Citation(("Jane Doe",), "Untitled Memoir", "Penguin", None),
    ),
    (
        "no-italics-commas",
        "Jane Doe, The Secret World, Penguin, 2001",
        Citation(("Jane Doe",), "The Secret World", "Penguin", 2001),
    ),
    (
        "no-italics-periods",
        "Doe, Jane. The Secret World. New York: Basic Books, 2001.",
        Citation(("Doe, Jane",), "The Secret World", "New York: Basic Books", 2001),
    ),
    (
        "quoted-article-title",
        'Ann Lee. "An Article on Defectors". Journal of Cold War Studies, 1999.',
        Citation(("Ann Lee",), "An Article on Defectors", "Journal of Cold War Studies", 1999),
    ),
    (
        "author-date",
        "Smith, J. R. (1987). ''Moles''. Faber.",
        Citation(("Smith, J. R.",), "Moles", "Faber", 1987),
    ),
    (
        "semicolon-authors",
        "Costello, John; Tsarev, Oleg. ''Deadly Illusions''. New York: Crown, 1993",
        Citation(("Costello, John", "Tsarev, Oleg"), "Deadly Illusions", "New York: Crown", 1993),
    ),
    (
        "ampersand-and-list",
        "Ann Lee, Bob Roe & Cy Poe, ''Three Hands'', Knopf, 1975",
        Citation(("Ann Lee", "Bob Roe", "Cy Poe"), "Three Hands", "Knopf", 1975),
    ),
    ("title-only", "''Only a Title''", Citation((), "Only a Title", None, None)),
    ("numeric-title-is-not-a-year", "Orwell, ''1984''", Citation(("Orwell",), "1984", None, None)),
    (
        "three-digit-year",
        "Anonymous, ''Annals'', Monastery Press, 850",
        Citation(("Anonymous",), "Annals", "Monastery Press", 850),
    ),
    (
        "cyrillic",
        "Сергей Иванов, ''История разведки'', Наука, 1990",
        Citation(("Сергей Иванов",), "История разведки", "Наука", 1990),
    ),
    ("empty", "   ", Citation((), None, None, None)),
]


@pytest.mark.parametrize(("raw", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_citation_styles(raw: str, expected: Citation) -> None:
    assert parse_citation(raw) == expected


def test_year_is_never_invented() -> None:
    assert parse_citation("Jane Doe, ''Memoir of 1937 and After'', Penguin").year is None


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=120))
def test_any_text_parses_and_parts_come_from_it(raw: str) -> None:
    c = parse_citation(raw)
    for author in c.authors:
        assert author and author.strip() == author
        for word in author.replace(",", " ").split():
            assert word in raw
    if c.year is not None:
        assert str(c.year) in raw
        assert 100 <= c.year <= 9999
