"""Cutting clips to audio files (pydub), bleeping personal data, and writing the handout index."""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from empathy_audit.audio.decode import DecodeError, load_segment
from empathy_audit.clips.handout import HandoutEntry, write_handout
from empathy_audit.clips.spans import excerpt
from empathy_audit.jobs import Cancelled, CancelToken, Report, no_report
from empathy_audit.privacy import CallFindings, find_in_call
from empathy_audit.store.calls import get_call
from empathy_audit.store.clips import Clip, ClipProblem, get_clip
from empathy_audit.store.transcripts import current_transcript
from empathy_audit.store.workspace import Workspace
from empathy_audit.wording import plural

# Encoded by audio/av_io.py: MP3 by LAME, WAV, and Ogg as Opus in Ogg, which every current player and browser plays.
FORMATS = ("mp3", "wav", "ogg")
SPEAKERS = ("both", "agent", "customer")
TONE_HZ = 1000.0
TONE_DBFS = -12.0
MIN_EXPORT_RATE = 16_000  # 8 kHz MP3 files trip up some players; 16 kHz plays everywhere


@dataclass(frozen=True)
class ExportOptions:
    format: str = "mp3"
    speaker: str = "both"  # both sides mixed, or one side of a two-channel call
    redact: bool = True
    fade_ms: int = 150

    def __post_init__(self) -> None:
        if self.format not in FORMATS:
            raise ClipProblem(f"unknown audio format '{self.format}'; choose one of {', '.join(FORMATS)}")
        if self.speaker not in SPEAKERS:
            raise ClipProblem(f"unknown speaker '{self.speaker}'; choose one of {', '.join(SPEAKERS)}")


@dataclass
class ExportedClip:
    clip_id: int
    path: Path
    duration_s: float
    bleeped: list[tuple[float, float]]  # seconds from the clip's start


@dataclass
class ExportResult:
    folder: Path
    exported: list[ExportedClip] = field(default_factory=list)
    failures: list[tuple[int, str]] = field(default_factory=list)
    index_html: Path | None = None
    index_md: Path | None = None


def slug(text: str, limit: int = 48) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:limit].strip("-") or "clip"


def tone_samples(count: int, rate: int, offset: int = 0) -> np.ndarray:
    """A sine at TONE_HZ and TONE_DBFS, as float in -1..1 (phase continues from `offset`)."""
    t = (np.arange(count) + offset) / rate
    return (10 ** (TONE_DBFS / 20)) * np.sin(2 * np.pi * TONE_HZ * t)


def _bleep(segment, spans: Sequence[tuple[float, float]]):  # pydub.AudioSegment -> AudioSegment
    """Replace each span (seconds from the segment's start) with the tone, on every channel."""
    if not spans:
        return segment
    rate, channels = segment.frame_rate, segment.channels
    full = float(1 << (8 * segment.sample_width - 1))
    samples = np.array(segment.get_array_of_samples(), dtype=np.float64).reshape(-1, channels)
    for start, end in spans:
        a, b = max(0, round(start * rate)), min(len(samples), round(end * rate))
        if b > a:
            samples[a:b, :] = (tone_samples(b - a, rate) * (full - 1))[:, None]
    data = np.clip(samples, -full, full - 1).astype(f"<i{segment.sample_width}").tobytes()
    return segment._spawn(data)


