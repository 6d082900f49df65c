"""Reviews: drafts saved on every change, explicit submit, evidence moments tied to scores.

A reviewer's latest review of a call is the one that counts; revising a submitted review
starts a new draft from its values, and the submitted one stays as history.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import sqlite_utils

from empathy_audit.scoring.rubric import Rubric, score_summary
from empathy_audit.store.database import utc_now, write_transaction

TEXT_FIELDS = ("overall_note", "data_missed", "emotional_context", "context_flag")


class ReviewProblem(ValueError):
    """A review change that breaks the rubric's rules; the message says which."""


@dataclass
class Evidence:
    id: int
    criterion_key: str
    start_s: float
    end_s: float
    segment_id: int | None = None
    note: str | None = None


@dataclass
class Review:
    id: int
    call_id: int
    reviewer: str
    rubric_id: int
    state: str
    transcript_id: int | None = None
    scores: dict[str, int | None] = field(default_factory=dict)  # None: N/A; missing: not scored yet
    comments: dict[str, str] = field(default_factory=dict)
    overall_note: str | None = None
    data_missed: str | None = None
    emotional_context: str | None = None
    context_flag: str | None = None
    evidence: list[Evidence] = field(default_factory=list)
    created_at: str = ""
    updated_at: str = ""
    submitted_at: str | None = None
    uid: str = ""  # the same in every workspace this version of the review travels to
    version_key: str = ""  # orders a reviewer's versions of a review (newest counts)
    calibration_uid: str | None = None  # set for calibration reviews, which do not count in the audit
    origin: str | None = None  # the pack it came from; None when made here
    call_sha256: str = ""  # the call's content hash: how packs find the call in another workspace
    signer_key: str | None = None  # the author's public key (packs/authorship.py)
    signature: str | None = None
    active_seconds: float = 0.0  # the reviewer's active time on this version (Review showing the call)
    amended_by: str | None = None  # the dispute whose decision made this version, if one did

    @property
    def submitted(self) -> bool:
        return self.state == "submitted"

    def as_json(self, rubric: Rubric | None = None) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "call_id": self.call_id,
            "reviewer": self.reviewer,
            "rubric_id": self.rubric_id,
            "state": self.state,
            "transcript_id": self.transcript_id,
            "scores": self.scores,
            "comments": self.comments,
            "overall_note": self.overall_note,
            "data_missed": self.data_missed,
            "emotional_context": self.emotional_context,
            "context_flag": self.context_flag,
            "evidence": [e.__dict__ for e in self.evidence],
            "updated_at": self.updated_at,
            "submitted_at": self.submitted_at,
            "uid": self.uid,
            "calibration_uid": self.calibration_uid,
            "origin": self.origin,
            "active_seconds": round(self.active_seconds, 1),
            "amended_by_dispute": self.amended_by,
        }
        if rubric is not None:
            summary = score_summary(rubric, self.scores)
            data.update(
                score=None if summary.mean is None else round(summary.mean, 4),
                score_percent=None if summary.percent is None else round(summary.percent, 2),
                failed_critical=list(summary.failed_critical),
            )
        return data


def review_from_row(db: sqlite_utils.Database, row: dict[str, Any]) -> Review:
    """A review (with its scores, comments and evidence) from its row in the reviews table."""
    review = Review(
        **{
            k: row[k]
            for k in (
                "id",
                "call_id",
                "reviewer",
                "rubric_id",
                "state",
                "transcript_id",
                "overall_note",
                "data_missed",
                "emotional_context",
                "context_flag",
                "created_at",
                "updated_at",
                "submitted_at",
                "uid",
                "version_key",
                "calibration_uid",
                "origin",
                "call_sha256",
                "signer_key",
                "signature",
                "active_seconds",
                "amended_by",
            )
        }
    )
    for key, score, comment, scored in db.execute(
        "SELECT criterion_key, score, comment, scored FROM review_scores WHERE review_id = ?", [review.id]
    ).fetchall():
        if scored:
            review.scores[key] = score  # None here means N/A
        if comment:
            review.comments[key] = comment
    review.evidence = [
        Evidence(r[0], r[1], r[2], r[3], r[4], r[5])
        for r in db.execute(
            "SELECT id, criterion_key, start_s, end_s, segment_id, note FROM evidence WHERE review_id = ? "
            "ORDER BY start_s, id",
            [review.id],
        ).fetchall()
    ]
    return review


def get_review(db: sqlite_utils.Database, review_id: int) -> Review:
    rows = list(db.query("SELECT * FROM reviews WHERE id = ?", [review_id]))
    if not rows:
        raise KeyError(review_id)
    return review_from_row(db, rows[0])


