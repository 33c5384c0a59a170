"""Tests for pipeline.normalise.names and pipeline.normalise.places."""

from __future__ import annotations

import sys
import types

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.normalise.names import (
    looks_like_person_name,
    person_slug,
    script_of,
    sort_name,
    split_name_variants,
)
from pipeline.normalise.places import place_parts


@pytest.mark.parametrize(
    ("text", "script"),
    [
        ("Nahum Eitingon", "Latn"),
        ("Наум Исаакович Эйтингон", "Cyrl"),
        ("Ва́льтер Ге́рманович", "Cyrl"),  # combining stress marks are not letters
        ("ლავრენტი პავლეს ძე ბერია", "Geor"),
        ("Ελευθέριος Βενιζέλος", "Grek"),
        ("גולדה מאיר", "Hebr"),
        ("جمال عبد الناصر", "Arab"),
        ("Արամ Խաչատրյան", "Armn"),
        ("毛泽东", "Hani"),
        ("김일성", "Hang"),
        ("カタカナ", "Kana"),
        ("ひらがな", "Hira"),
        ("Łódź Ærø", "Latn"),
        ("", "Zyyy"),
        ("1899 – 1941 (;)", "Zyyy"),
        ("Ivan Иван Petrov", "Latn"),  # majority of letters
        ("Иван Petrov Иванович", "Cyrl"),
    ],
)
def test_script_of(text: str, script: str) -> None:
    assert script_of(text) == script


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Sergey Mikhailovich Spigelglas or Spiegelglass or Shpigelglas",
            ["Sergey Mikhailovich Spigelglas", "Spiegelglass", "Shpigelglas"],
        ),
        ("Anna Ivanova, or Anya", ["Anna Ivanova", "Anya"]),
        ("  Jan Kowalski  ", ["Jan Kowalski"]),
        ("Oriol Vila or Oriol Villa", ["Oriol Vila", "Oriol Villa"]),
        ("Orwell", ["Orwell"]),
        ("", []),
    ],
)
def test_split_name_variants(text: str, expected: list[str]) -> None:
    got = split_name_variants(text)
    assert [name for name, _, _ in got] == expected
    assert all(text[a:b] == name for name, a, b in got)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Nahum Isaakovich Eitingon", "Eitingon, Nahum Isaakovich"),
        ("Mark Zborowski", "Zborowski, Mark"),
        ("Caridad Mercader del Rio", "Mercader del Rio, Caridad"),
        ("José Ortega y Gasset", "Ortega y Gasset, José"),
        ("Luiz Inácio Lula da Silva", "Lula da Silva, Luiz Inácio"),
        ("Vasco da Gama", "Gama, Vasco da"),
        ("Ludwig van Beethoven", "Beethoven, Ludwig van"),
        ("Carl Maria von Weber", "Weber, Carl Maria von"),
        ("Charles de Gaulle", "Gaulle, Charles de"),
        ("Martin Luther King Jr.", "King, Martin Luther, Jr."),
        ("John Smith III", "Smith, John, III"),
        ("M. V. Lomonosov", "Lomonosov, M. V."),
        ("Jean-Paul Sartre", "Sartre, Jean-Paul"),
        ("Madonna", "Madonna"),
        ("  Anna   Politkovskaya ", "Politkovskaya, Anna"),
        ("", ""),
    ],
)
def test_sort_name(name: str, expected: str) -> None:
    assert sort_name(name) == expected


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Nahum Eitingon", "nahum-eitingon"),
        ("Наум Эйтингон", "naum-eytingon"),
        ("Ва́льтер Криви́цкий", "valter-krivitsky"),
        ("Евгений Ёлкин", "yevgeny-yolkin"),
        ("Patrick O'Brien", "patrick-obrien"),
        ("Caridad Mercader del Río", "caridad-mercader-del-rio"),
        ("Jean-Paul  Sartre", "jean-paul-sartre"),
        ("Lech Wałęsa", "lech-walesa"),
        ("ლავრენტი ბერია", "lavrenti-beria"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_person_slug(name: str, slug: str) -> None:
    assert person_slug(name) == slug


def test_person_slug_never_empty_for_a_name_without_ascii_form() -> None:
    slug = person_slug("\U0001f600\U0001f600")
    assert slug.startswith("x-") and len(slug) == 12
    assert person_slug("\U0001f600\U0001f600") == slug


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nahum Isaakovich Eitingon", True),
        ("Mark Zborowski", True),
        ("Caridad Mercader del Rio", True),
        ("Patrick O'Brien", True),
        ("Jean-Paul Sartre", True),
        ("J. R. R. Tolkien", True),
        ("Martin Luther King Jr.", True),
        ("Ronald McDonald", True),
        ("Наум Исаакович Эйтингон", True),
        ("Madonna", False),  # one token: too little to tell
        ("Union of Soviet Socialist Republics", False),
        ("Moscow State University", False),
        ("The Fourth International", False),
        ("Red Army", False),
        ("Soviet Union", False),
        ("World War II", False),
        ("Russian All-Military Union", False),
        ("NKVD Officer", False),
        ("Joint State Political Directorate", False),
        ("Foreign Department", False),
        ("Apollo 11", False),
        ("a b c", False),
        ("One Two Three Four Five Six Seven", False),
        ("", False),
    ],
)
def test_looks_like_person_name(text: str, expected: bool) -> None:
    assert looks_like_person_name(text) is expected


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        (
            "Shklov, Mogilev Governorate, Russian Empire",
            ("Shklov", "Mogilev Governorate", "Russian Empire"),
        ),
        ("Shklov, Russian Empire (now Belarus)", ("Shklov", "Russian Empire")),
        ("Mosty, in present-day Hrodna Voblast, Belarus", ("Mosty", "Hrodna Voblast", "Belarus")),
        ("Odessa", ("Odessa",)),
        ("in Odessa, Russian Empire.", ("Odessa", "Russian Empire")),
        ("near Lyon, France", ("near Lyon", "France")),
        ("Königsberg, East Prussia (now Kaliningrad, Russia)", ("Königsberg", "East Prussia")),
        ("Tiflis; Georgia", ("Tiflis", "Georgia")),
        ("", ()),
        (" , ", ()),
    ],
)
def test_place_parts(text: str, parts: tuple[str, ...]) -> None:
    assert place_parts(text) == parts


