"""The coaching library: clips made from a transcribed call (span snapped to words, excerpt) and changed."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

import sqlite_utils

from empathy_audit.clips.spans import PADDING_S, SpanProblem, excerpt, render_excerpt, snap_span
from empathy_audit.store.calls import get_call
from empathy_audit.store.clips import Clip, ClipProblem, criterion_labels, get_clip, insert_clip, update_clip_row
from empathy_audit.store.rubrics import active_rubric
from empathy_audit.store.transcripts import current_transcript


def normalise_tags(tags: Iterable[str]) -> list[str]:
    """Lower case, words joined by '-', no duplicates; 'Acknowledgment Great' → 'acknowledgment-great'."""
    out: list[str] = []
    for raw in tags:
        for part in raw.split(","):
            tag = re.sub(r"[\s_]+", "-", part.strip().lower()).strip("-")
            if tag and tag not in out:
                out.append(tag)
    return out


def criterion_keys(db: sqlite_utils.Database) -> dict[str, str]:
    """Every criterion any rubric version has had: key → latest label."""
    active_rubric(db)  # a fresh workspace gets the default rubric on first use
    return criterion_labels(db)


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
    clip_id = insert_clip(
        db,
        {
            "call_id": call_id,
            "start_s": start_s,
            "end_s": end_s,
            "title": title,
            "note": note.strip(),
            "criterion_key": criterion_key or None,
            "tags_json": json.dumps(normalise_tags(tags)),
            "transcript_excerpt": text,
        },
    )
    return get_clip(db, clip_id)


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
    update_clip_row(db, clip_id, values)
    return get_clip(db, clip_id)