def clip_audio(ws: Workspace, clip: Clip, options: ExportOptions, findings: CallFindings | None):
    """The clip as a pydub AudioSegment, plus the spans bleeped in it (seconds from the clip's start)."""
    call = get_call(ws.db, clip.call_id)
    assert call is not None
    if options.speaker != "both" and call.channels != 2:
        raise ClipProblem(
            f"{call.original_name} has {plural(call.channels, 'channel')}, so the agent and customer cannot be "
            "separated; export it with both sides"
        )
    try:
        audio = load_segment(ws.audio_path(call.stored_path), clip.start_s, clip.end_s - clip.start_s)
    except DecodeError as exc:
        raise ClipProblem(f"{exc}; is the recording still in the workspace's media folder?") from None
    if options.speaker == "both":
        audio = audio.set_channels(1)
    else:
        agent = 0 if call.agent_channel == "left" else 1
        audio = audio.split_to_mono()[agent if options.speaker == "agent" else 1 - agent]
    if options.format != "wav" or audio.frame_rate < MIN_EXPORT_RATE:
        audio = audio.set_frame_rate(max(MIN_EXPORT_RATE, audio.frame_rate))
    bleeped: list[tuple[float, float]] = []
    if findings is not None:
        for start, end in findings.audio_spans():
            a, b = max(start, clip.start_s) - clip.start_s, min(end, clip.end_s) - clip.start_s
            if b > a:
                bleeped.append((round(a, 3), round(b, 3)))
        audio = _bleep(audio, bleeped)
    fade = min(options.fade_ms, len(audio) // 4)
    if fade > 0:  # pydub's fade of 0 ms fails
        audio = audio.fade_in(fade).fade_out(fade)
    return audio, bleeped


def write_clip_audio(audio, path: Path, fmt: str) -> None:
    """A pydub AudioSegment encoded (PyAV: MP3 by LAME, Ogg by Opus, WAV) into a temporary file, then renamed."""
    import av

    from empathy_audit.audio.av_io import encode

    partial = path.with_name(f".{path.name}.part")
    samples = np.frombuffer(audio.raw_data, dtype="<i2").reshape(-1, audio.channels)  # load_segment's 16 bits
    try:
        encode(samples, audio.frame_rate, partial, fmt)  # 64 kbit/s for MP3 and Opus
        os.replace(partial, path)
    except (av.error.FFmpegError, ValueError) as exc:  # this clip is listed as failed; the others go on
        raise ClipProblem(f"could not be encoded as {fmt.upper()} ({exc})") from None
    finally:
        partial.unlink(missing_ok=True)


def export_clips(
    ws: Workspace,
    clip_ids: Sequence[int],
    out_dir: Path,
    options: ExportOptions = ExportOptions(),  # frozen, so a shared default is safe
    report: Report = no_report,
    cancel: CancelToken | None = None,
) -> ExportResult:
    """Audio files plus index.html/index.md in `out_dir`. A clip that fails is listed; the rest go on."""
    out_dir.mkdir(parents=True, exist_ok=True)
    result = ExportResult(out_dir)
    entries: list[HandoutEntry] = []
    findings_by_call: dict[int, CallFindings] = {}
    total = len(clip_ids)
    for n, clip_id in enumerate(clip_ids):
        if cancel is not None and cancel.cancelled:
            raise Cancelled()
        try:
            clip = get_clip(ws.db, clip_id)
            report(n / max(1, total), f"Exporting “{clip.title}” ({n + 1} of {total})")
            found = current_transcript(ws.db, clip.call_id)
            segments = found[1] if found else []
            findings = None
            if options.redact:
                if clip.call_id not in findings_by_call:
                    call = get_call(ws.db, clip.call_id)
                    findings_by_call[clip.call_id] = find_in_call(segments, call.language if call else None)
                findings = findings_by_call[clip.call_id]
            audio, bleeped = clip_audio(ws, clip, options, findings)
            name = f"{n + 1:02d}-{slug(clip.title)}.{options.format}"
            write_clip_audio(audio, out_dir / name, options.format)
        except ClipProblem as exc:
            result.failures.append((clip_id, str(exc)))
            continue
        result.exported.append(ExportedClip(clip_id, out_dir / name, len(audio) / 1000, bleeped))
        entries.append(HandoutEntry(clip, name, excerpt(segments, clip.start_s, clip.end_s, findings), len(bleeped)))
    if entries:
        result.index_html, result.index_md = write_handout(out_dir, entries, redacted=options.redact)
    report(1.0, f"Exported {plural(len(result.exported), 'clip')} to {out_dir}")
    return result
