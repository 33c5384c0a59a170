"""EDGE: a run's helper processes (pool workers, Prefect's embedded server) die with the run.

The run makes itself the leader of its own process group (its children join it) and
starts a watchdog: a tiny separate interpreter, the run's child. A run that finishes says
so (one byte on the watchdog's standard input) and the watchdog leaves quietly; a run that
dies any other way, ``kill -9`` or the OOM killer included, leaves its child to another
parent, which the watchdog sees within half a second, and it then kills the whole group,
so no pool worker or Prefect server is left running as an orphan. (The pipe alone would
not do: forked pool workers hold its other end too.)
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

_WATCH = (
    "import os, select, signal, sys\n"
    "signal.signal(signal.SIGINT, signal.SIG_IGN)\n"  # Ctrl-C is for the run, which then says goodbye
    "run = os.getppid()\n"
    "while True:\n"
    "    ready, _, _ = select.select([0], [], [], 0.5)\n"
    "    if ready:\n"
    "        if os.read(0, 1):\n"
    "            sys.exit(0)\n"  # goodbye
    "        break\n"  # every holder of the pipe is gone
    "    if os.getppid() != run:\n"
    "        break\n"  # the run died: this process was handed to another parent
    "os.killpg(int(sys.argv[1]), signal.SIGKILL)\n"
)


def _own_group() -> bool:
    """Make this process its group's leader; False when it cannot or should not be (then nothing
    is guarded): a process in a terminal's foreground job it does not lead keeps that job, so
    that Ctrl-C still reaches it."""
    if os.getpgrp() == os.getpid():
        return True  # a shell's job: it leads its group already
    try:
        if os.isatty(0) and os.tcgetpgrp(0) == os.getpgrp():
            return False
    except OSError:
        pass
    try:
        os.setpgid(0, 0)
    except PermissionError:
        return False
    return os.getpgrp() == os.getpid()


@contextmanager
def guarded() -> Iterator[None]:
    """Run the block with a watchdog that kills this process group if the process dies inside it."""
    if not _own_group():
        yield
        return
    watchdog = subprocess.Popen([sys.executable, "-c", _WATCH, str(os.getpgrp())], stdin=subprocess.PIPE)
    assert watchdog.stdin is not None
    try:
        yield
    finally:
        watchdog.stdin.write(b".")  # goodbye: the block ended (normally or by an exception we raise)
        watchdog.stdin.close()
        watchdog.wait()
