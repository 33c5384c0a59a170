"""Structure-aware fuzz documents: the seeds and invented documents, mutated line by line and character by character.

One home for the generator ``tests/test_fuzz.py`` (hypothesis, bounded) and
``benchmarks/bench_fuzz.py`` (thousands of documents) both use. A document is built
from a ``random.Random``, so hypothesis drives it through ``st.randoms()`` and the
benchmark through ``random.Random(seed)``:

1. pick a base document (a seed or an invented case of any layout);
2. apply a few line edits: delete, duplicate, move, join with the next line, split,
   insert a line of markup debris, insert a copy of another base's line;
3. apply a few character edits: insert debris (wiki and Markdown markup, ``[edit]``,
   ellipses, combining marks, bidi marks, NUL-free control characters) between words
   (markup inside a word is cleaned out of the word, which the section rule of
   ``tests.provenance`` cannot follow), delete or duplicate a stretch anywhere;
4. maybe switch every line ending to CRLF, maybe glue many lines into one very long line.
"""

from __future__ import annotations

import random
from pathlib import Path

from pipeline.run.sources import source_from_bytes

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = (ROOT / "seeds", ROOT / "tests" / "cases" / "variations", ROOT / "tests" / "cases" / "gate")

DEBRIS = (
    "[[",
    "]]",
    "{{",
    "}}",
    "''",
    "'''",
    "(",
    ")",
    "()",
    "|",
    "**",
    "[edit]",
    "...",
    "…",
    "=",
    "==",
    "- ",
    ":",
    ";",
    "\u0301",  # combining acute
    "\u0308",  # combining diaeresis
    "\u200f",  # right-to-left mark
    "\u202e",  # right-to-left override
    "\u200b",  # zero-width space
    "\x0b",
    "\x0c",
    "\x1b",
    "\x7f",
    "\u00a0",
    "\ufffd",
    "\r\n",
    "\n",
    "\n\n",
    "\t",
    "–",
    "“",
    "”",
)
DEBRIS_LINES = (
    "== Early life ==",
    "=== Notes ===",
    "- Born: 1 May 1893",
    "- Died: ",
    "{{Infobox person",
    "}}",
    "[[Category:1897 births]]",
    "Born1757",
    "Died | 3 April 1921 |",
    "Contents",
    "[edit]",
    "'''",
    "**",
    "...",
    "( )",
    "|}",
    "{|",
    "Home / Search / Random",
)


def base_texts() -> list[str]:
    """Every seed and invented document, decoded as the pipeline decodes it (legacy encodings included)."""
    texts = []
    for folder in FOLDERS:
        for path in sorted(folder.glob("*.txt")):
            text = source_from_bytes(path.name, path.read_bytes()).text
            if text:
                texts.append(text)
    return texts


def _line_edit(rng: random.Random, lines: list[str], bases: list[str]) -> None:
    """One edit of the list of lines, in place."""
    if not lines:
        lines.append(rng.choice(DEBRIS_LINES))
        return
    i = rng.randrange(len(lines))
    kind = rng.randrange(7)
    if kind == 0:
        del lines[i]
    elif kind == 1:
        lines.insert(i, lines[i])
    elif kind == 2:
        lines.insert(rng.randrange(len(lines) + 1), lines.pop(i))
    elif kind == 3 and i + 1 < len(lines):
        lines[i : i + 2] = [lines[i] + rng.choice(("", " ")) + lines[i + 1]]
    elif kind == 4 and lines[i]:
        cut = rng.randrange(len(lines[i]))
        lines[i : i + 1] = [lines[i][:cut], lines[i][cut:]]
    elif kind == 5:
        lines.insert(i, rng.choice(DEBRIS_LINES))
    else:
        other = rng.choice(bases).split("\n")
        lines.insert(i, rng.choice(other))


def _boundary(rng: random.Random, text: str) -> int:
    """A random position next to whitespace (or an end): between words, where markup and debris stand."""
    at = rng.randrange(len(text) + 1)
    while 0 < at < len(text) and not (text[at].isspace() or text[at - 1].isspace()):
        at += 1
    return at


def _char_edit(rng: random.Random, text: str) -> str:
    """One edit: debris inserted between words, or a stretch deleted or duplicated anywhere."""
    kind = rng.randrange(4)
    if kind <= 1:
        at = _boundary(rng, text)
        return text[:at] + rng.choice(DEBRIS) + text[at:]
    at = rng.randrange(len(text) + 1)
    width = rng.randint(1, 12)
    if kind == 2:
        return text[:at] + text[at + width :]
    return text[:at] + text[at : at + width] * 2 + text[at:]


def _long_line(rng: random.Random, text: str) -> str:
    """A stretch of lines glued into one long line, repeated until it is long."""
    lines = text.split("\n")
    start = rng.randrange(len(lines))
    glued = " ".join(lines[start : start + rng.randint(2, 12)])
    return "\n".join([*lines[:start], glued * rng.randint(2, 40), *lines[start:]])


def fuzz_document(rng: random.Random, bases: list[str]) -> str:
    """One mutated document built from ``bases`` with ``rng`` (steps 1–4 of the module docstring)."""
    text = rng.choice(bases)  # 1
    lines = text.split("\n")
    for _ in range(rng.randint(0, 6)):  # 2
        _line_edit(rng, lines, bases)
    text = "\n".join(lines)
    for _ in range(rng.randint(0, 10)):  # 3
        text = _char_edit(rng, text)
    if rng.random() < 0.15:  # 4
        text = text.replace("\r\n", "\n").replace("\n", "\r\n")
    if rng.random() < 0.1 and text:
        text = _long_line(rng, text)
    return text
