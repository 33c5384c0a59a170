"""The run's terms with the garbage collector: paused where asked, always given back as it was."""

import gc
import platform

import pytest

from pipeline.run import heap
from pipeline.run.heap import collector_paused


def test_collector_paused_inside_and_enabled_again_after_an_error() -> None:
    assert gc.isenabled()
    with pytest.raises(RuntimeError), collector_paused():
        assert not gc.isenabled()
        raise RuntimeError("a bug inside the stage")
    assert gc.isenabled()


def test_collector_left_off_when_it_was_off_before() -> None:
    gc.disable()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def _rss_mb() -> float:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS")) / 1024


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="malloc_trim is glibc's; CI runs on glibc")
def test_freed_memory_goes_back_to_the_os() -> None:
    assert heap._MALLOC_TRIM is not None  # on glibc the C heap is trimmed, not silently skipped
    blocks = [bytes(1000) + bytes([i % 256]) for i in range(200_000)]  # 200 MB of the C heap
    del blocks[::2]  # every other block freed: holes the heap cannot give back by itself
    half = blocks[: len(blocks) // 2]
    del blocks
    before = _rss_mb()
    heap.release_free_memory()
    assert before - _rss_mb() > 50  # most of the ~150 MB freed is returned
    assert len(half) == 50_000
