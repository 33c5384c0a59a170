"""Layout detection: decision plus evidence, from what each layout is."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.detect import _cut_preview_lines, detect

MARKUP = "= Jane Roe =\n\nJane Roe\n- Born: 1901\n\nJane Roe (1901 – 1970) was a chemist.\n\n== Career ==\nShe worked.\n"
MARKUP_NO_INFOBOX = (
    "= Ivan Petrov =\n\nIvan Petrov was a poet.\n\n== Life ==\nText.\n\n== Works ==\n- A book\n"
)
FRAGMENT = (
    "Ivan Petrov (1 May 1901 – 1970) was a\nSoviet\nThe Union of Soviet Socialist Republics was a country ...\n"
    "poet born in\nKyiv\nKyiv is the capital of Ukraine ...\n.\nReferences\n{{DEFAULTSORT:Petrov, Ivan\n"
    "1901 births\n1970 deaths\n"
)
# No ' ...', no DEFAULTSORT, no category lines: only the layout's anchor / preview / resumed-sentence shape.
FRAGMENT_NO_END_MATTER = (
    "Rosa Ilieva (1899 – 1975) was a Bulgarian weaver from\nGabrovo\n"
    "Gabrovo is a town in central Bulgaria.\n, who later ran a cooperative in\nPlovdiv\n"
    "Plovdiv is the second-largest city in Bulgaria\nafter 1945.\nReferences\n"
)
# Short lines and lead-like sentences, but nothing resumes mid-sentence after them.
PLAIN_SHORT_LINES = (
    "Rosa Ilieva\nRosa Ilieva was a Bulgarian weaver.\nGabrovo\nGabrovo is a town in Bulgaria.\n"
    "She died in 1975.\n"
)
PLAIN = "Some mirror page\n\nIvan Petrov was a poet. He lived in Kyiv.\n\nCopyright 2020 mirror.example\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (MARKUP, "wiki_markup"),
        (MARKUP_NO_INFOBOX, "wiki_markup"),
        (FRAGMENT, "wiki_fragment"),
        (PLAIN, "plain"),
        (FRAGMENT_NO_END_MATTER, "wiki_fragment"),
        (PLAIN_SHORT_LINES, "plain"),
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


def test_fragment_without_end_matter_is_detected_by_its_gloss_pairs() -> None:
    result = detect(FRAGMENT_NO_END_MATTER)
    assert result.format == "wiki_fragment"
    assert "2 anchor + gloss pair(s)" in result.evidence
    assert "DEFAULTSORT" not in result.evidence and "' ...'" not in result.evidence


_OLD_ELLIPSIS_LINE = re.compile(r" \.\.\.[ \t]*\r?$|^\.\.\.[ \t]*\r?$", re.MULTILINE)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["...", ".", " ", "\t", "\r", "\n", "a"]), max_size=30).map("".join))
def test_cut_preview_lines_count_what_the_line_pattern_finds(text: str) -> None:
    """The count against its definition: a pattern with a space before ``...`` or the line's start."""
    assert _cut_preview_lines(text) == len(_OLD_ELLIPSIS_LINE.findall(text))
