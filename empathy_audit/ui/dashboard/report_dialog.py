"""Export Quarterly Report…: which quarter, team and agent the report covers (the dashboard's filters unless
changed), how many reviewed calls that is, the paper, and where the files go."""

from __future__ import annotations

from collections.abc import Callable
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
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from empathy_audit.analytics.paper import A4, paper_size
from empathy_audit.wording import plural

MIN_FOR_CHARTS = 10


class ReportDialog(QDialog):
    def __init__(
        self,
        choices: dict[str, list[str]],
        quarter: str | None,
        team: str | None,
        agent: str | None,
        folder: Path,
        count: Callable[[str, str | None, str | None], int],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export Quarterly Report")
        self.setMinimumWidth(560)
        self._count = count
        self.quarter = QComboBox()
        quarters = sorted(choices.get("quarter", []), reverse=True)
        for q in quarters:
            self.quarter.addItem(q, q)
        self.quarter.setCurrentIndex(max(0, self.quarter.findData(quarter)))
        self.team = self._box("All teams", choices.get("team", []), team)
        self.agent = self._box("All agents", choices.get("agent", []), agent)
        self.paper = QComboBox()
        self.paper.addItem("A4", "a4")
        self.paper.addItem("Letter", "letter")
        self.paper.setCurrentIndex(0 if paper_size() == A4 else 1)
        self.folder = QLineEdit(str(folder))
        browse = QPushButton("Choose…")
        browse.clicked.connect(self._choose_folder)
        where = QHBoxLayout()
        where.addWidget(self.folder, 1)
        where.addWidget(browse)
        form = QFormLayout()
        form.addRow("Quarter", self.quarter)
        form.addRow("Team", self.team)
        form.addRow("Agent", self.agent)
        form.addRow("Paper", self.paper)
        form.addRow("Save in", where)
        self.covers = QLabel()
        self.covers.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = buttons.addButton("Export", QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.clicked.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("PDF (findings, charts, tables, methods), PNG and SVG charts, and CSV tables."))
        layout.addLayout(form)
        layout.addWidget(self.covers)
        layout.addWidget(buttons)
        for box in (self.quarter, self.team, self.agent):
            box.currentIndexChanged.connect(self._show_cover)
        self._show_cover()

    @staticmethod
    def _box(everyone: str, values: list[str], current: str | None) -> QComboBox:
        box = QComboBox()
        box.addItem(everyone, None)
        for value in values:
            box.addItem(value, value)
        box.setCurrentIndex(max(0, box.findData(current)))
        return box

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Save the report in…", self.folder.text())
        if folder:
            self.folder.setText(folder)

    def _show_cover(self) -> None:
        quarter = self.quarter.currentData()
        if quarter is None:
            self.covers.setText("No calls have a quarter yet: nothing to report.")
            self.export_button.setEnabled(False)
            return
        n = self._count(quarter, self.team.currentData(), self.agent.currentData())
        who = " · ".join(b.currentText() for b in (self.team, self.agent))
        text = f"The report covers {quarter} · {who}: <b>{plural(n, 'reviewed call')}</b>."
        if n < MIN_FOR_CHARTS:
            text += f" Charts need at least {MIN_FOR_CHARTS}; the report will say which could not be drawn."
        self.covers.setText(text)
        self.export_button.setEnabled(True)

    def selection(self) -> tuple[str, str | None, str | None, str, Path]:
        """(quarter, team, agent, paper, folder)."""
        return (
            self.quarter.currentData(),
            self.team.currentData(),
            self.agent.currentData(),
            self.paper.currentData(),
            Path(self.folder.text()).expanduser(),
        )
