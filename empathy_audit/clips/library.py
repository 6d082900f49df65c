"""The coaching library: clips stored as references (call, start, end) plus their transcript excerpt."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import sqlite_utils

from empathy_audit.clips.spans import PADDING_S, SpanProblem, excerpt, render_excerpt, snap_span
from empathy_audit.store.calls import get_call
from empathy_audit.store.database import utc_now, write_transaction
from empathy_audit.store.rubrics import active_rubric
from empathy_audit.store.transcripts import current_transcript


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


def normalise_tags(tags: Iterable[str]) -> list[str]:
    """Lower case, words joined by '-', no duplicates; 'Acknowledgment Great' → 'acknowledgment-great'."""
    out: list[str] = []
    for raw in tags:
        for part in raw.split(","):
            tag = re.sub(r"[\s_]+", "-", part.strip().lower()).strip("-")
            if tag and tag not in out:
                out.append(tag)
    return out


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


def criterion_keys(db: sqlite_utils.Database) -> dict[str, str]:
    """Every criterion any rubric version has had: key → latest label."""
    active_rubric(db)  # a fresh workspace gets the default rubric on first use
    return {r["key"]: r["label"] for r in db.query("SELECT key, label FROM rubric_criteria ORDER BY rubric_id")}


def _check_fields(db: sqlite_utils.Database, title: str, criterion_key: str | None) -> str:
    title = title.strip()
    if not title:
        raise ClipProblem("a clip needs a title (what does it show?)")
    if criterion_key:
        known = criterion_keys(db)
        if criterion_key not in known:
            raise ClipProblem(f"no rubric criterion is called '{criterion_key}'; known: {', '.join(sorted(known))}")
    return title


def _span_and_excerpt(
    db: sqlite_utils.Database, call_id: int, start_s: float, end_s: float, snap: bool, padding_s: float
) -> tuple[float, float, str]:
    call = get_call(db, call_id)
    if call is None:
        raise ClipProblem(f"there is no call {call_id} in this workspace")
    found = current_transcript(db, call_id)
    if found is None:
        raise ClipProblem(
            f"call {call_id} ({call.original_name}) has no transcript yet; transcribe it first, so the clip "
            "has its words and personal data can be found"
        )
    segments = found[1]
    try:
        if snap:
            start_s, end_s = snap_span(segments, start_s, end_s, call.duration_s, padding_s)
        else:
            start_s, end_s = snap_span([], start_s, end_s, call.duration_s, 0.0)
    except SpanProblem as exc:
        raise ClipProblem(f"call {call_id}: {exc}") from None
    return start_s, end_s, render_excerpt(excerpt(segments, start_s, end_s))


def create_clip(
    db: sqlite_utils.Database,
    call_id: int,
    start_s: float,
    end_s: float,
    title: str,
    *,
    tags: Iterable[str] = (),
    note: str = "",
    criterion_key: str | None = None,
    snap: bool = True,
    padding_s: float = PADDING_S,
) -> Clip:
    """Save a clip of a transcribed call; the span snaps to whole words (with padding) unless snap=False."""
    title = _check_fields(db, title, criterion_key)
    start_s, end_s, text = _span_and_excerpt(db, call_id, start_s, end_s, snap, padding_s)
    now = utc_now()
    with write_transaction(db):
        cursor = db.execute(
            "INSERT INTO clips (call_id, start_s, end_s, title, note, criterion_key, tags_json, transcript_excerpt, "
            "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                call_id,
                start_s,
                end_s,
                title,
                note.strip(),
                criterion_key or None,
                json.dumps(normalise_tags(tags)),
                text,
                now,
                now,
            ],
        )
    return get_clip(db, int(cursor.lastrowid))


def get_clip(db: sqlite_utils.Database, clip_id: int) -> Clip:
    rows = list(db.query(_SELECT + " WHERE clips.id = ?", [clip_id]))
    if not rows:
        raise ClipProblem(f"there is no clip {clip_id} in this workspace")
    return _to_clip(rows[0])


_UNSET: Any = object()


def update_clip(
    db: sqlite_utils.Database,
    clip_id: int,
    *,
    title: str = _UNSET,
    note: str = _UNSET,
    criterion_key: str | None = _UNSET,
    tags: Iterable[str] = _UNSET,
    start_s: float = _UNSET,
    end_s: float = _UNSET,
    snap: bool = True,
) -> Clip:
    """Change what was given; a new span is snapped again and its excerpt recomputed."""
    clip = get_clip(db, clip_id)
    title = _check_fields(
        db,
        clip.title if title is _UNSET else title,
        clip.criterion_key if criterion_key is _UNSET else criterion_key,
    )
    values: dict[str, Any] = {"title": title}
    if note is not _UNSET:
        values["note"] = note.strip()
    if criterion_key is not _UNSET:
        values["criterion_key"] = criterion_key or None
    if tags is not _UNSET:
        values["tags_json"] = json.dumps(normalise_tags(tags))
    if start_s is not _UNSET or end_s is not _UNSET:
        new_start = clip.start_s if start_s is _UNSET else start_s
        new_end = clip.end_s if end_s is _UNSET else end_s
        values["start_s"], values["end_s"], values["transcript_excerpt"] = _span_and_excerpt(
            db, clip.call_id, new_start, new_end, snap, PADDING_S if snap else 0.0
        )
    values["updated_at"] = utc_now()
    assignments = ", ".join(f"{k} = ?" for k in values)
    with write_transaction(db):
        db.execute(f"UPDATE clips SET {assignments} WHERE id = ?", [*values.values(), clip_id])
    return get_clip(db, clip_id)


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
