"""Reviewing a call, as one Qt-free use case: what the Review screen and `empathy-audit review` both do.

A session opens a call for one reviewer (their review of it, or their blind review for a calibration
set), changes it one step at a time (each saved at once), submits or revises it, and says which call
comes next. The screen is a view of a session; the command line drives one from its arguments.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlite_utils

from empathy_audit.calibration.sets import calls_to_score, open_calibration_review
from empathy_audit.changes import NOTHING, Area, Changes
from empathy_audit.domain import Call, Segment
from empathy_audit.reviewing.queue import QueueItem, build_queue
from empathy_audit.scoring.rubric import Rubric, ScoreSummary, score_summary
from empathy_audit.store.calibration import CalibrationSet
from empathy_audit.store.calls import get_call
from empathy_audit.store.reviews import (
    Review,
    ReviewProblem,
    add_evidence,
    clear_score,
    get_review,
    missing_criteria,
    open_review,
    remove_evidence,
    revise,
    set_comment,
    set_score,
    set_text,
    submit,
)
from empathy_audit.store.rubrics import active_rubric, rubric_by_id
from empathy_audit.store.transcripts import current_transcript

TEXT_FIELDS = ("overall_note", "data_missed", "emotional_context", "context_flag")


class NotEditable(ReviewProblem):
    """The review is submitted: revise it first."""


@dataclass
class ReviewSession:
    db: sqlite_utils.Database
    reviewer: str
    sample_per_agent: int = 5
    call: Call | None = None
    rubric: Rubric | None = None
    review: Review | None = None
    segments: list[Segment] = field(default_factory=list)
    calibration: CalibrationSet | None = None  # set while scoring a calibration set (blind)

    # -- opening ----------------------------------------------------------------------
    def open(self, call_id: int, calibration: CalibrationSet | None = None) -> Call:
        """Open the reviewer's review of a call (a new draft when there is none) with its transcript."""
        call = get_call(self.db, call_id)
        if call is None:
            raise ReviewProblem(f"there is no call #{call_id} (see: empathy-audit calls list)")
        review = (
            open_calibration_review(self.db, calibration, call_id, self.reviewer)
            if calibration is not None
            else open_review(self.db, call_id, self.reviewer, active_rubric(self.db))
        )
        self.call, self.calibration, self.review = call, calibration, review
        self.rubric = rubric_by_id(self.db, review.rubric_id)
        self.reload_transcript()
        return call

    def reload_transcript(self) -> list[Segment]:
        """The call and its transcript again (a turn corrected, the sides swapped)."""
        assert self.call is not None
        self.call = get_call(self.db, self.call.id) or self.call
        found = current_transcript(self.db, self.call.id)
        self.segments = found[1] if found else []
        return self.segments

    # -- what it shows ----------------------------------------------------------------
    @property
    def editable(self) -> bool:
        return self.review is not None and not self.review.submitted

    def summary(self) -> ScoreSummary:
        assert self.review is not None and self.rubric is not None
        return score_summary(self.rubric, self.review.scores)

    def missing(self) -> list[str]:
        """Labels of the criteria still to score (or mark N/A) before the review can be submitted."""
        assert self.review is not None and self.rubric is not None
        return missing_criteria(self.review, self.rubric)

    # -- changing it (each step is saved at once, and says what it changed) ---------------------
    def _changed(self) -> Changes:
        assert self.call is not None
        area = Area.CALIBRATION if self.calibration is not None else Area.REVIEWS
        return Changes.of(area, calls=[self.call.id])

    def _draft(self) -> tuple[Review, Rubric]:
        if self.review is None or self.rubric is None:
            raise ReviewProblem("no call is open")
        if self.review.submitted:
            raise NotEditable("this review is submitted; revise it to change it")
        return self.review, self.rubric

    def score(self, key: str, value: int | None) -> Changes:
        """Score a criterion (None: N/A)."""
        review, rubric = self._draft()
        set_score(self.db, review, rubric, key, value)
        return self._changed()

    def clear(self, key: str) -> Changes:
        review, _rubric = self._draft()
        clear_score(self.db, review, key)
        return self._changed()

    def comment(self, key: str, text: str) -> Changes:
        review, _rubric = self._draft()
        set_comment(self.db, review, key, text)
        return self._changed()

    def set_text(self, name: str, value: str) -> Changes:
        """Set one of TEXT_FIELDS; no changes when it already held that value (nothing saved)."""
        review, _rubric = self._draft()
        if name not in TEXT_FIELDS:
            raise ReviewProblem(f"unknown review field '{name}'")
        if (getattr(review, name) or "") == (value or ""):
            return NOTHING
        set_text(self.db, review, name, value)
        return self._changed()

    def add_evidence(self, key: str, segment: Segment) -> Changes:
        review, _rubric = self._draft()
        add_evidence(self.db, review, key, segment.start, segment.end, segment.id)
        return self._changed()

    def remove_last_evidence(self, key: str) -> Changes:
        review, _rubric = self._draft()
        items = [e for e in review.evidence if e.criterion_key == key]
        if not items:
            return NOTHING
        remove_evidence(self.db, review, items[-1].id)
        return self._changed()

    def submit(self) -> Changes:
        """Submit the draft; ReviewProblem names the criteria still to score when it is incomplete."""
        review, rubric = self._draft()
        submit(self.db, review, rubric)
        return self._changed()

    def revise(self) -> Review:
        """A new draft from the submitted review (which stays as history)."""
        if self.review is None or not self.review.submitted:
            raise ReviewProblem("only a submitted review can be revised")
        self.review = revise(self.db, self.review)
        return self.review

    def refresh(self) -> Review:
        """Read the review again (after another process changed it)."""
        assert self.review is not None
        self.review = get_review(self.db, self.review.id)
        return self.review

    # -- what comes next --------------------------------------------------------------
    def queue(self) -> list[QueueItem]:
        return build_queue(self.db, self.reviewer, self.sample_per_agent)

    def next_call_id(self) -> int | None:
        """The next call to score: the set's next unscored call while calibrating, else the queue's next."""
        current = self.call.id if self.call is not None else None
        if self.calibration is not None:
            ids = calls_to_score(self.db, self.calibration, self.reviewer)
        else:
            ids = [item.call_id for item in self.queue()]
        return next((call_id for call_id in ids if call_id != current), None)
