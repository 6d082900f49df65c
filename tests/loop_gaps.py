"""Measure how long the Qt event loop goes without turning: a 5 ms timer's gaps while work runs."""

from __future__ import annotations

import faulthandler
import time
from collections.abc import Callable
from typing import IO

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

REARM_S = 0.02


def wait_until(app: QApplication, done: Callable[[], bool], timeout: float) -> bool:
    end = time.monotonic() + timeout
    while not done() and time.monotonic() < end:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
        time.sleep(0.002)
    return done()


def gaps_while(app: QApplication, start: Callable[[], None], finished: Callable[[], bool],
               timeout: float = 300, stalls: IO[str] | None = None, stall_s: float = 0.06) -> list[float]:  # fmt: skip
    """Seconds between the ticks of a 5 ms timer from `start()` until `finished()`.

    With `stalls` (a real file), every thread's stack is written there whenever the loop has not turned for
    `stall_s` - REARM_S or longer: faulthandler's watchdog is a C thread, so it sees what held the GUI thread
    (or the GIL) even while no Python code can run."""
    gaps, last, armed = [], [time.perf_counter()], [0.0]
    watch = stalls is not None

    def arm(now: float) -> None:
        # Each arming starts a new watchdog thread (and joins the last): at most every REARM_S, not every
        # tick, so the watch costs the loop it measures next to nothing. A stall is then caught from
        # stall_s - REARM_S on.
        if watch and now - armed[0] >= REARM_S:
            armed[0] = now
            faulthandler.dump_traceback_later(stall_s, file=stalls)

    def tick() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now
        arm(now)

    timer = QTimer(interval=5)
    timer.timeout.connect(tick)
    timer.start()
    last[0] = time.perf_counter()
    arm(last[0])
    try:
        start()
        wait_until(app, finished, timeout)
    finally:
        timer.stop()
        if watch:
            faulthandler.cancel_dump_traceback_later()
    return gaps
