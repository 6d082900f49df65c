"""Notices changes another process made to the workspace (the command line, a second window).

SQLite's `PRAGMA data_version` changes on this connection whenever another connection commits, and
costs one cheap query to read, so polling it once a second shows a call imported from a terminal in
the open window within a second or two without reading any table.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from empathy_audit.services import WorkspaceServices

POLL_MS = 1000


class WorkspaceWatcher(QObject):
    changed_elsewhere = Signal()

    def __init__(self, services: WorkspaceServices, parent: QObject | None = None, poll_ms: int = POLL_MS) -> None:
        super().__init__(parent)
        self._services = services
        self._version = self._read()
        self.paused = False  # while the window's own background work writes (it reports its own changes)
        self.timer = QTimer(self)
        self.timer.setInterval(poll_ms)
        self.timer.timeout.connect(self.check)
        self.timer.start()

    def _read(self) -> int | None:
        return self._services.data_version()

    def stop(self) -> None:
        self.timer.stop()

    def check(self) -> bool:
        """Emit `changed_elsewhere` if another connection committed since the last check."""
        version = self._read()
        if version is None:  # the workspace was closed (the window is going away)
            self.stop()
            return False
        if version == self._version:
            return False
        self._version = version
        if not self.paused:
            self.changed_elsewhere.emit()
        return not self.paused
