"""Pure: split a text into lines that keep their offsets into the source."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from pipeline.records import Span


@dataclass(frozen=True, slots=True)
class Line:
    start: int  # offset of the line's first character
    end: int  # offset after its last character, line terminator excluded
    text: str

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)

    @property
    def stripped_span(self) -> Span:
        """The span of the line without leading and trailing whitespace."""
        lead = len(self.text) - len(self.text.lstrip())
        trail = len(self.text) - len(self.text.rstrip())
        if lead == len(self.text):
            return Span(self.start, self.start)
        return Span(self.start + lead, self.end - trail)

    @property
    def blank(self) -> bool:
        return not self.text.strip()


_LINE_END = re.compile(r"\r\n|\r|\n")


def iter_lines(text: str) -> Iterator[Line]:
    """``split_lines`` one line at a time, for a reader that may stop early."""
    start = 0
    for end in _LINE_END.finditer(text):
        yield Line(start, end.start(), text[start : end.start()])
        start = end.end()
    if start < len(text) or not text:
        yield Line(start, len(text), text[start:])


def split_lines(text: str) -> list[Line]:
    """Lines of ``text`` for ``\\n``, ``\\r\\n`` and ``\\r`` endings; offsets index ``text``.

    A final line terminator opens no empty last line; an empty text is one empty line.
    """
    lines: list[Line] = []
    start = 0
    for end in _LINE_END.finditer(text):
        lines.append(Line(start, end.start(), text[start : end.start()]))
        start = end.end()
    if start < len(text) or not text:
        lines.append(Line(start, len(text), text[start:]))
    return lines
