"""Date normaliser: example tables for parse_date, find_dates and parse_lifespan; hypothesis properties."""

from __future__ import annotations

import calendar
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.normalise.dates import DateMatch, find_dates, parse_date, parse_lifespan

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
J = "julian-converted"

# input -> (edtf, precision, year, qualifier, calendar_note), or None for a reject
PARSE_CASES: list[tuple[str, tuple[str, str, int, str | None, str | None] | None]] = [
    ("1900", ("1900", "year", 1900, None, None)),
    ("6 December 1899", ("1899-12-06", "day", 1899, None, None)),
    ("December 6, 1899", ("1899-12-06", "day", 1899, None, None)),
    ("December 6 1899", ("1899-12-06", "day", 1899, None, None)),
    ("July 7, 1907", ("1907-07-07", "day", 1907, None, None)),
    ("Dec. 6, 1899", ("1899-12-06", "day", 1899, None, None)),
    ("6 Sept. 1899", ("1899-09-06", "day", 1899, None, None)),
    ("1981-05-03", ("1981-05-03", "day", 1981, None, None)),
    ("1898-07", ("1898-07", "month", 1898, None, None)),
    ("July 1898", ("1898-07", "month", 1898, None, None)),
    ("July, 1898", ("1898-07", "month", 1898, None, None)),
    ("c. 1899", ("1899~", "year", 1899, "approximate", None)),
    ("c.1899", ("1899~", "year", 1899, "approximate", None)),
    ("circa 1899", ("1899~", "year", 1899, "approximate", None)),
    ("ca. 1899", ("1899~", "year", 1899, "approximate", None)),
    ("about 1899", ("1899~", "year", 1899, "approximate", None)),
    ("c. March 1899", ("1899-03~", "month", 1899, "approximate", None)),
    ("1892~", ("1892~", "year", 1892, "approximate", None)),
    ("1938?", ("1938?", "year", 1938, "uncertain", None)),
    ("1938 (?)", ("1938?", "year", 1938, "uncertain", None)),
    ("possibly 1938", ("1938?", "year", 1938, "uncertain", None)),
    ("12 March [O.S. 27 February] 1900", ("1900-03-12", "day", 1900, None, J)),
    ("12 March (O.S. 27 February) 1900", ("1900-03-12", "day", 1900, None, J)),
    ("March 12 [O.S. February 28], 1900", ("1900-03-12", "day", 1900, None, J)),
    ("19 (31) December 1897", ("1897-12-31", "day", 1897, None, J)),
    ("19/31 December 1897", ("1897-12-31", "day", 1897, None, J)),
    ("12 January 1900 [O.S. 31 December 1899]", ("1900-01-12", "day", 1900, None, J)),
    ("12 January 1900 [O.S. 31 December]", ("1900-01-12", "day", 1900, None, J)),
    ("31 December 1899 [N.S. 12 January 1900]", ("1900-01-12", "day", 1900, None, J)),
    ("27 February [N.S. 11 March] 1900", ("1900-03-11", "day", 1900, None, J)),
    ("27 February (11 March) 1900", ("1900-03-11", "day", 1900, None, J)),
    ("27 February 1900 (O.S.)", ("1900-03-11", "day", 1900, None, J)),
    ("6th December 1899", ("1899-12-06", "day", 1899, None, None)),
    ("December 6th, 1899", ("1899-12-06", "day", 1899, None, None)),
    ("the 6th of December 1899", None),  # "the" is not stripped: callers pass the date itself
    ("6th of December 1899", ("1899-12-06", "day", 1899, None, None)),
    ("1st January 1901", ("1901-01-01", "day", 1901, None, None)),
    ("6\u00a0December\u20091899", ("1899-12-06", "day", 1899, None, None)),
    ("1981\u201105\u201103", ("1981-05-03", "day", 1981, None, None)),
    ("  (6 December 1899).  ", ("1899-12-06", "day", 1899, None, None)),
    ("29 February 1904", ("1904-02-29", "day", 1904, None, None)),
    ("44 BC", ("-0043", "year", -43, None, None)),
    ("1 BC", ("0000", "year", 0, None, None)),
    ("-0043", ("-0043", "year", -43, None, None)),
    ("AD 988", ("0988", "year", 988, None, None)),
    ("988 AD", ("0988", "year", 988, None, None)),
    ("988", ("0988", "year", 988, None, None)),
    ("0988", ("0988", "year", 988, None, None)),
    ("1899-12-06~", ("1899-12-06~", "day", 1899, "approximate", None)),
    # rejects
    ("31 February 1900", None),
    ("29 February 1900", None),  # 1900 is not a Gregorian leap year
    ("31 April 1900", None),
    ("1900-13", None),
    ("1900-02-30", None),
    ("41", None),
    ("'41", None),
    ("6 December", None),
    ("December", None),
    ("May", None),
    ("the 1920s", None),
    ("1920s", None),
    ("1930's", None),
    ("1941–42", None),
    ("1927–1929", None),
    ("2500", None),
    ("12 years", None),
    ("Thirteenth of Never", None),
    ("", None),
    ("31 February [O.S. 18 February] 1900", None),  # the New Style date itself is invalid
    ("5/6 December 1897", None),  # not an O.S./N.S. pair (the offset is not 12 days)
]


