"""Transcripts: a call's current transcript, a reviewer's corrections, its waveform overview."""

from __future__ import annotations

from typing import Any

from empathy_audit.audio.waveform import Waveform, load_or_compute_waveform
from empathy_audit.changes import Area, Changes
from empathy_audit.domain import Call, Segment
from empathy_audit.privacy import CallFindings, find_in_call
from empathy_audit.store import Workspace
from empathy_audit.store.transcripts import call_metrics, current_transcript, edit_segment


class TranscriptsService:
    def __init__(self, store: Workspace) -> None:
        self._store = store

    def current(self, call_id: int) -> tuple[dict[str, Any], list[Segment]] | None:
        """The current transcript's provenance row and its segments, or None."""
        return current_transcript(self._store.db, call_id)

    def segments(self, call_id: int) -> list[Segment]:
        found = self.current(call_id)
        return found[1] if found else []

    def metrics(self, call_id: int) -> dict[str, Any] | None:
        return call_metrics(self._store.db, call_id)

    def personal_data(self, call: Call) -> CallFindings:
        """Where personal data is said in a call (the bleeps of a clip, Hide Personal Data)."""
        return find_in_call(self.segments(call.id))

    def correct(self, call_id: int, segment_id: int, text: str, editor: str) -> Changes:
        """A reviewer's correction of one turn (empty text undoes it); Whisper's original is kept."""
        edit_segment(self._store.db, segment_id, text, editor)
        return Changes.of(Area.TRANSCRIPTS, calls=[call_id])

    def waveform(self, call: Call) -> Waveform:
        """The call's overview, computed on first use and kept (a cache: no visible change)."""
        return load_or_compute_waveform(
            self._store.db, call.id, self._store.audio_path(call.stored_path), call.channels
        )
