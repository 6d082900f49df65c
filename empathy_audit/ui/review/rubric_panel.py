"""The rubric panel: one row per criterion with 0..max score / N/A, anchor texts, a comment and evidence."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from empathy_audit.scoring.rubric import Criterion, Rubric
from empathy_audit.store.reviews import Evidence, Review
from empathy_audit.transcription.formats import format_duration

NA = -1  # button id for N/A


class CriterionRow(QFrame):
    score_chosen = Signal(str, object)  # key, score or None (N/A)
    comment_edited = Signal(str, str)
    evidence_activated = Signal(object)  # Evidence
    evidence_removed = Signal(int)
    focus_requested = Signal(str)

    def __init__(self, criterion: Criterion, max_score: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.criterion = criterion
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName("criterion")
        title = QLabel(f"<b>{criterion.label}</b>" + (" <i>(critical)</i>" if criterion.critical else ""))
        question = QLabel(criterion.question)
        question.setWordWrap(True)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        buttons = QHBoxLayout()
        self.buttons: dict[int, QPushButton] = {}
        for score in range(max_score + 1):
            button = QPushButton(str(score))
            button.setToolTip(f"{score}: {criterion.levels[score]}")
            self._add(button, score, buttons)
        if criterion.allow_na:
            self._add(QPushButton("N/A"), NA, buttons)
            self.buttons[NA].setToolTip("Not applicable (N): left out of the average, never counted as 0")
        buttons.addStretch(1)
        self.max_score = max_score
        self.anchor = QLabel(self._unscored_text())
        self.anchor.setWordWrap(True)
        self.anchor.setEnabled(False)
        self.comment = QLineEdit(placeholderText=f"Comment on {criterion.label.lower()} (C)")
        self.comment.textEdited.connect(lambda text: self.comment_edited.emit(self.criterion.key, text))
        self.evidence = QListWidget()
        self.evidence.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.evidence.setWordWrap(False)  # one line per moment (the whole turn on hover), so the box fits them
        self.evidence.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.evidence.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.evidence.setToolTip("Evidence moments: click to play; select and press Delete to remove")
        self.evidence.itemClicked.connect(
            lambda item: self.evidence_activated.emit(item.data(Qt.ItemDataRole.UserRole))
        )
        self.evidence.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(question)
        layout.addLayout(buttons)
        layout.addWidget(self.anchor)
        layout.addWidget(self.comment)
        layout.addWidget(self.evidence)

    def _unscored_text(self) -> str:
        return f"Not scored yet. Press 0–{self.max_score}" + (" or N" if self.criterion.allow_na else "") + "."

    def _add(self, button: QPushButton, score: int, layout: QHBoxLayout) -> None:
        button.setCheckable(True)
        # The chosen score must be unmistakable at a glance, enabled or not.
        button.setStyleSheet(
            "QPushButton:checked { background: palette(highlight); color: palette(highlighted-text);"
            " font-weight: bold; border: 1px solid palette(highlight); border-radius: 3px; padding: 3px; }"
        )
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.setFixedWidth(44)
        self.group.addButton(button, score)
        self.buttons[score] = button
        layout.addWidget(button)
        button.clicked.connect(lambda _c=False, s=score: self._on_button_clicked(s))

    def _on_button_clicked(self, score: int) -> None:
        self.focus_requested.emit(self.criterion.key)
        self.score_chosen.emit(self.criterion.key, None if score == NA else score)

    def show_score(self, score: int | None, scored: bool) -> None:
        self.anchor.setEnabled(scored)  # the chosen level's anchor reads at full strength
        if not scored:
            self.group.setExclusive(False)
            for button in self.buttons.values():
                button.setChecked(False)
            self.group.setExclusive(True)
            self.anchor.setText(self._unscored_text())
            return
        self.buttons[NA if score is None else score].setChecked(True)
        self.anchor.setText("N/A: left out of the average." if score is None else self.criterion.levels[score])

    def show_evidence(self, items: list[Evidence], describe: dict[int, str]) -> None:
        self.evidence.clear()
        for item in items:
            text = describe.get(item.segment_id or -1) or f"{format_duration(item.start_s)}"
            row = QListWidgetItem(f"▶ {format_duration(item.start_s)}  {text}")
            row.setToolTip(text)
            row.setData(Qt.ItemDataRole.UserRole, item)
            self.evidence.addItem(row)
        self.evidence.setVisible(bool(items))
        # As tall as its moments (up to four), never a tall box around one cut-off line.
        shown = min(4, len(items))
        rows = sum(self.evidence.sizeHintForRow(i) for i in range(shown))
        self.evidence.setFixedHeight(rows + 2 * self.evidence.frameWidth() + 2 if items else 0)

    def set_focused(self, focused: bool) -> None:
        self.setProperty("focused", focused)
        self.setLineWidth(3 if focused else 1)
        self.setFrameShadow(QFrame.Shadow.Plain if focused else QFrame.Shadow.Sunken)
        self.setStyleSheet(
            "QFrame#criterion { border: 2px solid palette(highlight); border-radius: 6px; }" if focused else ""
        )

    def set_editable(self, editable: bool) -> None:
        for button in self.buttons.values():
            button.setEnabled(editable)
        self.comment.setReadOnly(not editable)


class RubricPanel(QWidget):
    """All criteria of a rubric; keeps track of the focused one for keyboard scoring."""

    score_chosen = Signal(str, object)
    comment_edited = Signal(str, str)
    evidence_activated = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.rows: list[CriterionRow] = []
        self.focused = 0
        self.rubric: Rubric | None = None
        self.header = QLabel()
        self.layout_.addWidget(self.header)

    def set_rubric(self, rubric: Rubric) -> None:
        if self.rubric is not None and self.rubric.id == rubric.id and self.rows:
            return
        for row in self.rows:
            row.setParent(None)
            row.deleteLater()
        self.rubric = rubric
        self.header.setText(f"<b>{rubric.name}</b> · version {rubric.version}")
        self.rows = []
        for criterion in rubric.criteria:
            row = CriterionRow(criterion, rubric.max_score, self)
            row.score_chosen.connect(self.score_chosen)
            row.comment_edited.connect(self.comment_edited)
            row.evidence_activated.connect(self.evidence_activated)
            row.focus_requested.connect(self.focus_key)
            self.layout_.addWidget(row)
            self.rows.append(row)
        self.focus(0)

    def show_review(self, review: Review, describe: dict[int, str]) -> None:
        for row in self.rows:
            key = row.criterion.key
            row.show_score(review.scores.get(key), key in review.scores)
            if row.comment.text() != review.comments.get(key, ""):
                row.comment.setText(review.comments.get(key, ""))
            row.show_evidence([e for e in review.evidence if e.criterion_key == key], describe)
            row.set_editable(not review.submitted)

    def focus(self, index: int) -> None:
        if not self.rows:
            return
        self.focused = index % len(self.rows)
        for i, row in enumerate(self.rows):
            row.set_focused(i == self.focused)

    def focus_key(self, key: str) -> None:
        for i, row in enumerate(self.rows):
            if row.criterion.key == key:
                self.focus(i)

    def focused_key(self) -> str | None:
        return self.rows[self.focused].criterion.key if self.rows else None

    def focused_row(self) -> CriterionRow | None:
        return self.rows[self.focused] if self.rows else None
