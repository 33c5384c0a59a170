"""EDGE: where a run's parallel work goes: worker processes on this machine, or a Dask cluster.

A ``Workers`` does two kinds of work, in order, whatever runs it:

- ``executor.map(fn, …)``: the parse stage's chunks of files (``batch.run_batch``); each
  chunk's tables come back as Arrow;
- ``map_shared(job, shared, items, folder)``: the corpus stage's steps (``batch.map_batches``),
  where every call reads one value (a name index) besides its item.

``local_workers(n)`` forks ``n`` processes once for the run (the default), before the run holds
anything large, and keeps them for both kinds of work: for a corpus step ``shared`` is pickled
once to a file in ``folder`` (the run's staging), and each worker reads it once.
``dask_workers(address, n)`` sends both to a ``dask.distributed`` scheduler at ``address``
(``local`` starts a ``LocalCluster`` of ``n`` single-threaded worker processes here): chunks
go through the client's executor, ``shared`` is scattered to every worker once. The workers
read the input files and write the staged tables by path, so they need the same filesystem
as this process (one machine, or a shared filesystem). No Prefect runs on the Dask workers:
the flow's tasks stay on this process and only the pure work travels (a Prefect task runner
on Dask workers would start an embedded server per worker process).

Documents have no time limit on Dask workers: a task runs in a worker thread, and only a
process's main thread can be interrupted by the alarm ``batch.time_limit`` sets.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

from pipeline.run.heap import collector_paused, frozen_heap, release_free_memory

T = TypeVar("T")
LOCAL = "local"
"""The ``--dask`` address that starts a ``LocalCluster`` on this machine."""


class Workers(Protocol):
    """A run's workers: an executor for the parse stage, a shared-value map for the corpus stage."""

    executor: Executor
    count: int

    def map_shared(
        self, job: Callable[[Any, Any], T], shared: Any, items: Iterable[Any], folder: Path
    ) -> list[T]: ...


_SHARED: tuple[str, Any] | None = None
"""In a local worker: the last corpus step's shared value, and the file it was read from."""


def _with_shared(job: Callable[[Any, Any], T], path: str, item: Any) -> T:
    """``job(shared, item)`` in a local worker, ``shared`` read from ``path`` on the worker's first
    call of the step; with the collector paused (see ``_corpus_step``)."""
    global _SHARED
    if _SHARED is None or _SHARED[0] != path:
        _SHARED = None  # the previous step's value freed before this one is read
        with open(path, "rb") as handle:
            _SHARED = (path, pickle.load(handle))
    try:
        with collector_paused():
            return job(_SHARED[1], item)
    finally:
        release_free_memory()  # what the batch built is dropped by now


class LocalWorkers:
    """``count`` processes on this machine, forked once from a frozen heap and kept for the run:
    their caches (compiled patterns, memoised words) stay warm from batch to batch.

    None is forked later: a process forked from the corpus stage (which holds every document's
    persons) copies each page it reads from, as reading an object writes its reference count
    (measured at 100,000 documents: two such workers grew to 1.4 GB each)."""

    def __init__(self, count: int) -> None:
        self.count = max(1, count)
        self.executor: Executor = ProcessPoolExecutor(max_workers=self.count)
        with frozen_heap():
            list(self.executor.map(int, range(self.count)))  # every worker forked now, heap frozen

    def map_shared(
        self, job: Callable[[Any, Any], T], shared: Any, items: Iterable[Any], folder: Path
    ) -> list[T]:
        """``job(shared, item)`` for each item, in order, on the workers, ``shared`` pickled once to
        a file in ``folder`` (removed after); in this process when there is one worker. Items are
        taken as they are sent, two per worker ahead of the results, so a lazy ``items`` is never
        held whole."""
        if self.count <= 1:
            return [job(shared, item) for item in items]
        fd, path = tempfile.mkstemp(dir=folder, prefix="shared-", suffix=".pickle")
        try:
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(shared, handle, protocol=pickle.HIGHEST_PROTOCOL)
            pending: deque[Future[T]] = deque()
            results: list[T] = []
            for item in items:
                pending.append(self.executor.submit(_with_shared, job, path, item))
                if len(pending) > 2 * self.count:
                    results.append(pending.popleft().result())
            return results + [future.result() for future in pending]
        finally:
            os.unlink(path)


@contextmanager
def local_workers(count: int) -> Iterator[LocalWorkers]:
    workers = LocalWorkers(count)
    with workers.executor:
        yield workers


@dataclass(frozen=True, slots=True)
class _Boxed:
    """A corpus step's value as it travels back from a Dask worker. ``distributed`` serializes a bare
    list or dict (a batch's prose names, its counts of documents per person) element by element; in a
    box it is pickled whole (measured at 8,000 documents, when the second step sent back a set of
    pairs: the two steps 9.7 and 11.5 s bare, 2.5 and 4.8 s boxed)."""

    value: Any


def _corpus_step(job: Callable[[Any, Any], T], shared: Any, item: Any) -> _Boxed:
    """A corpus step on a Dask worker, with the collector paused as it is in the local workers
    (``_with_shared``): the step builds rows and frees nothing cyclic, and full collections over the
    worker's heap doubled its time (measured: 0.85 → 0.53 s a batch)."""
    with collector_paused():
        return _Boxed(job(shared, item))


class DaskWorkers:
    """The workers of a ``dask.distributed`` cluster, through one client."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.executor: Executor = client.get_executor(pure=False)
        self.count = max(1, len(client.scheduler_info(n_workers=-1).get("workers", {})))

    def map_shared(
        self, job: Callable[[Any, Any], T], shared: Any, items: Iterable[Any], folder: Path
    ) -> list[T]:
        """``job(shared, item)`` for each item, in order, on the cluster; ``shared`` sent to every
        worker once (``folder`` unused: it travels through the scheduler)."""
        items = list(items)
        if not items:
            return []
        value = self.client.scatter(shared, broadcast=True, hash=False)
        futures = self.client.map(_corpus_step, [job] * len(items), [value] * len(items), items, pure=False)
        try:
            return [boxed.value for boxed in self.client.gather(futures)]
        finally:
            self.client.cancel([value])


@contextmanager
def dask_workers(address: str, count: int) -> Iterator[DaskWorkers]:
    """A client of the scheduler at ``address``, or of a ``LocalCluster`` of ``count`` worker
    processes (one thread each) when ``address`` is ``local``; closed (the local cluster stopped) after."""
    from distributed import Client, LocalCluster  # only a run that asks for Dask pays its import

    if address == LOCAL:
        with (
            LocalCluster(
                n_workers=max(1, count), threads_per_worker=1, processes=True, dashboard_address=None
            ) as cluster,
            Client(cluster) as client,
        ):
            yield DaskWorkers(client)
    else:
        with Client(address) as client:
            yield DaskWorkers(client)


@contextmanager
def run_workers(dask: str | None, count: int) -> Iterator[Workers]:
    """The run's workers: ``dask_workers`` when ``dask`` names a scheduler (or ``local``), else
    ``local_workers``."""
    if dask:
        with dask_workers(dask, count) as on_dask:
            yield on_dask
    else:
        with local_workers(count) as here:
            yield here
