"""The house stays clean: ruff and mypy run as part of the test command, and the README documents the CLI."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.__main__ import parse_args

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _tool(name: str) -> str:
    local = Path(sys.executable).parent / name
    found = str(local) if local.exists() else shutil.which(name)
    if not found:
        pytest.fail(f"{name} is not installed: the test extra installs it (pip install -e '.[test]')")
    return found


def test_ruff_is_clean() -> None:
    result = subprocess.run(
        [_tool("ruff"), "check", "pipeline", "schemas", "tests", "benchmarks"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_is_clean() -> None:
    result = subprocess.run([_tool("mypy"), "pipeline", "schemas"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_subcommand_is_documented() -> None:
    parser_help = subprocess.run(
        [sys.executable, "-m", "pipeline", "--help"], cwd=ROOT, capture_output=True, text=True
    ).stdout
    commands = re.search(r"\{([\w,]+)\}", parser_help)
    assert commands, parser_help
    for command in commands.group(1).split(","):
        assert f"python -m pipeline {command}" in README, f"README does not document '{command}'"


def test_readme_commands_are_the_ci_commands() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()[-1]
    assert ci in README, "the README's test command and .ci/run have drifted apart"


def test_run_defaults_match_the_readme() -> None:
    args = parse_args(["run"])
    assert (args.input, args.output) == ("seeds", "output")
