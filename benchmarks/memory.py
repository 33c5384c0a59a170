"""Peak memory of this process and every process it started, sampled while a block runs.

``resource.getrusage`` gives only the largest single child's peak; a run's cost is the
sum of the main process, its pool workers and (for the flow) Prefect's server. Forked
workers share their parent's pages, which each one's RSS counts again, so ``PeakMemory``
adds up the *proportional* set size (PSS: a shared page counted once, split between its
sharers) of the whole process tree (Linux ``/proc``) every ``interval`` seconds and keeps
the largest sum.
"""

from __future__ import annotations

import os
import threading
import time
from collections import defaultdict
from pathlib import Path
from types import TracebackType


def _tree_pss_bytes(root: int) -> dict[int, int]:
    """PSS in bytes of ``root`` and each of its descendants, by pid."""
    children: dict[int, list[int]] = defaultdict(list)
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # the process ended meanwhile
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        children[int(fields[1])].append(int(entry.name))
    sizes, todo = {}, [root]
    while todo:
        pid = todo.pop()
        sizes[pid] = _pss_bytes(pid)
        todo.extend(children.get(pid, ()))
    return sizes


def _pss_bytes(pid: int) -> int:
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:  # the process ended meanwhile
        return 0
    line = next(line for line in rollup.splitlines() if line.startswith("Pss:"))
    return int(line.split()[1]) * 1024


class PeakMemory:
    """``with PeakMemory() as peak: ...`` then ``peak.mb``: the largest PSS sum of the process tree.

    ``root`` is the process whose tree is sampled: this one by default, or a child started for
    the measured run, so the sampler's thread (reading ``/proc`` holds the GIL) never competes
    with the run's own threads for this process's interpreter."""

    def __init__(self, interval: float = 0.05, root: int | None = None) -> None:
        self.interval = interval
        self.root = os.getpid() if root is None else root
        self.peak = 0
        self.peak_at = 0.0  # seconds after the block began
        self.peak_split: list[int] = []  # the root's PSS at the peak, then its descendants', largest first
        self._started = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _take(self) -> None:
        sizes = _tree_pss_bytes(self.root)
        total = sum(sizes.values())
        if total > self.peak:
            others = sorted((v for pid, v in sizes.items() if pid != self.root), reverse=True)
            self.peak, self.peak_at = total, time.perf_counter() - self._started
            self.peak_split = [sizes.get(self.root, 0), *others]

    def _sample(self) -> None:
        while not self._stop.is_set():
            self._take()
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakMemory:
        self._started = time.perf_counter()
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self._stop.set()
        self._thread.join()
        self._take()

    @property
    def mb(self) -> float:
        return self.peak / 1e6

    def split_text(self) -> str:
        """``main A MB + B, C MB`` at the peak: the root process, then the others, largest first."""
        if not self.peak_split:
            return ""
        main, *others = (f"{v / 1e6:,.0f}" for v in self.peak_split)
        return f"main {main} MB" + (f" + {', '.join(others)} MB" if others else "")
