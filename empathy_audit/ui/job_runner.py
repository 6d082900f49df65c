"""The one bridge between Qt and background work.

A job is a plain core function `fn(report, cancel, emit)`; it runs on an app-owned
QThreadPool and talks back through signals. Progress is throttled to ~10 updates a second.
Widget tests use this same runner and wait for its signals.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from empathy_audit.jobs import Cancelled, CancelToken

JobFn = Callable[[Callable[[float, str], None], CancelToken, Callable[[Any], None]], Any]


class JobSignals(QObject):
    progressed = Signal(float, str)
    event_emitted = Signal(object)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()


class JobHandle:
    """What a caller keeps: the signals, and a way to cancel."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.signals = JobSignals()
        self.cancel_token = CancelToken()
        self.done = False

    def cancel(self) -> None:
        self.cancel_token.cancel()


def _execute(handle: JobHandle, fn: JobFn) -> None:
    last = 0.0

    def report(fraction: float, message: str) -> None:
        nonlocal last
        now = time.monotonic()
        if now - last >= 0.1 or fraction >= 1.0:
            last = now
            handle.signals.progressed.emit(fraction, message)

    try:
        result = fn(report, handle.cancel_token, handle.signals.event_emitted.emit)
    except Cancelled:
        handle.done = True
        handle.signals.cancelled.emit()
    except Exception as exc:  # shown to the user; the traceback goes to stderr for reports
        traceback.print_exc()
        handle.done = True
        handle.signals.failed.emit(str(exc) or type(exc).__name__)
    else:
        handle.done = True
        if handle.cancel_token.cancelled:
            handle.signals.cancelled.emit()
        else:
            handle.signals.finished.emit(result)


class _Runnable(QRunnable):
    def __init__(self, handle: JobHandle, fn: JobFn) -> None:
        super().__init__()
        self.handle, self.fn = handle, fn

    def run(self) -> None:
        _execute(self.handle, self.fn)


class JobRunner:
    """Runs jobs on a QThreadPool owned by the app."""

    def __init__(self, max_threads: int = 2) -> None:
        self.pool = QThreadPool()
        self.pool.setMaxThreadCount(max_threads)

    def start(self, name: str, fn: JobFn) -> JobHandle:
        handle = JobHandle(name)
        self.pool.start(_Runnable(handle, fn))
        return handle

    def wait(self, msecs: int = 30000) -> bool:
        return self.pool.waitForDone(msecs)
