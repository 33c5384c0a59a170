"""Lifespans, dates and birth/death places as real pages write them: cases in ``cases/lifespans.tsv``.

Each row: kind (``lifespan`` → ``parse_lifespan``, ``date`` → ``parse_date``, ``lead`` →
``parse_lead``, ``body`` → a one-sentence body of a wiki document about Ivan Petrov through
``extract_people``), the input, then the expected birth / death EDTF and birth / death place
(``-`` or empty = must stay null: nothing is invented).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.core import PARSERS
from pipeline.detect import detect
from pipeline.extract.lead import parse_lead
from pipeline.extract.people import extract_people, rank_facts
from pipeline.normalise.dates import parse_date, parse_lifespan

CASES_FILE = Path(__file__).parent / "cases" / "lifespans.tsv"


def _load() -> list[tuple[str, str, tuple[str | None, ...], str]]:
    rows = []
    for line in CASES_FILE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, text, *rest = line.split("\t")
        rest += [""] * (5 - len(rest))
        values = tuple(None if v in ("", "-") else v for v in rest[:4])
        rows.append((kind, text, values, rest[4]))
    return rows


CASES = _load()


def _edtf(match: object) -> str | None:
    return None if match is None else match.value.edtf  # type: ignore[attr-defined]


def _body(sentence: str) -> tuple[str | None, ...]:
    text = f"= Ivan Petrov =\n\nIvan Petrov was a Russian painter.\n\n== Life ==\n{sentence}\n"
    parsed = PARSERS[detect(text).format](text)
    extracted = extract_people(text, parsed)
    chosen = {r.fact.field: r.fact for r in rank_facts(extracted.facts) if r.chosen}
    chosen = {f: fact for f, fact in chosen.items() if fact.person_key == "Ivan Petrov"}
    for fact in chosen.values():
        assert text[fact.span.start : fact.span.end] == fact.raw  # provenance reproduces its text
    return tuple(
        chosen[f].value if f in chosen else None
        for f in ("birth_date", "death_date", "birth_place", "death_place")
    )


def _read(kind: str, text: str) -> tuple[str | None, ...]:
    if kind == "lifespan":
        life = parse_lifespan(text)
        for m in (life.birth, life.death):
            assert m is None or text[m.start : m.end] == m.raw
        return _edtf(life.birth), _edtf(life.death), None, None
    if kind == "date":
        value = parse_date(text)
        return (value.edtf if value else None), None, None, None
    if kind == "lead":
        lead = parse_lead(text)
        places = [None if p is None else p.text for p in (lead.birth_place, lead.death_place)]
        for p in (lead.birth_place, lead.death_place):
            assert p is None or text[p.span.start : p.span.end] == p.text
        return _edtf(lead.birth), _edtf(lead.death), *places
    return _body(text)


@pytest.mark.parametrize(("kind", "text", "want", "note"), CASES, ids=[f"{c[0]}:{c[3]}" for c in CASES])
def test_lifespan_case(kind: str, text: str, want: tuple[str | None, ...], note: str) -> None:
    assert _read(kind, text) == want, note
