"""Probe an audio file by really decoding it, once, with bounded memory.

FFmpeg's libraries (PyAV, audio/av_io.py) decode every frame and count the samples; comparing the
decoded length with the length the container claims catches truncated files.
"""

from __future__ import annotations

import struct
from pathlib import Path

from empathy_audit.domain import AudioInfo

MIN_DURATION_S = 1.0
MAX_CHANNELS = 8


class AudioProblem(ValueError):
    """A file that cannot be used as a call recording; the message says why in plain words."""


def _error_lines(stderr: str) -> list[str]:
    keep = []
    for line in stderr.splitlines():
        low = line.lower()
        if any(word in low for word in ("error", "invalid", "partial file", "truncat", "not found", "corrupt")):
            keep.append(line.strip())
    return keep


def _explain_failure(stderr: str) -> str:
    low = stderr.lower()
    if "moov atom not found" in low:
        return "is an incomplete MP4/M4A file (its index is missing; it was probably cut off while copying)"
    if "invalid data found when processing input" in low:
        return "not a recognised audio file (the data is not in any audio format this app can read)"
    if "matches no streams" in low or "does not contain any stream" in low:
        return "contains no audio stream"
    if "channel" in low and ("invalid" in low or "unsupported" in low):
        return "has an invalid or unsupported channel layout"
    lines = _error_lines(stderr)
    return "could not be decoded" + (f" ({lines[-1]})" if lines else "")


def _wav_shortfall(path: Path, size: int) -> tuple[int, int] | None:
    """For a RIFF/WAVE file whose data chunk claims more bytes than the file holds: (claimed, present).

    ffmpeg silently decodes what is there, so a WAV cut off while copying would pass unnoticed.
    """
    with open(path, "rb") as f:
        head = f.read(64 * 1024)
    if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        return None
    pos = 12
    while pos + 8 <= len(head):
        chunk_id, chunk_size = head[pos : pos + 4], struct.unpack("<I", head[pos + 4 : pos + 8])[0]
        if chunk_id == b"data":
            present = size - (pos + 8)
            # 0 and 0xFFFFFFFF mark streamed WAVs whose size was never filled in.
            if chunk_size not in (0, 0xFFFFFFFF) and chunk_size > present + 1:
                return chunk_size, present
            return None
        pos += 8 + chunk_size + (chunk_size & 1)
    return None


def probe_audio(path: Path) -> AudioInfo:
    """Decode `path` fully and describe it, or raise AudioProblem saying what is wrong."""
    size = path.stat().st_size
    if size == 0:
        raise AudioProblem("file is empty (0 bytes)")
    shortfall = _wav_shortfall(path, size)
    from empathy_audit.audio import av_io  # FFmpeg's libraries load when a file is first probed, not with the window

    try:
        found = av_io.probe(path)
    except av_io.AvProblem as exc:
        raise AudioProblem(_explain_failure("\n".join([str(exc), *exc.log]))) from None
    if found.channels > MAX_CHANNELS:
        raise AudioProblem(f"has {found.channels} audio channels; call recordings have 1 or 2 (at most {MAX_CHANNELS})")
    if found.samples == 0 or found.sample_rate == 0:
        if found.errors:
            raise AudioProblem(_explain_failure("\n".join(found.errors)))
        raise AudioProblem("contains no audio samples (only a header, or an empty audio stream)")
    duration = found.duration_s
    claimed = found.claimed_s
    if shortfall is not None:
        declared, present = shortfall
        claimed = duration * declared / max(1, present)
    if claimed is not None and claimed - duration > max(0.5, 0.02 * claimed):
        raise AudioProblem(
            f"is truncated: its header says {claimed:.1f} s but only {duration:.1f} s could be decoded "
            "(copy the file again from the recorder)"
        )
    if duration < MIN_DURATION_S:
        raise AudioProblem(f"is too short to be a call ({duration:.2f} s; the minimum is {MIN_DURATION_S:.0f} s)")
    return AudioInfo(
        duration_s=round(duration, 3),
        sample_rate=found.sample_rate,
        channels=found.channels,
        codec=found.codec,
        container=found.container,
    )
