"""Pure: split a text into lines that keep their offsets into the source."""

from __future__ import annotations

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


def split_lines(text: str) -> list[Line]:
    """Lines of ``text`` for ``\\n``, ``\\r\\n`` and ``\\r`` endings; offsets index ``text``."""
    lines: list[Line] = []
    start = 0
    n = len(text)
    while start <= n:
        nl = text.find("\n", start)
        cr = text.find("\r", start, nl if nl >= 0 else n)
        if cr >= 0:
            end, nxt = cr, cr + (2 if text.startswith("\r\n", cr) else 1)
        elif nl >= 0:
            end, nxt = nl, nl + 1
        else:
            end, nxt = n, n + 1
        lines.append(Line(start, end, text[start:end]))
        start = nxt
    if lines and lines[-1].start == n and n > 0:
        lines.pop()
    return lines
