"""The Dashboard's Compare view: an experiment's readout. Two sets of reviewed calls (A and B, each chosen
by team, agent, queue, quarter, dates, context and a criterion's level) compared on audit score, CSAT,
repeat contacts, churn and handle time, with intervals, p-values and a verdict in words per metric.

The comparison runs in the background on the fact table the dashboard already loaded (no second read).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from empathy_audit.ui.rows_model import rows_model
from empathy_audit.ui.when_shown import WhenShown
from empathy_audit.ui.workspace_runner import WorkspaceRunner

if TYPE_CHECKING:
    from empathy_audit.analytics.compare import CallSet, Comparison
    from empathy_audit.analytics.facts import FactTable

ANY = "Any"
CONTEXTS = [("Empathy-first applies", None), ("Empathy-first did not apply", "flagged")]


class SideForm(QGroupBox):
    """One side's filter: every field set must hold."""

    changed = Signal()

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        form = QFormLayout(self)
        self.boxes: dict[str, QComboBox] = {}
        for key, label in (("team", "Team"), ("agent", "Agent"), ("queue", "Queue or topic"), ("quarter", "Quarter")):
            box = QComboBox()
            box.setAccessibleName(f"{title}: {label}")
            box.currentIndexChanged.connect(self.changed)
            self.boxes[key] = box
            form.addRow(label, box)
        self.use_from, self.date_from = QCheckBox("From"), QDateEdit()
        self.use_to, self.date_to = QCheckBox("To"), QDateEdit()
        for check, edit in ((self.use_from, self.date_from), (self.use_to, self.date_to)):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)
            check.toggled.connect(edit.setEnabled)
            check.toggled.connect(self.changed)
            edit.dateChanged.connect(self.changed)
        dates = QHBoxLayout()
        for widget in (self.use_from, self.date_from, self.use_to, self.date_to):
            dates.addWidget(widget)
        dates.addStretch(1)
        form.addRow("Dates", dates)
        self.context = QComboBox()
        for label, value in CONTEXTS:
            self.context.addItem(label, value)
        self.context.currentIndexChanged.connect(self.changed)
        form.addRow("Context", self.context)
        self.criterion, self.level = QComboBox(), QComboBox()
        self.criterion.currentIndexChanged.connect(self._criterion_changed)
        self.level.currentIndexChanged.connect(self.changed)
        levels = QHBoxLayout()
        levels.addWidget(self.criterion, 1)
        levels.addWidget(QLabel("scored"))
        levels.addWidget(self.level)
        form.addRow("Criterion", levels)

    def fill(self, choices: dict[str, list[str]], criteria: list[tuple[str, str]], scale: float) -> None:
        """Offer the workspace's values, keeping what was chosen where it still exists."""
        for key, box in self.boxes.items():
            current = box.currentData()
            box.blockSignals(True)
            box.clear()
            box.addItem(ANY, None)
            for value in choices.get(key, []):
                box.addItem(value, value)
            box.setCurrentIndex(max(0, box.findData(current)))
            box.blockSignals(False)
        current = self.criterion.currentData()
        self.criterion.blockSignals(True)
        self.criterion.clear()
        self.criterion.addItem(ANY, None)
        for key, label in criteria:
            self.criterion.addItem(label, key)
        self.criterion.setCurrentIndex(max(0, self.criterion.findData(current)))
        self.criterion.blockSignals(False)
        level = self.level.currentData()
        self.level.blockSignals(True)
        self.level.clear()
        for value in range(int(scale) + 1):
            self.level.addItem(str(value), value)
        self.level.setCurrentIndex(max(0, self.level.findData(level)))
        self.level.blockSignals(False)
        self.level.setEnabled(self.criterion.currentData() is not None)

    def _criterion_changed(self) -> None:
        self.level.setEnabled(self.criterion.currentData() is not None)
        self.changed.emit()

    def call_set(self) -> CallSet:
        from empathy_audit.analytics.compare import CallSet

        parts = [f"{key}={box.currentData()}" for key, box in self.boxes.items() if box.currentData()]
        chosen = CallSet(**{key: box.currentData() for key, box in self.boxes.items()})
        if self.use_from.isChecked():
            chosen.date_from = self.date_from.date().toString("yyyy-MM-dd")
            parts.append(f"from={chosen.date_from}")
        if self.use_to.isChecked():
            chosen.date_to = self.date_to.date().toString("yyyy-MM-dd")
            parts.append(f"to={chosen.date_to}")
        if self.context.currentData():
            chosen.context = self.context.currentData()
            parts.append(f"context={chosen.context}")
        if self.criterion.currentData() is not None:
            chosen.criterion = (self.criterion.currentData(), float(self.level.currentData() or 0))
            parts.append(f"criterion={chosen.criterion[0]}:{self.level.currentData()}")
        chosen.text = ",".join(parts)
        return chosen

    def set_dates(self, first: QDate, last: QDate) -> None:
        for edit in (self.date_from, self.date_to):
            edit.setDateRange(first, last)
        if not self.use_from.isChecked():
            self.date_from.setDate(first)
        if not self.use_to.isChecked():
            self.date_to.setDate(last)


