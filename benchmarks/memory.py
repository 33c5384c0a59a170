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
from collections import defaultdict
from pathlib import Path
from types import TracebackType


def _tree_pss_bytes(root: int) -> int:
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
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += _pss_bytes(pid)
        todo.extend(children.get(pid, ()))
    return total


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
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, _tree_pss_bytes(self.root))
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, _tree_pss_bytes(self.root))

    @property
    def mb(self) -> float:
        return self.peak / 1e6
