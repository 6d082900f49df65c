"""The left of Review: the player, the waveform and the transcript, kept in sync with what is heard."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from empathy_audit.domain import Call, Segment
from empathy_audit.reviewing.cues import CueHit
from empathy_audit.reviewing.uncertain import DEFAULT_THRESHOLD, UncertainWord, next_uncertain
from empathy_audit.ui.review.player_bar import PlayerBar
from empathy_audit.ui.review.transcript_view import TranscriptView
from empathy_audit.ui.review.waveform_strip import WaveformStrip


def no_transcript_text(call: Call) -> str:
    return {
        "new": "This call is waiting to be transcribed. You can listen and score it meanwhile.",
        "transcribing": "This call is being transcribed; the transcript appears here when it is done.",
        "no_speech": "No speech was found in this recording.",
        "failed": f"Transcription failed: {call.error or 'unknown reason'}.",
    }.get(call.status, "This call has no transcript.")


class ListenPane(QWidget):
    transcribe_requested = Signal()  # "Transcribe This Call Now" on a call without a transcript

    def __init__(
        self,
        volume: int,
        rate: float,
        uncertain_below: Callable[[], float] = lambda: DEFAULT_THRESHOLD,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.segments: list[Segment] = []
        self.uncertain_below = uncertain_below  # read at each transcript shown: Preferences may change it
        self.player = PlayerBar(volume, rate)
        self.waveform = WaveformStrip()
        self.transcript = TranscriptView()
        self.no_transcript = QLabel()
        self.no_transcript.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.no_transcript.setWordWrap(True)
        self.transcribe_button = QPushButton("Transcribe This Call Now")
        self.transcribe_button.setToolTip("Transcribe it next, ahead of the others waiting (offline, on this computer)")
        self.transcribe_button.clicked.connect(self.transcribe_requested)
        waiting = QWidget()
        waiting_layout = QVBoxLayout(waiting)
        waiting_layout.addStretch(1)
        waiting_layout.addWidget(self.no_transcript)
        waiting_layout.addWidget(self.transcribe_button, 0, Qt.AlignmentFlag.AlignHCenter)
        waiting_layout.addStretch(1)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.transcript)
        self.stack.addWidget(waiting)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.player)
        layout.addWidget(self.waveform)
        layout.addWidget(self.stack, 1)
        self.player.position_changed.connect(self._on_player_position_changed)
        self.waveform.seek_requested.connect(self.player.seek)
        self.transcript.segment_clicked.connect(self._on_transcript_segment_clicked)

    def show_transcript(self, call: Call, segments: Sequence[Segment], cues: Sequence[CueHit]) -> None:
        self.segments = list(segments)
        self.transcript.transcript.language = call.language  # before the reset: Hide Personal Data reads it
        self.transcript.transcript.set_transcript(self.segments, list(cues), self.uncertain_below())
        if self.segments:
            self.stack.setCurrentIndex(0)
        else:
            self.no_transcript.setText(no_transcript_text(call))
            self.transcribe_button.setVisible(call.status in ("new", "failed"))
            self.transcribe_button.setText("Try Again" if call.status == "failed" else "Transcribe This Call Now")
            self.stack.setCurrentIndex(1)

    def show_call(self, call: Call, audio: object, segments: Sequence[Segment], cues: Sequence[CueHit]) -> None:
        """A call opened: its transcript, its recording in the player, its timeline (the waveform follows)."""
        self.show_transcript(call, segments, cues)
        self.player.load(audio)  # type: ignore[arg-type]
        self.waveform.set_call(call.duration_s, self.segments)

    def play_row(self, row: int) -> None:
        if 0 <= row < len(self.segments):
            self.transcript.select_row(row)
            self.player.seek(int(self.segments[row].start * 1000))

    def refresh_uncertain(self) -> None:
        self.transcript.transcript.set_uncertain_threshold(self.uncertain_below())

    def jump_to_uncertain(self, step: int) -> tuple[UncertainWord, int, int] | None:
        """Select the next (step 1) or previous (-1) uncertain word's turn, mark the word and put the player
        just before it; returns the word, its number and how many there are (None when there are none)."""
        model = self.transcript.transcript
        word = next_uncertain(model.uncertain, model.focused_uncertain, step)
        if word is None:
            return None
        model.focus_uncertain(word)
        self.transcript.select_row(word.row)
        self.player.seek(max(0, int(word.start * 1000) - 300))  # a moment before it, to hear it in context
        return word, model.uncertain.index(word) + 1, len(model.uncertain)

    def _on_player_position_changed(self, ms: int) -> None:
        self.waveform.set_position(ms)
        self.transcript.follow_time(ms / 1000)

    def _on_transcript_segment_clicked(self, row: int) -> None:
        if 0 <= row < len(self.segments):
            self.player.seek(int(self.segments[row].start * 1000))
