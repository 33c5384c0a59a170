"""The per-document time limit: a document that runs past it is a ``timeout`` rejection; the run goes on.

The slow document is real: the first seed's sections repeated to about 15 MB, which the
(linear) pass needs seconds to read, against a limit of ``LIMIT`` seconds that a seed's
few milliseconds stay far below. Nothing is patched to be slow.
"""

from __future__ import annotations

import pickle
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from pipeline.codes import Reject
from pipeline.run.batch import _OutOfTime, assemble, run_batch, time_limit
from pipeline.run.sources import content_sha256, doc_id_of

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
LIMIT = 0.5
"""Seconds per document in these runs: far above a seed's pass, far below the large document's."""
BIG_BYTES = 15_000_000  # under the runs' 16 MiB --max-bytes


def _big_document() -> str:
    """The seed's sections again and again, each copy numbered so no cache can shortcut the work."""
    seed = SEEDS[0].read_text(encoding="utf-8")
    head, _, body = seed.partition("\n== ")
    copies = BIG_BYTES // (len(body) + 12)
    return head + "".join(f"\n== {body}\nCopy {i}.\n" for i in range(copies))


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """A folder of the seeds, and the same folder with the large document added; its doc_id."""
    seeds = tmp_path_factory.mktemp("seeds")
    for path in SEEDS:
        shutil.copy(path, seeds / path.name)
    with_big = tmp_path_factory.mktemp("with_big")
    for path in SEEDS:
        shutil.copy(path, with_big / path.name)
    (with_big / "999_big.txt").write_text(_big_document(), encoding="utf-8")
    big_id = doc_id_of(content_sha256(with_big / "999_big.txt", with_big))
    return seeds, with_big, big_id


def _files(folder: Path) -> list[str]:
    return sorted(str(p) for p in folder.glob("*.txt"))


def _tables(folder: Path, doc_timeout: float | None, workers: int = 1, batch_size: int = 100) -> dict:
    files = _files(folder)
    batches = [
        run_batch(files[i : i + batch_size], str(folder), 1 << 24, workers, doc_timeout=doc_timeout)
        for i in range(0, len(files), batch_size)
    ]
    return assemble(batches)


_FRESH = (
    "import pickle, sys\n"
    "from pathlib import Path\n"
    "sys.path.insert(0, sys.argv[1])\n"
    "from tests.test_timeout import _tables\n"
    "limit = float(sys.argv[4]) if sys.argv[4] != 'None' else None\n"
    "run = lambda: out.update(t=_tables(Path(sys.argv[2]), limit, int(sys.argv[5]), int(sys.argv[6])))\n"
    "out = {}\n"
    "if sys.argv[7] == 'thread':\n"
    "    import threading\n"
    "    worker = threading.Thread(target=run)\n"
    "    worker.start()\n"
    "    worker.join()\n"
    "else:\n"
    "    run()\n"
    "Path(sys.argv[3]).write_bytes(pickle.dumps(out['t']))\n"
)


def _fresh_tables(
    folder: Path, doc_timeout: float | None, tmp: Path, workers: int = 1, batch_size: int = 100, thread: bool = False
) -> dict:
    """``_tables`` run in a new interpreter: the alarm is then the run's alone, as in a real run, whatever
    threads and signal state the rest of the test session left in this process."""
    out = tmp / f"tables-{workers}-{batch_size}-{doc_timeout}.pickle"
    args = [str(ROOT), str(folder), str(out), str(doc_timeout), str(workers), str(batch_size)]
    args.append("thread" if thread else "main")
    subprocess.run([sys.executable, "-c", _FRESH, *args], cwd=ROOT, check=True, timeout=600)
    return pickle.loads(out.read_bytes())  # our own file, written just now


def _without(frame: pd.DataFrame, doc_id: str) -> pd.DataFrame:
    if "doc_id" not in frame.columns:
        return frame.reset_index(drop=True)
    return frame[frame["doc_id"] != doc_id].reset_index(drop=True)


