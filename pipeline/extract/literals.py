"""Pure: a document's own words (its subject's names) found in text where a compiled alternation of them matches.

Each document names its subject with its own words, so a pattern built from them is
compiled once and used for that document alone; ``re.compile`` of a dozen escaped names
takes about a third of a millisecond. ``Literals`` finds, with ``str.startswith`` and
``str.find``, exactly the matches of::

    (?<![\\w'’])(?:word|word|…)\\b(?![{possessive}]s)

(alternatives longest first; ``\\w`` and ``\\b`` as ``re`` reads them in a ``str`` pattern).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

_WORD = re.compile(r"\w")  # re's own \w, so word boundaries are the ones the pattern would see
_APOSTROPHES = "'’"  # no word may start right after one (``O’Brien``'s ``Brien``)


def _is_word(text: str, at: int) -> bool:
    return 0 <= at < len(text) and _WORD.match(text, at) is not None


@dataclass(frozen=True, slots=True)
class Found:
    """One match, read like a ``re.Match``'s group 0."""

    begin: int
    finish: int
    text: str

    def start(self) -> int:
        return self.begin

    def end(self) -> int:
        return self.finish

    def group(self, number: int = 0) -> str:
        if number != 0:
            raise IndexError("no such group")
        return self.text


class Literals:
    """A set of literal words, each matched where it continues no word on either side and is not
    followed by a possessive ``'s`` (``possessive``: the apostrophes read as one)."""

    def __init__(self, words: Iterable[str], possessive: str = "'’′") -> None:
        by_first: dict[str, list[str]] = defaultdict(list)
        for word in set(words):
            if word:
                by_first[word[0]].append(word)
        self._by_first = {first: sorted(ws, key=len, reverse=True) for first, ws in by_first.items()}
        self._possessive = possessive

    def _ends_at(self, text: str, at: int, word: str) -> bool:
        """Whether ``word``, standing at ``at``, ends at a word boundary with no possessive after it."""
        end = at + len(word)
        if _is_word(text, end - 1) == _is_word(text, end):
            return False
        return not (text[end : end + 1] and text[end] in self._possessive and text[end + 1 : end + 2] == "s")

    def _opens_at(self, text: str, at: int) -> bool:
        return at == 0 or not (_is_word(text, at - 1) or text[at - 1] in _APOSTROPHES)

    def match(self, text: str, at: int = 0) -> Found | None:
        """The longest word standing at ``at`` (``re.Pattern.match(text, at)``)."""
        if at >= len(text) or not self._opens_at(text, at):
            return None
        for word in self._by_first.get(text[at], ()):
            if text.startswith(word, at) and self._ends_at(text, at, word):
                return Found(at, at + len(word), word)
        return None

    def finditer(self, text: str) -> list[Found]:
        """Every match, left to right and not overlapping, the longest where several start together
        (``re.Pattern.finditer``)."""
        found: list[tuple[int, int, str]] = []
        for words in self._by_first.values():
            for word in words:
                at = text.find(word)
                while at >= 0:
                    if self._opens_at(text, at) and self._ends_at(text, at, word):
                        found.append((at, -len(word), word))
                    at = text.find(word, at + 1)
        matches: list[Found] = []
        position = 0
        for at, minus_length, word in sorted(found):
            if at >= position:
                matches.append(Found(at, at - minus_length, word))
                position = at - minus_length
        return matches
