"""Notices changes another process made to the workspace (the command line, a second window).

SQLite's `PRAGMA data_version` changes on this connection whenever another connection commits, and
costs one cheap query to read, so polling it once a second shows a call imported from a terminal in
the open window within a second or two without reading any table.
"""

from __future__ import annotations

import sqlite3

import sqlite_utils
from PySide6.QtCore import QObject, QTimer, Signal

POLL_MS = 1000


class WorkspaceWatcher(QObject):
    changed_elsewhere = Signal()

    def __init__(self, db: sqlite_utils.Database, parent: QObject | None = None, poll_ms: int = POLL_MS) -> None:
        super().__init__(parent)
        self._db = db
        self._version = self._read()
        self.paused = False  # while the window's own background work writes (it reports its own changes)
        self.timer = QTimer(self)
        self.timer.setInterval(poll_ms)
        self.timer.timeout.connect(self.check)
        self.timer.start()

    def _read(self) -> int:
        return int(self._db.execute("PRAGMA data_version").fetchone()[0])

    def stop(self) -> None:
        self.timer.stop()

    def check(self) -> bool:
        """Emit `changed_elsewhere` if another connection committed since the last check."""
        try:
            version = self._read()
        except sqlite3.Error:  # the workspace was closed (the window is going away)
            self.stop()
            return False
        if version == self._version:
            return False
        self._version = version
        if not self.paused:
            self.changed_elsewhere.emit()
        return not self.paused
