"""The event triggers: the words that let a sentence skip a trigger's pattern are in every match of it."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from pipeline.extract.events import TRIGGER_WORDS, TRIGGERS
from schemas.events import TYPES as EVENT_TYPES
from tests.fuzzdocs import base_texts, fuzz_document

ROOT = Path(__file__).resolve().parent.parent
PATTERNS = dict(TRIGGERS)

EXAMPLES = {
    "birth": ["He was born in Kyiv."],
    "death": ["She died in 1950.", "He passed away.", "He was killed.", "They perished."],
    "joined": ["He joined the party.", "She enlisted in the army.", "He became a member of the club."],
    "promoted": ["He was promoted."],
    "appointed": [
        "He was appointed to the board.", "She was named as head.", "He was made chief.",
        "She was posted to Riga.", "He was transferred to Omsk.", "He was shifted to a desk.",
        "She was reassigned to Kiev.", "He received his first posting.",
    ],
    "graduated": ["She graduated in 1920."],
    "arrested": ["He was arrested.", "He was detained.", "He was accused.", "He was charged.", "He was indicted."],
    "sentenced": ["He was sentenced.", "He was convicted."],
    "executed": ["He was executed."],
    "released": ["He was released.", "He was freed."],
    "rehabilitated": ["He was rehabilitated.", "The court cleared his name.", "It annulled the conviction."],
    "defected": ["He defected."],
    "assassinated": ["He was assassinated.", "He was murdered."],
    "married": ["She married him."],
}  # fmt: skip


def test_every_type_has_its_words() -> None:
    assert set(TRIGGER_WORDS) == set(PATTERNS) == set(EXAMPLES)


@pytest.mark.parametrize("kind", sorted(EXAMPLES))
def test_each_way_of_saying_it_is_a_match_holding_one_of_the_words(kind: str) -> None:
    for sentence in EXAMPLES[kind]:
        matches = [m.group(0) for m in PATTERNS[kind].finditer(sentence)]
        assert matches, sentence
        assert all(any(word in m for word in TRIGGER_WORDS[kind]) for m in matches), sentence


def test_every_match_in_real_and_fuzzed_text_holds_one_of_the_words() -> None:
    folders = (ROOT / "seeds", ROOT / "tests" / "cases" / "variations", ROOT / "tests" / "cases" / "gate")
    texts = [p.read_text(encoding="utf-8", errors="replace") for d in folders for p in sorted(d.glob("*.txt"))]
    rng = random.Random(5)
    texts += [fuzz_document(rng, base_texts()) for _ in range(40)]
    found = 0
    for text in texts:
        for kind, pattern in TRIGGERS:
            for m in pattern.finditer(text):
                found += 1
                assert any(word in m.group(0) for word in TRIGGER_WORDS[kind]), (kind, m.group(0))
    assert found > 100


def test_every_event_type_is_a_trigger_kind_or_other() -> None:
    """The schema's allowed types (one home: ``schemas.events.TYPES``) are exactly what the triggers give."""
    assert {kind for kind, _ in TRIGGERS} | {"other"} == set(EVENT_TYPES)
