"""The run's local workers (``pipeline.run.cluster``): parse chunks and corpus steps on the same
processes, forked once; a corpus step's shared value read by each worker from one file."""

from __future__ import annotations

import operator
import os
from pathlib import Path
from typing import Any

from pipeline.run.cluster import local_workers


def test_local_workers_keep_the_order_and_give_every_step_its_shared_value(tmp_path: Path) -> None:
    with local_workers(2) as workers:
        parse_pids = set(workers.executor.map(_pid, range(8)))
        assert os.getpid() not in parse_pids  # chunks run on the workers, not here
        assert workers.map_shared(operator.add, 10, [3, 1, 2], tmp_path) == [13, 11, 12]
        assert workers.map_shared(operator.mul, "ab", [1, 2], tmp_path) == ["ab", "abab"]
        assert workers.map_shared(operator.add, 20, [3, 1, 2], tmp_path) == [23, 21, 22]  # not the first 10


def test_the_corpus_steps_run_on_the_parse_workers_and_leave_no_file(tmp_path: Path) -> None:
    with local_workers(2) as workers:
        parse_pids = set(workers.executor.map(_pid, range(8)))
        step_pids = set(workers.map_shared(_pid_with, None, list(range(8)), tmp_path))
        assert step_pids <= parse_pids  # no process forked from the corpus stage's heap
        assert os.getpid() not in step_pids
        assert list(tmp_path.iterdir()) == []  # the shared value's file is removed after the step


def test_one_worker_runs_the_steps_here(tmp_path: Path) -> None:
    with local_workers(1) as workers:
        assert set(workers.map_shared(_pid_with, None, [1, 2], tmp_path)) == {os.getpid()}


def _pid(_: int) -> int:
    return os.getpid()


def _pid_with(_: Any, __: int) -> int:
    return os.getpid()
