"""EDGE: one run at a time owns an output folder (and the cache it writes), and cleans up after dead runs.

A run takes an exclusive ``flock`` on ``.<name>.lock`` beside the folder it writes (the
folder itself is swapped whole, so the lock cannot live inside it). The kernel releases
the lock when its process ends, however it ends (``kill -9`` included), so a dead run's
lock is taken over by the next run with nothing to repair; the file keeps the holder's
pid and start time, for the message a refused run prints.

Holding the lock, a run knows no live run owns the folders a run leaves beside its
output while it works (``.<name>.stage-*``, ``.tmp-*``, ``.merge-*``, ``.old-*``,
``.probe-*``): whatever of them is still there was left by a run that died, and is removed.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

WORK_FOLDERS = ("stage", "tmp", "merge", "old", "probe")
"""The kinds of folder a run makes beside its output (``.<name>.<kind>-<random>``)."""


class Busy(Exception):
    """Another live run holds the lock; the message says who and what to do."""


def lock_path(folder: Path) -> Path:
    folder = folder.absolute()
    return folder.parent / f".{folder.name}.lock"


_HELD: dict[Path, int] = {}
"""Locks this process holds, with how many blocks hold each: taking a held lock again is a no-op,
so the CLI can take it before Prefect starts and the flow (which a schedule runs alone) again."""


@contextmanager
def owned(folder: Path, *, wait: bool = False) -> Iterator[None]:
    """Hold the lock of ``folder`` for the block; raise ``Busy`` at once if a live run holds it
    (or, with ``wait``, block until it is free)."""
    path = lock_path(folder)
    if path in _HELD:
        _HELD[path] += 1
        try:
            yield
        finally:
            _HELD[path] -= 1
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "unknown"
            raise Busy(
                f"another run ({holder}) is writing {str(folder)!r}; wait for it to finish, "
                f"pass --wait to queue behind it, or choose another --output"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()}, started {time.strftime('%Y-%m-%d %H:%M:%S')}".encode(), 0)
        _HELD[path] = 1
        try:
            yield
        finally:
            del _HELD[path]
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def remove_leftovers(folder: Path) -> list[Path]:
    """Remove the work folders dead runs left beside ``folder``; call only while owning it."""
    folder = folder.absolute()
    removed: list[Path] = []
    if not folder.parent.is_dir():
        return removed
    for kind in WORK_FOLDERS:
        for path in sorted(folder.parent.glob(f".{folder.name}.{kind}-*")):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
                removed.append(path)
    return removed
