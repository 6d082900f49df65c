"""New Calibration Set: a name, who leads it, instructions, and the calls to score."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from empathy_audit.changes import NOTHING
from empathy_audit.services.calibration import CalibrationService
from empathy_audit.store.calibration import CalibrationProblem, CalibrationSet
from empathy_audit.transcription.formats import format_duration


class NewSetDialog(QDialog):
    def __init__(self, calibration: CalibrationService, lead: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.calibration = calibration
        self.changes = NOTHING
        self.created: CalibrationSet | None = None
        self.setWindowTitle("New Calibration Set")
        self.setMinimumSize(620, 520)
        self.name = QLineEdit()
        self.name.setPlaceholderText("e.g. Q3 week 2")
        self.lead = QLineEdit(lead)
        self.lead.setToolTip("The lead's own reviews in the set are its gold scores")
        self.instructions = QPlainTextEdit()
        self.instructions.setPlaceholderText("What reviewers should know before they score (shown to them)")
        self.instructions.setMaximumHeight(80)
        self.calls = QListWidget()
        for call_id, name, agent, started, duration in calibration.candidates():
            item = QListWidgetItem(
                f"{name}  ·  {agent or 'no agent'}  ·  {started[:10]}  ·  {format_duration(duration)}"
            )
            item.setData(Qt.ItemDataRole.UserRole, call_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.calls.addItem(item)
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #b00020;")
        form = QFormLayout()
        form.addRow("&Name", self.name)
        form.addRow("&Lead (gold scores)", self.lead)
        form.addRow("&Instructions", self.instructions)
        form.addRow("&Calls to score", self.calls)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton("Create Set", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)

    def check(self, call_ids: list[int]) -> None:
        for row in range(self.calls.count()):
            item = self.calls.item(row)
            wanted = item.data(Qt.ItemDataRole.UserRole) in call_ids
            item.setCheckState(Qt.CheckState.Checked if wanted else Qt.CheckState.Unchecked)

    def chosen(self) -> list[int]:
        return [
            self.calls.item(r).data(Qt.ItemDataRole.UserRole)
            for r in range(self.calls.count())
            if self.calls.item(r).checkState() == Qt.CheckState.Checked
        ]

    def accept(self) -> None:
        try:
            done = self.calibration.create(
                self.name.text(), self.chosen(), self.lead.text(), self.instructions.toPlainText()
            )
        except CalibrationProblem as exc:
            self.problem.setText(str(exc)[:1].upper() + str(exc)[1:])
            return
        self.created, self.changes = done.cset, done.changes
        super().accept()
