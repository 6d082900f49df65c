"""The Calibration section: sets, who has scored what, agreement, where reviewers disagree most (with their
evidence side by side), drift across sessions, and packs in and out. Blindness comes from the core."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

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
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from empathy_audit.calibration.report import CalibrationReport, calibration_report
from empathy_audit.calibration.sets import calls_to_score
from empathy_audit.packs.export import export_calibration_pack, export_review_pack
from empathy_audit.packs.format import SUFFIX, PackProblem
from empathy_audit.store import Workspace, open_workspace
from empathy_audit.store.calibration import CalibrationProblem, CalibrationSet, SetCall, list_sets, progress, set_calls
from empathy_audit.transcription.formats import format_duration
from empathy_audit.ui.calibration.new_set_dialog import NewSetDialog
from empathy_audit.ui.empty_state import EmptyState
from empathy_audit.ui.job_runner import JobRunner
from empathy_audit.ui.rows_model import rows_model

PACK_FILTER = f"Empathy Audit packs (*{SUFFIX});;All files (*)"
STATE_MARK = {"submitted": "✓ submitted", "draft": "draft"}


def _num(value: float | None, pct: bool = False, signed: bool = False) -> str:
    if value is None:
        return "—"
    if pct:
        return f"{value * 100:.0f}%"
    return f"{value:+.2f}" if signed else f"{value:.2f}"


def _table() -> QTableView:
    view = QTableView()
    view.verticalHeader().hide()
    view.horizontalHeader().setStretchLastSection(True)
    view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    return view


class CalibrationSection(QWidget):
    call_open_requested = Signal(int, object)  # call id, CalibrationSet
    status_message = Signal(str)
    packs_imported = Signal(object)  # list of PackImport | PackProblem

    def __init__(
        self, workspace: Workspace, runner: JobRunner, reviewer: Callable[[], str | None], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ws = workspace
        self.runner = runner
        self.reviewer = reviewer
        self.show_dialogs = True
        self.run_dialog: Callable[[Any], int] = lambda dialog: dialog.exec()  # tests fill dialogs in
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

        self.progress_table = _table()
        self.progress_table.doubleClicked.connect(lambda index: self._open_call_at(index.row()))
        self.agreement_table, self.pairs_table, self.bias_table = _table(), _table(), _table()
        self.hidden_note = QLabel()
        self.hidden_note.setWordWrap(True)
        agreement = QWidget()
        agreement_layout = QVBoxLayout(agreement)
        agreement_layout.addWidget(self.hidden_note)
        captions = (
            "Agreement per criterion (Krippendorff's alpha, ordinal; exact and ±1 agreement over rater pairs)",
            "Pairs of reviewers (quadratic-weighted Cohen's kappa over every criterion)",
            "Leniency (+) or severity (−): mean difference from gold, or from the others where there is no gold",
        )
        for caption, view in zip(captions, (self.agreement_table, self.pairs_table, self.bias_table), strict=True):
            label = QLabel(caption)
            label.setWordWrap(True)
            agreement_layout.addWidget(label)
            agreement_layout.addWidget(view, 1)
        self.spread_list = QListWidget()
        self.spread_list.currentRowChanged.connect(self._show_spread)
        self.spread_list.itemDoubleClicked.connect(lambda item: self._open_call_id(item.data(Qt.ItemDataRole.UserRole)))
        self.spread_scores, self.spread_evidence = _table(), _table()
        spread_right = QWidget()
        spread_layout = QVBoxLayout(spread_right)
        spread_layout.setContentsMargins(0, 0, 0, 0)
        spread_layout.addWidget(QLabel("Scores side by side"))
        spread_layout.addWidget(self.spread_scores, 1)
        spread_layout.addWidget(QLabel("Their evidence moments"))
        spread_layout.addWidget(self.spread_evidence, 1)
        spread = QSplitter()
        spread.addWidget(self.spread_list)
        spread.addWidget(spread_right)
        spread.setStretchFactor(1, 2)
        self.drift_page = QWidget()
        self.drift_layout = QVBoxLayout(self.drift_page)
        self.waiting_table = _table()
        self.tabs = QTabWidget()
        self.tabs.addTab(self.progress_table, "Progress")
        self.tabs.addTab(agreement, "Agreement")
        self.tabs.addTab(spread, "Where They Disagree")
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
    def refresh(self, select_uid: str | None = None) -> None:
        current = select_uid or (self.current_set().uid if self.current_set() else None)
        self.all_sets = list_sets(self.ws.db)
        self.sets.blockSignals(True)
        self.sets.clear()
        for cset in self.all_sets:
            item = QListWidgetItem(cset.name + ("  (blind)" if cset.blind else ""))
            item.setData(Qt.ItemDataRole.UserRole, cset.uid)
            item.setToolTip(f"Led by {cset.lead}; {len(cset.call_shas)} call(s)")
            self.sets.addItem(item)
        self.sets.blockSignals(False)
        waiting = self.ws.db.execute("SELECT COUNT(*) FROM reviews WHERE call_id IS NULL").fetchone()[0]
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
            f"{len(cset.call_shas)} call(s) · {role}" + (f"\n{cset.instructions}" if cset.instructions else "")
        )
        self._show_progress(cset)
        try:
            self.report = calibration_report(self.ws.db, cset, viewer=viewer)
        except CalibrationProblem as exc:
            self.report = None
            self.hidden_note.setText(str(exc))
            return
        self._show_report(self.report)
        self._show_drift_if_visible()

    def _show_progress(self, cset: CalibrationSet) -> None:
        states = progress(self.ws.db, cset)
        reviewers = sorted(states, key=lambda r: (r != cset.lead, r.lower()))
        self._calls = set_calls(self.ws.db, cset)
        rows = []
        for call in self._calls:
            name = call.name if call.call_id is not None else f"{call.name} (audio missing)"
            rows.append([name, *(STATE_MARK.get(states[r].get(call.sha256, ""), "—") for r in reviewers)])
        headers = ["Call", *(f"{r} (gold)" if r == cset.lead else r for r in reviewers)]
        self.progress_table.setModel(rows_model(headers, rows))
        self.progress_table.resizeColumnsToContents()

    def _show_report(self, report: CalibrationReport) -> None:
        self.hidden_note.setText(
            f"{report.hidden_calls} call(s) are hidden from {report.viewer} until you submit your own review of them."
            if report.hidden_calls
            else ""
        )
        self.agreement_table.setModel(
            rows_model(
                ["Criterion", "Alpha", "Units", "Exact", "Within ±1", "Pairs"],
                [
                    [a.label, _num(a.alpha), a.n_units, _num(a.exact, True), _num(a.adjacent, True), a.n_pairs]
                    for a in report.agreement
                ],
            )
        )
        self.pairs_table.setModel(
            rows_model(["Reviewer", "Reviewer", "Kappa", "n"], [[p.a, p.b, _num(p.kappa), p.n] for p in report.pairs])
        )
        self.bias_table.setModel(
            rows_model(
                ["Reviewer", "Mean difference", "Against", "n"],
                [[b.reviewer, _num(b.mean_difference, signed=True), b.against, b.n] for b in report.bias],
            )
        )
        for view in (self.agreement_table, self.pairs_table, self.bias_table):
            view.resizeColumnsToContents()
        self.spread_list.clear()
        for row in report.spread:
            label = f"{row.spread:.0f} point(s) apart · {row.name}" if len(row.scores) >= 2 else f"— · {row.name}"
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, row.call_id)
            self.spread_list.addItem(item)
        self.spread_list.setCurrentRow(0 if report.spread else -1)

    def _show_spread(self, index: int) -> None:
        if self.report is None or not 0 <= index < len(self.report.spread):
            self.spread_scores.setModel(rows_model([], []))
            self.spread_evidence.setModel(rows_model([], []))
            return
        row = self.report.spread[index]
        reviewers = list(row.scores)
        rubric_rows = [a for a in self.report.agreement if a.key != "overall"]
        self.spread_scores.setModel(
            rows_model(
                ["Criterion", *(f"{r} (gold)" if r == self.report.lead else r for r in reviewers)],
                [
                    [a.label, *("N/A" if (v := row.scores[r].get(a.key, "—")) is None else v for r in reviewers)]
                    for a in rubric_rows
                ],
            )
        )
        labels = {a.key: a.label for a in rubric_rows}
        self.spread_evidence.setModel(
            rows_model(
                ["Reviewer", "Criterion", "Moment"],
                [
                    [
                        r,
                        labels.get(e["criterion"], e["criterion"]),
                        f"{format_duration(e['start_s'])}–{format_duration(e['end_s'])}",
                    ]
                    for r in reviewers
                    for e in row.evidence.get(r, [])
                ],
            )
        )
        for view in (self.spread_scores, self.spread_evidence):
            view.resizeColumnsToContents()

    def _show_drift_if_visible(self) -> None:
        if self.tabs.currentWidget() is not self.drift_page or self.report is None:
            return
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg  # matplotlib loads only when shown

        from empathy_audit.calibration.drift_chart import drift_chart

        if self._drift_canvas is not None:
            self._drift_canvas.setParent(None)
            self._drift_canvas.deleteLater()
        self._drift_canvas = FigureCanvasQTAgg(drift_chart(self.report.drift).figure)
        self.drift_layout.addWidget(self._drift_canvas)

    def _show_waiting(self) -> None:
        rows = [
            [name or sha[:12], agent or "", team or "", (started or "")[:10], count, reviewers]
            for sha, name, agent, team, started, count, reviewers in self.ws.db.execute(
                "SELECT r.call_sha256, p.original_name, p.agent, p.team, p.call_start, COUNT(*), "
                "group_concat(DISTINCT r.reviewer) FROM reviews r "
                "LEFT JOIN pack_calls p ON p.call_sha256 = r.call_sha256 WHERE r.call_id IS NULL "
                "GROUP BY r.call_sha256 ORDER BY 2"
            ).fetchall()
        ]
        self.waiting_table.setModel(rows_model(["Call", "Agent", "Team", "Date", "Reviews", "Reviewers"], rows))
        self.waiting_table.resizeColumnsToContents()
        self.tabs.setTabText(4, f"Waiting for Audio ({len(rows)})")

    # -- actions --------------------------------------------------------------------------
    def new_set(self) -> None:
        dialog = NewSetDialog(self.ws.db, self.reviewer() or "", self)
        if self.run_dialog(dialog) and dialog.created is not None:
            self.refresh(dialog.created.uid)
            self.status_message.emit(f"Calibration set “{dialog.created.name}” created")

    def score_set(self) -> None:
        cset = self.current_set()
        if cset is None:
            return
        todo = calls_to_score(self.ws.db, cset, self.reviewer() or "")
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

    def import_packs(self, paths: list[Path] | None = None) -> None:
        files = paths if paths is not None else [Path(f) for f in self.choose_open_files()]
        if not files:
            return
        root = self.ws.root

        def job(report, cancel, emit):
            from empathy_audit.packs.importer import import_packs

            with open_workspace(root) as ws:
                return import_packs(ws, files, report=report)

        handle = self.runner.start("Import packs", job)
        handle.signals.finished.connect(self._on_import_job_finished)
        handle.signals.failed.connect(lambda message: self.status_message.emit(f"Pack import failed: {message}"))
        self.status_message.emit(f"Importing {len(files)} pack(s)…")

    def _on_import_job_finished(self, results: list) -> None:
        lines, new_set = [], None
        for r in results:
            if isinstance(r, PackProblem):
                lines.append(f"✗ {r} — nothing from it was imported")
            else:
                waiting = f", {len(r.calls_waiting)} waiting for audio" if r.calls_waiting else ""
                lines.append(f"✓ {r.file}: {r.reviews_added} review(s) added, {r.reviews_known} already here{waiting}")
                new_set = r.calibration_set or new_set
        self.refresh()
        if new_set:
            names = [s.name for s in self.all_sets]
            self.sets.setCurrentRow(names.index(new_set) if new_set in names else self.sets.currentRow())
        self.status_message.emit(lines[-1] if len(lines) == 1 else f"Imported {len(results)} pack(s)")
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
                lambda ws: export_calibration_pack(ws, cset.uid, Path(path), redact_transcripts=redact, overwrite=True)
            )

    def export_my_reviews(self) -> None:
        reviewer = self.reviewer()
        if not reviewer:
            return
        path = self.choose_save_file(f"{reviewer} reviews{SUFFIX}")
        if path:
            redact = self.redact_action.isChecked()
            self._export(
                lambda ws: export_review_pack(
                    ws,
                    Path(path),
                    reviewer=reviewer,
                    include_transcripts=redact,
                    redact_transcripts=redact,
                    overwrite=True,  # the save dialog has asked already
                )
            )

    def _export(self, make: Callable[[Workspace], Any]) -> None:
        root = self.ws.root

        def job(report, cancel, emit):
            with open_workspace(root) as ws:
                return make(ws)

        handle = self.runner.start("Export pack", job)
        handle.signals.finished.connect(self._on_export_job_finished)
        handle.signals.failed.connect(self._on_export_job_failed)

    def _on_export_job_finished(self, result: Any) -> None:
        self.last_export = result
        self.status_message.emit(
            f"Wrote {result.path.name}: {result.reviews} review(s), {result.calls} call(s), "
            f"{result.size_bytes / 1e6:.1f} MB"
            + (" — personal data hidden in transcripts (not in recordings)" if result.transcripts_redacted else "")
        )

    def _on_export_job_failed(self, message: str) -> None:
        self.status_message.emit(f"Pack not written: {message}")
        if self.show_dialogs:
            QMessageBox.warning(self, "Export Pack", message)
