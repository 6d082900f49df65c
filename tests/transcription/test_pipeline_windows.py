"""Window cutting and turn splitting, on synthetic signals with known answers."""

from __future__ import annotations

import numpy as np

from empathy_audit.domain import Segment, Word
from empathy_audit.transcription.pipeline import quiet_cut, split_at_pauses


def test_quiet_cut_lands_in_the_silence_near_the_end() -> None:
    rate = 16000
    loud = np.random.default_rng(0).uniform(-0.5, 0.5, rate * 30).astype(np.float32)
    loud[int(24.0 * rate) : int(25.0 * rate)] = 0.0  # a pause 5-6 s before the end
    cut = quiet_cut(loud, rate)
    assert 24.0 <= cut / rate <= 25.0


def test_quiet_cut_on_short_audio_keeps_everything() -> None:
    audio = np.ones(8000, dtype=np.float32)
    assert quiet_cut(audio) == len(audio)


def test_split_at_long_pauses_gives_each_turn_its_time() -> None:
    words = [Word(0.4, 0.8, " Thank"), Word(0.8, 1.2, " you."), Word(9.3, 9.6, " I'm"), Word(9.6, 10.0, " sorry.")]
    seg = Segment(speaker="agent", start=0.4, end=10.0, text="Thank you. I'm sorry.", channel=0, words=words)
    parts = split_at_pauses(seg)
    assert [(p.start, p.end, p.text) for p in parts] == [(0.4, 1.2, "Thank you."), (9.3, 10.0, "I'm sorry.")]
    assert all(p.speaker == "agent" and p.channel == 0 for p in parts)
