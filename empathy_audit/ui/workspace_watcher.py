"""Notices changes another process made to the workspace (the command line, a second window).

SQLite's `PRAGMA data_version` changes on this connection whenever another connection commits, and
costs one cheap query to read, so polling it once a second shows a call imported from a terminal in
the open window within a second or two without reading any table.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QObject, QTimer, Signal

from empathy_audit.services import WorkspaceServices

POLL_MS = 1000


class OwnWork(Protocol):
    """The window's own background work (a WorkspaceRunner): its commits are announced by the work itself."""

    @property
    def running(self) -> bool: ...

    def took_own_writes(self) -> bool: ...


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
        self.timer = QTimer(self)
        self.timer.setInterval(poll_ms)
        self.timer.timeout.connect(self.check)
        self.timer.start()

    def _read(self) -> int | None:
        return self._services.data_version()

    def stop(self) -> None:
        self.timer.stop()

    def check(self) -> bool:
        """Emit `changed_elsewhere` if another process committed since the last check.

        The window's own jobs commit on connections of their own too (a background read brings the audit
        scores up to date), which moves data_version just the same; they announce what they change. So a
        change seen while such work runs is judged once it is over: put down to that work if it wrote,
        to another process if it did not. (A command-line write in the same second as one of the window's
        own is then seen with the next one.)"""
        version = self._read()
        if version is None:  # the workspace was closed (the window is going away)
            self.stop()
            return False
        if version == self._version:
            return False
        if self._own_work is not None and self._own_work.running:
            return False  # decide when it is over
        self._version = version
        if self._own_work is not None and self._own_work.took_own_writes():
            return False
        self.changed_elsewhere.emit()
        return True
