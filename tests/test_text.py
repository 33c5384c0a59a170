"""Tests for pipeline.normalise.text: value cleaning with a drop log, NFC, infobox key aliases."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.normalise.text import INFOBOX_KEY_ALIASES, clean_value, nfc, normalise_key

# (value, cleaned, [(dropped text, rule), ...])
CLEAN_CASES: list[tuple[str, str, list[tuple[str, str]]]] = [
    ("Spigelglas () (29 April", "Spigelglas (29 April", [(" ()", "empty-parentheses")]),
    ("Paris () is the capital", "Paris is the capital", [(" ()", "empty-parentheses")]),
    ("Trotskyism (, ) is", "Trotskyism is", [(" (, )", "empty-parentheses")]),
    ("NKVD (; ), was", "NKVD, was", [(" (; )", "empty-parentheses")]),
    ("Jews (, , ), or", "Jews, or", [(" (, , )", "empty-parentheses")]),
    ("x (; ; ) y", "x y", [(" (; ; )", "empty-parentheses")]),
    ("a ( ) b", "a b", [(" ( )", "empty-parentheses")]),
    ("a ( () ) b", "a b", [(" ( () )", "empty-parentheses")]),
    ("() at the start", "at the start", [("()", "empty-parentheses")]),
    ("''Deadly Illusions''", "Deadly Illusions", [("''", "wiki-italics"), ("''", "wiki-italics")]),
    ("'''Nahum'''", "Nahum", [("'''", "wiki-bold"), ("'''", "wiki-bold")]),
    ("'''''Both'''''", "Both", [("'''''", "wiki-bold-italics"), ("'''''", "wiki-bold-italics")]),
    ("O'Brien's", "O'Brien's", []),
    ("(; (Ви́нникова); 1 October 1940)", "((Ви́нникова); 1 October 1940)", [("; ", "parenthesis-separator")]),
    (
        "Sedov (, also known as Leon Sedov)",
        "Sedov (also known as Leon Sedov)",
        [(", ", "parenthesis-separator")],
    ),
    ("(a; )", "(a)", [("; ", "parenthesis-separator")]),
    ("( – 23 December 1953)", "( – 23 December 1953)", []),
    ("  many\n\n spaces\t here ", "many spaces here", []),
    ("", "", []),
    ("Plain text.", "Plain text.", []),
    ("x '()' y", "x y", [("'()'", "wiki-italics")]),  # joined debris: one record
]


@pytest.mark.parametrize(("value", "cleaned", "drops"), CLEAN_CASES)
def test_clean_value(value: str, cleaned: str, drops: list[tuple[str, str]]) -> None:
    out, dropped = clean_value(value)
    assert out == cleaned
    assert [(d.text, d.rule) for d in dropped] == drops
    for d in dropped:
        assert value[d.span.start : d.span.end] == d.text


def test_clean_value_shifts_spans_by_offset() -> None:
    source = "Born: Paris () is ''big''"
    offset = source.index("Paris")
    out, dropped = clean_value(source[offset:], offset)
    assert out == "Paris is big"
    assert [source[d.span.start : d.span.end] for d in dropped] == [" ()", "''", "''"]


def test_clean_value_returns_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Krivitsky Криви́цкий Mercader del Río")
    out, dropped = clean_value(decomposed)
    assert out == unicodedata.normalize("NFC", decomposed)
    assert dropped == []


def test_nfc() -> None:
    assert nfc("e\u0301") == "\u00e9"


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("Birthplace", "birth_place"),
        ("Place of birth", "birth_place"),
        ("place of birth:", "birth_place"),
        ("Born in", "birth_place"),
        ("Birth place", "birth_place"),
        ("Born", "birth_date"),
        ("Date of birth", "birth_date"),
        ("Birth date", "birth_date"),
        ("DOB", "birth_date"),
        ("D.O.B.", "birth_date"),
        ("Died", "death_date"),
        ("Date of death", "death_date"),
        ("Death date", "death_date"),
        ("Deathplace", "death_place"),
        ("Place of death", "death_place"),
        ("Death place", "death_place"),
        ("Name", "name"),
        ("Full name", "full_name"),
        ("Native name", "native_name"),
        ("Other names", "other_names"),
        ("Also known as", "other_names"),
        ("Nationality", "nationality"),
        ("Occupation", "occupation"),
        ("Allegiance", "allegiance"),
        ("Rank", "rank"),
        ("Spouse(s)", "spouse"),
        ("Children", "children"),
        ("Resting place", "resting_place"),
        ("Buried", "resting_place"),
        ("Branch", "branch"),
        ("Service years", "service_years"),
        ("Awards", "awards"),
        ("Alma mater", "alma_mater"),
        ("Known for", "known_for"),
        ("Cause of death", "cause_of_death"),
        ("  CAUSE  OF  DEATH ", "cause_of_death"),
        ("Favourite colour", None),
        ("", None),
    ],
)
def test_normalise_key(raw: str, key: str | None) -> None:
    assert normalise_key(raw) == key


def test_alias_table_values_are_snake_case() -> None:
    for label, key in INFOBOX_KEY_ALIASES.items():
        assert key == key.lower() and " " not in key, label
        assert normalise_key(label) == key


# ---------------------------------------------------------------- properties

_values = st.text(alphabet=st.sampled_from(list("ab é()[],;' \n\tЖ")), max_size=40)


@given(_values)
def test_clean_value_is_idempotent_and_logs_real_text(value: str) -> None:
    out, dropped = clean_value(value, 7)
    again, dropped_again = clean_value(out)
    assert again == out
    assert dropped_again == []
    for d in dropped:
        assert value[d.span.start - 7 : d.span.end - 7] == d.text
        assert d.text.strip()


@given(_values)
def test_clean_value_only_removes(value: str) -> None:
    out, _ = clean_value(value)
    assert "()" not in out
    assert len(out) <= len(value)


# ---------------------------------------------------------------- linear time on hostile input
# Each input below took quadratic time before (seconds to minutes); the tests check the shape
# of the result on an input large enough that a quadratic step would stall the suite.
# Their timings live in benchmarks/bench_hostile.py.


def test_unbalanced_parentheses_are_cleaned_in_one_pass() -> None:
    out, dropped = clean_value("(" * 10_000 + ")" * 5_000)
    assert out == "(" * 5_000 and "()" not in out
    assert [(d.span.start, d.span.end, d.rule) for d in dropped] == [(5_000, 15_000, "empty-parentheses")]


def test_a_rendered_page_of_many_short_lines_keeps_every_line() -> None:
    from pipeline.formats import rendered_page

    lead = "**Ann Smith** (1 May 1893 – 28 December 1936) was a Russian poet.\n"
    parsed = rendered_page.parse(lead + "Ann\nBo\n" * 10_000)
    assert sum(len(s.pieces) for s in parsed.sections) == 1 + 20_000  # the lead and every line, heading too
    assert [s.heading for s in parsed.sections] == [None, "Ann"]


def test_many_sibling_headings_all_hang_from_the_lead() -> None:
    from pipeline.formats import wiki_markup

    text = "= Ann Smith =\n\nAnn Smith (1893 – 1936) was a poet.\n" + "\n== Life ==\nHe wrote.\n" * 5_000
    sections = wiki_markup.parse(text).sections
    assert len(sections) == 5_001
    assert {s.parent_no for s in sections[1:]} == {0}


def test_sentences_whose_openings_are_not_in_the_source_still_get_regions() -> None:
    from pipeline.extract.people import sentence_regions, sentences
    from pipeline.formats import wiki_fragment

    lead = "Ann Smith (1 May 1893 – 28 December 1936) was a poet in the\nSoviet\n"
    gloss = "The Soviet Union was a country that spanned much of Eurasia from 1922 ...\nservice. "
    text = lead + gloss + "Ann ... " * 12_500
    for section in wiki_fragment.parse(text).sections:
        regions = list(sentence_regions(section, text))
        assert len(regions) == len(sentences(section.text))
        assert all(section.span.start <= r.start <= r.end == section.span.end for _, _, r in regions)
