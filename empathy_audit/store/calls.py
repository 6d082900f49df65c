"""Reading and writing calls."""

from __future__ import annotations

import dataclasses
from typing import Any

import sqlite_utils

from empathy_audit.domain import Call, CallStatus
from empathy_audit.store.database import utc_now, write_transaction

_CALL_FIELDS = {f.name for f in dataclasses.fields(Call)}


def _to_call(row: dict[str, Any]) -> Call:
    values = {k: v for k, v in row.items() if k in _CALL_FIELDS}
    values["linked"] = bool(values.get("linked"))
    return Call(**values)


def insert_call(db: sqlite_utils.Database, values: dict[str, Any]) -> int:
    """Insert one call row (one transaction) and return its id."""
    now = utc_now()
    row = {"status": CallStatus.NEW.value, "imported_at": now, "updated_at": now, **values}
    columns = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    with write_transaction(db):
        cursor = db.execute(f"INSERT INTO calls ({columns}) VALUES ({marks})", list(row.values()))
    return int(cursor.lastrowid)


def call_by_sha256(db: sqlite_utils.Database, sha256: str) -> Call | None:
    rows = list(db.query("SELECT * FROM calls WHERE sha256 = ?", [sha256]))
    return _to_call(rows[0]) if rows else None


def get_call(db: sqlite_utils.Database, call_id: int) -> Call | None:
    rows = list(db.query("SELECT * FROM calls WHERE id = ?", [call_id]))
    return _to_call(rows[0]) if rows else None


def list_calls(db: sqlite_utils.Database, *, status: str | None = None) -> list[Call]:
    if status:
        rows = db.query("SELECT * FROM calls WHERE status = ? ORDER BY id", [status])
    else:
        rows = db.query("SELECT * FROM calls ORDER BY id")
    return [_to_call(row) for row in rows]


def update_call(db: sqlite_utils.Database, call_id: int, **values: Any) -> None:
    values["updated_at"] = utc_now()
    assignments = ", ".join(f"{name} = ?" for name in values)
    with write_transaction(db):
        db.execute(f"UPDATE calls SET {assignments} WHERE id = ?", [*values.values(), call_id])


def call_to_json(call: Call) -> dict[str, Any]:
    """The CLI's `calls list --json` object for one call: its fields, the layout transcription follows and the
    agent's side ('left'/'right' for one side per channel, else null)."""
    two_sides = call.layout in ("dual", "dual_bleed")
    return {
        **dataclasses.asdict(call),
        "channel_layout": call.layout,
        "agent_side": call.agent_channel if two_sides else None,
    }


def queue_candidates(db: sqlite_utils.Database, reviewer: str) -> list[dict[str, Any]]:
    """Transcribed calls the reviewer has not submitted an audit review of, oldest first, with CSAT and churn."""
    return list(
        db.query(
            "SELECT c.id, c.agent, c.customer_id, COALESCE(c.call_start, c.imported_at) AS started, "
            "o.csat, o.churned FROM calls c LEFT JOIN ("
            "  SELECT call_id, MAX(csat) AS csat, MAX(churned) AS churned FROM outcomes GROUP BY call_id"
            ") o ON o.call_id = c.id WHERE c.status = 'transcribed' "
            "AND c.id NOT IN (SELECT call_id FROM reviews WHERE reviewer = ? AND state = 'submitted' "
            "AND call_id IS NOT NULL AND calibration_uid IS NULL) ORDER BY started, c.id",
            [reviewer],
        )
    )


