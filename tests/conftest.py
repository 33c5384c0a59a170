"""Shared fixtures: the seed documents, and Prefect kept offline for the end-to-end tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pipeline.__main__ import configure_prefect

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"

configure_prefect()
os.environ.setdefault("PREFECT_HOME", str(ROOT / ".prefect"))


@pytest.fixture(scope="session")
def seed_paths() -> list[Path]:
    return sorted(SEEDS.glob("*.txt"))


@pytest.fixture(scope="session")
def seed_texts(seed_paths: list[Path]) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in seed_paths}
