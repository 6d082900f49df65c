"""Transcripts: a call's current transcript, a reviewer's corrections, its waveform overview."""

from __future__ import annotations

from typing import Any

from empathy_audit.audio.waveform import Waveform, load_or_compute_waveform
from empathy_audit.changes import Area, Changes
from empathy_audit.domain import Call, Segment
from empathy_audit.privacy import CallFindings, find_in_call
from empathy_audit.store import Workspace
from empathy_audit.store.calls import set_agent_side
from empathy_audit.store.transcripts import call_metrics, current_transcript, edit_segment, swap_speakers
from empathy_audit.transcription.conversation import compute_metrics
from empathy_audit.transcription.sides import swapped


class SidesProblem(ValueError):
    """The sides of a call cannot be swapped (no transcript, or one voice only)."""


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
        return find_in_call(self.segments(call.id), call.language)

    def correct(self, call_id: int, segment_id: int, text: str, editor: str) -> Changes:
        """A reviewer's correction of one turn (empty text undoes it); Whisper's original is kept."""
        edit_segment(self._store.db, segment_id, text, editor)
        return Changes.of(Area.TRANSCRIPTS, calls=[call_id])

    def swap_sides(self, call: Call) -> Changes:
        """Agent and customer the other way round: the turns, the agent's channel, the talk metrics, and so
        the cues, clips and charts that read them. Kept when the call is transcribed again."""
        found = self.current(call.id)
        if found is None:
            raise SidesProblem(f"call #{call.id} has no transcript yet: transcribe it first")
        segments = found[1]
        if not any(s.speaker in ("agent", "customer") for s in segments):
            raise SidesProblem(
                f"call #{call.id} is one voice (speakers were not told apart): there are no sides to swap"
            )
        channel = {"left": "right", "right": "left"}[call.agent_channel] if call.channels == 2 else call.agent_channel
        swap_speakers(self._store.db, call.id, channel, compute_metrics(swapped(segments), call.duration_s))
        return Changes.of(Area.TRANSCRIPTS, Area.CALLS, Area.AUDIT, calls=[call.id])

    def set_agent_side(self, call: Call, side: str) -> Changes:
        """The agent on this channel ('left' or 'right') of a two-channel call, set by a person."""
        if call.layout not in ("dual", "dual_bleed"):
            raise SidesProblem(f"call #{call.id} is not one side per channel ({call.layout}): swap its voices instead")
        if side not in ("left", "right"):
            raise SidesProblem(f"the agent's side is 'left' or 'right', not {side!r}")
        if self.current(call.id) is not None and side != call.agent_channel:
            return self.swap_sides(call)
        set_agent_side(self._store.db, call.id, side, "set")
        return Changes.of(Area.CALLS, calls=[call.id])

    def waveform(self, call: Call) -> Waveform:
        """The call's overview, computed on first use and kept (a cache: no visible change)."""
        return load_or_compute_waveform(
            self._store.db, call.id, self._store.audio_path(call.stored_path), call.channels
        )
