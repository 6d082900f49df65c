"""Calibration sets in the workspace: their calls (by content hash) and who has scored what.

The rules about them (blindness, which call comes next) live in calibration/sets.py.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

import sqlite_utils

from empathy_audit.scoring.rubric import Rubric
from empathy_audit.store.database import utc_now, write_transaction
from empathy_audit.store.reviews import Review, review_from_row
from empathy_audit.store.rubrics import active_rubric


class CalibrationProblem(ValueError):
    pass


@dataclass
class CalibrationSet:
    id: int
    uid: str
    name: str
    instructions: str
    rubric_id: int
    lead: str
    role: str  # lead | participant
    created_at: str
    call_shas: list[str] = field(default_factory=list)

    @property
    def blind(self) -> bool:
        return self.role == "participant"


@dataclass(frozen=True)
class SetCall:
    sha256: str
    call_id: int | None  # None: the audio is not in this workspace (yet)
    name: str
    position: int


def _from_row(db: sqlite_utils.Database, row: dict) -> CalibrationSet:
    shas = [
        r[0]
        for r in db.execute(
            "SELECT call_sha256 FROM calibration_calls WHERE set_id = ? ORDER BY position", [row["id"]]
        ).fetchall()
    ]
    return CalibrationSet(
        **{k: row[k] for k in CalibrationSet.__dataclass_fields__ if k != "call_shas"}, call_shas=shas
    )


def create_set(
    db: sqlite_utils.Database,
    name: str,
    call_ids: Sequence[int],
    lead: str,
    instructions: str = "",
    rubric: Rubric | None = None,
) -> CalibrationSet:
    """A new set (this workspace leads it). Calls are kept by content hash, so they match in every workspace."""
    name, lead = name.strip(), lead.strip()
    if not name:
        raise CalibrationProblem("a calibration set needs a name (e.g. “Q3 week 2”)")
    if not lead:
        raise CalibrationProblem("say who leads the set (their reviews in it are the gold scores)")
    if not call_ids:
        raise CalibrationProblem("choose at least one call for the set")
    shas = []
    for call_id in call_ids:
        row = db.execute("SELECT sha256 FROM calls WHERE id = ?", [call_id]).fetchone()
        if row is None:
            raise CalibrationProblem(f"there is no call {call_id} in this workspace")
        if row[0] not in shas:
            shas.append(row[0])
    rubric = rubric or active_rubric(db)
    with write_transaction(db):
        if db.execute("SELECT 1 FROM calibration_sets WHERE name = ?", [name]).fetchone():
            raise CalibrationProblem(f"there is already a calibration set called “{name}”; choose another name")
        cursor = db.execute(
            "INSERT INTO calibration_sets (uid, name, instructions, rubric_id, lead, role, created_at) "
            "VALUES (?, ?, ?, ?, ?, 'lead', ?)",
            [uuid.uuid4().hex, name, instructions.strip(), rubric.id, lead, utc_now()],
        )
        set_id = int(cursor.lastrowid)
        db.conn.executemany(
            "INSERT INTO calibration_calls (set_id, call_sha256, position) VALUES (?, ?, ?)",
            [(set_id, sha, i) for i, sha in enumerate(shas)],
        )
    return get_set(db, set_id)


def get_set(db: sqlite_utils.Database, ref: int | str) -> CalibrationSet:
    """A set by id, uid or name."""
    rows = list(
        db.query(
            "SELECT * FROM calibration_sets WHERE id = ? OR uid = ? OR name = ? ORDER BY id LIMIT 1",
            [ref if isinstance(ref, int) or str(ref).isdigit() else -1, str(ref), str(ref)],
        )
    )
    if not rows:
        raise CalibrationProblem(f"there is no calibration set “{ref}” in this workspace")
    return _from_row(db, rows[0])


def list_sets(db: sqlite_utils.Database) -> list[CalibrationSet]:
    return [_from_row(db, row) for row in db.query("SELECT * FROM calibration_sets ORDER BY created_at, id")]


def set_calls(db: sqlite_utils.Database, cset: CalibrationSet) -> list[SetCall]:
    out = []
    for position, sha in enumerate(cset.call_shas):
        row = db.execute("SELECT id, original_name FROM calls WHERE sha256 = ?", [sha]).fetchone()
        if row is None:
            known = db.execute("SELECT original_name FROM pack_calls WHERE call_sha256 = ?", [sha]).fetchone()
            out.append(SetCall(sha, None, (known[0] if known and known[0] else sha[:12]), position))
        else:
            out.append(SetCall(sha, row[0], row[1], position))
    return out


def latest_submitted(db: sqlite_utils.Database, cset: CalibrationSet) -> dict[tuple[str, str], Review]:
    """(call sha, reviewer) → that reviewer's newest submitted review in the set."""
    latest: dict[tuple[str, str], Review] = {}
    for row in db.query(
        "SELECT * FROM reviews WHERE calibration_uid = ? AND state = 'submitted' ORDER BY version_key, uid",
        [cset.uid],
    ):
        latest[(row["call_sha256"], row["reviewer"])] = review_from_row(db, row)
    return latest


def progress(db: sqlite_utils.Database, cset: CalibrationSet) -> dict[str, dict[str, str]]:
    """reviewer → call sha → 'submitted' or 'draft' (who has scored what; never the scores)."""
    out: dict[str, dict[str, str]] = {}
    for reviewer, sha, state in db.execute(
        "SELECT reviewer, call_sha256, state FROM reviews WHERE calibration_uid = ? ORDER BY version_key, uid",
        [cset.uid],
    ).fetchall():
        current = out.setdefault(reviewer, {})
        if current.get(sha) != "submitted":
            current[sha] = state
    return out


def call_sha(db: sqlite_utils.Database, call_id: int) -> str | None:
    row = db.execute("SELECT sha256 FROM calls WHERE id = ?", [call_id]).fetchone()
    return row[0] if row else None


def waiting_review_count(db: sqlite_utils.Database) -> int:
    """Reviews that came in packs and wait for their call's recording."""
    return int(db.execute("SELECT COUNT(*) FROM reviews WHERE call_id IS NULL").fetchone()[0])


def waiting_calls(db: sqlite_utils.Database) -> list[tuple]:
    """Calls that reviews from packs wait for: (sha, name, agent, team, start, reviews, reviewers)."""
    return db.execute(
        "SELECT r.call_sha256, p.original_name, p.agent, p.team, p.call_start, COUNT(*), "
        "group_concat(DISTINCT r.reviewer) FROM reviews r "
        "LEFT JOIN pack_calls p ON p.call_sha256 = r.call_sha256 WHERE r.call_id IS NULL "
        "GROUP BY r.call_sha256 ORDER BY 2"
    ).fetchall()


def set_candidates(db: sqlite_utils.Database) -> list[tuple]:
    """Transcribed calls a lead can put in a set: (id, name, agent, start, duration), newest first."""
    return db.execute(
        "SELECT id, original_name, agent, COALESCE(call_start, imported_at), duration_s FROM calls "
        "WHERE status = 'transcribed' ORDER BY 4 DESC"
    ).fetchall()
