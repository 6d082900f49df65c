"""The Review section: listen with the transcript in sync and score the rubric from the keyboard.

Every change is saved the moment it is made (scores, comments, notes, evidence), so closing
or killing the app loses at most the keystroke in flight.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QInputDialog,
    QLineEdit,
    QListWidgetItem,
    QPlainTextEdit,
    QStackedWidget,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from empathy_audit.changes import Area, Changes
from empathy_audit.domain import Call, Segment
from empathy_audit.reviewing.cues import CueHit, cue_note, find_cues
from empathy_audit.reviewing.queue import QueueItem
from empathy_audit.scoring.rubric import Rubric
from empathy_audit.services import WorkspaceServices
from empathy_audit.store.calibration import CalibrationProblem, CalibrationSet
from empathy_audit.store.database import WorkspaceReadOnly
from empathy_audit.store.reviews import Review, ReviewProblem
from empathy_audit.transcription.formats import SPEAKER_LABELS
from empathy_audit.ui import settings as keys
from empathy_audit.ui.empty_state import EmptyState
from empathy_audit.ui.review.active_time import ActiveTime
from empathy_audit.ui.review.clip_maker import ClipMaker
from empathy_audit.ui.review.review_keys import handle_review_key
from empathy_audit.ui.review.review_page import ReviewPage
from empathy_audit.ui.review.transcript_edits import correct_turn
from empathy_audit.ui.review.waveform_strip import load_waveform
from empathy_audit.ui.settings import Settings
from empathy_audit.ui.when_shown import WhenShown
from empathy_audit.ui.workspace_runner import WorkspaceRunner

TEXT_INPUTS = (QLineEdit, QPlainTextEdit, QTextEdit, QAbstractSpinBox)


class ReviewSection(QWidget):
    call_opened = Signal(int)
    queue_finished = Signal()
    transcribe_requested = Signal(int)  # call id: the reviewer asked for this call's transcript now

    def __init__(
        self,
        services: WorkspaceServices,
        settings: Settings,
        work: WorkspaceRunner,
        ask_reviewer: Callable[[], str | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.settings = settings
        self.work = work
        self.ask_reviewer = ask_reviewer
        self.ask_text: Callable[[str, str, str], tuple[str, bool]] = lambda title, label, text: (
            QInputDialog.getMultiLineText(self, title, label, text)
        )
        # The use case lives in the core; this section is a view of it.
        self.session = services.reviews.session("", settings.get(keys.SAMPLE_PER_AGENT))
        self.cues: list[CueHit] = []
        self.queue: list[QueueItem] = []
        self._own_change = False
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.queue_when_shown = WhenShown(self, self.refresh_queue)
        self._build()

    # -- layout -----------------------------------------------------------------
    def _build(self) -> None:
        page = ReviewPage(self.settings)
        # The page's parts, as the keys, the clip maker, the window and tests reach them.
        self.header, self.listen, self.score, self.tabs = page.header, page.listen, page.score, page.tabs
        self.title, self.reasons, self.hide_personal = page.header.title, page.header.reasons, page.hide_personal
        self.player, self.waveform, self.transcript = page.listen.player, page.listen.waveform, page.listen.transcript
        self.rubric_panel, self.score_scroll = page.score.rubric_panel, page.score.scroll
        self.emotion, self.context_flag = page.score.emotion, page.score.context_flag
        self.overall_note, self.data_missed = page.score.overall_note, page.score.data_missed
        self.summary, self.state = page.score.summary, page.score.state
        self.submit_button, self.revise_button = page.score.submit_button, page.score.revise_button
        self.cue_list, self.queue_list = page.cue_list, page.queue_list

        self.empty = EmptyState(
            "No call open",
            "Double-click a call in the Library, or start the review queue: it offers this quarter's sample "
            "and the calls flagged for attention, each with the reason it is there.",
            [("Start Review Queue", self.next_call)],
        )
        self.pages = QStackedWidget()
        self.pages.addWidget(self.empty)
        self.pages.addWidget(page)
        self.empty.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)

        self.clip_maker = ClipMaker(self)
        page.header.next_button.clicked.connect(self.next_call)
        page.header.clip_button.clicked.connect(self.clip_maker.save_clip)
        self.submit_button.clicked.connect(self.submit_and_next)
        self.revise_button.clicked.connect(self.revise_review)
        self.cue_list.itemClicked.connect(self._on_cue_list_clicked)
        self.queue_list.itemDoubleClicked.connect(lambda item: self.open_call(item.data(Qt.ItemDataRole.UserRole)))
        self.transcript.segment_edit_requested.connect(self.edit_segment_text)
        self.listen.transcribe_requested.connect(self._on_listen_transcribe_requested)
        self.rubric_panel.score_chosen.connect(self.set_criterion_score)
        self.rubric_panel.comment_edited.connect(self._on_rubric_comment_edited)
        self.rubric_panel.evidence_activated.connect(lambda ev: self.player.play_from(int(ev.start_s * 1000)))
        self.score.text_edited.connect(self._save_text)
        self.hide_personal.toggled.connect(lambda _on: self.call is not None and self._show_header())
        self.active_time = ActiveTime.of_review(self)

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
        self.cues = find_cues(self.segments, language=call.language)
        self.listen.show_call(call, self.services.calls.audio_path(call), self.segments, self.cues)
        assert self.rubric is not None
        self.score.set_rubric(self.rubric)  # the first criterion focused, the panel at the top
        self._show_header()
        self._show_cues()
        self._show_review()
        load_waveform(self.work, self.waveform, call, lambda: self.call)
        self.pages.setCurrentIndex(1)
        self.setFocus()
        self.call_opened.emit(call_id)
        return True

    def _show_header(self) -> None:
        assert self.call is not None
        reasons = next((item.reasons for item in self.queue if item.call_id == self.call.id), [])
        comment, hidden = self.services.audit.call_comment(self.call.id), self.hide_personal.isChecked()
        self.header.show_call(self.call, reasons, self.calibration, self.settings.get(keys.REVIEWER), comment, hidden)

    def _show_cues(self) -> None:
        language = self.call.language if self.call else None
        self.cue_list.show_cues(self.cues, self.segments, cue_note(language, len(self.cues)))
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
        self.score.show_review(review, self.rubric, self.session.summary(), self._describe_segments())
        self.transcript.transcript.set_evidence_segments({e.segment_id for e in review.evidence if e.segment_id})

    def _show_state(self, message: str = "") -> None:
        assert self.review is not None
        self.score.show_state(self.review, message)

    # -- saving -------------------------------------------------------------------------
    def _saved(self, action: Callable[[], object]) -> None:
        """Run one step of the session; a refused step (submitted review, bad input) is said, not raised."""
        if self.review is None:
            return
        if self.review.submitted:
            self._show_state("This review is submitted. Use Revise Review to change it.")
            return
        try:
            changes = action()
        except (ReviewProblem, WorkspaceReadOnly) as exc:
            self._show_state(str(exc)[:1].upper() + str(exc)[1:])
            return
        self._show_review()
        self._announce(changes if isinstance(changes, Changes) else Changes())

    def set_criterion_score(self, key: str, score: int | None) -> None:
        self._saved(lambda: self.session.score(key, score))

    def clear_criterion_score(self, key: str) -> None:
        self._saved(lambda: self.session.clear(key))

    def _on_rubric_comment_edited(self, key: str, text: str) -> None:
        if self.session.editable:
            self._announce(self.session.comment(key, text))
            self._show_state()

    def _save_text(self, name: str, value: str) -> None:
        if self.session.editable:
            changes = self.session.set_text(name, value)
            if changes:
                self._show_state()
                self._announce(changes)

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
            self.score.show_focused_criterion()
            return
        self._saved(self.session.submit)
        self.next_call()

    def revise_review(self) -> None:
        if self.review is not None and self.review.submitted:
            self.session.revise()
            self._show_review()
            self._announce(Changes.of(Area.REVIEWS, calls=[self.review.call_id]))

    # -- queue --------------------------------------------------------------------------
    # -- changes ------------------------------------------------------------------------
    def _announce(self, changes: Changes) -> None:
        """Tell the other sections what this one changed (it has already redrawn itself)."""
        self._own_change = True
        try:
            self.work.announce(changes)
        finally:
            self._own_change = False

    def on_workspace_changed(self, changes: Changes) -> None:
        if self._own_change:
            return
        if changes.touches(Area.REVIEWS, Area.CALLS, Area.TRANSCRIPTS, Area.OUTCOMES):
            self.queue_when_shown.request()  # hidden: refreshed when shown, not on every change
        call = self.call
        if call is None or (changes.call_ids and call.id not in changes.call_ids):
            return
        if changes.touches(Area.TRANSCRIPTS) and not self.segments:
            self.reload_if_waiting(call.id)  # the call open without a transcript has one now
        elif changes.touches(Area.REVIEWS, Area.CALIBRATION) and self.review is not None:
            self.session.refresh()  # another window or the command line changed this review
            self._show_review()

    def refresh_queue(self) -> list[QueueItem]:
        reviewer = self.settings.get(keys.REVIEWER)
        self.session.reviewer, self.session.sample_per_agent = reviewer, self.settings.get(keys.SAMPLE_PER_AGENT)
        self.queue = self.session.queue() if reviewer else []
        self.queue_list.show_queue(self.queue, self.services.calls.names())
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
        """A call open without a transcript got one (or failed): show it, keeping the review, the player's
        place and the reviewer's (criterion, scroll, the field being typed in: keys must not turn into
        one-key shortcuts). A change that brought the call nothing (another process wrote) opens nothing."""
        if self.call is None or self.call.id != call_id or self.segments:
            return
        fresh = self.services.calls.get(call_id)
        if fresh is None or (fresh.status == self.call.status and not self.services.transcripts.segments(call_id)):
            return
        focused, criterion = QApplication.focusWidget(), self.rubric_panel.focused_key()
        position, scroll = self.player.position(), self.score_scroll.verticalScrollBar().value()
        self.open_call(call_id)
        self.player.seek(position)
        self.rubric_panel.focus_key(criterion or "")
        self.score_scroll.verticalScrollBar().setValue(scroll)
        if focused is not None and isValid(focused) and self.isAncestorOf(focused) and focused.isVisible():
            focused.setFocus()

    # -- transcript ---------------------------------------------------------------------
    def _on_listen_transcribe_requested(self) -> None:
        if self.call is not None:
            self.listen.transcribe_button.setEnabled(False)
            self.listen.no_transcript.setText("Transcribing… the transcript appears here when it is done.")
            self.transcribe_requested.emit(self.call.id)

    def _on_cue_list_clicked(self, item: QListWidgetItem) -> None:
        self.listen.play_row(item.data(Qt.ItemDataRole.UserRole))

    def edit_segment_text(self, row: int) -> None:
        correct_turn(self, row)

    def transcript_changed(self, changes: Changes) -> None:
        """Redraw what reads the transcript (turns, cues, evidence, header) after this section changed it."""
        assert self.call is not None
        self.session.reload_transcript()
        self.cues = find_cues(self.segments, language=self.call.language)
        self.listen.show_transcript(self.call, self.segments, self.cues)
        self._show_header()
        self._show_cues()
        self._show_review()
        self._announce(changes)

    # -- keyboard -----------------------------------------------------------------------
    def _typing(self) -> bool:
        focus = QApplication.focusWidget()
        return isinstance(focus, TEXT_INPUTS) or (isinstance(focus, QComboBox) and focus.isEditable())

    def focusNextPrevChild(self, next_: bool) -> bool:
        # Tab and Shift+Tab move between criteria, except while typing in a field.
        if self.pages.currentIndex() == 1 and not self._typing():
            self.score.focus_criterion(self.rubric_panel.focused + (1 if next_ else -1))
            return True
        return super().focusNextPrevChild(next_)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.pages.currentIndex() != 1 or self.call is None or not handle_review_key(self, event):
            super().keyPressEvent(event)
