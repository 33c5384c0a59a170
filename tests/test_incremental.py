"""Incremental runs: whatever was edited, added or removed since the last run, a run that takes
unchanged documents from the cache writes the bytes a full run writes."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pipeline.run.batch import run_local

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
# Invented documents whose persons meet: the fragment glosses the subject of the markup page.
OWN = {
    "berg.txt": (
        "Olga Berg (3 May 1920 – 1 June 1990) was a Latvian painter who studied sculpture under\n"
        "Karel Novak\n"
        "Karel Novak (1898 – 1970) was a Czech sculptor and teacher. He is known for his bronze figures ...\n"
        "in Prague.\nReferences\n1920 births\n1990 deaths\n"
    ),
    "novak.txt": (
        "= Karel Novak =\n\nKarel Novak\n- Born: 1898\n- Died: 1970\n\n"
        "Karel Novak (1898 – 1970) was a Czech sculptor. He taught Olga Berg in Prague.\n"
    ),
    "lind.txt": (
        "Anna Lind (1931 – 2001) was a Swedish art historian who wrote the first study of\n"
        "Olga Berg\nOlga Berg (1920 – 1990) was a Latvian painter ...\n"
        "and of her teacher Karel Novak.\nReferences\n"
    ),
}
PERSONS = ["Karel Novak (1898 – 1970)", "Olga Berg (1920 – 1990)", "Nahum Eitingon (1899 – 1981)", "Ivo Berg (1950 – 2010)"]
YEAR = re.compile(r"\b1[89]\d\d\b")


def pool() -> dict[str, str]:
    return {**{p.name: p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))}, **OWN}


def outputs(folder: Path) -> dict[str, bytes]:
    """Every file a run wrote but the manifest (which records the run's own time and id)."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.name != "manifest.json"}


def run(inputs: Path, output: Path, cache: Path | None) -> dict:
    return run_local(inputs, output, output.parent / f".{output.name}.stage", 2, workers=1, cache_dir=cache)


def edit(folder: Path, operation: tuple) -> None:
    """Apply one edit to the corpus folder: shift a year, add a gloss person, add or remove a document."""
    names = sorted(p.name for p in folder.iterdir())
    kind, i, j = operation
    if kind == "add":
        name, text = sorted(pool().items())[i % len(pool())]
        (folder / f"copy{j}-{name}").write_text(text, encoding="utf-8")
        return
    if not names:
        return
    path = folder / names[i % len(names)]
    if kind == "remove":
        path.unlink()
        return
    text = path.read_text(encoding="utf-8")
    if kind == "year":
        years = sorted(set(YEAR.findall(text)))
        if years:
            year = years[j % len(years)]
            text = re.sub(rf"\b{year}\b", str(int(year) + 1), text)
    else:  # a gloss: in a fragment, a person of their own; elsewhere a name in the text
        person = PERSONS[j % len(PERSONS)]
        name = person.split(" (")[0]
        text += f"\nand worked with\n{name}\n{person} was a teacher ...\nfor some years.\n"
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "inputs"
    folder.mkdir()
    for name, text in pool().items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_an_edit_that_undoes_a_merge_gives_a_full_runs_bytes(corpus: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = run(corpus, tmp_path / "out", cache)
    matches = pd.read_parquet(tmp_path / "out" / "person_matches.parquet")
    assert "karel-novak" in set(matches["person_id"]), "the gloss Karel Novak is the subject Karel Novak"

    edit(corpus, ("year", sorted(p.name for p in corpus.iterdir()).index("novak.txt"), 0))  # 1898 -> 1899
    again = run(corpus, tmp_path / "out", cache)
    assert first["from_cache"] == 0 and again["from_cache"] == len(pool()) - 1
    persons = pd.read_parquet(tmp_path / "out" / "persons.parquet")
    assert {"karel-novak", "karel-novak-2"} <= set(persons["person_id"]), "dates that disagree: two persons"
    run(corpus, tmp_path / "full", None)
    assert outputs(tmp_path / "out") == outputs(tmp_path / "full")


OPERATIONS = st.tuples(
    st.sampled_from(["year", "gloss", "add", "remove"]), st.integers(0, 20), st.integers(0, 20)
)


@settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@example(operations=[("gloss", 4, 0), ("remove", 3, 0)])  # a new gloss person; the document that merged with it gone
@example(operations=[("add", 4, 1), ("year", 4, 0)])  # a copy of a document, then one of the two edited
@given(operations=st.lists(OPERATIONS, min_size=1, max_size=4))
def test_any_edits_give_a_full_runs_bytes(
    operations: list[tuple], tmp_path_factory: pytest.TempPathFactory
) -> None:
    root = tmp_path_factory.mktemp("edits")
    inputs, cache = root / "inputs", root / "cache"
    inputs.mkdir()
    for name, text in pool().items():
        (inputs / name).write_text(text, encoding="utf-8")
    run(inputs, root / "out", cache)
    for operation in operations:
        edit(inputs, operation)
    run(inputs, root / "out", cache)
    run(inputs, root / "full", None)
    assert outputs(root / "out") == outputs(root / "full")
    shutil.rmtree(root)
