"""Retries only where failure can be transient: reading files, never our own bug."""

from __future__ import annotations

import pytest

from pipeline.orchestrate.flow import only_io_errors
from pipeline.run.batch import PipelineBug


class _State:
    def __init__(self, error: BaseException | None) -> None:
        self.error = error

    def result(self) -> None:
        if self.error is not None:
            raise self.error


@pytest.mark.parametrize(
    ("error", "retry"),
    [
        (OSError("stale NFS file handle"), True),
        (TimeoutError("read timed out"), True),  # a subclass of OSError
        (PipelineBug("processing x.txt failed"), False),
        (ValueError("bad"), False),
        (None, False),
    ],
)
def test_only_io_errors_are_retried(error: BaseException | None, retry: bool) -> None:
    assert only_io_errors(None, None, _State(error)) is retry
