"""A real transcript of a call full of personal data, on whatever CPU runs the suite.

int8 Whisper writes different words on different CPUs ("maria at example dot com" on one, "Maria and
nampl.com" on another), so these tests assert what must hold for every plausible transcript: each
moment the customer said personal data is bleeped, and the agent's ordinary words are not.
"""

from __future__ import annotations

from pathlib import Path

from helpers import covered, voiced_extent
from speech import PERSONAL_DATA_CALL, PERSONAL_DATA_SECONDS

from empathy_audit.privacy import find_in_call
from empathy_audit.store import open_workspace
from empathy_audit.store.transcripts import current_transcript

AUDIO = Path(__file__).resolve().parent.parent / "fixtures" / "audio" / "call_personal_data.wav"


def said(speaker: str) -> list[tuple[float, float, str]]:
    """Where each line of one speaker is voiced on its channel (agent left, customer right)."""
    starts = [start for _s, start, _t in PERSONAL_DATA_CALL] + [PERSONAL_DATA_SECONDS]
    out = []
    for (who, start, text), nxt in zip(PERSONAL_DATA_CALL, starts[1:], strict=True):
        if who == speaker:
            out.append((*voiced_extent(AUDIO, 0 if who == "agent" else 1, start, nxt), text))
    return out


def test_every_customer_line_is_bleeped_and_the_agent_apology_is_not(personal_data_template: Path) -> None:
    with open_workspace(personal_data_template) as ws:
        _transcript, segments = current_transcript(ws.db, 1)
    found = find_in_call(segments)
    bleeps = found.audio_spans()
    # Every customer line in this call is personal data: a name, a card, a phone number, an e-mail.
    for start, end, text in said("customer"):
        assert covered(bleeps, start, end) >= 0.8, (text, bleeps)
    # The agent's closing apology names nobody and holds no data (a bleep may touch its first syllable).
    *_rest, (start, end, _text) = said("agent")
    assert covered(bleeps, start, end) < 0.05
    assert all(s.why for s in found.spans)
    assert {s.speaker for s in found.spans} <= {"agent", "customer"}
    # The name is heard again when the agent says "Thank you Maria" (or whatever the engine wrote for it).
    assert found.names
