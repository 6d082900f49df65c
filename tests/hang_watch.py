"""The last guard against a test that hangs in native code.

A test stuck on a lock shared by Qt's threads and the GIL never runs Python again, so pytest-timeout (a
signal handler, or a Python thread) cannot end it, and CI would run until its own limit with nothing to
show. faulthandler's watchdog is a C thread: it writes every thread's Python stack and ends the run."""

from __future__ import annotations

import faulthandler
import os
import sys
from typing import IO

import pytest

MARGIN_S = 120  # beyond pytest-timeout's limit, which ends a hang in Python code more gently
_limit = [0.0]
_out: list[IO[str]] = [sys.__stderr__]


def keep_stderr() -> None:
    """Call while pytest is not capturing (pytest_configure): the stacks must reach the real stderr, not
    a capture file that is lost when the run ends."""
    _out[0] = os.fdopen(os.dup(2), "w")


def arm(item: pytest.Item | None = None) -> None:
    """Watch `item` (its timeout mark or the suite's, plus the margin); without one, the last item's."""
    if item is not None:
        mark = item.get_closest_marker("timeout")
        timeout = mark.args[0] if mark and mark.args else item.config.getini("timeout")
        _limit[0] = float(timeout or 300) + MARGIN_S
    faulthandler.dump_traceback_later(_limit[0], exit=True, file=_out[0])


def disarm() -> None:
    faulthandler.cancel_dump_traceback_later()
