"""Editing calls' details in the Library: agent, team, customer, call id and start, for one call or many."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from empathy_audit.audio.layout import LAYOUT_NAMES
from empathy_audit.domain import Call

KEEP = "(as each call has it)"
TWO_CHANNEL_LAYOUTS = ("dual", "dual_mono", "dual_bleed")

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
        self._add_sides(form)
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

    def _add_sides(self, form: QFormLayout) -> None:
        """How the calls' channels are laid out and which side is the agent (two-channel calls only)."""
        two = all(c.channels == 2 for c in self.calls)
        self.layout_box = QComboBox()
        self.side_box = QComboBox()
        self.retranscribe = QCheckBox("Transcribe again now, so the transcript follows the new layout")
        layouts = {c.layout for c in self.calls}
        sides = {c.agent_channel for c in self.calls}
        if two:
            if len(layouts) > 1:
                self.layout_box.addItem(KEEP, None)
            for layout in TWO_CHANNEL_LAYOUTS:
                self.layout_box.addItem(LAYOUT_NAMES[layout].capitalize(), layout)
            if len(layouts) == 1:
                self.layout_box.setCurrentIndex(self.layout_box.findData(layouts.pop()))
            if len(sides) > 1:
                self.side_box.addItem(KEEP, None)
            self.side_box.addItem("Left channel", "left")
            self.side_box.addItem("Right channel", "right")
            if len(sides) == 1:
                self.side_box.setCurrentIndex(self.side_box.findData(sides.pop()))
        else:
            self.layout_box.addItem("Mono" if all(c.channels != 2 for c in self.calls) else KEEP, None)
            self.side_box.addItem("Told apart by voice" if all(c.channels != 2 for c in self.calls) else KEEP, None)
            self.layout_box.setEnabled(False)
            self.side_box.setEnabled(False)
        self.layout_box.setToolTip(
            "One side per channel; mono copied to both channels (transcribed once, voices told apart); "
            "or one side per channel with each faintly on the other (echo, crosstalk: a word heard on both "
            "belongs to the louder side)"
        )
        self.side_box.setToolTip("The agent's channel. In Review, A swaps agent and customer of the open call.")
        self._initial_layout = self.layout_box.currentData()
        self._initial_side = self.side_box.currentData()
        self.layout_box.currentIndexChanged.connect(self._layout_changed)
        self.retranscribe.setChecked(True)
        self.retranscribe.setVisible(False)
        form.addRow("Channels", self.layout_box)
        form.addRow("Agent side", self.side_box)
        form.addRow("", self.retranscribe)
        self._layout_changed()

    def _layout_changed(self) -> None:
        layout = self.layout_box.currentData()
        self.side_box.setEnabled(layout in (None, "dual", "dual_bleed") and self.layout_box.isEnabled())
        transcribed = any(c.status == "transcribed" for c in self.calls)
        self.retranscribe.setVisible(transcribed and self.layout() is not None)

    def layout(self) -> str | None:
        """The layout chosen, when changed (None: keep)."""
        value = self.layout_box.currentData()
        return value if value != self._initial_layout else None

    def agent_side(self) -> str | None:
        """The agent's side chosen, when changed (None: keep)."""
        value = self.side_box.currentData()
        return value if value != self._initial_side and self.side_box.isEnabled() else None

    def transcribe_again(self) -> bool:
        return not self.retranscribe.isHidden() and self.retranscribe.isChecked()  # the dialog is closed by now

    def values(self) -> dict[str, str]:
        changed = {k: e.text().strip() for k, e in self.edits.items() if e.text().strip() != self._initial[k].strip()}
        if len(self.calls) > 1:  # an empty field keeps each call's own value
            changed = {k: v for k, v in changed.items() if v or self._initial[k]}
        return changed

    def show_problem(self, text: str) -> None:
        self.problem.setText(text[:1].upper() + text[1:])
