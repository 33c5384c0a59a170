"""A folder the pipeline did not make: links out of it, dangling links, loops, FIFOs, hidden files.

A real folder with real links and a real FIFO: nothing outside the input folder is read,
nothing is opened that could block, and nothing is skipped without a trace.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from pipeline.codes import Reject
from pipeline.output.validate import validate_all
from pipeline.run.batch import assemble, plan_inputs, run_batch
from pipeline.run.sources import entry_problem, hidden_entries, list_inputs

DOC = "= Ana Vuković =\nAna Vuković\n\nAna Vuković (3 May 1901 – 2 June 1970) was a Croatian painter.\n"
SECRET = "root:x:0:0:a line that must never be published\n"


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    outside = tmp_path / "outside.txt"
    outside.write_text(SECRET, encoding="utf-8")
    root = tmp_path / "in"
    root.mkdir()
    (root / "good.txt").write_text(DOC, encoding="utf-8")
    (root / "passwd.txt").symlink_to(outside)
    (root / "gone.txt").symlink_to(tmp_path / "no-such-file")
    (root / "loop-a.txt").symlink_to(root / "loop-b.txt")
    (root / "loop-b.txt").symlink_to(root / "loop-a.txt")
    (root / "same.txt").symlink_to(root / "good.txt")  # inside the folder: read (its bytes are good.txt's)
    os.mkfifo(root / "pipe.txt")
    (root / "x.txt").mkdir()  # a folder with a file-like name is walked
    (root / "x.txt" / "inner.txt").write_text(DOC.replace("Ana", "Eva"), encoding="utf-8")
    (root / ".DS_Store").write_bytes(b"\x00\x01hidden")
    (root / ".git").mkdir()
    (root / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    return root


def test_each_entry_is_read_or_given_its_code(folder: Path) -> None:
    problems = {p.name: entry_problem(p, folder) for p in list_inputs(folder)}
    assert problems == {
        "good.txt": None,
        "gone.txt": Reject.DANGLING_LINK,
        "inner.txt": None,
        "loop-a.txt": Reject.LINK_LOOP,
        "loop-b.txt": Reject.LINK_LOOP,
        "passwd.txt": Reject.OUTSIDE_INPUT,
        "pipe.txt": Reject.NOT_A_FILE,
        "same.txt": None,
    }
    assert [p.name for p in hidden_entries(folder)] == [".DS_Store", ".git"]
    assert entry_problem(folder / "passwd.txt", folder, follow_symlinks=True) is None


def test_the_run_goes_on_and_publishes_nothing_from_outside(folder: Path) -> None:
    files = plan_inputs(list_inputs(folder), folder)
    tables = validate_all(assemble([run_batch(files, str(folder), 1 << 24)]))
    documents = tables["documents"].set_index("source_name")
    assert documents.loc["passwd.txt", "reject_code"] == Reject.OUTSIDE_INPUT
    assert documents.loc["gone.txt", "reject_code"] == Reject.DANGLING_LINK
    assert documents.loc["pipe.txt", "reject_code"] == Reject.NOT_A_FILE
    assert {documents.loc[n, "reject_code"] for n in ("loop-a.txt", "loop-b.txt")} == {Reject.LINK_LOOP}
    assert documents.loc["x.txt/inner.txt", "status"] != "rejected"
    assert "same.txt" not in documents.index or documents.loc["same.txt", "status"] != "rejected"
    assert not any(name.startswith(".") for name in documents.index)
    for name, frame in tables.items():
        text = frame.astype(str).to_csv() if isinstance(frame, pd.DataFrame) else ""
        assert "root:x:0:0" not in text, name
