"""The top of Review: the call's name and facts, why it is in the queue (or which calibration set it is
for), and the buttons that act on the whole call."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from empathy_audit.audio.layout import describe_sides
from empathy_audit.domain import Call
from empathy_audit.languages import language_name
from empathy_audit.store.calibration import CalibrationSet
from empathy_audit.transcription.formats import format_duration

COMMENT_SHOWN = 300  # characters in the header; the tooltip has the whole comment


def calibration_banner(cset: CalibrationSet, reviewer: str) -> str:
    if reviewer == cset.lead:
        return f"Calibration “{cset.name}”: you lead it, so your scores here are its gold scores."
    if cset.blind:
        return (
            f"Calibration “{cset.name}”, scored blind: other reviewers' and gold scores appear in the Calibration "
            "section once you submit."
        )
    return f"Calibration “{cset.name}”: this review is for the set and does not count in the audit."


def call_facts(call: Call) -> str:
    bits = [
        call.agent or "no agent",
        call.team or "no team",
        (call.call_start or call.imported_at)[:16].replace("T", " "),
        format_duration(call.duration_s),
        describe_sides(call),
    ]
    if call.language and call.language != "en":
        bits.insert(4, language_name(call.language))  # English is the usual case; another language is news
    return "  ·  ".join(bits)


class CallHeader(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel()
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.title.setFont(font)
        self.meta = QLabel()
        self.reasons = QLabel()
        self.reasons.setWordWrap(True)
        self.comment = QLabel()  # what the customer wrote in the survey, when an export gave it
        self.comment.setWordWrap(True)
        self.comment.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.comment.setAccessibleName("Customer's survey comment")
        self.next_button = QPushButton("Next Call")
        self.next_button.setToolTip("Open the next call in the review queue")
        self.clip_button = QPushButton("Save Clip…  (S)")
        self.clip_button.setToolTip("Save the selected moment (waveform drag or transcript turns) as a coaching clip")
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(0, 0, 0, 0)
        text = QVBoxLayout()
        text.addWidget(self.title)
        text.addWidget(self.meta)
        text.addWidget(self.reasons)
        text.addWidget(self.comment)
        self.row.addLayout(text, 1)
        self.row.addWidget(self.clip_button, 0, Qt.AlignmentFlag.AlignTop)
        self.row.addWidget(self.next_button, 0, Qt.AlignmentFlag.AlignTop)

    def add_tool(self, widget: QWidget) -> None:
        """A control beside the buttons (Hide Personal Data)."""
        self.row.insertWidget(1, widget, 0, Qt.AlignmentFlag.AlignTop)

    def show_call(
        self,
        call: Call,
        reasons: list[str],
        calibration: CalibrationSet | None,
        reviewer: str,
        comment: tuple[str, str] | None = None,
        hide_personal: bool = False,
    ) -> None:
        """`comment`: the survey's (text, source); shown with personal data hidden when Review hides it."""
        self.show_comment(comment, call.language, hide_personal)
        self.title.setText(call.original_name)
        self.meta.setText(call_facts(call))
        text = "In the queue: " + "; ".join(reasons) if reasons else ""
        if calibration is not None:
            text = calibration_banner(calibration, reviewer)
        self.reasons.setText(text)
        self.reasons.setVisible(bool(text))

    def show_comment(self, comment: tuple[str, str] | None, language: str | None, hide_personal: bool) -> None:
        if comment is None:
            self.comment.setVisible(False)
            return
        text, source = comment
        if hide_personal:
            from empathy_audit.privacy.call_findings import redact_text

            text = redact_text(text, language=language)
        shown = text if len(text) <= COMMENT_SHOWN else text[: COMMENT_SHOWN - 1] + "…"
        self.comment.setText(f"Customer's comment: “{shown}”")
        self.comment.setToolTip(f"{text}\n\nFrom the survey export {source}" if source else text)
        self.comment.setVisible(True)
