"""Shared fixtures: the seed documents, and Prefect kept offline for the end-to-end tests."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

from pipeline.orchestrate.settings import configure_prefect
from pipeline.output.validate import validate_all
from pipeline.run.batch import assemble, run_batch

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"

configure_prefect()
os.environ.setdefault("PREFECT_HOME", str(ROOT / ".prefect"))


@pytest.fixture(scope="session")
def seed_paths() -> list[Path]:
    return sorted(SEEDS.glob("*.txt"))


@pytest.fixture(scope="session")
def seed_and_empty_tables(
    seed_paths: list[Path], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, pd.DataFrame]:
    """Validated tables of the seeds plus an empty file, from the pure pipeline in one batch."""
    root = tmp_path_factory.mktemp("inputs")
    for path in seed_paths:
        shutil.copy(path, root / path.name)
    (root / "empty.txt").write_bytes(b"")
    batch = run_batch([str(p) for p in sorted(root.iterdir())], str(root), 1 << 24)
    return validate_all(assemble([batch]))


@pytest.fixture(scope="session")
def seed_texts(seed_paths: list[Path]) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in seed_paths}
