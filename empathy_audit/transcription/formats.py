"""Transcript exports: JSON objects, plain text, SubRip and WebVTT, all with speaker labels."""

from __future__ import annotations

from typing import Any

from empathy_audit.domain import Segment

SPEAKER_LABELS = {"agent": "Agent", "customer": "Customer", "mixed": "Speaker"}


def _clock(seconds: float, sep: str) -> str:
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{sep}{millis:03d}"


def format_duration(seconds: float | None) -> str:
    """3725 -> '1:02:05', 65 -> '1:05' (for lists and headers)."""
    if seconds is None:
        return ""
    seconds = round(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def as_json(segments: list[Segment]) -> list[dict[str, Any]]:
    return [
        {
            "speaker": s.speaker,
            "channel": s.channel,  # 0 left, 1 right, null: the mix (a mono call)
            "start": s.start,
            "end": s.end,
            "text": s.text,
            "confidence": s.confidence,
            "flags": s.flags,
            "words": [{"start": w.start, "end": w.end, "word": w.word, "probability": w.probability} for w in s.words],
        }
        for s in segments
    ]


def as_text(segments: list[Segment]) -> str:
    lines = [f"[{_clock(s.start, '.')[:-1]}] {SPEAKER_LABELS.get(s.speaker, s.speaker)}: {s.text}" for s in segments]
    return "\n".join(lines) + ("\n" if lines else "")


def as_srt(segments: list[Segment]) -> str:
    blocks = []
    for i, s in enumerate(segments, start=1):
        label = SPEAKER_LABELS.get(s.speaker, s.speaker)
        blocks.append(f"{i}\n{_clock(s.start, ',')} --> {_clock(s.end, ',')}\n{label}: {s.text}\n")
    return "\n".join(blocks)


def as_vtt(segments: list[Segment]) -> str:
    blocks = ["WEBVTT\n"]
    for s in segments:
        label = SPEAKER_LABELS.get(s.speaker, s.speaker)
        blocks.append(f"{_clock(s.start, '.')} --> {_clock(s.end, '.')}\n<v {label}>{s.text}\n")
    return "\n".join(blocks)


FORMATTERS = {"txt": as_text, "srt": as_srt, "vtt": as_vtt}