class CompareView(QWidget):
    status_message = Signal(str)

    def __init__(self, work: WorkspaceRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.work = work
        self.facts: FactTable | None = None
        self.result: Comparison | None = None
        self._busy = self._pending = False
        self.save_path = lambda: QFileDialog.getSaveFileName(self, "Export Comparison", "compare.csv", "CSV (*.csv)")[0]
        self.side_a, self.side_b = SideForm("A (e.g. before, or scripted)"), SideForm("B (e.g. after, or unscripted)")
        self.when_shown = WhenShown(self, self.run)
        self.side_a.changed.connect(self.when_shown.request)
        self.side_b.changed.connect(self.when_shown.request)
        sides = QHBoxLayout()
        sides.addWidget(self.side_a, 1)
        sides.addWidget(self.side_b, 1)
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.heading.setMinimumHeight(2 * self.heading.fontMetrics().lineSpacing())  # "Comparing…" moves nothing
        self.table = QTableView()
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        self.table.setAccessibleName("Comparison of A and B")
        self.verdicts = QLabel()
        self.verdicts.setWordWrap(True)
        self.export_button = QPushButton("Export CSV…")
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(self.export_csv)
        bottom = QHBoxLayout()
        bottom.addWidget(self.heading, 1)
        bottom.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(sides)
        layout.addLayout(bottom)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.verdicts)

    def set_facts(self, facts: FactTable) -> None:
        """The dashboard's freshly loaded calls: offer their values, then compare again (when shown)."""
        from empathy_audit.wording import CRITERION_LABELS as LABELS

        self.facts = facts
        days = sorted(d for d in set(facts.day) if d)
        values = {
            "team": sorted({t for t in facts.team if t}),
            "agent": sorted({a for a in facts.agent if a}),
            "queue": sorted({q for q in facts.queue if q}),
            "quarter": sorted({q for q in facts.quarter if q}, reverse=True),
        }
        criteria = [(key, LABELS.get(key, key)) for key in sorted(facts.criteria)]
        for side in (self.side_a, self.side_b):
            side.blockSignals(True)
            side.fill(values, criteria, facts.scale)
            if days:
                side.set_dates(QDate.fromString(days[0], "yyyy-MM-dd"), QDate.fromString(days[-1], "yyyy-MM-dd"))
            side.blockSignals(False)
        self.when_shown.request()

    def run(self) -> None:
        if self.facts is None:
            return
        if self._busy:
            self._pending = True
            return
        a, b = self.side_a.call_set(), self.side_b.call_set()
        facts = self.facts
        self._busy = True
        self.heading.setText("Comparing…")

        def op(services: Any, _job: Any) -> Comparison:
            return services.audit.compare(a, b, facts)

        self.work.run("Compare", op, self._on_done, on_failed=self._on_failed, visible=False)

    def _on_done(self, result: Comparison) -> None:
        from empathy_audit.analytics.outcome_tables import compare_table

        self._busy = False
        self.result = result
        table = compare_table(result)
        self.table.setModel(rows_model(table.columns[:9], [row[:9] for row in table.rows]))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(8, QHeaderView.ResizeMode.Stretch)
        heading = f"A: {result.a} — {result.calls_a} reviewed calls.  B: {result.b} — {result.calls_b} reviewed calls."
        self.heading.setText(heading + (f"\n⚠ {result.warning}" if result.warning else ""))
        self.verdicts.setText("\n".join(f"• {m.metric}: {m.verdict}" for m in result.metrics))
        self.export_button.setEnabled(True)
        if self._pending:
            self._pending = False
            self.run()

    def _on_failed(self, message: str) -> None:
        self._busy = False
        self.result = None
        self.export_button.setEnabled(False)
        self.table.setModel(rows_model([], []))
        self.verdicts.setText("")
        self.heading.setText(f"Cannot compare: {message}")
        if self._pending:
            self._pending = False
            self.run()

    def export_csv(self) -> Path | None:
        """The comparison as a formula-safe CSV (the report's compare.csv)."""
        from empathy_audit.analytics.outcome_tables import compare_table
        from empathy_audit.analytics.report import write_csv

        if self.result is None:
            return None
        name = self.save_path()
        if not name:
            return None
        path = Path(name)
        try:
            write_csv(path, compare_table(self.result))
        except OSError as exc:
            self.status_message.emit(f"Could not write {path}: {exc.strerror or exc}")
            return None
        self.status_message.emit(f"Wrote the comparison to {path}")
        return path
