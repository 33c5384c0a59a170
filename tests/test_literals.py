"""A document's own words found without compiling a pattern per document (``pipeline.extract.literals``),
and the two users of it: the subject references of events and the subject's sentence opener."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from pipeline.extract.events import _subject_refs
from pipeline.extract.literals import Literals
from pipeline.extract.people import _subject_opener

# few letters (one that is no ASCII word character, one digit, the underscore), apostrophes, a full
# stop, a comma and spaces: words recur, overlap and touch every kind of boundary
_ALPHABET = "aAbЖ1_'’′. ,s"
_WORD = st.text(alphabet=_ALPHABET, min_size=1, max_size=4)
_TEXT = st.text(alphabet=_ALPHABET, max_size=30)
# and with their beginnings, so that several words often stand at one place (the longest must win)
_WORDS = st.sets(_WORD, min_size=1, max_size=4).map(
    lambda ws: ws | {w[:k] for w in ws for k in range(1, len(w))}
)


def _alternation(words: set[str], possessive: str) -> re.Pattern[str]:
    """The definition ``Literals`` keeps: the words escaped, longest first, as one compiled alternation."""
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![\w'’])(?:{alternatives})\b(?![{possessive}]s)")


@given(_WORDS, _TEXT, st.sampled_from(["'’′", "'’"]))
def test_literals_find_what_the_compiled_alternation_finds(
    words: set[str], text: str, possessive: str
) -> None:
    pattern, literals = _alternation(words, possessive), Literals(words, possessive)
    assert [(m.start(), m.end(), m.group(0)) for m in literals.finditer(text)] == [
        (m.start(), m.end(), m.group(0)) for m in pattern.finditer(text)
    ]
    for at in range(len(text) + 1):
        expected, found = pattern.match(text, at), literals.match(text, at)
        assert (found and (found.start(), found.end(), found.group(0))) == (
            expected and (expected.start(), expected.end(), expected.group(0))
        )


def test_a_longer_name_wins_over_its_own_last_word_and_a_possessive_is_no_reference() -> None:
    refs = _subject_refs(["Anna Lindqvist"])
    text = "Anna Lindqvist met Lindqvist's aunt; later Lindqvist, and he, left."
    assert [m.group(0) for m in refs.finditer(text)] == ["Anna Lindqvist", "Lindqvist", "he"]
    assert refs.match("the man") is None and refs.match("Lindqvisting") is None


def _old_opener(names: list[str], sort_key: str | None) -> re.Pattern[str]:
    """The opener as one compiled pattern: the definition ``SubjectOpener`` keeps."""
    words = {"He", "She"}
    for name in names:
        tokens = name.split()
        for i in range(len(tokens)):
            if tokens[i][:1].isupper() and (i == 0 or tokens[i - 1] != "of"):
                words.add(re.escape(" ".join(tokens[i:])))
        if "of" in tokens[1:]:
            words.add(re.escape(" ".join(tokens[: tokens.index("of", 1)])))
    if sort_key and sort_key.count(",") == 1:
        surname = sort_key.split(",")[0].strip()
        if surname and any(surname in name.split() for name in names):
            words.add(re.escape(surname))
    alternatives = "|".join(sorted(words, key=len, reverse=True))
    return re.compile(
        rf"^(?:(?:In|On|By|After|Before|Born)\b[^,]{{0,40}},\s+)?(?:{alternatives}|(?<=, )(?:he|she))\b(?!['’]s)"
    )


_NAME = st.lists(st.sampled_from(["Mori", "Kazu", "of", "Ode", "de", "M."]), min_size=1, max_size=3).map(
    " ".join
)
_OPENINGS = st.sampled_from(
    ["", "In 1901, ", "Born in Ode,  ", "After the war,\n", "Inside, ", "By ", "On it, "]
)
_SUBJECTS = st.sampled_from(
    ["he", "she", "He", "Mori", "Mori's", "Kazu Mori", "Ode", "Moriya", "de Ode", "M. "]
)


@given(
    st.lists(_NAME, min_size=1, max_size=3),
    st.sampled_from([None, "Mori, Kazu", "Ode, Mori", "de Ode, Kazu"]),
    _OPENINGS,
    _SUBJECTS,
    st.sampled_from(["", " was born", "’s son", ",", "-ko"]),
)
def test_the_subject_opener_matches_where_its_compiled_pattern_does(
    names: list[str], sort_key: str | None, opening: str, subject: str, rest: str
) -> None:
    sentence = opening + subject + rest
    assert _subject_opener(names, sort_key).match(sentence) == bool(
        _old_opener(names, sort_key).match(sentence)
    )
