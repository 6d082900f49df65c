"""Import and transcription in the background, one after the other, with live per-call updates.

Imports queue behind each other; a finished import starts transcription when auto-transcribe is on.
Both run through the window's WorkspaceRunner, so they report to the status bar, can be cancelled,
and announce what they changed.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal

from empathy_audit.changes import Area, Changes
from empathy_audit.importing.importer import ImportOptions, ImportReport
from empathy_audit.services import WorkspaceServices
from empathy_audit.ui import settings as keys
from empathy_audit.ui.settings import Settings
from empathy_audit.ui.workspace_runner import JobControl, WorkspaceRunner


class BackgroundWork(QObject):
    busy_changed = Signal(bool)  # the window's visible work (any job in the status bar) started or ended
    call_progressed = Signal(int, str, object)  # call id, status, fraction or None
    call_transcribed = Signal(int)  # a call's transcription ended (finished, no speech or failed)
    import_finished = Signal(object)  # ImportReport
    transcription_finished = Signal(object)  # TranscribeSummary
    failed = Signal(str)

    def __init__(self, work: WorkspaceRunner, settings: Settings) -> None:
        super().__init__(work)
        self.work = work
        self.settings = settings
        self._importing = self._transcribing = False
        self._pending_imports: list[list[Path]] = []
        self._transcribe_after = False
        self._first: list[int] = []  # calls a reviewer asked for: transcribed before the rest
        work.busy_changed.connect(self.busy_changed)

    @property
    def busy(self) -> bool:
        return self._importing or self._transcribing

    # -- starting work --------------------------------------------------------
    def import_files(self, paths: list[Path]) -> None:
        if self.busy:
            self._pending_imports.append(paths)
            return
        self._start_import(paths)

    def transcribe_pending(self) -> None:
        if self.busy:
            self._transcribe_after = True
            return
        self._start_transcription()

    def transcribe_call(self, call_id: int) -> None:
        """One call, now (the reviewer is waiting for it); after the current job if one is running."""
        if self.busy:
            self._first.append(call_id)
            self._transcribe_after = True
            return
        self._start_transcription([call_id])

    def transcribe_calls(self, call_ids: list[int]) -> None:
        """Calls again (their layout changed), after the current job if one is running."""
        for call_id in call_ids:
            self.transcribe_call(call_id)

    def cancel(self) -> None:
        self._pending_imports.clear()
        self._transcribe_after = False
        self.work.cancel()

    # -- jobs ------------------------------------------------------------------
    def _start_import(self, paths: list[Path]) -> None:
        options = ImportOptions(agent_channel=self.settings.get(keys.AGENT_CHANNEL))

        def op(services: WorkspaceServices, job: JobControl) -> ImportReport:
            return services.calls.import_paths(paths, options, report=job.report, cancel=job.cancel)

        self._importing = True
        self.work.run("Importing", op, self._on_import_finished, on_failed=self._on_failed, on_cancelled=self._next)

    def _start_transcription(self, only: list[int] | None = None) -> None:
        # Imported here: the transcription machinery (multiprocessing, numpy decoding) is not needed
        # to show the window.
        from empathy_audit.transcription.engine import DecodeOptions
        from empathy_audit.transcription.runner import TranscribeSettings

        settings = TranscribeSettings(
            engine=self.settings.get(keys.ENGINE), model=self.settings.get(keys.MODEL) or None, options=DecodeOptions()
        )

        first, self._first = self._first, []

        def op(services: WorkspaceServices, job: JobControl) -> object:
            pending = services.calls.pending_transcription()
            ids = list(only) if only is not None else [*first, *(i for i in pending if i not in first)]
            if not ids:
                return None
            return services.calls.transcribe(ids, settings, report=job.report, cancel=job.cancel, on_event=job.emit)

        self._transcribing = True
        self.work.run(
            "Transcribing",
            op,
            self._on_transcription_finished,
            on_failed=self._on_failed,
            on_event=self._on_transcription_event,
            on_cancelled=self._next,
        )

    # -- results -----------------------------------------------------------------
    def _next(self) -> None:
        self._importing = self._transcribing = False
        if self._pending_imports:
            self._start_import(self._pending_imports.pop(0))
        elif self._transcribe_after:
            self._transcribe_after = False
            self._start_transcription()

    def _on_import_finished(self, report: ImportReport) -> None:
        if report.imported and self.settings.get(keys.AUTO_TRANSCRIBE):
            self._transcribe_after = True
        self.import_finished.emit(report)
        self._next()

    def _on_transcription_event(self, event: object) -> None:
        kind, call_id = getattr(event, "kind", ""), getattr(event, "call_id", None)
        if call_id is None:
            return
        if kind == "started":
            self.call_progressed.emit(call_id, "transcribing", 0.0)
        elif kind == "progress":
            self.call_progressed.emit(call_id, "transcribing", getattr(event, "fraction", None))
        elif kind in ("finished", "failed", "cancelled"):
            # Each call shows up as soon as it is done, not when the whole batch is.
            self.work.announce(Changes.of(Area.CALLS, Area.TRANSCRIPTS, calls=[call_id]))
            if kind != "cancelled":
                self.call_transcribed.emit(call_id)

    def _on_transcription_finished(self, summary: object) -> None:
        if summary is not None:
            if getattr(summary, "setup_error", None):
                self.failed.emit(summary.setup_error)  # type: ignore[attr-defined]
            self.transcription_finished.emit(summary)
        self._next()

    def _on_failed(self, message: str) -> None:
        self.failed.emit(message)
        self._next()
