"""Save or edit a clip: title, tags, criterion, note and span, with a live preview of what it will say."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from empathy_audit.changes import NOTHING
from empathy_audit.clips.spans import PADDING_S, SpanProblem, excerpt, render_excerpt, snap_span
from empathy_audit.domain import Call, Segment
from empathy_audit.privacy import PersonalDataSpan, find_in_call
from empathy_audit.services.clips import ClipsService
from empathy_audit.store.clips import Clip, ClipProblem
from empathy_audit.transcription.formats import SPEAKER_LABELS, format_duration
from empathy_audit.wording import plural


def bleep_reasons(spans: Sequence[PersonalDataSpan]) -> str:
    """One line per moment that redaction will bleep: when, what, who, and why it was found."""
    return "\n".join(
        f"{format_duration(s.start_s)}–{format_duration(s.end_s)}  {s.kind} "
        f"({SPEAKER_LABELS.get(s.speaker, s.speaker)}): {s.why}"
        for s in spans
    )


class ClipDialog(QDialog):
    """Creates a clip (no `clip` given) or edits one; `saved` holds the result after accept()."""

    def __init__(
        self,
        clips: ClipsService,
        call: Call,
        segments: Sequence[Segment],
        start_s: float,
        end_s: float,
        clip: Clip | None = None,
        criterion: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.clips, self.call, self.segments, self.clip = clips, call, list(segments), clip
        self.changes = NOTHING  # what saving changed, for the section to announce
        self.findings = find_in_call(self.segments, call.language)
        self.saved: Clip | None = None
        self.setWindowTitle("Edit Clip" if clip else "Save Clip")
        self.setMinimumWidth(680)

        self.title = QLineEdit(clip.title if clip else "")
        self.title.setPlaceholderText("What does this moment show? e.g. “Genuine acknowledgment of a repeat caller”")
        self.tags = QLineEdit(", ".join(clip.tags) if clip else "")
        self.tags.setPlaceholderText("comma-separated, e.g. acknowledgment-great, repeat-caller")
        completer = QCompleter(clips.tags(), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.tags.setCompleter(completer)
        self.criterion = QComboBox()
        self.criterion.addItem("(none)", None)
        for key, label in clips.criteria().items():
            self.criterion.addItem(label, key)
        wanted = clip.criterion_key if clip else criterion
        self.criterion.setCurrentIndex(max(0, self.criterion.findData(wanted)))
        self.note = QPlainTextEdit(clip.note if clip else "")
        self.note.setPlaceholderText("What should a trainee notice?")
        self.note.setMaximumHeight(80)

        self.start = self._spin(start_s)
        self.end = self._spin(end_s)
        self.snap = QCheckBox("Snap to whole words (with a little padding)")
        self.snap.setChecked(clip is None)
        span_row = QHBoxLayout()
        span_row.addWidget(QLabel("From"))
        span_row.addWidget(self.start)
        span_row.addWidget(QLabel("to"))
        span_row.addWidget(self.end)
        span_row.addStretch(1)
        self.span_info = QLabel()
        self.span_info.setWordWrap(True)
        self.preview = QLabel()
        self.preview.setWordWrap(True)
        self.preview.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.preview.setStyleSheet("QLabel { padding: 6px; border: 1px solid palette(mid); border-radius: 4px; }")
        self.bleeps = QLabel()
        self.bleeps.setWordWrap(True)
        self.bleeps.setTextFormat(Qt.TextFormat.PlainText)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b00020;")

        form = QFormLayout()
        form.addRow("&Title", self.title)
        form.addRow("T&ags", self.tags)
        form.addRow("&Illustrates", self.criterion)
        form.addRow("&Note", self.note)
        form.addRow("Span", span_row)
        form.addRow("", self.snap)
        form.addRow("", self.span_info)
        form.addRow("Transcript", self.preview)
        form.addRow("Bleeped", self.bleeps)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        for spin in (self.start, self.end):
            spin.valueChanged.connect(self._update_preview)
        self.snap.toggled.connect(self._update_preview)
        self._update_preview()
        self.title.setFocus()

    def _spin(self, value: float) -> QDoubleSpinBox:
        spin = QDoubleSpinBox()
        spin.setDecimals(2)
        spin.setSingleStep(0.1)
        spin.setRange(0.0, max(0.0, self.call.duration_s))
        spin.setSuffix(" s")
        spin.setValue(value)
        return spin

    def span(self) -> tuple[float, float]:
        """The span the clip will have, as the core will snap it."""
        padding = PADDING_S if self.snap.isChecked() else 0.0
        words = self.segments if self.snap.isChecked() else []
        return snap_span(words, self.start.value(), self.end.value(), self.call.duration_s, padding)

    def _update_preview(self) -> None:
        try:
            start, end = self.span()
        except SpanProblem as exc:
            self.span_info.setText("")
            self.preview.setText("")
            self.problem.setText(str(exc).capitalize())
            return
        self.problem.setText("")
        found = self.findings.spans_between(start, end)
        info = f"{start:.2f}–{end:.2f} s  ({end - start:.1f} s)"
        if found:
            info += f"  ·  {plural(len(found), 'personal-data moment')} will be bleeped in redacted exports"
        self.span_info.setText(info)
        self.bleeps.setText(bleep_reasons(found) or "Nothing: no personal data found in this span.")
        text = render_excerpt(excerpt(self.segments, start, end, self.findings))
        self.preview.setText(text or "(no words in this span)")

    def accept(self) -> None:
        tags = [self.tags.text()]
        try:
            if self.clip is None:
                done = self.clips.create(
                    self.call.id,
                    self.start.value(),
                    self.end.value(),
                    self.title.text(),
                    tags=tags,
                    note=self.note.toPlainText(),
                    criterion_key=self.criterion.currentData(),
                    snap=self.snap.isChecked(),
                )
            else:
                done = self.clips.update(
                    self.clip.id,
                    title=self.title.text(),
                    tags=tags,
                    note=self.note.toPlainText(),
                    criterion_key=self.criterion.currentData(),
                    start_s=self.start.value(),
                    end_s=self.end.value(),
                    snap=self.snap.isChecked(),
                )
        except ClipProblem as exc:
            self.problem.setText(str(exc).capitalize())
            (self.title if "title" in str(exc) else self.start).setFocus()
            return
        self.saved, self.changes = done.clip, done.changes
        super().accept()