@pytest.mark.parametrize(("raw", "expected"), PARSE_CASES)
def test_parse_date_table(raw: str, expected: tuple[str, str, int, str | None, str | None] | None) -> None:
    value = parse_date(raw)
    if expected is None:
        assert value is None
        return
    assert value is not None
    assert (value.edtf, value.precision, value.year, value.qualifier, value.calendar_note) == expected


def test_parse_date_table_is_big_enough() -> None:
    assert len(PARSE_CASES) >= 40
    assert sum(1 for _, e in PARSE_CASES if e is None) >= 10


# sentence -> [(raw, edtf, end edtf or None, rule)]
FIND_CASES: list[tuple[str, list[tuple[str, str, str | None, str]]]] = [
    ("Born on 6 December 1899 in Shklov.", [("6 December 1899", "1899-12-06", None, "dmy")]),
    ("joined the Cheka on May 10, 1920, having", [("May 10, 1920", "1920-05-10", None, "mdy")]),
    ("In 1924, he graduated", [("1924", "1924", None, "y")]),
    ("in April 1933 he was shifted", [("April 1933", "1933-04", None, "my")]),
    ("- Died: 1981-05-03", [("1981-05-03", "1981-05-03", None, "iso")]),
    ("From 1927–1929 he served", [("From 1927–1929", "1927", "1929", "range")]),
    ("the OGPU from 1930-1932 and", [("from 1930-1932", "1930", "1932", "range")]),
    ("neutrality from 1941–42.", [("from 1941–42", "1941", "1942", "range")]),
    ("in 1899–1901 and 1998–03", [("1899–1901", "1899", "1901", "range"), ("1998", "1998", None, "y")]),
    ("from 1927 to 1929 he", [("from 1927 to 1929", "1927", "1929", "range")]),
    ("NKVD, from February to June 1938.", [("from February to June 1938", "1938-02", "1938-06", "range")]),
    ("between 1930 and 1932", [("between 1930 and 1932", "1930", "1932", "range")]),
    ("1930 and 1932", [("1930", "1930", None, "y"), ("1932", "1932", None, "y")]),
    ("later (from May 1935) Abram", [("from May 1935", "1935-05", None, "open-from")]),
    ("in the Red Army since 1918, however", [("since 1918", "1918", None, "open-from")]),
    ("continuing there until 1915.", [("until 1915", "1915", None, "open-until")]),
    (
        "(29 April 1897 – 29 January 1941) was",
        [("29 April 1897 – 29 January 1941", "1897-04-29", "1941-01-29", "range")],
    ),
    ("(1900 - 19 August 1945)", [("1900 - 19 August 1945", "1900", "1945-08-19", "range")]),
    ("served May–June 1938 in", [("May–June 1938", "1938-05", "1938-06", "range")]),
    ("6–8 December 1899", [("6–8 December 1899", "1899-12-06", "1899-12-08", "range")]),
    ("April 3–5, 1921", [("April 3–5, 1921", "1921-04-03", "1921-04-05", "range")]),
    ("between 5 and 7 March 1921", [("between 5 and 7 March 1921", "1921-03-05", "1921-03-07", "range")]),
    ("5 and 7 March 1921", [("7 March 1921", "1921-03-07", None, "dmy")]),
    ("3 March – 5 April 1921", [("3 March – 5 April 1921", "1921-03-03", "1921-04-05", "range")]),
    (
        "1899—1937 and 1899 — 1937",
        [("1899—1937", "1899", "1937", "range"), ("1899 — 1937", "1899", "1937", "range")],
    ),
    ("1941/42", [("1941/42", "1941", "1942", "range")]),
    ("Died 1910-12.", [("1910-12", "1910", "1912", "range")]),
    ("Born 1898-07.", [("1898-07", "1898-07", None, "iso")]),
    ("c. 1899 – c. 1937", [("c. 1899 – c. 1937", "1899~", "1937~", "range")]),
    ("Around 1930, he", [("Around 1930", "1930~", None, "y")]),
    ("he died in 1938? No.", [("1938?", "1938?", None, "y")]),
    ("possibly 1938", [("possibly 1938", "1938?", None, "y")]),
    (
        "He was born 12 March [O.S. 27 February] 1900 in",
        [("12 March [O.S. 27 February] 1900", "1900-03-12", None, "os-bracket")],
    ),
    ("On 19 (31) December 1897 he", [("19 (31) December 1897", "1897-12-31", None, "os-paren")]),
    (
        "(12 January 1900 [O.S. 31 December 1899])",
        [("12 January 1900 [O.S. 31 December 1899]", "1900-01-12", None, "os-bracket")],
    ),
    (
        "c. 980 and 44 BC and AD 1066",
        [("c. 980", "0980~", None, "y"), ("44 BC", "-0043", None, "y"), ("AD 1066", "1066", None, "y")],
    ),
    ("on 6\u00a0December\u00a01899", [("6\u00a0December\u00a01899", "1899-12-06", None, "dmy")]),
    ("from\n1934 to 1946", [("from\n1934 to 1946", "1934", "1946", "range")]),
    ("In October 1951, Major-General", [("October 1951", "1951-10", None, "my")]),
]

