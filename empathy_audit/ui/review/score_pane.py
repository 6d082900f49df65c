"""The Score tab of Review: the rubric, the context of the call, notes, and an always-visible action bar
(the review's score, Submit & Next or Revise, and every message) below the part that scrolls."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from empathy_audit.scoring.rubric import Rubric, ScoreSummary
from empathy_audit.store.reviews import Review
from empathy_audit.ui.review.rubric_panel import RubricPanel

NO_FLAG = "Empathy-first applies"


class ScorePane(QWidget):
    text_edited = Signal(str, str)  # review field, new value (only for changes the reviewer made)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rubric_panel = RubricPanel()
        self.emotion = QComboBox()
        self.emotion.setEditable(True)
        self.emotion.setPlaceholderText("How did the customer feel?")
        self.context_flag = QComboBox()
        self.overall_note = QPlainTextEdit(placeholderText="Overall note")
        self.data_missed = QPlainTextEdit(
            placeholderText="What did the data miss? (e.g. CSAT 5, but the customer sounded resigned)"
        )
        for box in (self.overall_note, self.data_missed):
            box.setMaximumHeight(70)
        form = QFormLayout()
        form.addRow("Customer's emotion", self.emotion)
        form.addRow("Context", self.context_flag)
        form.addRow("Overall note", self.overall_note)
        form.addRow("What did the data miss?", self.data_missed)
        self.summary = QLabel()
        self.state = QLabel()
        self.state.setWordWrap(True)
        self.submit_button = QPushButton("Submit && Next  (Ctrl+Enter)")
        self.revise_button = QPushButton("Revise Review")

        page = QWidget()
        page_layout = QVBoxLayout(page)
        page_layout.addWidget(self.rubric_panel)
        page_layout.addLayout(form)
        page_layout.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(page)
        # Submit, Revise, the score and every message stay in view below the scrolling rubric.
        action_bar = QWidget()
        action_bar.setObjectName("reviewActions")
        bar = QVBoxLayout(action_bar)
        bar.setContentsMargins(6, 4, 6, 4)
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary, 1)
        buttons.addWidget(self.revise_button)
        buttons.addWidget(self.submit_button)
        bar.addLayout(buttons)
        bar.addWidget(self.state)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(action_bar)

        self.emotion.currentTextChanged.connect(lambda text: self.text_edited.emit("emotional_context", text))
        self.context_flag.currentIndexChanged.connect(
            lambda _i: self.text_edited.emit("context_flag", self.context_flag.currentData() or "")
        )
        self.overall_note.textChanged.connect(
            lambda: self.text_edited.emit("overall_note", self.overall_note.toPlainText())
        )
        self.data_missed.textChanged.connect(
            lambda: self.text_edited.emit("data_missed", self.data_missed.toPlainText())
        )

    def set_rubric(self, rubric: Rubric) -> None:
        """A call opened: its rubric, the first criterion focused, the panel at the top."""
        self.rubric_panel.set_rubric(rubric)
        self.rubric_panel.focus(0)
        self.scroll.verticalScrollBar().setValue(0)
        for box in (self.emotion, self.context_flag):
            box.blockSignals(True)
            box.clear()
        self.emotion.addItems(["", *rubric.emotional_contexts])
        self.context_flag.addItem(NO_FLAG, "")
        for flag in rubric.context_flags:
            self.context_flag.addItem(f"Not applicable: {flag}", flag)
        for box in (self.emotion, self.context_flag):
            box.blockSignals(False)

    def show_review(self, review: Review, rubric: Rubric, summary: ScoreSummary, turns: dict[int, str]) -> None:
        """Show a review's values without saving them back (signals are blocked while filling)."""
        self.rubric_panel.show_review(review, turns)
        for widget, value in ((self.overall_note, review.overall_note), (self.data_missed, review.data_missed)):
            if widget.toPlainText() != (value or ""):
                widget.blockSignals(True)
                widget.setPlainText(value or "")
                widget.blockSignals(False)
        self.emotion.blockSignals(True)
        self.emotion.setCurrentText(review.emotional_context or "")
        self.emotion.blockSignals(False)
        self.context_flag.blockSignals(True)
        self.context_flag.setCurrentIndex(max(0, self.context_flag.findData(review.context_flag or "")))
        self.context_flag.blockSignals(False)
        editable = not review.submitted
        for widget in (self.overall_note, self.data_missed):
            widget.setReadOnly(not editable)
        self.emotion.setEnabled(editable)
        self.context_flag.setEnabled(editable)
        self.submit_button.setVisible(editable)
        self.revise_button.setVisible(not editable)
        if summary.mean is None:
            self.summary.setText("Score: not scored yet")
        else:
            text = f"Score: {summary.mean:.2f} / {rubric.max_score}  ({summary.percent:.0f}%)"
            if summary.failed_critical:
                text += "  — fails: a critical criterion is 0"
            self.summary.setText(text)
        self.show_state(review)

    def show_state(self, review: Review, message: str = "") -> None:
        if review.submitted:
            state = f"Submitted by {review.reviewer} at {(review.submitted_at or '')[:16].replace('T', ' ')}"
        else:
            state = f"Draft, saved automatically at {datetime.now():%H:%M:%S}"
        self.state.setText(state + (f"\n{message}" if message else ""))

    def focus_criterion(self, index: int) -> None:
        """Focus a criterion and bring it into view."""
        self.rubric_panel.focus(index)
        self.show_focused_criterion()

    def show_focused_criterion(self) -> None:
        row = self.rubric_panel.focused_row()
        if row is not None:
            self.scroll.ensureWidgetVisible(row, 0, 8)
