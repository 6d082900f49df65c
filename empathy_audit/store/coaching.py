"""The coaching loop in the workspace: acknowledgements, disputes (and the review versions their decisions
make), coaching sessions with goals and to-dos. Rules live in coaching/; this module only reads and writes."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from empathy_audit.store.audit import query_in_chunks
from empathy_audit.store.database import utc_now, write_transaction
from empathy_audit.store.reviews import copy_version

DISPUTE_DAYS_KEY = "dispute_days"  # workspace setting: days after submission a review can be disputed


@dataclass
class Dispute:
    id: int
    uid: str
    review_id: int
    criterion_key: str
    original_score: int | None
    proposed_score: int
    reason: str
    opened_by: str
    opened_at: str
    due_at: str | None
    state: str
    decided_by: str | None
    decided_score: int | None
    decision_comment: str | None
    decided_at: str | None
    escalated_by: str | None
    escalated_at: str | None
    escalation_comment: str | None
    new_review_id: int | None
    session_id: int | None
    # from the review and its call
    reviewer: str = ""
    call_id: int = 0
    call_name: str = ""
    agent: str | None = None

    def as_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


# Every field of Dispute, in its order: rows are made into Disputes by position.
_DISPUTE_SQL = (
    "SELECT d.id, d.uid, d.review_id, d.criterion_key, d.original_score, d.proposed_score, d.reason, d.opened_by, "
    "d.opened_at, d.due_at, d.state, d.decided_by, d.decided_score, d.decision_comment, d.decided_at, "
    "d.escalated_by, d.escalated_at, d.escalation_comment, d.new_review_id, d.session_id, r.reviewer, r.call_id, "
    "c.original_name, c.agent FROM disputes d JOIN reviews r ON r.id = d.review_id JOIN calls c ON c.id = r.call_id"
)


def get_dispute(db: sqlite_utils.Database, dispute_id: int) -> Dispute | None:
    row = db.execute(f"{_DISPUTE_SQL} WHERE d.id = ?", [dispute_id]).fetchone()
    return Dispute(*row) if row else None


def list_disputes(
    db: sqlite_utils.Database, state: str | None = None, agent: str | None = None, review_ids: list[int] | None = None
) -> list[Dispute]:
    where, params = ["1"], []
    if state:
        where.append("d.state = ?")
        params.append(state)
    if agent:
        where.append("c.agent = ?")
        params.append(agent)
    sql = f"{_DISPUTE_SQL} WHERE {' AND '.join(where)}"
    if review_ids is None:
        rows = db.execute(sql, params).fetchall()
    else:  # a quarter's reviews may be thousands: asked for in chunks under SQLite's parameter limit
        rows = query_in_chunks(db, sql + " AND d.review_id IN ({ids})", review_ids, params)
    return sorted((Dispute(*row) for row in rows), key=lambda d: d.id)


def insert_dispute(
    db: sqlite_utils.Database, review_id: int, criterion: str, original: int | None, proposed: int, reason: str,
    by: str, due_at: str | None, session_id: int | None = None,
) -> int:  # fmt: skip
    with write_transaction(db):
        return int(
            db.execute(
                "INSERT INTO disputes (uid, review_id, criterion_key, original_score, proposed_score, reason, "
                "opened_by, opened_at, due_at, session_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [uuid.uuid4().hex, review_id, criterion, original, proposed, reason, by, utc_now(), due_at, session_id],
            ).lastrowid
        )


def open_dispute_exists(db: sqlite_utils.Database, review_id: int, criterion: str) -> bool:
    """An undecided dispute of this criterion on any version of the reviewer's review of the call."""
    return bool(
        db.execute(
            "SELECT 1 FROM disputes d JOIN reviews r ON r.id = d.review_id JOIN reviews this ON this.id = ? "
            "WHERE r.call_id = this.call_id AND r.reviewer = this.reviewer AND d.criterion_key = ? "
            "AND d.state IN ('open', 'escalated')",
            [review_id, criterion],
        ).fetchone()
    )


