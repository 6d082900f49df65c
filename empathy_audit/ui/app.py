"""The composition root: open the workspace, read settings, build services, show the window."""

from __future__ import annotations

import os
import sys
import time

_STARTED = time.perf_counter()
WARM_UP_AFTER_MS = 300  # the window's first paint and layout come first


def run_app(data_dir: str | None = None) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication, QMessageBox

    from empathy_audit import __version__
    from empathy_audit.paths import resource_path
    from empathy_audit.services import open_services
    from empathy_audit.store.database import WorkspaceTooNew
    from empathy_audit.ui import settings as keys
    from empathy_audit.ui.job_runner import JobRunner
    from empathy_audit.ui.main_window import MainWindow
    from empathy_audit.ui.settings import Settings

    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Empathy Audit")
    app.setOrganizationName("EmpathyAudit")
    app.setWindowIcon(QIcon(str(resource_path("icons", "empathy-audit.png"))))
    app.setDesktopFileName("empathy-audit")  # Wayland/X11 match the window to the .desktop entry
    app.setApplicationVersion(__version__)
    try:
        services = open_services(data_dir)
    except (OSError, WorkspaceTooNew) as exc:
        QMessageBox.critical(None, "Cannot open the workspace", str(exc))
        return 1
    settings = Settings()
    window = MainWindow(services, settings, JobRunner(max_threads=2))
    window.show()
    if os.environ.get("EMPATHY_AUDIT_STARTUP_PROBE"):
        # benchmarks/startup_time.py: report when the window is up, then leave.
        def probe() -> None:
            heavy = [m for m in ("faster_whisper", "ctranslate2", "torch", "whisper") if m in sys.modules]
            print(f"window-shown-after {time.perf_counter() - _STARTED:.3f} heavy-modules {heavy}", flush=True)
            app.quit()

        QTimer.singleShot(0, probe)
    else:
        QTimer.singleShot(WARM_UP_AFTER_MS, window.warm_up)
        if settings.get(keys.AUTO_TRANSCRIBE):
            # Calls left pending or interrupted by a crash or a kill resume by themselves (the job
            # finds them, and does nothing when there are none).
            QTimer.singleShot(500, window.work.transcribe_pending)
    code = app.exec()
    services.close()
    return int(code)
