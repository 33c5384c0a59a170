"""Finding a cleaned value in the untouched source (``pipeline.extract.locate``)."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from pipeline.extract.locate import _find, locate
from pipeline.records import Span

# few letters and several kinds of whitespace, so words recur and gaps vary
_TEXT = st.text(alphabet="ab \n\t\u00a0\u2003", max_size=40)


def _by_pattern(haystack: str, needle: str, start: int, stop: int) -> tuple[int, int] | None:
    """The definition: the needle's words joined by ``\\s+``, searched in the window."""
    pattern = re.compile(r"\s+".join(re.escape(w) for w in needle.split()))
    match = pattern.search(haystack, start, stop)
    return match.span() if match else None


@given(_TEXT, st.text(alphabet="ab \n\u00a0", min_size=1, max_size=8), st.integers(0, 45), st.integers(0, 45))
def test_flexible_search_finds_what_the_whitespace_pattern_finds(
    haystack: str, needle: str, start: int, stop: int
) -> None:
    if not needle.split() or start > len(haystack):
        return
    stop = min(stop, len(haystack))
    verbatim = haystack.find(needle, start, stop)
    expected = (
        (verbatim, verbatim + len(needle))
        if verbatim >= 0 and len(needle.split()) == 1
        else _by_pattern(haystack, needle, start, stop if verbatim < 0 else verbatim + len(needle))
    )
    assert _find(haystack, needle, start, stop) == expected


def test_a_value_split_over_a_line_break_is_found_before_a_later_verbatim_copy() -> None:
    source = "He died\nin Lyon. He died in Lyon."
    assert locate(source, "died in Lyon") == Span(3, 15)


def test_whitespace_between_the_words_is_required() -> None:
    assert locate("Ivan Petrov and IvanPetrov", "IvanPetrov") == Span(16, 26)
    assert locate("IvanPetrov", "Ivan Petrov") is None
