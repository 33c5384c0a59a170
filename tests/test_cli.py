"""The CLI as a user meets it: the README's run command, and clear errors."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )


def test_missing_input_folder_is_a_clear_error() -> None:
    result = _cli("run", "--input", "no-such-folder")
    assert result.returncode == 2
    assert "does not exist" in result.stderr


@pytest.mark.parametrize("where", ["a-file", "a-file/below/out"])
def test_an_output_that_cannot_be_written_is_refused_before_any_work(tmp_path: Path, where: str) -> None:
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    result = _cli("run", "--output", str(tmp_path / where))
    assert result.returncode == 2
    assert result.stderr.startswith("error: ") and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr and "--output" in result.stderr
    assert (tmp_path / "a-file").read_text(encoding="utf-8") == "not a folder"


def test_serve_without_a_server_says_what_to_do() -> None:
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    result = _cli("serve", "--cron", "0 3 * * *", env=env)
    assert result.returncode == 2
    assert "prefect server start" in result.stderr


@pytest.mark.e2e
def test_the_readme_run_command_works() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = next(
        line
        for line in readme.splitlines()
        if line.startswith("python3.11 -m venv") and line.endswith("-m pipeline run")
    )
    result = subprocess.run(["bash", "-c", command], cwd=ROOT, capture_output=True, text=True, timeout=1200)
    assert result.returncode == 0, result.stderr[-3000:]
    assert re.search(r"^documents: \d+$", result.stdout, re.MULTILINE), result.stdout
    manifest = json.loads((ROOT / "output" / "manifest.json").read_text(encoding="utf-8"))
    assert {Path(i["source_name"]).name for i in manifest["inputs"]} == {
        p.name for p in (ROOT / "seeds").iterdir()
    }
