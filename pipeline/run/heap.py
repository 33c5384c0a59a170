"""EDGE: the run's terms with CPython's cyclic garbage collector and with the memory allocators.

The collector runs a full collection once the objects that reached its oldest generation
since the last one number a quarter of those already there, and each one walks every live
container. The corpus stage builds millions of long-lived containers (candidates, name
keys, clusters, the name index, the runs it reads back) and makes no reference cycles of its
own: there, the collections walk the same objects again and again and free nothing.
Reference counting still frees every object the moment the stage drops it.

Freed memory is not handed back to the OS by itself: Arrow's pool (mimalloc) and the C heap
keep freed pages for reuse, counted in the process's RSS. ``release_free_memory`` hands them
back after a step that built and dropped large transient data (measured at 8,000 documents,
after the corpus stage wrote ``person_matches``: 499 MB → 453 MB after Arrow's pool released
its free pages → 411 MB after ``malloc_trim``).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import cast

import pyarrow as pa


def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``; None where the C library has none (musl, macOS)."""
    try:
        return cast(Callable[[int], int], ctypes.CDLL(ctypes.util.find_library("c")).malloc_trim)
    except (OSError, AttributeError, TypeError):
        return None


_MALLOC_TRIM = _malloc_trim()


def release_free_memory() -> None:
    """Hand the free pages of Arrow's pool and (with glibc) of the C heap back to the OS."""
    pa.default_memory_pool().release_unused()
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)


@contextmanager
def frozen_heap() -> Iterator[None]:
    """While workers fork: this process's objects moved out of the garbage collector's reach
    (``gc.freeze``), so a worker's collections do not touch, and so copy, every page it inherited.

    No collection first: a cycle frozen here is collected after."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic collector off inside, back as it was after (workers forked inside inherit it off).

    For a stage that builds long-lived, acyclic objects: a cycle made inside waits for the
    first collection after."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
