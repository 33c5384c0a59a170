"""EDGE: the run's terms with CPython's cyclic garbage collector.

The collector runs a full collection once the objects that reached its oldest generation
since the last one number a quarter of those already there, and each one walks every live
container. The corpus stage builds millions of long-lived containers (candidates, name
keys, clusters, the name index, the runs it reads back) and makes no reference cycles of its
own: there, the collections walk the same objects again and again and free nothing.
Reference counting still frees every object the moment the stage drops it.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


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
