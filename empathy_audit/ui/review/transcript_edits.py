"""Changes a reviewer makes to the transcript in Review: a turn's words corrected (double-click), agent and
customer swapped (A) when the sides were found the wrong way round."""

from __future__ import annotations

from typing import TYPE_CHECKING

from empathy_audit.services.transcripts import SidesProblem
from empathy_audit.store.database import WorkspaceReadOnly
from empathy_audit.ui import settings as keys

if TYPE_CHECKING:
    from empathy_audit.ui.review.review_section import ReviewSection


def swap_sides(section: ReviewSection) -> None:
    """Swap the open call's sides; every metric, cue and chart follows. Pressing A again swaps them back."""
    call = section.call
    if call is None or section.review is None:
        return
    try:
        changes = section.services.transcripts.swap_sides(call)
    except (SidesProblem, WorkspaceReadOnly) as exc:
        section._show_state(str(exc)[:1].upper() + str(exc)[1:])
        return
    section.transcript_changed(changes)
    now = section.call
    assert now is not None
    where = f"the agent is on the {now.agent_channel} now" if now.channels == 2 else "the other voice is the agent now"
    section._show_state(f"Agent and customer swapped: {where}. Press A to swap them back.")


def correct_turn(section: ReviewSection, row: int) -> None:
    """Ask for a turn's words as they were said; Whisper's original is kept (empty text undoes it)."""
    if not 0 <= row < len(section.segments) or section.segments[row].id is None:
        return
    seg = section.segments[row]
    text, ok = section.ask_text("Correct Transcript", "The words as they were said:", seg.text)
    if not ok or section.call is None or seg.id is None:
        return
    reviewer = section.settings.get(keys.REVIEWER) or "reviewer"
    section.transcript_changed(section.services.transcripts.correct(section.call.id, seg.id, text, reviewer))
