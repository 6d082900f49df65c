"""The main window: wires the sections, menus, toolbar and status bar together. Nothing more."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from pathlib import Path

from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QWidget,
)

from empathy_audit import __version__
from empathy_audit.changes import Changes
from empathy_audit.importing.importer import AUDIO_EXTENSIONS, ImportReport
from empathy_audit.scoring.counting import SCORE_RULE
from empathy_audit.scoring.rubric import RubricError
from empathy_audit.services import WorkspaceServices
from empathy_audit.store.keys import KeyProblem
from empathy_audit.ui import settings as keys
from empathy_audit.ui.actions import Actions
from empathy_audit.ui.background_work import BackgroundWork
from empathy_audit.ui.calibration.calibration_section import CalibrationSection
from empathy_audit.ui.clips.clips_section import ClipsSection
from empathy_audit.ui.coaching.coaching_section import CoachingSection
from empathy_audit.ui.dashboard.dashboard_section import DashboardSection
from empathy_audit.ui.dialogs import ImportResultsDialog, RubricEditorDialog, ShortcutsDialog, ask_reviewer_name
from empathy_audit.ui.job_runner import JobHandle, JobRunner
from empathy_audit.ui.library.library_section import LibrarySection
from empathy_audit.ui.review.review_section import ReviewSection
from empathy_audit.ui.settings import Settings
from empathy_audit.ui.wheel_guard import install_wheel_guard
from empathy_audit.ui.workspace_runner import WorkspaceRunner
from empathy_audit.ui.workspace_watcher import WorkspaceWatcher
from empathy_audit.wording import plural

SECTION_NAMES = ["Library", "Review", "Dashboard", "Clips", "Calibration", "Coaching"]


class WorkProgress(QWidget):
    """Status-bar progress for background work, with Cancel."""

    def __init__(self, on_cancel: Callable[[], None]) -> None:
        super().__init__()
        self.label = QLabel()
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.bar.setMaximumWidth(220)
        self.cancel = QPushButton("Cancel")
        self.cancel.clicked.connect(on_cancel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel)
        self.hide()

    def show_progress(self, fraction: float, message: str) -> None:
        self.label.setText(message[:80])
        self.bar.setValue(int(fraction * 1000))


class MainWindow(QMainWindow):
    def __init__(
        self,
        services: WorkspaceServices,
        settings: Settings,
        pool: JobRunner,
        ask_reviewer: Callable[[], str | None] | None = None,
    ) -> None:
        super().__init__()
        self.setWindowTitle("Empathy Audit" + ("  (read-only workspace)" if services.read_only else ""))
        self.services = services
        self.settings = settings
        self.jobs = WorkspaceRunner(services.root, pool, self)  # the one way work runs
        self.work = BackgroundWork(self.jobs, settings)  # imports, then transcription
        self.actions = Actions(self)
        self._show_dialogs = True
        self.last_import: ImportReport | None = None

        self.library = LibrarySection(services, self.jobs)
        self.review = ReviewSection(services, settings, self.jobs, ask_reviewer or (lambda: ask_reviewer_name(self)))
        self.dashboard = DashboardSection(services, self.jobs)
        self.clips = ClipsSection(services, self.jobs)
        self.calibration = CalibrationSection(services, self.jobs, self.review.reviewer)
        self.coaching = CoachingSection(services, self.jobs, self.review.reviewer)  # decisions are made under it
        self.nav = QListWidget()
        self.nav.addItems(SECTION_NAMES)
        self.nav.setFixedWidth(140)
        self.nav.setAccessibleName("Sections")
        self.nav.setObjectName("nav")
        self.nav.setStyleSheet("QListWidget#nav::item { padding: 8px 6px; }")
        self.stack = QStackedWidget()
        for widget in (self.library, self.review, self.dashboard, self.clips, self.calibration, self.coaching):
            self.stack.addWidget(widget)
        self.nav.currentRowChanged.connect(self._on_nav_row_changed)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.progress = WorkProgress(self.work.cancel)
        self.statusBar().addPermanentWidget(self.progress)
        self.statusBar().addPermanentWidget(QLabel(f"Workspace: {services.root}"))
        self.watcher = WorkspaceWatcher(services, self, own_work=self.jobs)
        install_wheel_guard(QApplication.instance())
        self._build_menus()
        self._connect()
        self._restore()
        # What a kill or a full disk left behind last time (temporary copies, recordings no call refers to).
        self.jobs.run("Cleaning up", lambda services, _job: services.calls.clean_interrupted_writes(), visible=False)

    @property
    def show_dialogs(self) -> bool:
        """Modal result dialogs (tests turn them off and read the results instead)."""
        return self._show_dialogs

    @show_dialogs.setter
    def show_dialogs(self, on: bool) -> None:
        self._show_dialogs = on
        self.clips.show_dialogs = on
        self.dashboard.show_dialogs = on
        self.calibration.show_dialogs = on
        self.coaching.show_dialogs = on

    # -- construction -----------------------------------------------------------
    def _build_menus(self) -> None:
        a = self.actions
        file_menu = self.menuBar().addMenu("&File")
        for action in (
            a.import_files,
            a.import_folder,
            a.attach_metadata,
            a.import_outcomes,
            a.transcribe,
            a.cancel_work,
        ):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(a.preferences)
        file_menu.addSeparator()
        file_menu.addAction(a.quit)
        review_menu = self.menuBar().addMenu("&Review")
        for action in (a.next_call, a.submit_next, a.play_pause):
            review_menu.addAction(action)
        review_menu.addSeparator()
        review_menu.addAction(a.edit_rubric)
        review_menu.addAction(a.change_reviewer)
        view_menu = self.menuBar().addMenu("&View")
        for action in a.sections:
            view_menu.addAction(action)
        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addAction(a.shortcuts)
        help_menu.addAction(a.about)
        toolbar = self.addToolBar("Main")
        toolbar.setObjectName("main-toolbar")
        toolbar.setMovable(False)
        for action in (a.import_files, a.import_folder, a.transcribe, a.next_call):
            toolbar.addAction(action)

    def _connect(self) -> None:
        a = self.actions
        a.import_files.triggered.connect(self.choose_files)
        a.import_folder.triggered.connect(self.choose_folder)
        a.transcribe.triggered.connect(self.work.transcribe_pending)
        a.import_outcomes.triggered.connect(self.import_outcomes)
        a.attach_metadata.triggered.connect(lambda: (self.show_section(0), self.library.attach_metadata()))
        a.cancel_work.triggered.connect(self.work.cancel)
        a.quit.triggered.connect(self.close)
        a.next_call.triggered.connect(self.open_next_call)
        a.submit_next.triggered.connect(self._on_submit_next_triggered)
        a.play_pause.triggered.connect(self.review.player.toggle)
        a.edit_rubric.triggered.connect(self.edit_rubric)
        a.change_reviewer.triggered.connect(self.change_reviewer)
        a.preferences.triggered.connect(self.edit_preferences)
        for i, action in enumerate(a.sections):
            action.triggered.connect(lambda _c=False, i=i: self.show_section(i))
        a.shortcuts.triggered.connect(lambda: ShortcutsDialog(self.actions.listing(), self).exec())
        a.about.triggered.connect(self.about)

        self.library.call_activated.connect(self.open_call)
        self.review.transcribe_requested.connect(self.work.transcribe_call)
        self.library.details_changed.connect(self.jobs.announce)
        self.library.transcribe_requested.connect(self.work.transcribe_calls)
        self.library.files_dropped.connect(self.import_paths)
        self.library.import_files_requested.connect(self.choose_files)
        self.library.import_folder_requested.connect(self.choose_folder)
        self.dashboard.call_activated.connect(self.open_call)
        self.dashboard.import_outcomes_requested.connect(self.import_outcomes)
        self.dashboard.status_message.connect(lambda text: self.statusBar().showMessage(text, 15000))
        self.clips.call_open_requested.connect(self._on_clips_call_open_requested)
        self.clips.review_requested.connect(lambda: self.show_section(1))
        self.clips.status_message.connect(lambda text: self.statusBar().showMessage(text, 15000))
        self.calibration.call_open_requested.connect(self._on_calibration_call_open_requested)
        self.calibration.status_message.connect(lambda text: self.statusBar().showMessage(text, 15000))

        # Every section redraws from what changed, wherever the change came from.
        for section in (self.library, self.review, self.dashboard, self.clips, self.calibration, self.coaching):
            self.jobs.workspace_changed.connect(section.on_workspace_changed)
        self.coaching.changed.connect(self.jobs.announce)
        self.coaching.moment_activated.connect(self._on_clips_call_open_requested)
        self.coaching.status_message.connect(lambda text: self.statusBar().showMessage(text, 15000))
        self.jobs.busy_changed.connect(self._on_jobs_busy_changed)
        self.jobs.progressed.connect(self.progress.show_progress)
        self.jobs.failed.connect(lambda name, message: self._warn(f"{name} failed", message))
        self.watcher.changed_elsewhere.connect(self._on_watcher_changed_elsewhere)
        self.work.call_progressed.connect(self.library.model.update_progress)
        self.work.import_finished.connect(self._on_work_import_finished)
        self.work.failed.connect(lambda message: self._warn("Background work failed", message))

    def _restore(self) -> None:
        geometry = self.settings.get(keys.GEOMETRY)
        if geometry.isEmpty():
            self.resize(1280, 800)
        else:
            self.restoreGeometry(geometry)
        state = self.settings.get(keys.WINDOW_STATE)
        if not state.isEmpty():
            self.restoreState(state)
        self.library.columns.restore(self.settings.get(keys.LIBRARY_COLUMNS))
        self.show_section(self.settings.get(keys.SECTION))

    # -- sections ---------------------------------------------------------------
    def show_section(self, index: int) -> None:  # 0 Library, 1 Review, 2 Dashboard, 3 Clips
        index = index if 0 <= index < len(SECTION_NAMES) else 0
        self.nav.setCurrentRow(index)

    def _on_nav_row_changed(self, row: int) -> None:
        if row == 1 and self.review.call is None:
            self.review.queue_when_shown.pending = True  # the queue is read as the section is shown
        self.stack.setCurrentIndex(row)
        self.settings.set(keys.SECTION, row)
        # The keyboard follows the section shown (Ctrl+1…5 or the list): arrows and keys act in it, not in the list.
        if row == 1 and self.review.call is not None:
            self.review.setFocus()
        elif self.nav.hasFocus() or QApplication.focusWidget() is None:
            self.stack.currentWidget().setFocus()
        if row != 3:
            self.clips.stop()
        if row == 2:
            self.dashboard.build_first_time()

    def open_call(self, call_id: int) -> None:
        if self.review.open_call(call_id):
            self.show_section(1)

    def _on_calibration_call_open_requested(self, call_id: int, cset: object) -> None:
        if self.review.open_call(call_id, cset):  # type: ignore[arg-type]
            self.show_section(1)

    def _on_clips_call_open_requested(self, call_id: int, seconds: float) -> None:
        if self.review.open_call(call_id):
            self.show_section(1)
            self.review.player.seek(int(seconds * 1000))

    def open_next_call(self) -> None:
        if self.review.next_call():
            self.show_section(1)
        elif self.review.call is None:
            self.statusBar().showMessage("The review queue is empty: transcribed calls appear here.", 8000)

    def _on_submit_next_triggered(self) -> None:
        if self.stack.currentIndex() == 1:
            self.review.submit_and_next()

    # -- import -----------------------------------------------------------------
    def choose_files(self) -> None:
        patterns = " ".join(f"*{ext}" for ext in sorted(AUDIO_EXTENSIONS))
        files, _ = QFileDialog.getOpenFileNames(self, "Import Calls", "", f"Recordings ({patterns});;All files (*)")
        if files:
            self.import_paths([Path(f) for f in files])

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Import a Folder of Calls")
        if folder:
            self.import_paths([Path(folder)])

    def import_paths(self, paths: list[Path]) -> None:
        self.statusBar().showMessage(f"Importing {plural(len(paths), 'item')}…", 4000)
        self.work.import_files(paths)

    def _on_work_import_finished(self, report: ImportReport) -> None:
        self.last_import = report
        message = f"Imported {plural(len(report.imported), 'call')}"
        if report.duplicates:
            message += f", {len(report.duplicates)} already in the workspace"
        if report.failed:
            message += f", {len(report.failed)} failed"
        self.statusBar().showMessage(message, 10000)
        if (report.failed or report.duplicates) and self.show_dialogs:
            ImportResultsDialog(report, self).exec()

    def _on_watcher_changed_elsewhere(self) -> None:
        """Another process changed the workspace (the command line, a second window): redraw from it."""
        self.jobs.announce(Changes.everything())

    def _on_jobs_busy_changed(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.actions.cancel_work.setEnabled(busy)

    def edit_preferences(self) -> None:
        from empathy_audit.ui.preferences import PreferencesDialog

        PreferencesDialog(self.settings, self, self.services.vocabulary, self.services.read_only).exec()
        self.review.listen.refresh_uncertain()  # the threshold may have changed

    def import_outcomes(self) -> None:
        from empathy_audit.ui.dashboard.outcomes_dialog import OutcomesImportDialog

        dialog = OutcomesImportDialog(self.services.outcomes, self)
        if dialog.exec():
            self.statusBar().showMessage(f"Outcomes imported for {dialog.imported_calls} calls", 10000)
            self.jobs.announce(dialog.changes)

    # -- other actions ----------------------------------------------------------------
    def edit_rubric(self) -> None:
        dialog = RubricEditorDialog(self.services.rubrics.active().source, self)
        if dialog.exec():
            try:
                rubric, changes = self.services.rubrics.save(dialog.text(), "rubric")
            except RubricError as exc:  # validated in the dialog; kept for safety
                self._warn("Rubric not saved", str(exc))
                return
            self.jobs.announce(changes)
            self.statusBar().showMessage(f"Rubric “{rubric.name}” version {rubric.version} is now in use", 8000)

    def change_reviewer(self) -> None:
        name = ask_reviewer_name(self)
        if name:
            self.settings.set(keys.REVIEWER, name)
            self.review.refresh_queue()

    def about(self) -> None:
        try:
            _key, fingerprint = self.services.keys.identity()
            signs = (
                f"<p>This workspace signs its reviews and packs with key <b>{fingerprint}</b>: read it out to "
                "whoever imports your packs, so they can check it.</p>"
            )
        except KeyProblem as exc:
            signs = f"<p>{escape(str(exc))}</p>"
        QMessageBox.about(
            self,
            "About Empathy Audit",
            f"<b>Empathy Audit {__version__}</b><p>Local-first empathy audits for contact-centre "
            f"calls.</p><p>{SCORE_RULE}</p>{signs}<p>Workspace: {escape(str(self.services.root))}</p>",
        )

    def warm_up(self) -> JobHandle:
        """Load what work will need in the background, then freeze it out of the garbage collector (heap.py):
        the window's stalls while work runs stay short. The app calls it once the window is up."""
        from empathy_audit.ui import heap

        return self.jobs.run("Warming up", lambda _services, _job: heap.warm_up(), lambda _missing: heap.settle(),
                      visible=False)  # fmt: skip

    def _warn(self, title: str, message: str) -> None:
        self.statusBar().showMessage(f"{title}: {message}", 15000)
        if self.show_dialogs:
            QMessageBox.warning(self, title, message)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.watcher.stop()
        self.review.active_time.flush()
        self.settings.set(keys.GEOMETRY, self.saveGeometry())
        self.settings.set(keys.WINDOW_STATE, self.saveState())
        self.settings.set(keys.LIBRARY_COLUMNS, self.library.columns.state())
        self.settings.set(keys.VOLUME, self.review.player.volume.value())
        self.settings.set(keys.RATE, self.review.player.speed.currentData())
        self.settings.sync()
        self.review.player.shutdown()
        self.clips.shutdown()
        self.work.cancel()
        self.jobs.cancel_all()
        self.jobs.wait(10000)
        super().closeEvent(event)
