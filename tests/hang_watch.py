"""The last guard against a test run that hangs in native code.

A test stuck on a lock shared by Qt's threads and the GIL never runs Python again, so pytest-timeout (a
signal handler, or a Python thread) cannot end it, and CI would run until its own limit with nothing to
show. So a small watcher *process* holds a deadline, moved on by every test: when it passes, the watcher
sends SIGABRT, on which faulthandler (C code, no GIL needed) writes every thread's stack to the real
stderr and the run ends red. faulthandler's own timer stays free for tests/loop_gaps.py.

The deadline is the test's pytest-timeout plus MARGIN_S (pytest-timeout ends a hang in Python code more
gently); BETWEEN_S covers collection, the session's end and the interpreter's exit (Qt's teardown)."""

from __future__ import annotations

import faulthandler
import os
import subprocess
import sys
from typing import IO

import pytest

MARGIN_S = 120
BETWEEN_S = 600

# Reads deadlines (seconds from now; 0: none) one per line from its stdin; ends with it (pytest gone).
_WATCHER = r"""
import os, select, signal, sys, time
parent, deadline, pending = int(sys.argv[1]), None, b""
while True:
    wait = None if deadline is None else max(0.0, deadline - time.monotonic())
    if not select.select([0], [], [], wait)[0]:
        os.kill(parent, signal.SIGABRT)
        sys.exit(0)
    chunk = os.read(0, 4096)
    if not chunk:
        sys.exit(0)
    *lines, pending = (pending + chunk).split(b"\n")
    for line in lines:
        seconds = float(line)
        deadline = time.monotonic() + seconds if seconds > 0 else None
"""


class _Watch:
    def __init__(self) -> None:
        self.watcher: subprocess.Popen[bytes] | None = None
        self.err: IO[str] = sys.__stderr__

    def start(self, config: pytest.Config) -> None:
        """From pytest_configure, while pytest is not capturing: fd 2 is still the real stderr there."""
        if config.getoption("usepdb", False) or config.getoption("trace", False):
            return  # a debugging session must not be ended
        self.err = os.fdopen(os.dup(2), "w")
        faulthandler.enable(file=self.err, all_threads=True)
        self.watcher = subprocess.Popen([sys.executable, "-c", _WATCHER, str(os.getpid())], stdin=subprocess.PIPE)
        self.set(BETWEEN_S)

    def set(self, seconds: float) -> None:
        if self.watcher is not None:
            self.watcher.stdin.write(f"{seconds}\n".encode())
            self.watcher.stdin.flush()

    def test(self, item: pytest.Item) -> None:
        """Watch `item` with its pytest-timeout (mark, option, ini or environment) plus MARGIN_S; a timeout
        of 0 means no limit, as for pytest-timeout."""
        try:
            import pytest_timeout

            timeout = pytest_timeout._get_item_settings(item).timeout  # pytest-timeout's own reading
        except (ImportError, AttributeError):  # another version: the suite's setting
            timeout = float(item.config.getini("timeout") or 0)
        self.set(timeout + MARGIN_S if timeout else 0)

    def between(self) -> None:
        self.set(BETWEEN_S)


watch = _Watch()
