"""The one bridge between Qt and background work.

A job is a plain core function `fn(report, cancel, emit)`; it runs on an app-owned
QThreadPool and talks back through signals (one long-lived object; each signal carries the
job's id). Progress is throttled to ~10 updates a second.
Widget tests use this same runner and wait for its signals.
"""

from __future__ import annotations

import itertools
import sys
import time
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from empathy_audit.jobs import Cancelled, CancelToken

JobFn = Callable[[Callable[[float, str], None], CancelToken, Callable[[Any], None]], Any]


class JobSignals(QObject):
    """One object for every job's signals, each carrying the job's id.

    A QObject per job was created on the GUI thread but could be destroyed on a worker thread (the pool
    drops the finished runnable there) or before its last queued signal was delivered: now and then a
    job's result never arrived, or the app crashed in QObject's destructor. This one is made once, on
    the GUI thread, and lives as long as the app."""

    progressed = Signal(int, float, str)
    event_emitted = Signal(int, object)
    finished = Signal(int, object)
    failed = Signal(int, str)
    cancelled = Signal(int)


_signals: JobSignals | None = None


def job_signals() -> JobSignals:
    """The app's job signals (made on first use, which is on the GUI thread: JobRunner is made there)."""
    global _signals
    if _signals is None:
        _signals = JobSignals()
    return _signals


_ids = itertools.count(1)


class JobHandle:
    """What a caller keeps: the job's id (in every signal about it), and a way to cancel."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.id = next(_ids)
        self.cancel_token = CancelToken()
        self.done = False

    def cancel(self) -> None:
        self.cancel_token.cancel()


def _log_failure(exc: Exception) -> None:
    """The app's own error types say what went wrong and what to do (a file that cannot be decoded): one line.
    Anything else is a bug somewhere, and so is an own error caused by another (a native library that did
    not load): their traceback goes to stderr for the report."""
    caused = exc.__cause__ is not None or (exc.__context__ is not None and not exc.__suppress_context__)
    if type(exc).__module__.startswith("empathy_audit.") and not caused:
        print(f"{type(exc).__name__}: {exc}", file=sys.stderr)
    else:
        traceback.print_exc()


def _execute(handle: JobHandle, fn: JobFn, signals: JobSignals) -> None:
    last = 0.0
    job = handle.id

    def report(fraction: float, message: str) -> None:
        nonlocal last
        now = time.monotonic()
        if now - last >= 0.1 or fraction >= 1.0:
            last = now
            signals.progressed.emit(job, fraction, message)

    try:
        result = fn(report, handle.cancel_token, lambda event: signals.event_emitted.emit(job, event))
    except Cancelled:
        handle.done = True
        signals.cancelled.emit(job)
    except Exception as exc:  # shown to the user
        _log_failure(exc)
        handle.done = True
        signals.failed.emit(job, str(exc) or type(exc).__name__)
    else:
        handle.done = True
        if handle.cancel_token.cancelled:
            signals.cancelled.emit(job)
        else:
            signals.finished.emit(job, result)


class _Runnable(QRunnable):
    def __init__(self, handle: JobHandle, fn: JobFn, signals: JobSignals) -> None:
        super().__init__()
        self.handle, self.fn, self.signals = handle, fn, signals

    def run(self) -> None:
        _execute(self.handle, self.fn, self.signals)


class JobRunner:
    """Runs jobs on a QThreadPool owned by the app; what they say arrives on `signals`, by job id."""

    def __init__(self, max_threads: int = 2) -> None:
        self.pool = QThreadPool()
        self.pool.setMaxThreadCount(max_threads)
        self.signals = job_signals()

    def start(self, name: str, fn: JobFn) -> JobHandle:
        handle = JobHandle(name)
        self.pool.start(_Runnable(handle, fn, self.signals))
        return handle

    def wait(self, msecs: int = 30000) -> bool:
        return self.pool.waitForDone(msecs)
