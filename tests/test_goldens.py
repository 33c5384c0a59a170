"""Goldens of the seeds' tables: reviewed by eye once, rewritten only on purpose.

``UPDATE_GOLDENS=1 python -m pytest tests/test_goldens.py`` rewrites them; review the
change with ``git diff tests/golden`` before committing it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pipeline.output.validate import validate_all
from pipeline.output.write import write_outputs
from pipeline.run.batch import assemble, run_batch

GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory, seed_paths: list[Path]) -> Path:
    out = tmp_path_factory.mktemp("golden") / "output"
    tables = validate_all(
        assemble([run_batch([str(p) for p in seed_paths], str(seed_paths[0].parent), 1 << 24)])
    )
    write_outputs(tables, out, {"inputs": [], "pipeline_version": "golden"})
    return out


def _csv_names(out: Path) -> list[str]:
    return sorted(p.name for p in out.glob("*.csv") if p.name != "report.csv")


def test_seed_tables_match_the_goldens(written: Path) -> None:
    if os.environ.get("UPDATE_GOLDENS") == "1":
        GOLDEN.mkdir(exist_ok=True)
        for old in GOLDEN.glob("*.csv"):
            old.unlink()
        for name in _csv_names(written):
            (GOLDEN / name).write_bytes((written / name).read_bytes())
    assert _csv_names(written) == sorted(p.name for p in GOLDEN.glob("*.csv"))
    for name in _csv_names(written):
        assert (written / name).read_text(encoding="utf-8") == (GOLDEN / name).read_text(encoding="utf-8"), (
            name
        )