def customer_contacts(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """Every call that names its customer, in time order: (id, customer_id, started)."""
    return list(
        db.query(
            "SELECT id, customer_id, COALESCE(call_start, imported_at) AS started FROM calls "
            "WHERE customer_id IS NOT NULL AND customer_id != '' ORDER BY started, id"
        )
    )


def status_counts(db: sqlite_utils.Database) -> dict[str, int]:
    return dict(db.execute("SELECT status, COUNT(*) FROM calls GROUP BY status").fetchall())


def stored_paths(db: sqlite_utils.Database) -> list[tuple[str, str]]:
    """(file name, stored path) of every call."""
    return db.execute("SELECT original_name, stored_path FROM calls").fetchall()


def call_names(db: sqlite_utils.Database) -> dict[int, str]:
    return dict(db.execute("SELECT id, original_name FROM calls").fetchall())


def has_calls(db: sqlite_utils.Database) -> bool:
    return bool(db.execute("SELECT EXISTS (SELECT 1 FROM calls)").fetchone()[0])


# -- the transcription lifecycle: a run claims a call, beats while it works, and releases it -------------
def claim_for_transcription(db: sqlite_utils.Database, call_id: int, pid: int) -> None:
    now = utc_now()
    with write_transaction(db):
        db.execute(
            "UPDATE calls SET status = ?, progress = 0, error = NULL, worker_pid = ?, worker_heartbeat = ?, "
            "updated_at = ? WHERE id = ?",
            [CallStatus.TRANSCRIBING.value, pid, now, now, call_id],
        )


def transcription_heartbeat(db: sqlite_utils.Database, call_id: int, fraction: float) -> None:
    with write_transaction(db):
        db.execute(
            "UPDATE calls SET progress = ?, worker_heartbeat = ? WHERE id = ?", [round(fraction, 4), utc_now(), call_id]
        )


def release_from_transcription(
    db: sqlite_utils.Database, call_id: int, status: CallStatus | None, error: str | None
) -> None:
    """End a call's run without a new transcript: back to pending, or failed with a reason."""
    with write_transaction(db):
        has_transcript = db.execute(
            "SELECT 1 FROM transcripts WHERE call_id = ? AND is_current = 1", [call_id]
        ).fetchone()
        if has_transcript:
            # A re-transcription that did not finish keeps the previous transcript current.
            new_status = CallStatus.TRANSCRIBED
            error = f"re-transcription did not finish: {error}" if error else None
        else:
            new_status = status or CallStatus.NEW
        db.execute(
            "UPDATE calls SET status = ?, error = ?, progress = NULL, worker_pid = NULL, "
            "worker_heartbeat = NULL, updated_at = ? WHERE id = ?",
            [new_status.value, error, utc_now(), call_id],
        )


def transcription_lease(db: sqlite_utils.Database, call_id: int) -> tuple[int | None, str | None]:
    """(worker pid, last heartbeat) of the run transcribing a call, if any."""
    row = db.execute("SELECT worker_pid, worker_heartbeat FROM calls WHERE id = ?", [call_id]).fetchone()
    return (row[0], row[1]) if row else (None, None)


def update_details(db: sqlite_utils.Database, updates: list[tuple[int, dict[str, Any]]]) -> int:
    """Set agent, team, customer, external id or start of several calls in one transaction; returns how many."""
    now = utc_now()
    with write_transaction(db):
        for call_id, values in updates:
            if not values:
                continue
            assignments = ", ".join(f"{name} = ?" for name in values)
            db.execute(f"UPDATE calls SET {assignments}, updated_at = ? WHERE id = ?", [*values.values(), now, call_id])
    return sum(1 for _id, values in updates if values)


def set_agent_side(db: sqlite_utils.Database, call_id: int, agent_channel: str, source: str) -> None:
    """Which channel is the agent's (two-channel calls), and how that was decided."""
    with write_transaction(db):
        db.execute(
            "UPDATE calls SET agent_channel = ?, agent_side_source = ?, updated_at = ? WHERE id = ?",
            [agent_channel, source, utc_now(), call_id],
        )


def set_layout(db: sqlite_utils.Database, call_ids: list[int], layout: str) -> None:
    """How the calls' channels are laid out, set by a person (transcription follows it from then on)."""
    with write_transaction(db):
        for call_id in call_ids:
            db.execute(
                "UPDATE calls SET channel_layout = ?, layout_source = 'set', layout_note = 'set by a person', "
                "updated_at = ? WHERE id = ?",
                [layout, utc_now(), call_id],
            )
