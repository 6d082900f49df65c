"""Attach Metadata…: a CSV of agents, teams, customers, ids and dates for calls already imported. The file is
matched to the calls here and previewed, with every problem by line, before anything changes."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from empathy_audit.changes import NOTHING
from empathy_audit.importing.attach import AttachPlan
from empathy_audit.importing.csv_reading import CsvProblem
from empathy_audit.services.calls import CallsService
from empathy_audit.ui.rows_model import rows_model
from empathy_audit.wording import plural

LABELS = {"agent": "agent", "team": "team", "customer_id": "customer", "external_id": "call id", "call_start": "start"}


class AttachMetadataDialog(QDialog):
    def __init__(self, calls: CallsService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Attach Metadata to Calls")
        self.resize(900, 620)
        self.calls = calls
        self.plan: AttachPlan | None = None
        self.changed, self.changes = 0, NOTHING
        self.confirm = lambda text: (
            QMessageBox.question(self, "Apply the good rows?", text) == QMessageBox.StandardButton.Yes
        )
        choose = QPushButton("Choose File…")
        choose.clicked.connect(self.choose_file)
        self.file_label = QLabel(
            "A CSV with a file name or call id column, and agent, team, customer id and/or call start: the "
            "details of calls already in the Library (a call id also matches a file named by it)."
        )
        self.file_label.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(choose)
        top.addWidget(self.file_label, 1)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.preview = QTableView()
        self.preview.verticalHeader().hide()
        self.preview.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.preview.horizontalHeader().setStretchLastSection(True)
        self.problems = QListWidget()
        self.problems.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.apply_button = buttons.addButton("Apply", QDialogButtonBox.ButtonRole.AcceptRole)
        self.apply_button.setEnabled(False)
        self.apply_button.clicked.connect(self.apply)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(QLabel("What will change"))
        layout.addWidget(self.preview, 3)
        layout.addWidget(QLabel("Problems (these rows are left out)"))
        layout.addWidget(self.problems, 1)
        layout.addWidget(buttons)

    def choose_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Metadata CSV", "", "CSV files (*.csv *.txt);;All files (*)")
        if name:
            self.load(Path(name))

    def load(self, path: Path) -> None:
        self.file_label.setText(str(path))
        self.problems.clear()
        try:
            plan = self.calls.plan_metadata(path)
        except CsvProblem as exc:
            self.summary.setText(f"<b>This file cannot be used as it is.</b> {exc}")
            self.apply_button.setEnabled(False)
            return
        self.plan = plan
        rows = [
            [
                m.line,
                m.call.original_name,
                "; ".join(f"{LABELS[k]}: {v}" for k, v in m.changes.items()) or "(already so)",
            ]
            for m in plan.matches
        ]
        self.preview.setModel(rows_model(["Line", "Call", "Changes"], rows))
        self.preview.resizeColumnsToContents()
        for problem in plan.problems:
            self.problems.addItem(f"Line {problem.line}: {problem.message}")
        self.summary.setText(
            f"{plural(len(plan.matches), 'row')} matched a call: "
            f"<b>{plural(plan.calls_changed, 'call')} will change</b>; "
            f"{plural(len(plan.problems), 'row')} with problems."
        )
        self.apply_button.setText(f"Apply to {plural(plan.calls_changed, 'Call')}")
        self.apply_button.setEnabled(plan.calls_changed > 0)

    def apply(self) -> None:
        if self.plan is None or not self.plan.calls_changed:
            return
        if self.plan.problems and not self.confirm(
            f"Rows with problems ({len(self.plan.problems)}) will be left out. Apply the "
            f"{plural(self.plan.calls_changed, 'change')}?"
        ):
            return
        self.changed, self.changes = self.calls.attach_metadata(self.plan)
        self.accept()
