"""What packs write and read: calls that arrive with audio or wait for it, pack reviews, participants' sets.

Called inside the pack importer's one transaction (packs/importer.py), which checks everything first.
"""

from __future__ import annotations

from typing import Any

import sqlite_utils


def call_id_by_sha(db: sqlite_utils.Database, sha: str) -> int | None:
    row = db.execute("SELECT id FROM calls WHERE sha256 = ?", [sha]).fetchone()
    return None if row is None else int(row[0])


def has_current_transcript(db: sqlite_utils.Database, call_id: int) -> bool:
    return (
        db.execute("SELECT 1 FROM transcripts WHERE call_id = ? AND is_current = 1", [call_id]).fetchone() is not None
    )


def review_uid_known(db: sqlite_utils.Database, uid: str) -> bool:
    return db.execute("SELECT 1 FROM reviews WHERE uid = ?", [uid]).fetchone() is not None


def rubric_ids(db: sqlite_utils.Database) -> list[int]:
    return [r[0] for r in db.execute("SELECT id FROM rubrics ORDER BY id").fetchall()]


def insert_pack_call(db: sqlite_utils.Database, call: dict, stored_path: str, now: str) -> int:
    cursor = db.execute(
        "INSERT INTO calls (sha256, original_name, stored_path, linked, size_bytes, duration_s, sample_rate, channels, "
        "codec, container, agent, team, customer_id, external_id, call_start, queue, agent_channel, status, "
        "imported_at, updated_at) VALUES (?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'new', ?, ?)",
        [
            call["sha256"],
            call.get("original_name") or call["sha256"][:12],
            stored_path,
            int(call.get("size_bytes") or 0),
            float(call.get("duration_s") or 0),
            int(call.get("sample_rate") or 0),
            int(call.get("channels") or 1),
            call.get("codec") or "unknown",
            call.get("container"),
            call.get("agent"),
            call.get("team"),
            call.get("customer_id"),
            call.get("external_id"),
            call.get("call_start"),
            call.get("queue"),
            call.get("agent_channel") if call.get("agent_channel") in ("left", "right") else "left",
            now,
            now,
        ],
    )
    return int(cursor.lastrowid)


def arrived_with_audio(db: sqlite_utils.Database, sha: str) -> None:
    """The call is here now: it no longer waits for its audio."""
    db.execute("DELETE FROM pack_calls WHERE call_sha256 = ?", [sha])


def remember_waiting_call(db: sqlite_utils.Database, sha: str, call: dict, pack_name: str) -> None:
    """A call a pack describes without its audio (the first pack's metadata is kept)."""
    db.execute(
        "INSERT INTO pack_calls (call_sha256, original_name, agent, team, customer_id, external_id, "
        "call_start, duration_s, first_seen_in) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (call_sha256) DO NOTHING",
        [
            sha,
            call.get("original_name"),
            call.get("agent"),
            call.get("team"),
            call.get("customer_id"),
            call.get("external_id"),
            call.get("call_start"),
            call.get("duration_s"),
            pack_name,
        ],
    )


def waiting_call(db: sqlite_utils.Database, sha: str) -> dict[str, Any] | None:
    """What packs said about a call whose audio is not here, as a calls.json entry."""
    for known in db.query("SELECT * FROM pack_calls WHERE call_sha256 = ?", [sha]):
        return {"sha256": sha, **{k: v for k, v in known.items() if k not in ("call_sha256", "first_seen_in")}}
    return None


def insert_pack_review(
    db: sqlite_utils.Database, review: dict, call_id: int | None, rubric_id: int | None, origin: str
) -> None:
    transcript = (
        db.execute("SELECT id FROM transcripts WHERE call_id = ? AND is_current = 1", [call_id]).fetchone()
        if call_id is not None
        else None
    )
    cursor = db.execute(
        "INSERT INTO reviews (call_id, call_sha256, transcript_id, rubric_id, reviewer, state, overall_note, "
        "data_missed, emotional_context, context_flag, created_at, updated_at, submitted_at, uid, version_key, "
        "calibration_uid, origin, signer_key, signature) "
        "VALUES (?, ?, ?, ?, ?, 'submitted', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            call_id,
            review["call_sha256"],
            transcript[0] if transcript else None,
            rubric_id,
            review["reviewer"],
            review.get("overall_note"),
            review.get("data_missed"),
            review.get("emotional_context"),
            review.get("context_flag"),
            review["created_at"],
            review.get("updated_at") or review["created_at"],
            review["submitted_at"],
            review["uid"],
            review["version_key"],
            review.get("calibration_uid"),
            origin,
            review.get("signer_key"),
            review.get("signature"),
        ],
    )
    review_id = cursor.lastrowid
    comments = review.get("comments") or {}
    scores = review.get("scores") or {}
    db.conn.executemany(
        "INSERT INTO review_scores (review_id, criterion_key, score, comment, scored) VALUES (?, ?, ?, ?, ?)",
        [(review_id, key, scores.get(key), comments.get(key), int(key in scores)) for key in {*scores, *comments}],
    )
    db.conn.executemany(
        "INSERT INTO evidence (review_id, criterion_key, start_s, end_s, note) VALUES (?, ?, ?, ?, ?)",
        [
            (review_id, e["criterion_key"], float(e["start_s"]), float(e["end_s"]), e.get("note"))
            for e in review.get("evidence") or []
        ],
    )


def set_by_uid(db: sqlite_utils.Database, uid: str) -> tuple[int, str, str, str | None] | None:
    """(id, lead, role, lead's key) of a calibration set."""
    row = db.execute("SELECT id, lead, role, lead_key FROM calibration_sets WHERE uid = ?", [uid]).fetchone()
    return None if row is None else (int(row[0]), row[1] or "", row[2], row[3])


def set_name_taken(db: sqlite_utils.Database, name: str) -> bool:
    return db.execute("SELECT 1 FROM calibration_sets WHERE name = ?", [name]).fetchone() is not None


def insert_participant_set(db: sqlite_utils.Database, data: dict, name: str, rubric_id: int | None, now: str) -> int:
    cursor = db.execute(
        "INSERT INTO calibration_sets (uid, name, instructions, rubric_id, lead, role, created_at, lead_key, "
        "signature) VALUES (?, ?, ?, ?, ?, 'participant', ?, ?, ?)",
        [
            data["uid"],
            name,
            data.get("instructions") or "",
            rubric_id,
            data.get("lead") or "",
            data.get("created_at") or now,
            data.get("lead_key"),
            data.get("signature"),
        ],
    )
    return int(cursor.lastrowid)


def add_set_calls(db: sqlite_utils.Database, set_id: int, shas: list[str]) -> str:
    """Add calls to a set (those it has stay); returns the set's name."""
    for position, sha in enumerate(shas):
        db.execute(
            "INSERT INTO calibration_calls (set_id, call_sha256, position) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            [set_id, sha, position],
        )
    return str(db.execute("SELECT name FROM calibration_sets WHERE id = ?", [set_id]).fetchone()[0])


def remember_set_key(db: sqlite_utils.Database, set_id: int, lead_key: str, signature: str) -> None:
    """A set that came before packs were signed learns its lead's key from their first signed pack."""
    db.execute("UPDATE calibration_sets SET lead_key = ?, signature = ? WHERE id = ?", [lead_key, signature, set_id])
