"""Notices changes another process made to the workspace (the command line, a second window).

SQLite's `PRAGMA data_version` changes on this connection whenever another connection commits, and
costs one cheap query to read, so polling it once a second shows a call imported from a terminal in
the open window within a second or two without reading any table.
"""

from __future__ import annotations

import time
from typing import Protocol

from PySide6.QtCore import QObject, QTimer, Signal, SignalInstance

from empathy_audit.services import WorkspaceServices

POLL_MS = 1000
MAX_WAIT_S = 5.0  # a change is never held back longer than this for the window's own work to end


class OwnWork(Protocol):
    """The window's own background work (a WorkspaceRunner): it announces what it changes."""

    own_writes_ended: SignalInstance  # a job of the window's that wrote ended

    @property
    def busy(self) -> bool: ...  # work shown in the status bar (an import, transcription) runs

    @property
    def running(self) -> bool: ...  # any of it runs, shown or not


class WorkspaceWatcher(QObject):
    changed_elsewhere = Signal()

    def __init__(
        self,
        services: WorkspaceServices,
        parent: QObject | None = None,
        poll_ms: int = POLL_MS,
        own_work: OwnWork | None = None,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._own_work = own_work
        self._version = self._read()
        self._waiting_since: float | None = None  # a change seen while the window's own work ran
        self.timer = QTimer(self)
        self.timer.setInterval(poll_ms)
        self.timer.timeout.connect(self.check)
        self.timer.start()
        if own_work is not None:
            own_work.own_writes_ended.connect(self.absorb)

    def absorb(self) -> None:
        """The window's own job wrote and ended: what the version shows now was its doing (it announced it)."""
        version = self._read()
        if version is not None:
            self._version, self._waiting_since = version, None

    def _read(self) -> int | None:
        return self._services.data_version()

    def stop(self) -> None:
        self.timer.stop()

    def check(self) -> bool:
        """Emit `changed_elsewhere` if another process committed since the last check.

        The window's own jobs commit on connections of their own too (a background read brings the audit
        scores up to date), which moves data_version just the same, and they announce what they change. So
        a change seen while a short job runs waits for it to end (at most MAX_WAIT_S): a job that wrote
        absorbs the version when it ends (`absorb`); if it wrote nothing, the change came from elsewhere.
        While shown work runs (an import, transcription), changes are that work's. A command-line write
        landing in the same moment as one of the window's own is seen with the next change."""
        version = self._read()
        if version is None:  # the workspace was closed (the window is going away)
            self.stop()
            return False
        if version == self._version:
            return False
        own = self._own_work
        if own is not None and own.busy:  # an import or transcription writes all along and says what it wrote
            self._version, self._waiting_since = version, None
            return False
        if own is not None and own.running:  # a short background job: decide when it is over
            now = time.monotonic()
            self._waiting_since = self._waiting_since or now
            if now - self._waiting_since < MAX_WAIT_S:
                return False
        self._version, self._waiting_since = version, None
        self.changed_elsewhere.emit()
        return True