def new_version_key() -> str:
    """Sorts in time order, to the microsecond, the same in every workspace."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def new_uid() -> str:
    return uuid.uuid4().hex


def latest_review(
    db: sqlite_utils.Database, call_id: int, reviewer: str, calibration_uid: str | None = None
) -> Review | None:
    """The reviewer's newest version of their review of a call (in a calibration set, or the audit's)."""
    rows = list(
        db.query(
            "SELECT * FROM reviews WHERE call_id = ? AND reviewer = ? AND calibration_uid IS ? "
            "ORDER BY version_key DESC, uid DESC LIMIT 1",
            [call_id, reviewer, calibration_uid],
        )
    )
    return review_from_row(db, rows[0]) if rows else None


def open_review(
    db: sqlite_utils.Database, call_id: int, reviewer: str, rubric: Rubric, calibration_uid: str | None = None
) -> Review:
    """The reviewer's current review of a call (draft or submitted), creating an empty draft if none."""
    existing = latest_review(db, call_id, reviewer, calibration_uid)
    if existing is not None:
        return existing
    now = utc_now()
    with write_transaction(db):
        call = db.execute("SELECT sha256 FROM calls WHERE id = ?", [call_id]).fetchone()
        if call is None:
            raise ReviewProblem(f"there is no call #{call_id}")
        transcript = db.execute("SELECT id FROM transcripts WHERE call_id = ? AND is_current = 1", [call_id]).fetchone()
        cursor = db.execute(
            "INSERT INTO reviews (call_id, call_sha256, transcript_id, rubric_id, reviewer, state, created_at, "
            "updated_at, uid, version_key, calibration_uid) VALUES (?, ?, ?, ?, ?, 'draft', ?, ?, ?, ?, ?)",
            [
                call_id,
                call[0],
                transcript[0] if transcript else None,
                rubric.id,
                reviewer,
                now,
                now,
                new_uid(),
                new_version_key(),
                calibration_uid,
            ],
        )
    return get_review(db, int(cursor.lastrowid))


def _require_draft(db: sqlite_utils.Database, review_id: int) -> None:
    row = db.execute("SELECT state FROM reviews WHERE id = ?", [review_id]).fetchone()
    if row is None:
        raise ReviewProblem(f"there is no review #{review_id}")
    if row[0] != "draft":
        raise ReviewProblem("this review is submitted; revise it to make changes")


def _touch(db: sqlite_utils.Database, review_id: int) -> None:
    db.execute("UPDATE reviews SET updated_at = ? WHERE id = ?", [utc_now(), review_id])


def set_score(db: sqlite_utils.Database, review: Review, rubric: Rubric, key: str, score: int | None) -> None:
    """Set a criterion's score (None = N/A). Saved at once."""
    criterion = rubric.criterion(key)
    if score is None and not criterion.allow_na:
        raise ReviewProblem(f"{criterion.label} cannot be N/A in this rubric")
    if score is not None and not 0 <= score <= rubric.max_score:
        raise ReviewProblem(f"{criterion.label}: scores go from 0 to {rubric.max_score}")
    with write_transaction(db):
        _require_draft(db, review.id)
        db.execute(
            "INSERT INTO review_scores (review_id, criterion_key, score, scored) VALUES (?, ?, ?, 1) "
            "ON CONFLICT (review_id, criterion_key) DO UPDATE SET score = excluded.score, scored = 1",
            [review.id, key, score],
        )
        _touch(db, review.id)
    review.scores[key] = score


def clear_score(db: sqlite_utils.Database, review: Review, key: str) -> None:
    with write_transaction(db):
        _require_draft(db, review.id)
        db.execute(
            "UPDATE review_scores SET score = NULL, scored = 0 WHERE review_id = ? AND criterion_key = ?",
            [review.id, key],
        )
        _touch(db, review.id)
    review.scores.pop(key, None)


def set_comment(db: sqlite_utils.Database, review: Review, key: str, text: str) -> None:
    with write_transaction(db):
        _require_draft(db, review.id)
        db.execute(
            "INSERT INTO review_scores (review_id, criterion_key, score, comment, scored) VALUES (?, ?, NULL, ?, 0) "
            "ON CONFLICT (review_id, criterion_key) DO UPDATE SET comment = excluded.comment",
            [review.id, key, text or None],
        )
        _touch(db, review.id)
    if text:
        review.comments[key] = text
    else:
        review.comments.pop(key, None)


def set_text(db: sqlite_utils.Database, review: Review, name: str, value: str | None) -> None:
    """Overall note, 'what did the data miss', emotional context or context flag."""
    if name not in TEXT_FIELDS:
        raise ValueError(name)
    with write_transaction(db):
        _require_draft(db, review.id)
        db.execute(f"UPDATE reviews SET {name} = ?, updated_at = ? WHERE id = ?", [value or None, utc_now(), review.id])
    setattr(review, name, value or None)


def add_evidence(
    db: sqlite_utils.Database,
    review: Review,
    key: str,
    start_s: float,
    end_s: float,
    segment_id: int | None = None,
    note: str | None = None,
) -> Evidence:
    with write_transaction(db):
        _require_draft(db, review.id)
        cursor = db.execute(
            "INSERT INTO evidence (review_id, criterion_key, segment_id, start_s, end_s, note) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [review.id, key, segment_id, start_s, end_s, note],
        )
        _touch(db, review.id)
    item = Evidence(int(cursor.lastrowid), key, start_s, end_s, segment_id, note)
    review.evidence.append(item)
    return item


