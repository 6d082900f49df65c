"""The Calibration section: sets, who has scored what, agreement, where reviewers disagree most (with their
evidence side by side), drift across sessions, and packs in and out. Blindness comes from the core."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from empathy_audit.changes import Area, Changes
from empathy_audit.packs.authorship import Claim, UntrustedKeys
from empathy_audit.packs.format import SUFFIX, PackProblem
from empathy_audit.services import WorkspaceServices
from empathy_audit.store.calibration import CalibrationProblem, CalibrationSet, SetCall
from empathy_audit.ui.calibration.agreement_pages import AgreementPage, DisagreementPage, table_view
from empathy_audit.ui.calibration.new_set_dialog import NewSetDialog
from empathy_audit.ui.calibration.trust_dialog import ask_to_trust
from empathy_audit.ui.empty_state import EmptyState
from empathy_audit.ui.rows_model import rows_model
from empathy_audit.ui.when_shown import WhenShown
from empathy_audit.ui.workspace_runner import JobControl, WorkspaceRunner
from empathy_audit.wording import plural

if TYPE_CHECKING:  # numpy loads with the first report
    from empathy_audit.calibration.report import CalibrationReport

PACK_FILTER = f"Empathy Audit packs (*{SUFFIX});;All files (*)"
STATE_MARK = {"submitted": "✓ submitted", "draft": "draft"}


class CalibrationSection(QWidget):
    call_open_requested = Signal(int, object)  # call id, CalibrationSet
    status_message = Signal(str)
    packs_imported = Signal(object)  # list of PackImport | PackProblem

    def __init__(
        self,
        services: WorkspaceServices,
        work: WorkspaceRunner,
        reviewer: Callable[[], str | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.work = work
        self.when_shown = WhenShown(self, self.refresh, pending=True)  # filled when first shown
        self.reviewer = reviewer
        self.show_dialogs = True
        self.run_dialog: Callable[[Any], int] = lambda dialog: dialog.exec()  # tests fill dialogs in
        # Asks whether to trust the new keys packs are signed with (tests answer for the user).
        self.confirm_trust: Callable[[list[Claim]], bool] = lambda claims: ask_to_trust(self, claims)
        self.choose_open_files: Callable[[], list[str]] = lambda: QFileDialog.getOpenFileNames(
            self, "Import Packs", "", PACK_FILTER
        )[0]
        self.choose_save_file: Callable[[str], str] = lambda suggested: QFileDialog.getSaveFileName(
            self, "Save Pack", suggested, PACK_FILTER
        )[0]
        self.report: CalibrationReport | None = None
        self.all_sets: list[CalibrationSet] = []
        self._calls: list[SetCall] = []  # the shown set's calls, in the Progress table's order
        self._drift_canvas: Any = None
        self._build()

    # -- layout -------------------------------------------------------------------------
    def _build(self) -> None:
        self.sets = QListWidget()
        self.sets.currentRowChanged.connect(lambda _row: self.show_set())
        new_button = QPushButton("New Set…")
        new_button.clicked.connect(self.new_set)
        import_button = QPushButton("Import Packs…")
        import_button.setToolTip("Calibration packs from a lead, or review packs from your team")
        import_button.clicked.connect(self.import_packs)
        self.export_button = QToolButton()
        self.export_button.setText("Export Pack")
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.export_button)
        self.export_calibration_action = menu.addAction("Calibration Pack of This Set…", self.export_calibration)
        menu.addAction("My Reviews as a Review Pack…", self.export_my_reviews)
        menu.addSeparator()
        self.redact_action = menu.addAction("Hide Personal Data in Transcripts")
        self.redact_action.setCheckable(True)
        self.redact_action.setToolTip(
            "For packs sent outside the team: names, numbers, e-mails and answers to personal-data questions "
            "become [redacted] in the transcripts (recordings are not changed)"
        )
        self.export_button.setMenu(menu)
        left = QWidget()
        left.setMaximumWidth(280)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(QLabel("Calibration sets"))
        left_layout.addWidget(self.sets, 1)
        for button in (new_button, import_button, self.export_button):
            left_layout.addWidget(button)

        self.title = QLabel()
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.title.setFont(font)
        self.subtitle = QLabel()
        self.subtitle.setWordWrap(True)
        self.score_button = QPushButton("Score This Set")
        self.score_button.setToolTip("Open the next call of this set you have not submitted, in Review")
        self.score_button.clicked.connect(self.score_set)
        header = QHBoxLayout()
        text = QVBoxLayout()
        text.addWidget(self.title)
        text.addWidget(self.subtitle)
        header.addLayout(text, 1)
        header.addWidget(self.score_button, 0, Qt.AlignmentFlag.AlignTop)

        self.progress_table = table_view()
        self.progress_table.doubleClicked.connect(lambda index: self._open_call_at(index.row()))
        self.agreement = AgreementPage()
        self.hidden_note, self.bias_table = self.agreement.hidden_note, self.agreement.bias_table
        self.disagreement = DisagreementPage()
        self.spread_scores = self.disagreement.spread_scores
        self.disagreement.call_activated.connect(self._open_call_id)
        self.drift_page = QWidget()
        self.drift_layout = QVBoxLayout(self.drift_page)
        self.waiting_table = table_view()
        self.tabs = QTabWidget()
        self.tabs.setElideMode(Qt.TextElideMode.ElideNone)  # "Where They Disagree" in full
        self.tabs.setUsesScrollButtons(True)
        self.tabs.addTab(self.progress_table, "Progress")
        self.tabs.addTab(self.agreement, "Agreement")
        self.tabs.addTab(self.disagreement, "Where They Disagree")
        self.tabs.addTab(self.drift_page, "Drift")
        self.tabs.addTab(self.waiting_table, "Waiting for Audio")
        self.tabs.currentChanged.connect(lambda _i: self._show_drift_if_visible())
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addLayout(header)
        right_layout.addWidget(self.tabs, 1)

        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 4)
        self.empty = EmptyState(
            "No calibration sets yet",
            "Calibration keeps an audit trustworthy: several reviewers score the same calls blind, then compare. "
            "Create a set from transcribed calls and send it as a pack, or import a pack your lead sent you. "
            "Team leads also import their reviewers' review packs here.",
            [("New Set…", self.new_set), ("Import Packs…", self.import_packs)],
        )
        self.pages = QStackedWidget()
        self.pages.addWidget(self.empty)
        self.pages.addWidget(splitter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)

    # -- data -----------------------------------------------------------------------------
    def on_workspace_changed(self, changes: Changes) -> None:
        if changes.touches(Area.CALIBRATION, Area.REVIEWS, Area.CALLS):
            self.when_shown.request()

    def refresh(self, select_uid: str | None = None) -> None:
        current = select_uid or (self.current_set().uid if self.current_set() else None)
        self.all_sets = self.services.calibration.sets()
        self.sets.blockSignals(True)
        self.sets.clear()
        for cset in self.all_sets:
            item = QListWidgetItem(cset.name + ("  (blind)" if cset.blind else ""))
            item.setData(Qt.ItemDataRole.UserRole, cset.uid)
            item.setToolTip(f"Led by {cset.lead}; {plural(len(cset.call_shas), 'call')}")
            self.sets.addItem(item)
        self.sets.blockSignals(False)
        waiting = self.services.calibration.waiting_reviews()
        self.pages.setCurrentIndex(1 if self.all_sets or waiting else 0)
        uids = [s.uid for s in self.all_sets]
        self.sets.setCurrentRow(uids.index(current) if current in uids else (0 if uids else -1))
        self.show_set()

    def current_set(self) -> CalibrationSet | None:
        row = self.sets.currentRow()
        return self.all_sets[row] if 0 <= row < len(self.all_sets) else None

    def show_set(self) -> None:
        cset = self.current_set()
        self._show_waiting()
        self.score_button.setEnabled(cset is not None)
        self.export_calibration_action.setEnabled(cset is not None and not cset.blind)
        if cset is None:
            self.title.setText("No set chosen")
            self.subtitle.setText(
                "Reviews from team packs whose calls are not here are listed under Waiting for Audio."
            )
            self.report = None
            return
        viewer = self.reviewer()
        role = "you lead it" if viewer == cset.lead else ("scored blind here" if cset.blind else f"led by {cset.lead}")
        self.title.setText(cset.name)
        self.subtitle.setText(
            f"{plural(len(cset.call_shas), 'call')} · {role}" + (f"\n{cset.instructions}" if cset.instructions else "")
        )
        self._show_progress(cset)
        try:
            self.report = self.services.calibration.report(cset, viewer)
        except CalibrationProblem as exc:
            self.report = None
            self.hidden_note.setText(str(exc))
            return
        self._show_report(self.report)
        self._show_drift_if_visible()

    def _show_progress(self, cset: CalibrationSet) -> None:
        states = self.services.calibration.progress(cset)
        reviewers = sorted(states, key=lambda r: (r != cset.lead, r.lower()))
        self._calls = self.services.calibration.calls(cset)
        rows = []
        for call in self._calls:
            name = call.name if call.call_id is not None else f"{call.name} (audio missing)"
            rows.append([name, *(STATE_MARK.get(states[r].get(call.sha256, ""), "—") for r in reviewers)])
        headers = ["Call", *(f"{r} (gold)" if r == cset.lead else r for r in reviewers)]
        self.progress_table.setModel(rows_model(headers, rows))
        self.progress_table.resizeColumnsToContents()

    def _show_report(self, report: CalibrationReport) -> None:
        self.agreement.show_report(report)
        self.disagreement.show_report(report)

    def _show_drift_if_visible(self) -> None:
        if self.tabs.currentWidget() is not self.drift_page or self.report is None:
            return
        from empathy_audit.analytics.chart_kit import DRAW_LOCK  # matplotlib loads only when shown
        from empathy_audit.calibration.drift_chart import drift_chart
        from empathy_audit.ui.dashboard.chart_image import ChartImage, render_figure

        if self._drift_canvas is None:
            self._drift_canvas = ChartImage()
            self._drift_canvas.resized.connect(self._show_drift_if_visible)
            self.drift_layout.addWidget(self._drift_canvas)
        with DRAW_LOCK:  # one small chart, drawn here; never while a background job draws (matplotlib is not
            figure = drift_chart(self.report.drift).figure  # thread-safe)
            width, height, ratio = self._drift_canvas.wanted_size()
            width, height = (width, height) if width >= 300 else (700, 360)  # not laid out yet
            self._drift_canvas.show_rendered(render_figure(figure, width, height, ratio))

    def _show_waiting(self) -> None:
        rows = [
            [name or sha[:12], agent or "", team or "", (started or "")[:10], count, reviewers]
            for sha, name, agent, team, started, count, reviewers in self.services.calibration.waiting_calls()
        ]
        self.waiting_table.setModel(rows_model(["Call", "Agent", "Team", "Date", "Reviews", "Reviewers"], rows))
        self.waiting_table.resizeColumnsToContents()
        self.tabs.setTabText(4, f"Waiting for Audio ({len(rows)})")

    # -- actions --------------------------------------------------------------------------
    def new_set(self) -> None:
        dialog = NewSetDialog(self.services.calibration, self.reviewer() or "", self)
        if self.run_dialog(dialog) and dialog.created is not None:
            self.refresh(dialog.created.uid)
            self.work.announce(dialog.changes)
            self.status_message.emit(f"Calibration set “{dialog.created.name}” created")

    def score_set(self) -> None:
        cset = self.current_set()
        if cset is None:
            return
        todo = self.services.calibration.to_score(cset, self.reviewer() or "")
        if not todo:
            self.status_message.emit(f"Nothing left to score in “{cset.name}” (or its calls' audio is missing).")
            return
        self.call_open_requested.emit(todo[0], cset)

    def _open_call_at(self, row: int) -> None:
        if 0 <= row < len(self._calls):
            self._open_call_id(self._calls[row].call_id)

    def _open_call_id(self, call_id: int | None) -> None:
        cset = self.current_set()
        if call_id is None:
            self.status_message.emit("That call's recording is not in this workspace; import it to review it.")
        elif cset is not None:
            self.call_open_requested.emit(call_id, cset)

    def import_packs(self, paths: list[Path] | None = None, trust_new: bool = False) -> None:
        files = paths if paths is not None else [Path(f) for f in self.choose_open_files()]
        if not files:
            return
        self.work.run(
            "Import packs",
            lambda services, job: services.packs.import_packs(files, report=job.report, trust_new=trust_new),
            partial(self._on_import_job_finished, files),
            on_failed=lambda message: self.status_message.emit(f"Pack import failed: {message}"),
        )
        self.status_message.emit(f"Importing {plural(len(files), 'pack')}…")

    def _on_import_job_finished(self, files: list[Path], imported: Any) -> None:
        results = imported.results
        untrusted = [(path, r) for path, r in zip(files, results, strict=True) if isinstance(r, UntrustedKeys)]
        if untrusted and self.confirm_trust([c for _p, r in untrusted for c in r.new_keys]):
            self.import_packs([path for path, _r in untrusted], trust_new=True)
            results = [r for r in results if not isinstance(r, UntrustedKeys)]
            if not results:
                return
        lines, new_set = [], None
        for r in results:
            if isinstance(r, PackProblem):
                lines.append(f"✗ {r} — nothing from it was imported")
            else:
                waiting = f", {len(r.calls_waiting)} waiting for audio" if r.calls_waiting else ""
                lines.append(
                    f"✓ {r.file}: {plural(r.reviews_added, 'review')} added, {r.reviews_known} already here{waiting}"
                )
                new_set = r.calibration_set or new_set
        self.refresh()
        if new_set:
            names = [s.name for s in self.all_sets]
            self.sets.setCurrentRow(names.index(new_set) if new_set in names else self.sets.currentRow())
        self.status_message.emit(lines[-1] if len(lines) == 1 else f"Imported {plural(len(results), 'pack')}")
        self.packs_imported.emit(results)
        if self.show_dialogs:
            icon = (
                QMessageBox.Icon.Warning
                if any(isinstance(r, PackProblem) for r in results)
                else QMessageBox.Icon.Information
            )
            QMessageBox(icon, "Import Packs", "\n".join(lines), parent=self).exec()

    def export_calibration(self) -> None:
        cset = self.current_set()
        if cset is None:
            return
        path = self.choose_save_file(f"{cset.name}{SUFFIX}")
        if path:
            redact = self.redact_action.isChecked()
            self._export(
                lambda services, _job: services.packs.export_calibration(
                    cset.uid, Path(path), redact_transcripts=redact, overwrite=True
                )
            )

    def export_my_reviews(self) -> None:
        reviewer = self.reviewer()
        if not reviewer:
            return
        path = self.choose_save_file(f"{reviewer} reviews{SUFFIX}")
        if path:
            redact = self.redact_action.isChecked()
            self._export(
                lambda services, _job: services.packs.export_reviews(
                    Path(path),
                    reviewer=reviewer,
                    include_transcripts=redact,
                    redact_transcripts=redact,
                    overwrite=True,  # the save dialog has asked already
                )
            )

    def _export(self, op: Callable[[WorkspaceServices, JobControl], Any]) -> None:
        self.work.run("Export pack", op, self._on_export_job_finished, on_failed=self._on_export_job_failed)

    def _on_export_job_finished(self, result: Any) -> None:
        self.last_export = result
        self.status_message.emit(
            f"Wrote {result.path.name}: {plural(result.reviews, 'review')}, {plural(result.calls, 'call')}, "
            f"{result.size_bytes / 1e6:.1f} MB"
            + (" — personal data hidden in transcripts (not in recordings)" if result.transcripts_redacted else "")
        )

    def _on_export_job_failed(self, message: str) -> None:
        self.status_message.emit(f"Pack not written: {message}")
        if self.show_dialogs:
            QMessageBox.warning(self, "Export Pack", message)