def only_dispute_versions_since(db: sqlite_utils.Database, review_id: int) -> bool:
    """Every submitted version of the reviewer's review newer than `review_id` was made by a dispute's decision
    (not by the reviewer revising it)."""
    return not db.execute(
        "SELECT 1 FROM reviews r JOIN reviews this ON this.id = ? WHERE r.call_id = this.call_id "
        "AND r.reviewer = this.reviewer AND r.calibration_uid IS NULL AND r.state = 'submitted' "
        "AND r.version_key > this.version_key AND r.amended_by IS NULL",
        [review_id],
    ).fetchone()


def escalate_dispute(db: sqlite_utils.Database, dispute_id: int, by: str, comment: str | None) -> None:
    with write_transaction(db):
        db.execute(
            "UPDATE disputes SET state = 'escalated', escalated_by = ?, escalated_at = ?, escalation_comment = ? "
            "WHERE id = ? AND state = 'open'",
            [by, utc_now(), comment, dispute_id],
        )


class DisputeDecided(RuntimeError):
    """Someone else decided the dispute meanwhile (another window or the command line)."""


def decide_dispute(
    db: sqlite_utils.Database, dispute: Dispute, state: str, by: str, score: int | None, comment: str | None,
    base_id: int | None = None,
) -> int | None:  # fmt: skip
    """Record a decision; with a new score, make a new submitted version of the review carrying it, copied from
    `base_id` (the version that counts now; the disputed one by default). History kept: earlier versions stay.
    One transaction, which first checks the dispute is still undecided. Returns the new version's id."""
    now = utc_now()
    base = base_id or dispute.review_id
    with write_transaction(db):
        still = db.execute("SELECT state FROM disputes WHERE id = ?", [dispute.id]).fetchone()
        if still is None or still[0] not in ("open", "escalated"):
            raise DisputeDecided(f"dispute {dispute.id} was decided meanwhile ({still[0] if still else 'deleted'})")
        new_id = None
        if score is not None:
            new_id = copy_version(db, base, "submitted", now, amended_by=dispute.uid)
            note = f"Changed from {dispute.original_score} to {score} by dispute ({by}): {comment or dispute.reason}"
            db.execute(
                "UPDATE review_scores SET score = ?, scored = 1, comment = TRIM(COALESCE(comment, '') || ' ' || ?) "
                "WHERE review_id = ? AND criterion_key = ?",
                [score, f"[{note}]", new_id, dispute.criterion_key],
            )
        db.execute(
            "UPDATE disputes SET state = ?, decided_by = ?, decided_score = ?, decision_comment = ?, decided_at = ?, "
            "new_review_id = ? WHERE id = ?",
            [state, by, score, comment, now, new_id, dispute.id],
        )
    return new_id


def latest_version_id(db: sqlite_utils.Database, call_id: int, reviewer: str) -> int | None:
    """The reviewer's latest submitted audit review of a call (the one that counts)."""
    row = db.execute(
        "SELECT id FROM reviews WHERE call_id = ? AND reviewer = ? AND state = 'submitted' AND calibration_uid IS NULL "
        "ORDER BY version_key DESC, uid DESC LIMIT 1",
        [call_id, reviewer],
    ).fetchone()
    return row[0] if row else None


# -- acknowledgements ------------------------------------------------------------------------------------
def insert_acknowledgement(
    db: sqlite_utils.Database, review_id: int, agent: str, comment: str | None, session_id: int | None = None
) -> int:
    with write_transaction(db):
        return int(
            db.execute(
                "INSERT INTO acknowledgements (review_id, agent, comment, session_id, at) VALUES (?, ?, ?, ?, ?)",
                [review_id, agent, comment, session_id, utc_now()],
            ).lastrowid
        )