# ---------------------------------------------------------------- properties

_names = st.text(
    alphabet=st.characters(exclude_categories=["Cs"]),
    max_size=40,
)


@given(_names)
def test_slug_is_idempotent(name: str) -> None:
    slug = person_slug(name)
    assert person_slug(slug) == slug
    assert all(ch.isascii() and (ch.isalnum() or ch == "-") for ch in slug)
    assert not slug.startswith("-") and not slug.endswith("-")


@given(_names)
def test_script_of_never_raises(text: str) -> None:
    code = script_of(text)
    assert len(code) == 4 and code[0].isupper()


@given(
    st.lists(st.text(alphabet="AbcÉdé Жж-'", min_size=0, max_size=12), max_size=5),
    st.sampled_from([" or ", ", or "]),
)
def test_split_name_variants_spans_reproduce_text(pieces: list[str], sep: str) -> None:
    text = sep.join(pieces)
    for name, start, end in split_name_variants(text):
        assert text[start:end] == name
        assert name == name.strip() and name


@given(_names)
def test_sort_name_keeps_every_token(name: str) -> None:
    def words(text: str) -> list[str]:
        return sorted(text.replace(",", " ").split())

    assert words(sort_name(name)) == words(name)


@pytest.mark.parametrize(
    ("name", "text", "found"),
    [
        ("Ryōko Tanabe", "Ryōko Tanabe wrote; Ryoko Tanabe's first book", ["Ryōko Tanabe", "Ryoko Tanabe"]),
        ("Umm Kulthum al-Mas'udi", "al-Mas'udi … Umm Kulthum al-Mas’udi", ["Umm Kulthum al-Mas’udi"]),
        ("Ana Tanabe", "Ana Tanabe", None),  # nothing in it can be spelt otherwise
        ("Ryōko Tanabe", "Ryokoo Tanabe and Ryoko Tanabes", []),  # whole words only
    ],
)
def test_spellings_of_a_name_with_or_without_diacritics(name: str, text: str, found: list[str] | None) -> None:
    from pipeline.normalise.names import spelling_pattern

    pattern = spelling_pattern(name)
    assert (None if pattern is None else [m.group() for m in pattern.finditer(text)]) == found


def test_slugs_do_not_depend_on_which_transliteration_library_is_installed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Another package may install Unidecode; python-slugify's ``auto`` would then take it, and ids change."""
    expected = person_slug("Zoë Ångström-Øster")
    fake = types.ModuleType("unidecode")
    fake.unidecode = lambda text: "other"  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "unidecode", fake)
    assert person_slug("Zoë Ångström-Øster") == expected == "zoe-angstrom-oster"
