"""Editing calls' details in the Library: agent, team, customer, call id and start, for one call or many."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from empathy_audit.domain import Call

FIELDS = [
    ("agent", "Agent", "e.g. Sam Lee"),
    ("team", "Team", "e.g. Billing"),
    ("customer_id", "Customer", "the customer's id in your CRM (finds repeat contacts)"),
    ("external_id", "Call ID", "the call's id in your telephony or CRM system (matches CSAT exports)"),
    ("call_start", "Started", "e.g. 2026-08-14 10:30 (sets its quarter)"),
]


class CallDetailsDialog(QDialog):
    """`values()` after accept: only the fields the user changed ('' clears a field)."""

    def __init__(self, calls: list[Call], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.calls = calls
        one = len(calls) == 1
        self.setWindowTitle("Call Details" if one else f"Details of {len(calls)} Calls")
        self.setMinimumWidth(520)
        self.edits: dict[str, QLineEdit] = {}
        self._initial: dict[str, str] = {}
        form = QFormLayout()
        for key, label, hint in FIELDS:
            values = {(getattr(c, key) or "") for c in calls}
            shared = values.pop() if len(values) == 1 else None
            edit = QLineEdit(shared.replace("T", " ")[:16] if key == "call_start" and shared else (shared or ""))
            edit.setPlaceholderText(hint if shared is not None else "(different in each call; leave empty to keep)")
            edit.setToolTip(hint)
            self._initial[key] = edit.text()
            self.edits[key] = edit
            form.addRow(label, edit)
        names = ", ".join(c.original_name for c in calls[:3]) + (" …" if len(calls) > 3 else "")
        intro = QLabel(names if one else f"{len(calls)} calls: {names}. What you type here is set on all of them.")
        intro.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b00020")
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)

    def values(self) -> dict[str, str]:
        changed = {k: e.text().strip() for k, e in self.edits.items() if e.text().strip() != self._initial[k].strip()}
        if len(self.calls) > 1:  # an empty field keeps each call's own value
            changed = {k: v for k, v in changed.items() if v or self._initial[k]}
        return changed

    def show_problem(self, text: str) -> None:
        self.problem.setText(text[:1].upper() + text[1:])
