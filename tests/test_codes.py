"""Every code the pipeline writes is registered in ``pipeline.codes``, and the README shows the registry."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from pipeline.codes import FAMILIES, MEANINGS, code_tables, registered
from pipeline.output.validate import reason_code, validate_all
from pipeline.run.batch import assemble, run_batch
from pipeline.run.sources import list_inputs
from schemas import SCHEMAS

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "cases"


def test_every_code_has_one_family_and_a_meaning() -> None:
    codes = [code for _, members in FAMILIES.values() for code in members]
    assert len(codes) == len(set(codes))
    assert set(MEANINGS) == set(codes)


def test_the_readme_shows_the_registry() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = readme.split("<!-- codes:begin -->\n", 1)[1].split("<!-- codes:end -->", 1)[0]
    assert shown == code_tables(), "regenerate with: python -m pipeline codes"


def test_every_schema_check_reports_a_registered_reason() -> None:
    reasons = {"null-not-allowed", "duplicate-key"}
    for model in SCHEMAS.values():
        schema = model.to_schema()
        reasons |= {reason_code(check.name) for check in schema.checks}
        for column in schema.columns.values():
            reasons |= {reason_code(check.name) for check in column.checks}
    assert reasons - registered("quarantine") == set()


def _literal_codes() -> dict[str, set[str]]:
    """The codes written as literals where a ``Notice`` (warning) or a ``Dropped`` (rule) is made."""
    found: dict[str, set[str]] = {"warning": set(), "drop": set()}
    for path in (ROOT / "pipeline").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
                continue
            position = {"Notice": ("warning", 0), "Dropped": ("drop", 2)}.get(node.func.id)
            if position and len(node.args) > position[1]:
                arg = node.args[position[1]]
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    found[position[0]].add(arg.value)
    return found


@pytest.mark.parametrize("family", ["warning", "drop"])
def test_every_code_written_in_the_source_is_registered(family: str) -> None:
    literals = _literal_codes()[family]
    assert literals, "the scan finds the literals"
    assert literals - registered(family) == set()


def test_every_code_in_the_tables_is_registered(tmp_path: Path) -> None:
    """The seeds, the invented variations and the accuracy gate, run as one corpus."""
    folders = [ROOT / "seeds", CASES / "variations", CASES / "gate"]
    paths = [str(p) for folder in folders for p in list_inputs(folder)]
    for i, path in enumerate(paths):  # one folder, so the names cannot collide
        (tmp_path / f"{i:03d}-{Path(path).name}").write_bytes(Path(path).read_bytes())
    tables = validate_all(assemble([run_batch(sorted(map(str, tmp_path.iterdir())), str(tmp_path), 1 << 24)]))
    emitted = {
        "reject": set(tables["documents"]["reject_code"].dropna()),
        "warning": set(tables["warnings"]["code"]),
        "drop": set(tables["dropped"]["rule"]),
        "quarantine": set(tables["quarantine"]["reason_code"]),
    }
    assert emitted["warning"] and emitted["drop"]
    for family, codes in emitted.items():
        assert codes - registered(family) == set(), family
