"""The incremental-run fingerprint: what invalidates the caches."""

from __future__ import annotations

import ast
import importlib.metadata
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.run import cache
from pipeline.run.cache import ROW_LIBRARIES, SOURCE_DIRS, library_versions, run_fingerprint

ORCHESTRATION = {"prefect", "dask", "distributed", "fsspec", "frictionless"}
"""Distributions the pipeline imports only to schedule, distribute, read bytes or package a release."""


def _imported_modules() -> set[str]:
    """Top-level names of every module imported by ``pipeline/`` and ``schemas/``."""
    names: set[str] = set()
    for folder in SOURCE_DIRS:
        for path in folder.rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    names.update(alias.name.split(".")[0] for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names.add(node.module.split(".")[0])
    return names


def test_every_library_the_pipeline_imports_is_in_the_fingerprint_or_only_orchestrates() -> None:
    distributions = importlib.metadata.packages_distributions()
    ours = {"pipeline", "schemas", "__future__"}
    third_party = _imported_modules() - set(sys.stdlib_module_names) - ours
    assert third_party, "the walk found no library: it is broken"
    for module in sorted(third_party):
        owners = set(distributions.get(module, ()))
        assert owners, f"{module} belongs to no installed distribution"
        assert owners & {*ROW_LIBRARIES, *ORCHESTRATION}, f"{module} ({owners}) is not in ROW_LIBRARIES"


def test_every_row_library_is_installed() -> None:
    assert not [v for v in library_versions() if v.endswith("==missing")]


@pytest.fixture
def fresh_fingerprint() -> Iterator[None]:
    cache.code_fingerprint.cache_clear()
    yield
    cache.code_fingerprint.cache_clear()


def test_another_version_of_a_row_library_is_another_fingerprint(
    fresh_fingerprint: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = run_fingerprint(1 << 24)
    real = importlib.metadata.version
    monkeypatch.setattr(
        cache.importlib.metadata, "version", lambda name: "0.0" if name == "pyarrow" else real(name)
    )
    cache.code_fingerprint.cache_clear()
    assert run_fingerprint(1 << 24) != before


def test_a_document_cached_under_other_libraries_is_parsed_again(
    fresh_fingerprint: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    cache.DocCache(tmp_path, run_fingerprint(1 << 24)).put("ab" * 32, {"rows": 1})
    monkeypatch.setattr(cache.platform, "python_version", lambda: "3.99.0")
    cache.code_fingerprint.cache_clear()
    assert cache.DocCache(tmp_path, run_fingerprint(1 << 24)).get("ab" * 32) is None
