"""One run per output folder, clean-up after dead runs, and no orphans: with real processes and real kills."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.run.ownership import Busy, owned, remove_leftovers

ROOT = Path(__file__).resolve().parent.parent


def _holder(folder: Path) -> subprocess.Popen[str]:
    """Another process that takes ``folder``'s lock and keeps it until killed."""
    code = (
        "import sys, time\nfrom pathlib import Path\nfrom pipeline.run.ownership import owned\n"
        "with owned(Path(sys.argv[1])):\n    print('held', flush=True)\n    time.sleep(600)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code, str(folder)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_a_second_owner_is_refused_and_a_dead_owners_lock_is_taken_over(tmp_path: Path) -> None:
    out = tmp_path / "out"
    holder = _holder(out)
    try:
        with pytest.raises(Busy, match=f"pid {holder.pid}"), owned(out):
            pass
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    with owned(out), owned(out):  # the dead run's lock is free; taking a held lock again is a no-op
        pass


def test_a_second_run_is_refused_at_once_with_one_line(tmp_path: Path) -> None:
    out = tmp_path / "out"
    holder = _holder(out)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "pipeline", "run", "--output", str(out)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    assert result.returncode == 3
    assert result.stderr.startswith("error: another run (pid") and "--wait" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and not out.exists()


def test_only_this_outputs_leftovers_are_removed(tmp_path: Path) -> None:
    for name in (".out.stage-1a2b", ".out.tmp-3c4d", ".out.merge-5e6f", ".out.old-7a8b", ".other.stage-9c0d"):
        (tmp_path / name).mkdir()
    (tmp_path / ".out.stage-file").write_text("a file, not a run's folder", encoding="utf-8")
    removed = remove_leftovers(tmp_path / "out")
    assert sorted(p.name for p in removed) == [".out.merge-5e6f", ".out.old-7a8b", ".out.stage-1a2b", ".out.tmp-3c4d"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [".other.stage-9c0d", ".out.stage-file"]


def test_helpers_die_with_a_run_killed_by_sigkill(tmp_path: Path) -> None:
    """A guarded process with a pool worker and a subprocess, killed with SIGKILL: none of them survives."""
    code = (
        "import multiprocessing, subprocess, sys, time\n"
        "from pipeline.run.watchdog import guarded\n"
        "with guarded():\n"
        "    pool = multiprocessing.get_context('fork').Pool(1)\n"
        "    pool.apply_async(time.sleep, (600,))\n"
        "    child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)'])\n"
        "    time.sleep(1)\n"
        "    print(' '.join(str(p.pid) for p in [*pool._pool, child]), flush=True)\n"
        "    time.sleep(600)\n"
    )
    run = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert run.stdout is not None
    helpers = [int(pid) for pid in run.stdout.readline().split()]
    assert len(helpers) == 2 and not any(_gone(pid) for pid in helpers)
    run.send_signal(signal.SIGKILL)
    run.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not all(_gone(pid) for pid in helpers):
        time.sleep(0.2)
    assert all(_gone(pid) for pid in helpers), "a helper outlived the run"


def test_a_guarded_block_that_ends_leaves_its_helpers_alone(tmp_path: Path) -> None:
    code = (
        "import subprocess, sys, time\n"
        "from pipeline.run.watchdog import guarded\n"
        "with guarded():\n"
        "    pass\n"
        "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)'])\n"
        "time.sleep(2)\n"  # longer than the watchdog's half-second look
        "print(child.poll() is None, flush=True)\n"
        "child.kill()\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "True", result.stderr


@pytest.mark.e2e
def test_a_run_killed_mid_way_leaves_the_output_and_no_process_and_the_next_run_cleans_up(tmp_path: Path) -> None:
    """``kill -9`` of a real run while its batches are staged; then a run into the same output."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    for i in range(3000):
        seed = seeds[i % len(seeds)]
        (inputs / f"{seed.stem}-{i:04d}.txt").write_text(seed.read_text(encoding="utf-8") + f"\ncopy {i}\n")
    out = tmp_path / "out"
    out.mkdir()
    (out / "manifest.json").write_text('{"previous": true}\n', encoding="utf-8")
    run = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "run", "--input", str(inputs), "--output", str(out), "--full"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and not list(tmp_path.glob(".out.stage-*/batch-*")):
        assert run.poll() is None, "the run ended before it could be killed"
        time.sleep(0.2)
    group = os.getpgid(run.pid)
    run.send_signal(signal.SIGKILL)
    run.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and _group_alive(group):
        time.sleep(0.2)
    assert not _group_alive(group), "a worker or Prefect's server outlived the run"
    assert (out / "manifest.json").read_text(encoding="utf-8") == '{"previous": true}\n'
    assert list(tmp_path.glob(".out.stage-*"))
    again = subprocess.run(
        [sys.executable, "-m", "pipeline", "run", "--input", str(ROOT / "seeds"), "--output", str(out), "--full"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert again.returncode == 0, again.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.lock", "in", "out"]


def _group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True
