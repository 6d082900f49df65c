"""Measure how long the Qt event loop goes without turning: a 5 ms timer's gaps while work runs."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication


def wait_until(app: QApplication, done: Callable[[], bool], timeout: float) -> bool:
    end = time.monotonic() + timeout
    while not done() and time.monotonic() < end:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
        time.sleep(0.002)
    return done()


def gaps_while(app: QApplication, start: Callable[[], None], finished: Callable[[], bool],
               timeout: float = 300) -> list[float]:  # fmt: skip
    """Seconds between the ticks of a 5 ms timer from `start()` until `finished()`."""
    gaps, last = [], [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer(interval=5)
    timer.timeout.connect(tick)
    timer.start()
    last[0] = time.perf_counter()
    start()
    wait_until(app, finished, timeout)
    timer.stop()
    return gaps