def test_the_slow_document_is_rejected_as_timeout_and_nothing_else_changes(folders, tmp_path: Path) -> None:
    seeds, with_big, big_id = folders
    before = _tables(seeds, doc_timeout=None)
    after = _fresh_tables(with_big, LIMIT, tmp_path)
    docs = after["documents"].set_index("doc_id")
    big = docs.loc[big_id]
    assert (big["status"], big["reject_code"]) == ("rejected", Reject.TIMEOUT)
    assert pd.isna(big["format"]) and pd.isna(big["coverage"]) and big["n_chars"] > BIG_BYTES * 0.9
    assert set(docs.drop(index=big_id)["status"]) <= {"parsed", "parsed_with_warnings"}
    notes = after["warnings"][after["warnings"]["doc_id"] == big_id]
    assert list(notes["code"]) == [Reject.TIMEOUT] and f"{LIMIT:g} s" in notes["message"].iloc[0]
    for name, frame in after.items():  # every other row, in every table, is what it was without it
        pd.testing.assert_frame_equal(_without(frame, big_id), before[name].reset_index(drop=True), obj=name)
        if name not in ("documents", "warnings") and "doc_id" in frame.columns:
            assert not (frame["doc_id"] == big_id).any(), f"{name} has rows of the timed-out document"


def test_the_same_tables_whatever_the_workers_and_batch_size(folders, tmp_path: Path) -> None:
    _, with_big, _ = folders
    serial = _fresh_tables(with_big, LIMIT, tmp_path)
    pooled = _fresh_tables(with_big, LIMIT, tmp_path, workers=2, batch_size=2)
    assert serial.keys() == pooled.keys()
    for name in serial:
        pd.testing.assert_frame_equal(serial[name], pooled[name], obj=name)


def test_off_the_main_thread_the_limit_still_holds(folders, tmp_path: Path) -> None:
    """Under Prefect a batch may run in a worker thread, where SIGALRM cannot reach: a process does the work."""
    _, with_big, big_id = folders
    docs = _fresh_tables(with_big, LIMIT, tmp_path, thread=True)["documents"].set_index("doc_id")
    assert docs.loc[big_id, "reject_code"] == Reject.TIMEOUT
    assert docs.drop(index=big_id)["reject_code"].isna().all()


_FRESH_FILE = (
    "import sys\n"
    "from pathlib import Path\n"
    "sys.path.insert(0, sys.argv[1])\n"
    "from pipeline.run.batch import InputFile, process_file\n"
    "(rows, runs, persons), hit = process_file(InputFile(sys.argv[2]), Path(sys.argv[3]), 1 << 24, sys.argv[4], float(sys.argv[5]))\n"
    "print(rows['documents'][0]['reject_code'], len(persons), hit)\n"
)


def test_a_timed_out_document_is_not_cached(folders, tmp_path: Path) -> None:
    """One document through ``process_file`` with a cache, in a new interpreter (see ``_fresh_tables``)."""
    _, with_big, _ = folders
    item = next(f for f in _files(with_big) if f.endswith("999_big.txt"))
    args = [str(ROOT), item, str(with_big), str(tmp_path), str(LIMIT)]
    result = subprocess.run(
        [sys.executable, "-c", _FRESH_FILE, *args], cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    assert result.stdout.split() == [str(Reject.TIMEOUT), "0", "False"], result.stderr
    assert not list(tmp_path.rglob("*.pkl"))


def test_the_previous_alarm_handler_is_restored() -> None:
    def mine(signum: int, frame: object) -> None:
        raise AssertionError("no alarm expected")

    previous = signal.signal(signal.SIGALRM, mine)
    try:
        with time_limit(5.0):
            pass
        assert signal.getsignal(signal.SIGALRM) is mine
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    finally:
        signal.signal(signal.SIGALRM, previous)


class _SlowToFree:
    """An object whose ``__del__`` outlasts the limit: the first alarm rings inside it, where Python
    prints an exception and drops it (as when the garbage collector frees a compiled pattern)."""

    def __del__(self) -> None:
        deadline = time.perf_counter() + 0.3
        while time.perf_counter() < deadline:
            pass


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")  # the dropped ring, on purpose
def test_an_alarm_lost_inside_a_destructor_rings_again() -> None:
    started = time.perf_counter()
    with pytest.raises(_OutOfTime), time_limit(0.1):
        slow = _SlowToFree()
        del slow  # the first ring is dropped in here
        while time.perf_counter() - started < 5.0:
            pass
    assert time.perf_counter() - started < 1.0
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