def remove_evidence(db: sqlite_utils.Database, review: Review, evidence_id: int) -> None:
    with write_transaction(db):
        _require_draft(db, review.id)
        db.execute("DELETE FROM evidence WHERE id = ? AND review_id = ?", [evidence_id, review.id])
        _touch(db, review.id)
    review.evidence = [e for e in review.evidence if e.id != evidence_id]


def add_active_time(db: sqlite_utils.Database, review_id: int, seconds: float) -> None:
    """Count `seconds` of the reviewer's active time towards a review version (drafts and submitted alike)."""
    if seconds > 0:
        with write_transaction(db):
            db.execute("UPDATE reviews SET active_seconds = active_seconds + ? WHERE id = ?", [seconds, review_id])


def missing_criteria(review: Review, rubric: Rubric) -> list[str]:
    return [c.label for c in rubric.criteria if c.key not in review.scores]


def submit(db: sqlite_utils.Database, review: Review, rubric: Rubric) -> None:
    """Submit a draft; every criterion must be scored or marked N/A."""
    missing = missing_criteria(review, rubric)
    if missing:
        raise ReviewProblem("score every criterion (or mark it N/A) before submitting: " + ", ".join(missing))
    now = utc_now()
    with write_transaction(db):
        _require_draft(db, review.id)
        db.execute(
            "UPDATE reviews SET state = 'submitted', submitted_at = ?, updated_at = ? WHERE id = ?",
            [now, now, review.id],
        )
    review.state, review.submitted_at = "submitted", now


def copy_version(db: sqlite_utils.Database, review_id: int, state: str, now: str, amended_by: str | None = None) -> int:
    """A new version of a review carrying its values, scores and evidence, in the caller's transaction: a draft
    (revising) or a submitted version (a dispute's decision, `amended_by` its uid). Returns the new id."""
    cursor = db.execute(
        "INSERT INTO reviews (call_id, call_sha256, transcript_id, rubric_id, reviewer, state, overall_note, "
        "data_missed, emotional_context, context_flag, created_at, updated_at, submitted_at, uid, version_key, "
        "calibration_uid, amended_by) SELECT call_id, call_sha256, transcript_id, rubric_id, reviewer, ?, "
        "overall_note, data_missed, emotional_context, context_flag, ?, ?, ?, ?, ?, calibration_uid, ? "
        "FROM reviews WHERE id = ?",
        [state, now, now, now if state == "submitted" else None, new_uid(), new_version_key(), amended_by, review_id],
    )
    new_id = int(cursor.lastrowid)
    db.execute(
        "INSERT INTO review_scores (review_id, criterion_key, score, comment, scored) "
        "SELECT ?, criterion_key, score, comment, scored FROM review_scores WHERE review_id = ?",
        [new_id, review_id],
    )
    db.execute(
        "INSERT INTO evidence (review_id, criterion_key, segment_id, start_s, end_s, note) "
        "SELECT ?, criterion_key, segment_id, start_s, end_s, note FROM evidence WHERE review_id = ?",
        [new_id, review_id],
    )
    return new_id


def revise(db: sqlite_utils.Database, review: Review) -> Review:
    """A new draft carrying a submitted review's values; the submitted one stays as history."""
    with write_transaction(db):
        new_id = copy_version(db, review.id, "draft", utc_now())
    return get_review(db, new_id)


def list_reviews(
    db: sqlite_utils.Database,
    call_id: int | None = None,
    reviewer: str | None = None,
    calibration_uid: str | None = None,
) -> list[Review]:
    """The audit's reviews (or one calibration set's), every version, oldest first."""
    where, params = ["calibration_uid IS ?"], [calibration_uid]
    if call_id is not None:
        where.append("call_id = ?")
        params.append(call_id)
    if reviewer:
        where.append("reviewer = ?")
        params.append(reviewer)
    sql = "SELECT * FROM reviews WHERE " + " AND ".join(where) + " ORDER BY version_key, uid"
    return [review_from_row(db, row) for row in db.query(sql, params)]


def submitted_reviews(db: sqlite_utils.Database, where: str = "1", params: list[Any] | None = None) -> list[Review]:
    """Every submitted review version matching a condition on the reviews table, oldest first."""
    sql = f"SELECT * FROM reviews WHERE state = 'submitted' AND ({where}) ORDER BY version_key, uid"
    return [review_from_row(db, row) for row in db.query(sql, params or [])]


def set_review_signature(db: sqlite_utils.Database, review_id: int, signer_key: str, signature: str) -> None:
    """Record the author's signature of a submitted review (made when it first leaves the workspace)."""
    with write_transaction(db):
        db.execute(
            "UPDATE reviews SET signer_key = ?, signature = ? WHERE id = ? AND state = 'submitted'",
            [signer_key, signature, review_id],
        )
