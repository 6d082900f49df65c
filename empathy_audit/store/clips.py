"""Clips in the workspace: references (call, start, end) with their excerpt, title, tags and note."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import sqlite_utils

from empathy_audit.store.database import utc_now, write_transaction


class ClipProblem(ValueError):
    """A clip cannot be made or changed as asked; the message says why and what to do."""


@dataclass
class Clip:
    id: int
    call_id: int
    start_s: float
    end_s: float
    title: str
    note: str = ""
    criterion_key: str | None = None
    tags: list[str] = field(default_factory=list)
    transcript_excerpt: str = ""
    created_at: str = ""
    updated_at: str = ""
    call_name: str = ""
    agent: str | None = None
    team: str | None = None
    call_start: str | None = None
    criterion_label: str | None = None

    @property
    def duration_s(self) -> float:
        return round(self.end_s - self.start_s, 3)

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "duration_s": self.duration_s}


_SELECT = """
SELECT clips.*, calls.original_name AS call_name, calls.agent, calls.team, calls.call_start,
       (SELECT label FROM rubric_criteria rc WHERE rc.key = clips.criterion_key ORDER BY rc.rubric_id DESC LIMIT 1)
           AS criterion_label
FROM clips JOIN calls ON calls.id = clips.call_id
"""


def _to_clip(row: dict[str, Any]) -> Clip:
    return Clip(
        id=row["id"],
        call_id=row["call_id"],
        start_s=row["start_s"],
        end_s=row["end_s"],
        title=row["title"],
        note=row["note"] or "",
        criterion_key=row["criterion_key"],
        tags=json.loads(row["tags_json"] or "[]"),
        transcript_excerpt=row["transcript_excerpt"] or "",
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        call_name=row["call_name"],
        agent=row["agent"],
        team=row["team"],
        call_start=row["call_start"],
        criterion_label=row["criterion_label"],
    )


def criterion_labels(db: sqlite_utils.Database) -> dict[str, str]:
    """Every criterion any stored rubric version has had: key → latest label."""
    return {r["key"]: r["label"] for r in db.query("SELECT key, label FROM rubric_criteria ORDER BY rubric_id")}


def insert_clip(db: sqlite_utils.Database, values: dict[str, Any]) -> int:
    """Store a clip row (values named by column); returns its id."""
    now = utc_now()
    row = {**values, "created_at": now, "updated_at": now}
    with write_transaction(db):
        cursor = db.execute(
            f"INSERT INTO clips ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})", list(row.values())
        )
    return int(cursor.lastrowid)


def get_clip(db: sqlite_utils.Database, clip_id: int) -> Clip:
    rows = list(db.query(_SELECT + " WHERE clips.id = ?", [clip_id]))
    if not rows:
        raise ClipProblem(f"there is no clip {clip_id} in this workspace")
    return _to_clip(rows[0])


def update_clip_row(db: sqlite_utils.Database, clip_id: int, values: dict[str, Any]) -> None:
    values = {**values, "updated_at": utc_now()}
    assignments = ", ".join(f"{k} = ?" for k in values)
    with write_transaction(db):
        db.execute(f"UPDATE clips SET {assignments} WHERE id = ?", [*values.values(), clip_id])


def delete_clips(db: sqlite_utils.Database, clip_ids: Sequence[int]) -> int:
    with write_transaction(db):
        cursor = db.conn.executemany("DELETE FROM clips WHERE id = ?", [(i,) for i in clip_ids])
    return cursor.rowcount


def list_clips(db: sqlite_utils.Database, search: str = "", call_id: int | None = None) -> list[Clip]:
    """Newest first. Every word of `search` must appear in the title, tags, transcript, note or criterion."""
    where, params = [], []
    for term in search.split():
        like = f"%{term.replace('%', '').lower()}%"
        where.append(
            "(lower(clips.title) LIKE ? OR lower(clips.tags_json) LIKE ? OR lower(clips.transcript_excerpt) LIKE ? "
            "OR lower(coalesce(clips.note, '')) LIKE ? OR lower(coalesce(clips.criterion_key, '')) LIKE ? "
            "OR clips.criterion_key IN (SELECT key FROM rubric_criteria WHERE lower(label) LIKE ?))"
        )
        params += [like] * 6
    if call_id is not None:
        where.append("clips.call_id = ?")
        params.append(call_id)
    sql = (
        _SELECT + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY clips.created_at DESC, clips.id DESC"
    )
    return [_to_clip(r) for r in db.query(sql, params)]


def all_tags(db: sqlite_utils.Database) -> list[str]:
    tags: set[str] = set()
    for (raw,) in db.execute("SELECT tags_json FROM clips").fetchall():
        tags.update(json.loads(raw or "[]"))
    return sorted(tags)
