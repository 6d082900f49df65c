"""The coaching library: clips made in Review, searched, edited, deleted and exported with a handout."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from empathy_audit.changes import Area, Changes
from empathy_audit.clips.export import ExportOptions, ExportResult, export_clips
from empathy_audit.clips.library import create_clip, criterion_keys, update_clip
from empathy_audit.jobs import CancelToken, Report, no_report
from empathy_audit.store import Workspace
from empathy_audit.store.clips import Clip, all_tags, delete_clips, get_clip, list_clips


@dataclass(frozen=True)
class ClipSaved:
    clip: Clip
    changes: Changes


@dataclass(frozen=True)
class ClipsDeleted:
    count: int
    changes: Changes


class ClipsService:
    def __init__(self, store: Workspace) -> None:
        self._store = store

    def list(self, search: str = "", call_id: int | None = None) -> list[Clip]:
        return list_clips(self._store.db, search, call_id)

    def get(self, clip_id: int) -> Clip:
        return get_clip(self._store.db, clip_id)

    def tags(self) -> list[str]:
        return all_tags(self._store.db)

    def criteria(self) -> dict[str, str]:
        """Criterion key -> label, for tagging a clip with the criterion it shows."""
        return criterion_keys(self._store.db)

    def create(self, call_id: int, start_s: float, end_s: float, title: str, **fields: Any) -> ClipSaved:
        """Save a clip of a transcribed call (fields: tags, note, criterion_key, snap, padding_s)."""
        clip = create_clip(self._store.db, call_id, start_s, end_s, title, **fields)
        return ClipSaved(clip, Changes.of(Area.CLIPS, calls=[call_id]))

    def update(self, clip_id: int, **fields: Any) -> ClipSaved:
        """Change what was given (title, note, criterion_key, tags, start_s, end_s, snap)."""
        clip = update_clip(self._store.db, clip_id, **fields)
        return ClipSaved(clip, Changes.of(Area.CLIPS, calls=[clip.call_id]))

    def delete(self, clip_ids: Sequence[int]) -> ClipsDeleted:
        count = delete_clips(self._store.db, clip_ids)
        return ClipsDeleted(count, Changes.of(Area.CLIPS) if count else Changes())

    def export(
        self,
        clip_ids: Sequence[int],
        out_dir: Path,
        options: ExportOptions | None = None,
        report: Report = no_report,
        cancel: CancelToken | None = None,
        overwrite: bool = False,
    ) -> ExportResult:
        """Audio files (personal data bleeped unless asked otherwise) and a handout; changes no data.
        OutputProblem when `out_dir` already holds a handout (and not `overwrite`), is a file or read-only."""
        self._store.check_output_folder(out_dir, "index.*", overwrite)
        return export_clips(self._store, clip_ids, out_dir, options or ExportOptions(), report=report, cancel=cancel)
