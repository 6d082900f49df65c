"""The Review section: listen with the transcript in sync and score the rubric from the keyboard.

Every change is saved the moment it is made (scores, comments, notes, evidence), so closing
or killing the app loses at most the keystroke in flight.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from empathy_audit.audio.waveform import Waveform, load_or_compute_waveform
from empathy_audit.domain import Call, Segment
from empathy_audit.reviewing.cues import CueHit, find_cues
from empathy_audit.reviewing.queue import QueueItem
from empathy_audit.scoring.rubric import Rubric
from empathy_audit.services.review_session import ReviewSession
from empathy_audit.store import Workspace, open_workspace
from empathy_audit.store.calibration import CalibrationProblem, CalibrationSet
from empathy_audit.store.reviews import Review, ReviewProblem
from empathy_audit.store.transcripts import edit_segment
from empathy_audit.transcription.formats import SPEAKER_LABELS, format_duration
from empathy_audit.ui import settings as keys
from empathy_audit.ui.empty_state import EmptyState
from empathy_audit.ui.job_runner import JobRunner
from empathy_audit.ui.review.clip_maker import ClipMaker
from empathy_audit.ui.review.personal_data_toggle import PersonalDataToggle
from empathy_audit.ui.review.player_bar import PlayerBar
from empathy_audit.ui.review.review_keys import handle_review_key
from empathy_audit.ui.review.rubric_panel import RubricPanel
from empathy_audit.ui.review.transcript_view import TranscriptView
from empathy_audit.ui.review.waveform_strip import WaveformStrip
from empathy_audit.ui.settings import Settings

TEXT_INPUTS = (QLineEdit, QPlainTextEdit, QTextEdit, QAbstractSpinBox)
NO_FLAG = "Empathy-first applies"


def calibration_banner(cset: CalibrationSet, reviewer: str) -> str:
    if reviewer == cset.lead:
        return f"Calibration “{cset.name}”: you lead it, so your scores here are its gold scores."
    if cset.blind:
        return (
            f"Calibration “{cset.name}”, scored blind: other reviewers' and gold scores appear in the Calibration "
            "section once you submit."
        )
    return f"Calibration “{cset.name}”: this review is for the set and does not count in the audit."


class ReviewSection(QWidget):
    library_changed = Signal()
    call_opened = Signal(int)
    queue_finished = Signal()

    def __init__(
        self,
        workspace: Workspace,
        settings: Settings,
        runner: JobRunner,
        ask_reviewer: Callable[[], str | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ws = workspace
        self.settings = settings
        self.runner = runner
        self.ask_reviewer = ask_reviewer
        self.ask_text: Callable[[str, str, str], tuple[str, bool]] = lambda title, label, text: (
            QInputDialog.getMultiLineText(self, title, label, text)
        )
        # The use case lives in the core; this section is a view of it.
        self.session = ReviewSession(workspace.db, "", settings.get(keys.SAMPLE_PER_AGENT))
        self.cues: list[CueHit] = []
        self.queue: list[QueueItem] = []
        self._waveform_call: int | None = None
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._build()

    # -- layout -----------------------------------------------------------------
    def _build(self) -> None:
        self.title = QLabel()
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.title.setFont(font)
        self.meta = QLabel()
        self.reasons = QLabel()
        self.reasons.setWordWrap(True)
        self.next_button = QPushButton("Next Call")
        self.next_button.setToolTip("Open the next call in the review queue")
        self.next_button.clicked.connect(self.next_call)
        self.clip_button = QPushButton("Save Clip…  (S)")
        self.clip_button.setToolTip("Save the selected moment (waveform drag or transcript turns) as a coaching clip")
        header = QHBoxLayout()
        header_text = QVBoxLayout()
        header_text.addWidget(self.title)
        header_text.addWidget(self.meta)
        header_text.addWidget(self.reasons)
        header.addLayout(header_text, 1)
        header.addWidget(self.clip_button, 0, Qt.AlignmentFlag.AlignTop)
        header.addWidget(self.next_button, 0, Qt.AlignmentFlag.AlignTop)

        self.player = PlayerBar(self.settings.get(keys.VOLUME), self.settings.get(keys.RATE))
        self.waveform = WaveformStrip()
        self.transcript = TranscriptView()
        self.hide_personal = PersonalDataToggle(self.transcript.transcript, self.waveform, self.settings)
        header.insertWidget(1, self.hide_personal, 0, Qt.AlignmentFlag.AlignTop)
        self.no_transcript = QLabel()
        self.no_transcript.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.no_transcript.setWordWrap(True)
        self.transcript_stack = QStackedWidget()
        self.transcript_stack.addWidget(self.transcript)
        self.transcript_stack.addWidget(self.no_transcript)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.player)
        left_layout.addWidget(self.waveform)
        left_layout.addWidget(self.transcript_stack, 1)

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
        self.submit_button.clicked.connect(self.submit_and_next)
        self.revise_button = QPushButton("Revise Review")
        self.revise_button.clicked.connect(self.revise_review)
        score_page = QWidget()
        score_layout = QVBoxLayout(score_page)
        score_layout.addWidget(self.rubric_panel)
        score_layout.addLayout(form)
        score_layout.addStretch(1)
        self.score_scroll = QScrollArea()
        self.score_scroll.setWidgetResizable(True)
        self.score_scroll.setWidget(score_page)
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
        scroll = QWidget()
        score_tab = QVBoxLayout(scroll)
        score_tab.setContentsMargins(0, 0, 0, 0)
        score_tab.addWidget(self.score_scroll, 1)
        score_tab.addWidget(action_bar)

        self.cue_list = QListWidget()
        self.cue_list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.cue_list.itemClicked.connect(self._on_cue_list_clicked)
        self.queue_list = QListWidget()
        self.queue_list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.queue_list.setWordWrap(True)
        self.queue_list.itemDoubleClicked.connect(lambda item: self.open_call(item.data(Qt.ItemDataRole.UserRole)))
        self.tabs = QTabWidget()
        self.tabs.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.tabs.addTab(scroll, "Score")
        self.tabs.addTab(self.cue_list, "Cues")
        self.tabs.addTab(self.queue_list, "Queue")

        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        review_page = QWidget()
        page_layout = QVBoxLayout(review_page)
        page_layout.addLayout(header)
        page_layout.addWidget(splitter, 1)

        self.empty = EmptyState(
            "No call open",
            "Double-click a call in the Library, or start the review queue: it offers this quarter's sample "
            "and the calls flagged for attention, each with the reason it is there.",
            [("Start Review Queue", self.next_call)],
        )
        self.pages = QStackedWidget()
        self.pages.addWidget(self.empty)
        self.pages.addWidget(review_page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)

        self.player.position_changed.connect(self._on_player_position_changed)
        self.waveform.seek_requested.connect(self.player.seek)
        self.clip_maker = ClipMaker(self)
        self.clip_button.clicked.connect(self.clip_maker.save_clip)
        self.transcript.segment_clicked.connect(self._on_transcript_segment_clicked)
        self.transcript.segment_edit_requested.connect(self.edit_segment_text)
        self.rubric_panel.score_chosen.connect(self.set_criterion_score)
        self.rubric_panel.comment_edited.connect(self._on_rubric_comment_edited)
        self.rubric_panel.evidence_activated.connect(lambda ev: self.player.play_from(int(ev.start_s * 1000)))
        self.emotion.currentTextChanged.connect(lambda text: self._save_text("emotional_context", text))
        self.context_flag.currentIndexChanged.connect(
            lambda _i: self._save_text("context_flag", self.context_flag.currentData() or "")
        )
        self.overall_note.textChanged.connect(lambda: self._save_text("overall_note", self.overall_note.toPlainText()))
        self.data_missed.textChanged.connect(lambda: self._save_text("data_missed", self.data_missed.toPlainText()))

    # -- the session's state, as the rest of the screen reads it ------------------------
    @property
    def call(self) -> Call | None:
        return self.session.call

    @property
    def rubric(self) -> Rubric | None:
        return self.session.rubric

    @property
    def review(self) -> Review | None:
        return self.session.review

    @property
    def segments(self) -> list[Segment]:
        return self.session.segments

    @property
    def calibration(self) -> CalibrationSet | None:
        return self.session.calibration

    # -- reviewer -------------------------------------------------------------------
    def reviewer(self) -> str | None:
        name = self.settings.get(keys.REVIEWER)
        if not name:
            name = (self.ask_reviewer() or "").strip()
            if name:
                self.settings.set(keys.REVIEWER, name)
        return name or None

    # -- opening calls ------------------------------------------------------------------
    def open_call(self, call_id: int, calibration: CalibrationSet | None = None) -> bool:
        """Open a call to review; with `calibration`, the reviewer's (blind) review for that set."""
        reviewer = self.reviewer()
        if reviewer is None:
            return False
        self.session.reviewer = reviewer
        self.session.sample_per_agent = self.settings.get(keys.SAMPLE_PER_AGENT)
        try:
            call = self.session.open(call_id, calibration)
        except (ReviewProblem, CalibrationProblem) as exc:
            if self.review is not None:
                self._show_state(str(exc).capitalize())
            return False
        self.clip_maker.reset()
        self.cues = find_cues(self.segments)
        self.transcript.transcript.set_transcript(self.segments, self.cues)
        if not self.segments:
            self.no_transcript.setText(self._no_transcript_text(call))
            self.transcript_stack.setCurrentIndex(1)
        else:
            self.transcript_stack.setCurrentIndex(0)
        self.rubric_panel.set_rubric(self.rubric)
        self.rubric_panel.focus(0)  # the next call starts at the first criterion, at the top of the panel
        self.score_scroll.verticalScrollBar().setValue(0)
        self._fill_context_boxes()
        self._show_header()
        self._show_cues()
        self._show_review()
        self.player.load(self.ws.audio_path(call.stored_path))
        self.waveform.set_call(call.duration_s, self.segments)
        self._load_waveform(call)
        self.pages.setCurrentIndex(1)
        self.setFocus()
        self.call_opened.emit(call_id)
        return True

    def _no_transcript_text(self, call: Call) -> str:
        return {
            "new": "This call is waiting to be transcribed. You can listen and score it meanwhile.",
            "transcribing": "This call is being transcribed; the transcript appears here when it is done.",
            "no_speech": "No speech was found in this recording.",
            "failed": f"Transcription failed: {call.error or 'unknown reason'}. Use Transcribe Pending to retry.",
        }.get(call.status, "This call has no transcript.")

    def _show_header(self) -> None:
        assert self.call is not None
        call = self.call
        self.title.setText(call.original_name)
        bits = [
            call.agent or "no agent",
            call.team or "no team",
            (call.call_start or call.imported_at)[:16].replace("T", " "),
            format_duration(call.duration_s),
            {1: "mono", 2: "stereo"}.get(call.channels, f"{call.channels} channels"),
        ]
        self.meta.setText("  ·  ".join(bits))
        reasons = next((item.reasons for item in self.queue if item.call_id == call.id), [])
        text = "In the queue: " + "; ".join(reasons) if reasons else ""
        if self.calibration is not None:
            text = calibration_banner(self.calibration, self.settings.get(keys.REVIEWER))
        self.reasons.setText(text)
        self.reasons.setVisible(bool(text))

    def _fill_context_boxes(self) -> None:
        assert self.rubric is not None
        for box in (self.emotion, self.context_flag):
            box.blockSignals(True)
            box.clear()
        self.emotion.addItems(["", *self.rubric.emotional_contexts])
        self.context_flag.addItem(NO_FLAG, "")
        for flag in self.rubric.context_flags:
            self.context_flag.addItem(f"Not applicable: {flag}", flag)
        for box in (self.emotion, self.context_flag):
            box.blockSignals(False)

    def _show_cues(self) -> None:
        self.cue_list.clear()
        for hit in self.cues:
            seg = self.segments[hit.segment_index]
            item = QListWidgetItem(f"{format_duration(seg.start)}  {hit.label}: “{hit.phrase}”")
            item.setData(Qt.ItemDataRole.UserRole, hit.segment_index)
            item.setToolTip(f"{SPEAKER_LABELS.get(seg.speaker, seg.speaker)}: {seg.text}")
            self.cue_list.addItem(item)
        self.tabs.setTabText(1, f"Cues ({len(self.cues)})")

    def _describe_segments(self) -> dict[int, str]:
        return {
            s.id: f"{SPEAKER_LABELS.get(s.speaker, s.speaker)}: {s.text[:70]}"
            for s in self.segments
            if s.id is not None
        }

    def _show_review(self) -> None:
        assert self.review is not None and self.rubric is not None
        review = self.review
        self.rubric_panel.show_review(review, self._describe_segments())
        self.transcript.transcript.set_evidence_segments({e.segment_id for e in review.evidence if e.segment_id})
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
        summary = self.session.summary()
        if summary.mean is None:
            self.summary.setText("Score: not scored yet")
        else:
            text = f"Score: {summary.mean:.2f} / {self.rubric.max_score}  ({summary.percent:.0f}%)"
            if summary.failed_critical:
                text += "  — fails: a critical criterion is 0"
            self.summary.setText(text)
        self._show_state()

    def _show_state(self, message: str = "") -> None:
        assert self.review is not None
        if self.review.submitted:
            state = f"Submitted by {self.review.reviewer} at {(self.review.submitted_at or '')[:16].replace('T', ' ')}"
        else:
            state = f"Draft, saved automatically at {datetime.now():%H:%M:%S}"
        self.state.setText(state + (f"\n{message}" if message else ""))

    # -- waveform ---------------------------------------------------------------------
    def _load_waveform(self, call: Call) -> None:
        root, path, call_id, channels = self.ws.root, self.ws.audio_path(call.stored_path), call.id, call.channels

        def job(report, cancel, emit) -> Waveform:
            with open_workspace(root) as ws:
                return load_or_compute_waveform(ws.db, call_id, Path(path), channels)

        self._waveform_call = call_id
        handle = self.runner.start("Waveform", job)
        # Bound methods (not lambdas) so the slots run on the GUI thread.
        handle.signals.finished.connect(self._on_waveform_finished)
        handle.signals.failed.connect(self._on_waveform_failed)

    def _on_waveform_finished(self, waveform: Waveform) -> None:
        if self.call is not None and self.call.id == self._waveform_call:
            self.waveform.set_waveform(waveform)

    def _on_waveform_failed(self, message: str) -> None:
        self.waveform.set_waveform(None, f"No waveform: {message}")

    # -- saving -------------------------------------------------------------------------
    def _saved(self, action: Callable[[], object]) -> None:
        """Run one step of the session; a refused step (submitted review, bad input) is said, not raised."""
        if self.review is None:
            return
        if self.review.submitted:
            self._show_state("This review is submitted. Use Revise Review to change it.")
            return
        try:
            action()
        except ReviewProblem as exc:
            self._show_state(str(exc))
            return
        self._show_review()
        self.library_changed.emit()

    def set_criterion_score(self, key: str, score: int | None) -> None:
        self._saved(lambda: self.session.score(key, score))

    def clear_criterion_score(self, key: str) -> None:
        self._saved(lambda: self.session.clear(key))

    def _on_rubric_comment_edited(self, key: str, text: str) -> None:
        if self.session.editable:
            self.session.comment(key, text)
            self._show_state()

    def _save_text(self, name: str, value: str) -> None:
        if self.session.editable and self.session.set_text(name, value):
            self._show_state()

    def add_evidence_here(self) -> None:
        if not self.segments or self.review is None:
            return
        row = self.transcript.selected_row()
        if row < 0:
            row = self.transcript.transcript.row_at_time(self.player.position() / 1000)
        if row < 0:
            self._show_state("Select a transcript moment first (click it), then press E.")
            return
        seg, key = self.segments[row], self.rubric_panel.focused_key()
        assert key is not None
        self._saved(lambda: self.session.add_evidence(key, seg))

    def remove_last_evidence(self) -> None:
        key = self.rubric_panel.focused_key()
        if key is not None:
            self._saved(lambda: self.session.remove_last_evidence(key))

    def submit_and_next(self) -> None:
        if self.review is None or self.rubric is None:
            return
        if self.review.submitted:
            self.next_call()
            return
        missing = self.session.missing()
        if missing:
            self._show_state("Score every criterion (or mark it N/A) before submitting: " + ", ".join(missing))
            self.rubric_panel.focus_key(next(c.key for c in self.rubric.criteria if c.label == missing[0]))
            self._show_focused_criterion()
            return
        self._saved(self.session.submit)
        self.next_call()

    def revise_review(self) -> None:
        if self.review is not None and self.review.submitted:
            self.session.revise()
            self._show_review()

    # -- queue --------------------------------------------------------------------------
    def refresh_queue(self) -> list[QueueItem]:
        reviewer = self.settings.get(keys.REVIEWER)
        self.session.reviewer, self.session.sample_per_agent = reviewer, self.settings.get(keys.SAMPLE_PER_AGENT)
        self.queue = self.session.queue() if reviewer else []
        self.queue_list.clear()
        names = dict(self.ws.db.execute("SELECT id, original_name FROM calls").fetchall())
        for item in self.queue:
            row = QListWidgetItem(f"{names.get(item.call_id, item.call_id)}\n    {'; '.join(item.reasons)}")
            row.setData(Qt.ItemDataRole.UserRole, item.call_id)
            self.queue_list.addItem(row)
        self.tabs.setTabText(2, f"Queue ({len(self.queue)})")
        return self.queue

    def next_call(self) -> bool:
        reviewer = self.reviewer()
        if reviewer is None:
            return False
        self.session.reviewer = reviewer
        if self.calibration is None:
            self.refresh_queue()
        next_id = self.session.next_call_id()
        if next_id is not None:
            return self.open_call(next_id, self.calibration)
        self.queue_finished.emit()
        if self.calibration is not None:
            self._show_state(
                f"You have scored every call of “{self.calibration.name}”. "
                "The Calibration section shows how you compare."
            )
        elif self.call is not None and self.review is not None:
            self._show_state("The review queue is empty: every call in the plan has been reviewed.")
        return False

    def reload_if_waiting(self, call_id: int) -> None:
        """A call open without a transcript got one (or failed): show it, keeping the review as it is."""
        if self.call is None or self.call.id != call_id or self.segments:
            return
        position = self.player.position()
        self.open_call(call_id)
        self.player.seek(position)

    # -- transcript ---------------------------------------------------------------------
    def _on_player_position_changed(self, ms: int) -> None:
        self.waveform.set_position(ms)
        self.transcript.follow_time(ms / 1000)

    def _on_transcript_segment_clicked(self, row: int) -> None:
        if 0 <= row < len(self.segments):
            self.player.seek(int(self.segments[row].start * 1000))

    def _on_cue_list_clicked(self, item: QListWidgetItem) -> None:
        row = item.data(Qt.ItemDataRole.UserRole)
        self.transcript.select_row(row)
        self.player.seek(int(self.segments[row].start * 1000))

    def edit_segment_text(self, row: int) -> None:
        if not 0 <= row < len(self.segments) or self.segments[row].id is None:
            return
        seg = self.segments[row]
        text, ok = self.ask_text("Correct Transcript", "The words as they were said:", seg.text)
        if not ok:
            return
        edit_segment(self.ws.db, seg.id, text, self.settings.get(keys.REVIEWER) or "reviewer")
        if self.call is not None:
            self.session.reload_transcript()
        self.cues = find_cues(self.segments)
        self.transcript.transcript.set_transcript(self.segments, self.cues)
        self._show_cues()
        self._show_review()
        self.library_changed.emit()

    # -- keyboard -----------------------------------------------------------------------
    def _typing(self) -> bool:
        focus = QApplication.focusWidget()
        return isinstance(focus, TEXT_INPUTS) or (isinstance(focus, QComboBox) and focus.isEditable())

    def focusNextPrevChild(self, next_: bool) -> bool:
        # Tab and Shift+Tab move between criteria, except while typing in a field.
        if self.pages.currentIndex() == 1 and not self._typing():
            self.rubric_panel.focus(self.rubric_panel.focused + (1 if next_ else -1))
            self._show_focused_criterion()
            return True
        return super().focusNextPrevChild(next_)

    def _show_focused_criterion(self) -> None:
        row = self.rubric_panel.focused_row()
        if row is not None:
            self.score_scroll.ensureWidgetVisible(row, 0, 8)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.pages.currentIndex() != 1 or self.call is None or not handle_review_key(self, event):
            super().keyPressEvent(event)
