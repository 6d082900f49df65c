"""Disputes waiting for a decision (or all of them): accept, partly accept with a score, reject or escalate,
decided as the app's user (the reviewer name set in the app)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from empathy_audit.coaching.disputes import DisputeProblem
from empathy_audit.services import WorkspaceServices
from empathy_audit.ui.rows_model import rows_model
from empathy_audit.wording import CRITERION_LABELS as LABELS

FILTERS = [("Waiting for a decision", None), ("Open", "open"), ("Escalated", "escalated"), ("Accepted", "accepted"),
           ("Partly accepted", "partly_accepted"), ("Rejected", "rejected"), ("All", "all")]  # fmt: skip


def _decision(d: Any) -> str:
    if not d.decided_by:
        return ""
    score = "-" if d.decided_score is None else d.decided_score
    return f"{d.decided_by}: {score}" + (f" ({d.decision_comment})" if d.decision_comment else "")


class DisputesView(QWidget):
    changed = Signal(object)  # Changes

    def __init__(self, services: WorkspaceServices, user: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.user = user  # () -> the name decisions are made under
        self.rows: list = []
        self.ask_comment = lambda title: QInputDialog.getText(self, title, "Comment for the agent (optional)")
        self.ask_score = lambda title, low, high: QInputDialog.getInt(self, title, "Agreed score", low, low, high)
        self.tell = lambda text: QMessageBox.warning(self, "Not Decided", text)
        self.state = QComboBox()
        self.state.setAccessibleName("Which disputes")
        for label, value in FILTERS:
            self.state.addItem(label, value)
        self.state.currentIndexChanged.connect(self.refresh)
        self.table = QTableView()
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        self.table.setAccessibleName("Disputes")
        self.buttons = {}
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Show"))
        bar.addWidget(self.state)
        bar.addStretch(1)
        for decision, text in (("accept", "Accept"), ("partial", "Partly Accept…"), ("reject", "Reject…"),
                               ("escalate", "Escalate…")):  # fmt: skip
            button = QPushButton(text)
            button.clicked.connect(lambda _c=False, d=decision: self.decide(d))
            self.buttons[decision] = button
            bar.addWidget(button)
        self.note = QLabel()
        self.note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.note)

    def refresh(self) -> None:
        state = self.state.currentData()
        found = self.services.coaching.disputes(None if state in (None, "all") else state)
        if state is None:
            found = [d for d in found if d.state in ("open", "escalated")]
        self.rows = found
        self.table.setModel(
            rows_model(
                ["#", "State", "Call", "Agent", "Reviewer", "Criterion", "Score → proposed", "Reason", "Decision"],
                [[d.id, d.state.replace("_", " "), d.call_name, d.agent or "", d.reviewer,
                  LABELS.get(d.criterion_key, d.criterion_key),
                  f"{d.original_score} → {d.proposed_score}", d.reason,
                  _decision(d)] for d in found],
            )
        )  # fmt: skip
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        if found:
            self.table.selectRow(0)
        waiting = sum(d.state in ("open", "escalated") for d in found)
        self.note.setText(
            f"{len(found)} disputes shown, {waiting} waiting. Accepting makes a new version of the review with the "
            "agreed score (the audit counts it; the disputed version stays in its history). An escalated dispute is "
            "decided by someone other than the original reviewer."
        )

    def current(self) -> Any:
        index = self.table.currentIndex()
        return self.rows[index.row()] if index.isValid() and index.row() < len(self.rows) else None

    def decide(self, decision: str) -> None:
        dispute = self.current()
        if dispute is None:
            return
        score = None
        if decision == "partial":
            low, high = sorted((dispute.original_score or 0, dispute.proposed_score))
            if high - low < 2:
                self.tell(f"No score lies between {low} and {high}: accept or reject this dispute.")
                return
            score, ok = self.ask_score(f"Partly Accept Dispute {dispute.id}", low + 1, high - 1)
            if not ok:
                return
        comment, ok = ("", True) if decision == "accept" else self.ask_comment(f"Dispute {dispute.id}")
        if not ok:
            return
        try:
            _d, changes = self.services.coaching.resolve_dispute(
                dispute.id, decision, self.user() or "", score, comment or None
            )
        except DisputeProblem as exc:
            self.tell(str(exc)[:1].upper() + str(exc)[1:] + ".")
            return
        self.changed.emit(changes)
        self.refresh()
