"""Import and transcription in the background, one job at a time, with live updates.

Each job opens its own connection to the workspace (SQLite connections stay on one
thread); the window's connection only reads and saves reviews.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from empathy_audit.importing.importer import ImportOptions, ImportReport, import_paths, remove_stale_temp_files
from empathy_audit.store import open_workspace
from empathy_audit.ui import settings as keys
from empathy_audit.ui.job_runner import JobHandle, JobRunner
from empathy_audit.ui.settings import Settings


class BackgroundWork(QObject):
    busy_changed = Signal(bool)
    progressed = Signal(float, str)
    call_progressed = Signal(int, str, object)  # call id, status, fraction or None
    call_transcribed = Signal(int)  # a call's transcription ended (finished, no speech or failed)
    library_changed = Signal()
    import_finished = Signal(object)  # ImportReport
    transcription_finished = Signal(object)  # TranscribeSummary
    failed = Signal(str)

    def __init__(self, workspace_root: Path, runner: JobRunner, settings: Settings) -> None:
        super().__init__()
        self.root = workspace_root
        self.runner = runner
        self.settings = settings
        self.current: JobHandle | None = None
        self._pending_imports: list[list[Path]] = []
        self._transcribe_after = False

    @property
    def busy(self) -> bool:
        return self.current is not None

    # -- starting work --------------------------------------------------------
    def import_files(self, paths: list[Path]) -> None:
        if self.current is not None:
            self._pending_imports.append(paths)
            return
        self._start_import(paths)

    def transcribe_pending(self) -> None:
        if self.current is not None:
            self._transcribe_after = True
            return
        self._start_transcription()

    def cancel(self) -> None:
        self._pending_imports.clear()
        self._transcribe_after = False
        if self.current is not None:
            self.current.cancel()

    # -- jobs ------------------------------------------------------------------
    def _start_import(self, paths: list[Path]) -> None:
        root = self.root
        options = ImportOptions(agent_channel=self.settings.get(keys.AGENT_CHANNEL))

        def job(report, cancel, emit) -> ImportReport:
            with open_workspace(root) as ws:
                remove_stale_temp_files(ws)
                return import_paths(ws, paths, options, report=report, cancel=cancel)

        handle = self._launch("Importing", job)
        handle.signals.finished.connect(self._on_import_finished)

    def _start_transcription(self) -> None:
        # Imported here: the transcription machinery (multiprocessing, numpy decoding) is not needed
        # to show the window.
        from empathy_audit.transcription.engine import DecodeOptions
        from empathy_audit.transcription.runner import TranscribeSettings, pending_call_ids, transcribe_calls

        root = self.root
        settings = TranscribeSettings(
            engine=self.settings.get(keys.ENGINE),
            model=self.settings.get(keys.MODEL) or None,
            options=DecodeOptions(),
        )

        def job(report, cancel, emit) -> object:
            with open_workspace(root) as ws:
                ids = pending_call_ids(ws)
                if not ids:
                    return None
                return transcribe_calls(ws, ids, settings, report=report, cancel=cancel, on_event=emit)

        handle = self._launch("Transcribing", job)
        handle.signals.event_emitted.connect(self._on_transcription_event)
        handle.signals.finished.connect(self._on_transcription_finished)

    def _launch(self, name: str, job: Any) -> JobHandle:
        handle = self.runner.start(name, job)
        self.current = handle
        handle.signals.progressed.connect(self.progressed)
        handle.signals.failed.connect(self._on_failed)
        handle.signals.cancelled.connect(self._on_cancelled)
        self.busy_changed.emit(True)
        return handle

    # -- results -----------------------------------------------------------------
    def _finish_job(self) -> None:
        self.current = None
        self.library_changed.emit()
        if self._pending_imports:
            self._start_import(self._pending_imports.pop(0))
        elif self._transcribe_after:
            self._transcribe_after = False
            self._start_transcription()
        else:
            self.busy_changed.emit(False)

    def _on_import_finished(self, report: ImportReport) -> None:
        if report.imported and self.settings.get(keys.AUTO_TRANSCRIBE):
            self._transcribe_after = True
        self.import_finished.emit(report)
        self._finish_job()

    def _on_transcription_event(self, event: dict) -> None:
        kind = event.get("event")
        if kind == "started":
            self.call_progressed.emit(event["call_id"], "transcribing", 0.0)
        elif kind == "progress":
            self.call_progressed.emit(event["call_id"], "transcribing", event["fraction"])
        elif kind in ("finished", "failed", "cancelled"):
            self.library_changed.emit()
            if kind != "cancelled":
                self.call_transcribed.emit(event["call_id"])

    def _on_transcription_finished(self, summary: object) -> None:
        if summary is not None:
            if getattr(summary, "setup_error", None):
                self.failed.emit(summary.setup_error)  # type: ignore[attr-defined]
            self.transcription_finished.emit(summary)
        self._finish_job()

    def _on_failed(self, message: str) -> None:
        self.failed.emit(message)
        self._finish_job()

    def _on_cancelled(self) -> None:
        self._finish_job()
