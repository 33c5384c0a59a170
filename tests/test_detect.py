"""Layout detection: decision plus evidence, from what each layout is."""

from __future__ import annotations

import pytest

from pipeline.detect import detect

MARKUP = "= Jane Roe =\n\nJane Roe\n- Born: 1901\n\nJane Roe (1901 – 1970) was a chemist.\n\n== Career ==\nShe worked.\n"
MARKUP_NO_INFOBOX = (
    "= Ivan Petrov =\n\nIvan Petrov was a poet.\n\n== Life ==\nText.\n\n== Works ==\n- A book\n"
)
FRAGMENT = (
    "Ivan Petrov (1 May 1901 – 1970) was a\nSoviet\nThe Union of Soviet Socialist Republics was a country ...\n"
    "poet born in\nKyiv\nKyiv is the capital of Ukraine ...\n.\nReferences\n{{DEFAULTSORT:Petrov, Ivan\n"
    "1901 births\n1970 deaths\n"
)
PLAIN = "Some mirror page\n\nIvan Petrov was a poet. He lived in Kyiv.\n\nCopyright 2020 mirror.example\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (MARKUP, "wiki_markup"),
        (MARKUP_NO_INFOBOX, "wiki_markup"),
        (FRAGMENT, "wiki_fragment"),
        (PLAIN, "plain"),
        ("just one line", "plain"),
    ],
)
def test_detect_table(text: str, expected: str) -> None:
    result = detect(text)
    assert result.format == expected
    assert result.evidence


def test_seeds_are_detected(seed_texts: dict[str, str]) -> None:
    formats = {name[:3]: detect(text).format for name, text in seed_texts.items()}
    assert formats == {"000": "wiki_markup", "001": "wiki_markup", "002": "wiki_fragment"}


def test_evidence_names_the_cues() -> None:
    assert "DEFAULTSORT" in detect(FRAGMENT).evidence
    assert "heading" in detect(MARKUP).evidence
