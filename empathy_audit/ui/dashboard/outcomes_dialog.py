"""Importing outcomes: pick a file, check the column mapping, see every problem, then accept."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from empathy_audit.changes import NOTHING
from empathy_audit.importing.csv_reading import CsvProblem
from empathy_audit.outcomes.importer import FIELDS, SCALES, OutcomePlan, OutcomesProblem
from empathy_audit.services.outcomes import OutcomesService
from empathy_audit.ui.rows_model import rows_model

FIELD_LABELS = {
    "call_id": "Call id",
    "file": "File name",
    "customer_id": "Customer id",
    "csat": "CSAT",
    "churn": "Churned",
    "churn_date": "Churn date",
    "customer_value": "Customer value",
    "tier": "Customer tier",
    "handle_time": "Handle time",
    "comment": "Survey comment",
}


class OutcomesImportDialog(QDialog):
    def __init__(self, outcomes: OutcomesService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import Outcomes")
        self.resize(940, 720)
        self.outcomes = outcomes
        self.changes = NOTHING  # what the import changed, for the window to announce
        self.path: Path | None = None
        self.plan: OutcomePlan | None = None
        self.imported_calls = 0
        self.confirm = lambda text: (
            QMessageBox.question(self, "Import the good rows?", text) == QMessageBox.StandardButton.Yes
        )

        choose = QPushButton("Choose File…")
        choose.clicked.connect(self.choose_file)
        self.file_label = QLabel(
            "No file chosen. Exports from a CRM or survey tool: CSV with a call id, file name "
            "or customer id, and any of CSAT, churn, customer value or tier, handle time and the survey's comment."
        )
        self.file_label.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(choose)
        top.addWidget(self.file_label, 1)
        self.preview = QTableView()
        self.preview.setMaximumHeight(190)
        self.mapping: dict[str, QComboBox] = {}
        form = QFormLayout()
        for name in FIELDS:
            box = QComboBox()
            box.currentIndexChanged.connect(self.replan)
            self.mapping[name] = box
            form.addRow(FIELD_LABELS[name], box)
        self.scale = QComboBox()
        self.scale.addItem("Guess from the file", None)
        for scale in SCALES:
            self.scale.addItem(scale, scale)
        self.scale.currentIndexChanged.connect(self.replan)
        form.addRow("CSAT scale", self.scale)
        self.tier_order = QLineEdit()
        self.tier_order.setPlaceholderText("e.g. Platinum, Gold, Silver (most valuable first)")
        self.tier_order.setToolTip(
            "The order of the tier column's names, most valuable first. Known orders (Platinum > Gold > Silver, "
            "Enterprise > Business > …, Tier 1 > Tier 2) are recognised without it."
        )
        self.tier_order.editingFinished.connect(self.replan)
        form.addRow("Tier order", self.tier_order)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.problems = QListWidget()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.addButton("Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.import_rows)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(QLabel("<b>Preview</b> (first rows)"))
        layout.addWidget(self.preview)
        columns = QHBoxLayout()
        left = QWidget()
        left.setLayout(form)
        columns.addWidget(left)
        right = QVBoxLayout()
        right.addWidget(self.summary)
        right.addWidget(QLabel("<b>Problems</b> (these rows will not be imported)"))
        right.addWidget(self.problems)
        columns.addLayout(right, 1)
        layout.addLayout(columns, 1)
        layout.addWidget(self.buttons)

    def choose_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Outcomes File", "", "CSV or text (*.csv *.txt *.tsv);;All (*)")
        if name:
            self.load(Path(name))

    def load(self, path: Path) -> None:
        """Read a file, guess the mapping and show the plan."""
        self.path = path
        self.file_label.setText(str(path))
        self.plan = None
        for box in self.mapping.values():
            box.blockSignals(True)
            box.clear()
        self._plan({})
        header = self.plan.header if self.plan else []
        for name, box in self.mapping.items():
            box.addItem("(none)", None)
            for column in header:
                box.addItem(column, column)
            guessed = self.plan.mapping.get(name) if self.plan else None
            box.setCurrentIndex(max(0, box.findData(guessed)))
            box.blockSignals(False)

    def replan(self) -> None:
        if self.path is None or self.plan is None:
            return
        overrides = {name: box.currentData() for name, box in self.mapping.items() if box.currentData()}
        self._plan(overrides, explicit=True)

    def _plan(self, overrides: dict[str, str], explicit: bool = False) -> None:
        assert self.path is not None
        self.problems.clear()
        try:
            plan = self.outcomes.plan(self.path, overrides, self.scale.currentData(), self.tiers())
            if explicit:  # columns set to (none) are unmapped, not guessed again
                for name, box in self.mapping.items():
                    if box.currentData() is None:
                        plan.mapping[name] = None
                plan = self.outcomes.plan(
                    self.path, {k: v for k, v in plan.mapping.items() if v}, self.scale.currentData(), self.tiers()
                )
        except (OutcomesProblem, CsvProblem) as exc:
            self.summary.setText(f"<b>This file cannot be imported as it is.</b> {exc}")
            self.import_button.setEnabled(False)
            if self.plan is None:
                self.plan = OutcomePlan(self.path, {}, None)
            return
        self.plan = plan
        self.preview.setModel(rows_model(plan.header, [[row.get(h, "") for h in plan.header] for row in plan.preview]))
        for problem in plan.problems:
            self.problems.addItem(f"Line {problem.line}: {problem.message}")
        self.summary.setText(
            f"{plan.total_rows} rows: <b>{len(plan.rows)} good</b>, {len(plan.problems)} with problems. "
            f"{plan.calls_matched} calls matched. CSAT scale: {plan.scale or 'no CSAT column'}."
            + "".join(f"<br>Note: {html.escape(note)}" for note in plan.notes)
        )
        self.import_button.setText(f"Import {len(plan.rows)} Good Rows")
        self.import_button.setEnabled(bool(plan.rows))

    def tiers(self) -> list[str] | None:
        return [t.strip() for t in self.tier_order.text().split(",") if t.strip()] or None

    def import_rows(self) -> None:
        if self.plan is None or not self.plan.rows:
            return
        if self.plan.problems and not self.confirm(
            f"{len(self.plan.problems)} rows have problems and will be skipped. Import the "
            f"{len(self.plan.rows)} good rows?"
        ):
            return
        applied = self.outcomes.apply(self.plan)
        self.imported_calls, self.changes = applied.calls_updated, applied.changes
        self.accept()
