from __future__ import annotations

from empathy_audit.domain import Segment
from empathy_audit.transcription.formats import as_srt, as_text, as_vtt

SEGMENTS = [
    Segment(speaker="agent", start=0.41, end=3.2, text="Thank you for calling."),
    Segment(speaker="customer", start=3661.5, end=3663.05, text="Third time now."),
]


def test_text_has_times_and_speakers() -> None:
    assert as_text(SEGMENTS) == "[00:00:00.41] Agent: Thank you for calling.\n[01:01:01.50] Customer: Third time now.\n"


def test_srt() -> None:
    assert as_srt(SEGMENTS).splitlines()[:3] == ["1", "00:00:00,410 --> 00:00:03,200", "Agent: Thank you for calling."]
    assert "01:01:01,500 --> 01:01:03,050" in as_srt(SEGMENTS)


def test_vtt() -> None:
    lines = as_vtt(SEGMENTS).splitlines()
    assert lines[0] == "WEBVTT"
    assert "00:00:00.410 --> 00:00:03.200" in lines and "<v Customer>Third time now." in lines
