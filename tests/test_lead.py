"""Tests for pipeline.extract.lead: lead sentences and link glosses → Lead."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.extract.lead import Lead, parse_lead


@dataclass(frozen=True)
class Want:
    """The whole projection of a Lead that a case pins down; unset fields must be empty."""

    subject: str
    variants: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    native: tuple[tuple[str, str], ...] = ()  # (name, script)
    birth_name: str | None = None
    abbreviations: tuple[str, ...] = ()
    birth: str | None = None  # EDTF
    death: str | None = None
    ambiguous: bool = False
    description: str | None = None
    is_person: bool = False
    n_parens: int = 0
    truncated: bool = False
    tags: tuple[str, ...] = field(default=())


def subject_as_written(lead: Lead, sentence: str) -> bool:
    """The subject's span covers it as written: the same text, or the text with quote marks,
    a quoted nickname and footnote markers (``Ivan "Vanya" Sidorov[a]``) taken out."""
    written = lead.subject_span.of(sentence)
    if written == lead.subject:
        return True
    for nickname in (r"(?<!\S)[\"“][^\"“”\n]{1,40}[\"”](?!\S)", r"(?!)"):
        bare = re.sub(rf"{nickname}|\[(?:\d{{1,3}}|[a-z]{{1,2}})\]", " ", written)
        if " ".join(re.sub(r"''+|[\"“”„«»]", "", bare).split()) == lead.subject:
            return True
    return False


def project(lead: Lead) -> Want:
    return Want(
        subject=lead.subject,
        variants=tuple(v.text for v in lead.variants),
        aliases=tuple(a.text for a in lead.aliases),
        native=tuple((n.text, n.script) for n in lead.native_names),
        birth_name=lead.birth_name.text if lead.birth_name else None,
        abbreviations=tuple(a.text for a in lead.abbreviations),
        birth=lead.birth.value.edtf if lead.birth else None,
        death=lead.death.value.edtf if lead.death else None,
        ambiguous=lead.lifespan_ambiguous,
        description=lead.description,
        is_person=lead.is_person,
        n_parens=len(lead.parens),
        truncated=lead.truncated,
    )


CASES: list[tuple[str, Want]] = [
    # --- shapes taken from real scraped leads and glosses
    (
        "Sergey Mikhailovich Spigelglas or Spiegelglass or Shpigelglas () (29 April 1897 – 29 January 1941)"
        " was the acting head of the",
        Want(
            "Sergey Mikhailovich Spigelglas",
            variants=("Spiegelglass", "Shpigelglas"),
            birth="1897-04-29",
            death="1941-01-29",
            description="the acting head of the",
            is_person=True,
            n_parens=2,
        ),
    ),
    (
        "Nahum Isaakovich Eitingon (Наум Исаакович Эйтингон), also known as Leonid Aleksandrovich Eitingon"
        " (Леонид Александрович Эйтингон; 6 December 1899 – 3 May 1981), was a Soviet intelligence officer"
        " who gained prominence through his involvement in several NKVD operations. He has been described",
        Want(
            "Nahum Isaakovich Eitingon",
            aliases=("Leonid Aleksandrovich Eitingon",),
            native=(("Наум Исаакович Эйтингон", "Cyrl"), ("Леонид Александрович Эйтингон", "Cyrl")),
            birth="1899-12-06",
            death="1981-05-03",
            description="a Soviet intelligence officer who gained prominence through his involvement"
            " in several NKVD operations",
            is_person=True,
            n_parens=2,
        ),
    ),
    (
        "Lavrentiy Pavlovich Beria ka, ლავრენტი პავლეს ძე ბერია} ''Lavrenti Pavles dze Beria'' ( – 23"
        " December 1953) was a Soviet politician and one of the longest-serving and most influential"
        " of Joseph ...",
        Want(
            "Lavrentiy Pavlovich Beria",
            native=(("ლავრენტი პავლეს ძე ბერია", "Geor"),),
            death="1953-12-23",
            description="a Soviet politician and one of the longest-serving and most influential of Joseph",
            is_person=True,
            n_parens=1,
            truncated=True,
        ),
    ),
    (
        "Walter Germanovich Krivitsky (Ва́льтер Ге́рманович Криви́цкий; birth name ''Samuel Gershevich"
        " Ginsberg,'' Самуил Гершевич Гинзберг, June 28, 1899 – February 10, 1941) was a Soviet"
        " military i ...",
        Want(
            "Walter Germanovich Krivitsky",
            native=(("Ва́льтер Ге́рманович Криви́цкий", "Cyrl"), ("Самуил Гершевич Гинзберг", "Cyrl")),
            birth_name="Samuel Gershevich Ginsberg",
            birth="1899-06-28",
            death="1941-02-10",
            description="a Soviet military i",
            is_person=True,
            n_parens=1,
            truncated=True,
        ),
    ),
    (
        'Mark Zborowski (27 January 1908 – 30 April 1990) (AKA "Marc" Zborowski or Etienne) was an'
        " anthropologist and an NKVD agent ( Venona codenames TULIP and KANT and",
        Want(
            "Mark Zborowski",
            aliases=("Marc Zborowski", "Etienne"),
            birth="1908-01-27",
            death="1990-04-30",
            description="an anthropologist and an NKVD agent ( Venona codenames TULIP and KANT and",
            is_person=True,
            n_parens=2,
        ),
    ),
    (
        'Ignace Reiss (1899 – 4 September 1937) – also known as "Ignace Poretsky,"\n"Ignatz Reiss,"'
        '\n"Ludwig,"\n"Ludwik", "Hans Eberhardt,"\n"Steff Brandt,"\nNathan Poreckij,\nand "Walter Scott'
        ' (an officer of the U.S. military intelligence)" ...',
        Want(
            "Ignace Reiss",
            aliases=(
                "Ignace Poretsky",
                "Ignatz Reiss",
                "Ludwig",
                "Ludwik",
                "Hans Eberhardt",
                "Steff Brandt",
                "Nathan Poreckij",
                "Walter Scott",
            ),
            birth="1899",
            death="1937-09-04",
            is_person=True,
            n_parens=1,
            truncated=True,
        ),
    ),
    (
        "Nadezhda Vasilievna Plevitskaya (; (Ви́нникова); 1 October 1940) was a popular female Russian folk"
        " singer. Following the Russian Civil War",
        Want(
            "Nadezhda Vasilievna Plevitskaya",
            native=(("Ви́нникова", "Cyrl"),),
            ambiguous=True,
            description="a popular female Russian folk singer",
            is_person=True,
            n_parens=1,
        ),
    ),
    (
        "Genrikh Samoilovich Lyushkov (Генрих Самойлович Люшков; 1900 - 19 August 1945) was a Soviet secret"
        " police officer.",
        Want(
            "Genrikh Samoilovich Lyushkov",
            native=(("Генрих Самойлович Люшков", "Cyrl"),),
            birth="1900",
            death="1945-08-19",
            description="a Soviet secret police officer",
            is_person=True,
            n_parens=1,
        ),
    ),
    (
        "The Union of Soviet Socialist Republics. (USSR), commonly known as the Soviet Union, was a"
        " transcontinental country that spanned much of Eurasia from 1922 until Dissolution of the"
        " Soviet ...",
        Want(
            "Union of Soviet Socialist Republics",
            aliases=("Soviet Union",),
            abbreviations=("USSR",),
            description="a transcontinental country that spanned much of Eurasia from 1922 until"
            " Dissolution of the Soviet",
            n_parens=1,
            truncated=True,
        ),
    ),
    (
        "Moscow State University (MSU), officially M. V. Lomonosov Moscow State University,. is a public"
        " research university in Moscow, Russia. The university includes",
        Want(
            "Moscow State University",
            aliases=("M. V. Lomonosov Moscow State University",),
            abbreviations=("MSU",),
            description="a public research university in Moscow, Russia",
            n_parens=1,
        ),
    ),
    (
        "Paris () is the capital and largest city of France. With an estimated population",
        Want("Paris", description="the capital and largest city of France", n_parens=1),
    ),
    (
        "Mongolia is a landlocked country in East Asia, bordered by Russia to the north",
        Want("Mongolia", description="a landlocked country in East Asia, bordered by Russia to the north"),
    ),
    (
        "The All-Russian Extraordinary Commission ( rus, Всероссийская чрезвычайная комиссия,"
        " r=Vserossiyskaya chrezvychaynaya komissiya, p=fsʲɪrɐˈsʲijskəjə tɕrʲɪzvɨˈtɕæjnəjə kɐˈmʲisʲɪjə,"
        " links=yes), ...",
        Want(
            "All-Russian Extraordinary Commission",
            native=(("Всероссийская чрезвычайная комиссия", "Cyrl"),),
            n_parens=1,
            truncated=True,
        ),
    ),
    (
        "Nikolai Ivanovich Yezhov ( rus, Николай Иванович Ежов, p=nʲɪkɐˈlaj ɪˈvanəvʲɪtɕ (j)ɪˈʐof;"
        " 1 May 1895 – 4 February 1940), also spelt Ezhov, was a Soviet secret police official under"
        " Joseph Stalin who ...",
        Want(
            "Nikolai Ivanovich Yezhov",
            aliases=("Ezhov",),
            native=(("Николай Иванович Ежов", "Cyrl"),),
            birth="1895-05-01",
            death="1940-02-04",
            description="a Soviet secret police official under Joseph Stalin who",
            is_person=True,
            n_parens=1,
            truncated=True,
        ),
    ),
    (
        "The People's Commissariat for Internal Affairs (, ), abbreviated as NKVD (; ), was the interior"
        " ministry and secret police of the Soviet Union from 1934 to 1946. The agency",
        Want(
            "People's Commissariat for Internal Affairs",
            abbreviations=("NKVD",),
            description="the interior ministry and secret police of the Soviet Union from 1934 to 1946",
            n_parens=2,
        ),
    ),
    (
        "Yakov Grigoryevich Blumkin (; 12 March 1900 – 3 November 1929) was a Left Socialist-Revolutionary,"
        " a Bolshevik, and an agent of the Cheka (OGPU).\nEarly life\nBlumkin was born into a Jewish sho ...",
        Want(
            "Yakov Grigoryevich Blumkin",
            birth="1900-03-12",
            death="1929-11-03",
            description="a Left Socialist-Revolutionary, a Bolshevik, and an agent of the Cheka (OGPU)",
            is_person=True,
            n_parens=1,
            truncated=True,
        ),
    ),
    (
        "World War II (1939–1945) was a global conflict between two coalitions.",
        Want(
            "World War II",
            birth="1939",
            death="1945",
            description="a global conflict between two coalitions",
            n_parens=1,
        ),
    ),
    # --- invented: other nationalities, scripts and date shapes
    (
        "Jane Doe (born 1950) is an American novelist.",
        Want("Jane Doe", birth="1950", description="an American novelist", is_person=True, n_parens=1),
    ),
    (
        "Pierre-Auguste Renoir (1841–1919) was a French artist.",
        Want(
            "Pierre-Auguste Renoir",
            birth="1841",
            death="1919",
            description="a French artist",
            is_person=True,
            n_parens=1,
        ),
    ),
    (
        "John Smith (c. 1850 – 1901) was a Welsh coal miner and trade unionist.",
        Want(
            "John Smith",
            birth="1850~",
            death="1901",
            description="a Welsh coal miner and trade unionist",
            is_person=True,
            n_parens=1,
        ),
    ),
    (
        "Elizabeth Terrill Bentley was an American spy who served the Soviet Union from 1938 until 1945.",
        Want(
            "Elizabeth Terrill Bentley",
            description="an American spy who served the Soviet Union from 1938 until 1945",
            is_person=True,
        ),
    ),
    (
        "Marie Curie (née Skłodowska; 7 November 1867 – 4 July 1934) was a Polish physicist and chemist.",
        Want(
            "Marie Curie",
            birth_name="Skłodowska",
            birth="1867-11-07",
            death="1934-07-04",
            description="a Polish physicist and chemist",
            is_person=True,
            n_parens=1,
        ),
    ),
    (
        "Kim Philby (1 January 1912 – 11 May 1988), born Harold Adrian Russell Philby, was a British"
        " intelligence officer and a double agent",
        Want(
            "Kim Philby",
            birth_name="Harold Adrian Russell Philby",
            birth="1912-01-01",
            death="1988-05-11",
            description="a British intelligence officer and a double agent",
            is_person=True,
            n_parens=1,
        ),
    ),
    (
        "Martin Luther King Jr. (January 15, 1929 – April 4, 1968) was an American Baptist minister.",
        Want(
            "Martin Luther King Jr.",
            birth="1929-01-15",
            death="1968-04-04",
            description="an American Baptist minister",
            is_person=True,
            n_parens=1,
        ),
    ),
    (
        "Golda Meir (גולדה מאיר; born Golda Mabovitch; May 3, 1898 – December 8, 1978) was the prime"
        " minister of Israel.",
        Want(
            "Golda Meir",
            native=(("גולדה מאיר", "Hebr"),),
            birth_name="Golda Mabovitch",
            birth="1898-05-03",
            death="1978-12-08",
            description="the prime minister of Israel",
            is_person=True,
            n_parens=1,
        ),
    ),
    (
        "Mao Zedong (毛泽东; 26 December 1893 – 9 September 1976) was a Chinese politician",
        Want(
            "Mao Zedong",
            native=(("毛泽东", "Hani"),),
            birth="1893-12-26",
            death="1976-09-09",
            description="a Chinese politician",
            is_person=True,
            n_parens=1,
        ),
    ),
    (
        "Otto Katz (27 May 1895 – 3 December 1952), also known as André Simone, was a Czech"
        " communist writer ...",
        Want(
            "Otto Katz",
            aliases=("André Simone",),
            birth="1895-05-27",
            death="1952-12-03",
            description="a Czech communist writer",
            is_person=True,
            n_parens=1,
            truncated=True,
        ),
    ),
    (
        "Caridad Mercader del Río (29 March 1892 – 1975) was a Spanish communist …",
        Want(
            "Caridad Mercader del Río",
            birth="1892-03-29",
            death="1975",
            description="a Spanish communist",
            is_person=True,
            n_parens=1,
            truncated=True,
        ),
    ),
    (
        "Ludwig van Beethoven (baptised 17 December 1770 – 26 March 1827) was a German composer.",
        Want(
            "Ludwig van Beethoven",
            death="1827-03-26",  # a baptism date is not a birth date
            description="a German composer",
            is_person=True,
            n_parens=1,
        ),
    ),
    (
        "Ivan Petrov (Иван Петров) was a Bulgarian wrestler.",
        Want(
            "Ivan Petrov",
            native=(("Иван Петров", "Cyrl"),),
            description="a Bulgarian wrestler",
            is_person=True,
            n_parens=1,
        ),
    ),
    (
        "The Fourth International (FI) was a political international established in France in 1938.",
        Want(
            "Fourth International",
            abbreviations=("FI",),
            description="a political international established in France in 1938",
            n_parens=1,
        ),
    ),
    (
        "Harbin is a sub-provincial city in Heilongjiang, China. It is",
        Want("Harbin", description="a sub-provincial city in Heilongjiang, China"),
    ),
    (
        "Mark Smith. He was a farmer.",
        Want("Mark Smith"),
    ),
    (
        "Juan Pérez García (born 12 March 1950 in Seville) is a Spanish footballer",
        Want(
            "Juan Pérez García",
            birth="1950-03-12",
            description="a Spanish footballer",
            is_person=True,
            n_parens=1,
        ),
    ),
    ("", Want("")),
]


@pytest.mark.parametrize(("sentence", "want"), CASES, ids=[c[0][:40] or "empty" for c in CASES])
def test_parse_lead(sentence: str, want: Want) -> None:
    assert project(parse_lead(sentence)) == want


@pytest.mark.parametrize(("sentence", "want"), CASES, ids=[c[0][:40] or "empty" for c in CASES])
def test_spans_reproduce_their_text(sentence: str, want: Want) -> None:
    lead = parse_lead(sentence)
    assert subject_as_written(lead, sentence)
    for mention in (*lead.variants, *lead.native_names, *lead.abbreviations):
        assert mention.span.of(sentence) == mention.text
    for mention in (*lead.aliases, *([lead.birth_name] if lead.birth_name else [])):
        written = mention.span.of(sentence)
        assert "".join(ch for ch in written if ch not in "\"“”'") == mention.text.replace("'", "")
    for date in (lead.birth, lead.death):
        if date is not None:
            assert sentence[date.start : date.end] == date.raw
    if lead.description is not None:
        assert lead.description_span is not None
        assert lead.description_span.of(sentence) == lead.description
    for paren in lead.parens:
        assert sentence[paren.start] == "("


def test_dates_in_an_alias_parenthesis_belong_to_the_subject() -> None:
    lead = parse_lead("Anna Berg, also known as Anna Bergova (12 May 1901 – 1960), was a Czech spy.")
    assert lead.subject == "Anna Berg"
    assert lead.aliases[0].text == "Anna Bergova"
    assert lead.birth is not None and lead.birth.raw == "12 May 1901"
    assert lead.death is not None and lead.death.raw == "1960"


def test_lone_year_is_never_placed() -> None:
    lead = parse_lead("Piotr Nowak (1938) was a Polish poet.")
    assert lead.birth is None and lead.death is None
    assert lead.lifespan_ambiguous


def test_person_needs_a_person_name() -> None:
    lead = parse_lead("The Moscow Trials (1936–1938) were a series of show trials.")
    assert lead.subject == "Moscow Trials"
    assert not lead.is_person


_TOKENS = st.sampled_from(
    [
        "Anna",
        "Berg",
        "or",
        "the",
        "The",
        "(",
        ")",
        ";",
        ",",
        ".",
        "–",
        "1899",
        "3 May 1950",
        "born",
        "also known as",
        '"',
        "''",
        "was",
        "is",
        "Иван",
        "ბერია",
        "p=ɪˈva",
        "r=Ivan",
        "...",
        "\n",
        "c.",
    ]
)


@given(st.one_of(st.text(max_size=80), st.lists(_TOKENS, max_size=30).map(" ".join)))
def test_parse_lead_never_raises_and_spans_are_inside(sentence: str) -> None:
    lead = parse_lead(sentence)
    assert 0 <= lead.subject_span.start <= lead.subject_span.end <= len(sentence)
    assert subject_as_written(lead, sentence)
    for mention in (*lead.variants, *lead.native_names, *lead.abbreviations):
        assert mention.span.of(sentence) == mention.text
    for paren in lead.parens:
        assert paren.end <= len(sentence) and sentence[paren.start] == "("
    for date in (lead.birth, lead.death):
        if date is not None:
            assert sentence[date.start : date.end] == date.raw
    if lead.description_span is not None:
        assert lead.description_span.of(sentence) == lead.description
