"""The one way the app runs work on the workspace.

An operation is a plain function `op(services, job)` on the workspace's services, where `job` carries the
report callback, the cancel token and an event callback. It runs on the app's thread pool with its own
connection (`open_services` in the worker thread), reports to the status bar, can be cancelled, and on
success the Changes it names are emitted once as `workspace_changed(Changes)`, which sections subscribe
to. Changes made on the GUI thread (a score, a clip) are announced the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from empathy_audit.changes import Changes, changes_of
from empathy_audit.jobs import CancelToken, Report
from empathy_audit.services import WorkspaceServices, open_services
from empathy_audit.ui.job_runner import JobHandle, JobRunner


@dataclass(frozen=True)
class JobControl:
    """What an operation gets besides the services: progress, cancel, and events for the screen."""

    report: Report
    cancel: CancelToken
    emit: Callable[[Any], None]


Op = Callable[[WorkspaceServices, JobControl], Any]


class _Watch:
    """One running job: what to call when it reports, and whether it wrote to the workspace."""

    def __init__(
        self,
        runner: WorkspaceRunner,
        handle: JobHandle,
        on_done: Callable[[Any], None] | None,
        on_failed: Callable[[str], None] | None,
        on_event: Callable[[Any], None] | None,
        on_cancelled: Callable[[], None] | None,
        visible: bool,
        wrote: list[bool],
    ) -> None:
        self.runner, self.handle, self.visible, self.wrote = runner, handle, visible, wrote
        self.on_done, self.on_failed, self.on_event, self.on_cancelled = on_done, on_failed, on_event, on_cancelled

    def event(self, event: Any) -> None:
        if self.on_event is not None:
            self.on_event(event)

    def finished(self, result: Any) -> None:
        self.runner._ended(self)
        changes = changes_of(result)
        if changes:
            self.runner.workspace_changed.emit(changes)
        if self.on_done is not None:
            self.on_done(result)

    def failed(self, message: str) -> None:
        self.runner._ended(self)
        if self.on_failed is not None:
            self.on_failed(message)
        else:
            self.runner.failed.emit(self.handle.name, message)

    def cancelled(self) -> None:
        self.runner._ended(self)
        self.runner.cancelled.emit(self.handle.name)
        if self.visible:  # what finished before the cancel (calls imported so far) is in the workspace
            self.runner.workspace_changed.emit(Changes.everything())
        if self.on_cancelled is not None:
            self.on_cancelled()


class WorkspaceRunner(QObject):
    workspace_changed = Signal(object)  # Changes
    busy_changed = Signal(bool)  # visible work started (True) or all of it ended (False)
    progressed = Signal(float, str)
    failed = Signal(str, str)  # job name, message (jobs without their own failure handler)
    cancelled = Signal(str)  # job name
    own_writes_ended = Signal()  # a job that wrote to the workspace ended (the watcher: that was us)

    def __init__(self, root: Path, pool: JobRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.root = root
        self.pool = pool
        self._running: dict[int, _Watch] = {}  # by job id
        # Bound methods of this QObject (never lambdas), so Qt queues them onto the GUI thread.
        signals = pool.signals
        signals.progressed.connect(self._on_progressed)
        signals.event_emitted.connect(self._on_event)
        signals.finished.connect(self._on_finished)
        signals.failed.connect(self._on_failed)
        signals.cancelled.connect(self._on_cancelled)

    def _on_progressed(self, job: int, fraction: float, message: str) -> None:
        watch = self._running.get(job)
        if watch is not None and watch.visible:
            self.progressed.emit(fraction, message)

    def _on_event(self, job: int, event: object) -> None:
        if (watch := self._running.get(job)) is not None:
            watch.event(event)

    def _on_finished(self, job: int, result: object) -> None:
        if (watch := self._running.get(job)) is not None:
            watch.finished(result)

    def _on_failed(self, job: int, message: str) -> None:
        if (watch := self._running.get(job)) is not None:
            watch.failed(message)

    def _on_cancelled(self, job: int) -> None:
        if (watch := self._running.get(job)) is not None:
            watch.cancelled()

    @property
    def busy(self) -> bool:
        return any(w.visible for w in self._running.values())

    @property
    def running(self) -> bool:
        """Any of the window's own work runs, shown in the status bar or not."""
        return bool(self._running)

    def run(
        self,
        name: str,
        op: Op,
        on_done: Callable[[Any], None] | None = None,
        *,
        on_failed: Callable[[str], None] | None = None,
        on_event: Callable[[Any], None] | None = None,
        on_cancelled: Callable[[], None] | None = None,
        visible: bool = True,
    ) -> JobHandle:
        """Run `op` in the background on its own connection. `visible`: shown in the status bar with Cancel."""
        root = self.root
        wrote = [False]  # set on the worker thread before the job's last signal, read on the GUI thread after

        def job(report: Report, cancel: CancelToken, emit: Callable[[Any], None]) -> Any:
            with open_services(root) as services:
                before = services.rows_written()
                try:
                    return op(services, JobControl(report, cancel, emit))
                finally:
                    wrote[0] = services.rows_written() != before

        was_busy = self.busy
        handle = self.pool.start(name, job)
        # Its signals are queued to this thread, so none is handled before this line.
        self._running[handle.id] = _Watch(self, handle, on_done, on_failed, on_event, on_cancelled, visible, wrote)
        if visible and not was_busy:
            self.busy_changed.emit(True)
        return handle

    def announce(self, changes: Changes) -> None:
        """Changes made on the GUI thread (or by another process): every section redraws what it shows."""
        if changes:
            self.workspace_changed.emit(changes)

    def cancel(self) -> None:
        """Cancel the visible work (the status bar's Cancel)."""
        for watch in self._running.values():
            if watch.visible:
                watch.handle.cancel()

    def cancel_all(self) -> None:
        for watch in list(self._running.values()):
            watch.handle.cancel()

    def wait(self, msecs: int = 30000) -> bool:
        return self.pool.wait(msecs)

    def _ended(self, watch: _Watch) -> None:
        was_busy = self.busy
        self._running.pop(watch.handle.id, None)
        if watch.wrote[0]:
            self.own_writes_ended.emit()
        if was_busy and not self.busy:
            self.busy_changed.emit(False)
