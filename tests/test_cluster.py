"""The run's local workers (``pipeline.run.cluster``): parse chunks on processes forked once, then
the corpus steps on processes that inherit the shared value."""

from __future__ import annotations

import operator
import os

import pytest

from pipeline.run.cluster import local_workers


def test_local_workers_keep_the_order_and_give_every_step_the_shared_value() -> None:
    with local_workers(2) as workers:
        parse_pids = set(workers.executor.map(_pid, range(8)))
        assert os.getpid() not in parse_pids  # chunks run on the workers, not here
        assert workers.map_shared(operator.add, 10, [3, 1, 2]) == [13, 11, 12]
        assert workers.map_shared(operator.mul, "ab", [1, 2]) == ["ab", "abab"]


def test_the_parse_workers_are_closed_before_the_corpus_steps_fork_their_own() -> None:
    with local_workers(2) as workers:
        list(workers.executor.map(_pid, range(2)))
        workers.map_shared(operator.add, 1, [1, 2])
        with pytest.raises(RuntimeError):  # their memory is not held beside the corpus steps'
            workers.executor.submit(_pid, 0)


def _pid(_: int) -> int:
    return os.getpid()
