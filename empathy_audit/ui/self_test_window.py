"""The self-test's window step: the main window, offscreen, on the self-test workspace — proving Qt, its
platform plugin and QtMultimedia load in this installation."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from empathy_audit.services import WorkspaceServices


def open_window_offscreen(services: WorkspaceServices, call_id: int, timeout_s: float = 15.0) -> str:
    from empathy_audit.ui import settings as keys
    from empathy_audit.ui.job_runner import JobRunner
    from empathy_audit.ui.main_window import MainWindow
    from empathy_audit.ui.settings import Settings

    app = QApplication.instance() or QApplication(["empathy-audit-self-test"])
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat))
        settings.set(keys.REVIEWER, "Self-test")
        settings.set(keys.AUTO_TRANSCRIBE, False)
        pool = JobRunner(max_threads=1)
        window = MainWindow(services, settings, pool, ask_reviewer=lambda: "Self-test")
        window.show_dialogs = False
        window.show()
        try:
            if not window.review.open_call(call_id):
                raise RuntimeError("the Review section could not open the sample call")
            deadline = time.monotonic() + timeout_s
            while window.review.player.player.duration() <= 0:
                app.processEvents()
                if time.monotonic() > deadline:
                    raise RuntimeError(f"QtMultimedia did not load the recording within {timeout_s:.0f} s")
                time.sleep(0.02)
            turns = window.review.transcript.transcript.rowCount()
            duration = window.review.player.player.duration()
            detail = f"{app.platformName()} platform, {turns} turns shown, player {duration} ms"
        finally:
            window.close()
            pool.wait(5000)
            window.deleteLater()
            app.processEvents()
    return detail