NO_DATES = [
    "the Japanese that 20 Russian agents were",
    "he spent 12 years there",
    "an ensign in the 42nd reserve regiment",
    "20,000-30,000 élite troops",
    "head of the 4th Directorate",
    "sentenced to 10 years in prison",
    "see pp. 123–145 and pp. 1123–1145 and p. 1937",
    "he may have been a great-cousin; it may 12 times fail",
    "in the 1930s and the 1930's and the 1920s–1930s",
    "in 988 and in March 300 soldiers marched",
    "about 500 men, 1500 troops, 2000 km, 1900 people",
    "31 February 1900",
    "ISBN 978-0-19-280548-1",
    "price $1900 and No. 1917",
    "12:30 on the 5/6 night",
    "the 1,900 prisoners and 3.1900 units",
]


def _summary(matches: list[DateMatch]) -> list[tuple[str, str, str | None, str]]:
    return [(m.raw, m.value.edtf, m.end_value.edtf if m.end_value else None, m.rule) for m in matches]


@pytest.mark.parametrize(("text", "expected"), FIND_CASES)
def test_find_dates_table(text: str, expected: list[tuple[str, str, str | None, str]]) -> None:
    matches = find_dates(text)
    assert _summary(matches) == expected
    for m in matches:
        assert text[m.start : m.end] == m.raw