def acknowledgements(db: sqlite_utils.Database, review_ids: list[int]) -> dict[int, tuple[str, str | None, str]]:
    """review id -> (agent, comment, when) of its latest acknowledgement."""
    sql = "SELECT id, review_id, agent, comment, at FROM acknowledgements WHERE review_id IN ({ids})"
    rows = query_in_chunks(db, sql, review_ids)
    return {r[1]: (r[2], r[3], r[4]) for r in sorted(rows)}  # by id: the latest wins


# -- coaching sessions -------------------------------------------------------------------------------------
def insert_session(db: sqlite_utils.Database, agent: str, lead: str, goals: str) -> int:
    with write_transaction(db):
        return int(
            db.execute(
                "INSERT INTO coaching_sessions (agent, lead, started_at, goals) VALUES (?, ?, ?, ?)",
                [agent, lead, utc_now(), goals],
            ).lastrowid
        )


def update_session(db: sqlite_utils.Database, session_id: int, **fields: Any) -> None:
    allowed = {k: v for k, v in fields.items() if k in ("goals", "notes", "ended_at")}
    if allowed:
        with write_transaction(db):
            sets = ", ".join(f"{k} = ?" for k in allowed)
            db.execute(f"UPDATE coaching_sessions SET {sets} WHERE id = ?", [*allowed.values(), session_id])


def sessions(db: sqlite_utils.Database, agent: str | None = None) -> list[dict[str, Any]]:
    where, params = ("WHERE agent = ?", [agent]) if agent else ("", [])
    return list(db.query(f"SELECT * FROM coaching_sessions {where} ORDER BY started_at, id", params))


def add_todo(db: sqlite_utils.Database, session_id: int, text: str) -> int:
    with write_transaction(db):
        return int(
            db.execute("INSERT INTO coaching_todos (session_id, text) VALUES (?, ?)", [session_id, text]).lastrowid
        )


def finish_todo(db: sqlite_utils.Database, todo_id: int, in_session: int) -> None:
    with write_transaction(db):
        db.execute("UPDATE coaching_todos SET done_at = ?, done_in = ? WHERE id = ?", [utc_now(), in_session, todo_id])


def open_todos(db: sqlite_utils.Database, agent: str) -> list[dict[str, Any]]:
    """An agent's to-dos not done yet, from every earlier session: they carry to the next one."""
    return list(
        db.query(
            "SELECT t.id, t.text, t.session_id, s.started_at FROM coaching_todos t JOIN coaching_sessions s "
            "ON s.id = t.session_id WHERE s.agent = ? AND t.done_at IS NULL ORDER BY t.id",
            [agent],
        )
    )


# -- grading the graders ---------------------------------------------------------------------------------
def grader_rows(db: sqlite_utils.Database, date_from: str, date_to: str) -> list[tuple]:
    """(review id, reviewer, submitted day, active seconds, amended by a dispute?, call id) of the audit review versions
    submitted in [date_from, date_to] (YYYY-MM-DD)."""
    return db.execute(
        "SELECT id, reviewer, substr(COALESCE(submitted_at, updated_at), 1, 10), active_seconds, "
        "amended_by IS NOT NULL, call_id FROM reviews WHERE state = 'submitted' AND calibration_uid IS NULL "
        "AND substr(COALESCE(submitted_at, updated_at), 1, 10) BETWEEN ? AND ? ORDER BY submitted_at",
        [date_from, date_to],
    ).fetchall()


def agent_reviews(db: sqlite_utils.Database, agent: str, quarter: str) -> list[int]:
    """The counted audit reviews (each reviewer's latest submitted version) of an agent's calls in a quarter,
    oldest call first."""
    from empathy_audit.quarters import quarter_sql
    from empathy_audit.scoring.counting import counted_reviews_sql

    return [
        r[0]
        for r in db.execute(
            f"SELECT r.id FROM reviews r JOIN calls c ON c.id = r.call_id WHERE r.id IN ({counted_reviews_sql()}) "
            f"AND c.agent = ? AND {quarter_sql('c')} = ? ORDER BY COALESCE(c.call_start, c.imported_at), r.id",
            [agent, quarter],
        ).fetchall()
    ]
