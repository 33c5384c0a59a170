"""The run's terms with the garbage collector: paused where asked, always given back as it was."""

import gc

import pytest

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