@pytest.mark.parametrize("text", NO_DATES)
def test_find_dates_ignores_numbers_that_are_not_dates(text: str) -> None:
    assert find_dates(text) == []


def test_find_dates_old_style_disagreement_is_kept_with_a_warning() -> None:
    # O.S. 27 February 1900 is N.S. 11 March (1900 is a Julian leap year): the text says 12 March.
    (m,) = find_dates("born 12 March [O.S. 27 February] 1900")
    assert m.value.edtf == "1900-03-12"
    assert m.value.calendar_note == J
    assert m.warning == "os-ns-mismatch"
    (ok,) = find_dates("born 11 March [O.S. 27 February] 1900")
    assert ok.warning is None


def test_find_dates_cross_year_partial_range_is_not_invented() -> None:
    # "December–January 1938" would need 1937 for December: the text does not say so.
    assert _summary(find_dates("December–January 1938")) == [("January 1938", "1938-01", None, "my")]


def test_find_dates_invalid_date_yields_nothing_over_its_span() -> None:
    assert find_dates("on 31 February 1900 he left; in 1901 he returned")[0].raw == "1901"


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name[:3])
def test_find_dates_on_seeds_spans_and_order(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    matches = find_dates(text)
    assert matches
    previous_end = 0
    for m in matches:
        assert text[m.start : m.end] == m.raw
        assert m.start >= previous_end
        previous_end = m.end
        assert parse_date(m.value.edtf) is not None


def test_find_dates_seed_lead_lifespan() -> None:
    text = (SEEDS / "000_6a97d13d10c0048c.txt").read_text(encoding="utf-8")
    raws = [m.raw for m in find_dates(text)]
    assert "6 December 1899 – 3 May 1981" in raws
    assert "May 10, 1920" in raws
    assert "20 August 1940" in raws
    assert not any("Russian" in r or "years" in r for r in raws)


# inner text -> (birth raw, birth edtf) | None, (death raw, death edtf) | None, ambiguous
LIFESPANS: list[tuple[str, tuple[str, str] | None, tuple[str, str] | None, bool]] = [
    (
        "Наум Исаакович Эйтингон; 6 December 1899 – 3 May 1981",
        ("6 December 1899", "1899-12-06"),
        ("3 May 1981", "1981-05-03"),
        False,
    ),
    ("; July 1898 – 17 February 1938", ("July 1898", "1898-07"), ("17 February 1938", "1938-02-17"), False),
    ("1900 - 19 August 1945", ("1900", "1900"), ("19 August 1945", "1945-08-19"), False),
    (" – 23 December 1953", None, ("23 December 1953", "1953-12-23"), False),
    ("1899 – 4 September 1937", ("1899", "1899"), ("4 September 1937", "1937-09-04"), False),
    ("; (Ви́нникова); 1 October 1940", None, None, True),
    ("born 12 March 1900", ("12 March 1900", "1900-03-12"), None, False),
    ("died 1941", None, ("1941", "1941"), False),
    ("d. 1941", None, ("1941", "1941"), False),
    ("b. 1900", ("1900", "1900"), None, False),
    ("born 1900, died 1941", ("1900", "1900"), ("1941", "1941"), False),
    ("1950 –", ("1950", "1950"), None, False),
    ("c. 1899 – 1937", ("c. 1899", "1899~"), ("1937", "1937"), False),
    (
        "; 12 March [O.S. 27 February] 1900 – 3 November 1929",
        ("12 March [O.S. 27 February] 1900", "1900-03-12"),
        ("3 November 1929", "1929-11-03"),
        False,
    ),
    ("Russian: Иван; 1899; 1900 – 1950", ("1900", "1900"), ("1950", "1950"), False),
    ("fl. 1920–1930", None, None, True),
    ("Russian: Иван Иванович", None, None, False),
    ("", None, None, False),
    ("1 October 1940, 3 March 1990", None, None, True),
]


@pytest.mark.parametrize(("inner", "birth", "death", "ambiguous"), LIFESPANS)
def test_parse_lifespan_table(
    inner: str, birth: tuple[str, str] | None, death: tuple[str, str] | None, ambiguous: bool
) -> None:
    span = parse_lifespan(inner)
    got_birth = (span.birth.raw, span.birth.value.edtf) if span.birth else None
    got_death = (span.death.raw, span.death.value.edtf) if span.death else None
    assert (got_birth, got_death, span.ambiguous) == (birth, death, ambiguous)
    for m in (span.birth, span.death):
        if m is not None:
            assert inner[m.start : m.end] == m.raw


def test_parse_lifespan_keeps_old_style_note() -> None:
    span = parse_lifespan("19 (31) December 1897 – 1937")
    assert span.birth is not None and span.birth.value.calendar_note == J
    assert span.birth.rule == "os-paren"


# ---------------------------------------------------------------- properties

MONTHS = list(calendar.month_name)[1:]


@st.composite
def valid_days(draw: st.DrawFn) -> tuple[int, int, int]:
    year = draw(st.integers(1000, 2100))
    month = draw(st.integers(1, 12))
    day = draw(st.integers(1, calendar.monthrange(year, month)[1]))
    return year, month, day


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_parse_date_never_raises(raw: str) -> None:
    value = parse_date(raw)
    assert value is None or value.precision in ("day", "month", "year")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789 -–—/()[]?~,.cabMayJuneOSDecember\n", max_size=80))
def test_find_dates_never_raises_and_spans_hold(text: str) -> None:
    previous_end = 0
    for m in find_dates(text):
        assert text[m.start : m.end] == m.raw
        assert m.start >= previous_end
        previous_end = m.end


@settings(max_examples=200, deadline=None)
@given(valid_days())
def test_formats_round_trip_to_the_same_edtf(ymd: tuple[int, int, int]) -> None:
    year, month, day = ymd
    name = MONTHS[month - 1]
    expected = f"{year:04d}-{month:02d}-{day:02d}"
    for raw in (f"{day} {name} {year}", f"{name} {day}, {year}", expected):
        value = parse_date(raw)
        assert value is not None and value.edtf == expected and value.precision == "day", raw
    (found,) = find_dates(f"He was born on {day} {name} {year} in Moscow.")
    assert found.value.edtf == expected


@settings(max_examples=200, deadline=None)
@given(
    valid_days(),
    st.sampled_from(["{d} {m} {y}", "{m} {y}", "{y}", "c. {y}", "{y}?", "about {m} {y}", "{m} {d}, {y}?"]),
)
def test_edtf_output_reparses_to_itself(ymd: tuple[int, int, int], template: str) -> None:
    year, month, day = ymd
    value = parse_date(template.format(d=day, m=MONTHS[month - 1], y=year))
    assert value is not None
    again = parse_date(value.edtf)
    assert again is not None
    assert (again.edtf, again.precision, again.year, again.qualifier) == (
        value.edtf,
        value.precision,
        value.year,
        value.qualifier,
    )


@settings(max_examples=200, deadline=None)
@given(st.integers(100, 2100), st.sampled_from(["{y}", "c. {y}", "circa {y}", "{y}?", "about {y}", "{y} AD"]))
def test_year_only_input_never_gains_month_or_day(year: int, template: str) -> None:
    value = parse_date(template.format(y=year))
    assert value is not None
    assert value.precision == "year"
    assert value.year == year
    assert "-" not in value.edtf


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 99))
def test_two_digit_numbers_are_never_years(n: int) -> None:
    assert parse_date(str(n)) is None
    assert parse_date(f"{n:02d}") is None
    assert find_dates(f"in {n} he left, {n} men") == []
