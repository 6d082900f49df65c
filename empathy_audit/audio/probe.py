"""Probe an audio file by really decoding it, once, with bounded memory.

ffmpeg decodes the whole file to WAV on a pipe; we read the format from the WAV
header it writes and count the sample bytes as they stream past. Comparing the
decoded length with the length the container claims catches truncated files.
"""

from __future__ import annotations

import re
import struct
import subprocess
import tempfile
from pathlib import Path

from empathy_audit.audio.ffmpeg import base_command, input_args
from empathy_audit.domain import AudioInfo

MIN_DURATION_S = 1.0
MAX_CHANNELS = 8
_CHUNK = 1 << 20


class AudioProblem(ValueError):
    """A file that cannot be used as a call recording; the message says why in plain words."""


def _parse_header_duration(stderr: str) -> float | None:
    match = re.search(r"Duration: (\d+):(\d\d):(\d\d(?:\.\d+)?)", stderr)
    if not match:
        return None
    hours, minutes, seconds = match.groups()
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)


def _parse_input(stderr: str) -> tuple[str, str]:
    container = re.search(r"Input #0, ([^,]+(?:,[^ ]+)*), from", stderr)
    codec = re.search(r"Stream #0:\d+(?:\[[^\]]*\])?(?:\([^)]*\))?: Audio: ([A-Za-z0-9_]+)", stderr)
    return (codec.group(1) if codec else "unknown", container.group(1) if container else "unknown")


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
        return "not a recognised audio file (the data is not in any audio format ffmpeg knows)"
    if "matches no streams" in low or "does not contain any stream" in low:
        return "contains no audio stream"
    if "channel" in low and ("invalid" in low or "unsupported" in low):
        return "has an invalid or unsupported channel layout"
    lines = _error_lines(stderr)
    return "could not be decoded" + (f" ({lines[-1]})" if lines else "")


class _WavHeader:
    """Reads the fmt and data chunk headers of the WAV ffmpeg writes to the pipe."""

    def __init__(self) -> None:
        self.buffer = b""
        self.channels = 0
        self.sample_rate = 0
        self.bits = 0
        self.data_offset: int | None = None

    def feed(self, chunk: bytes) -> bytes:
        """Consume bytes until the data chunk starts; return the sample bytes seen so far."""
        self.buffer += chunk
        if len(self.buffer) < 12:
            return b""
        pos = 12  # after RIFF....WAVE
        while pos + 8 <= len(self.buffer):
            chunk_id = self.buffer[pos : pos + 4]
            size = struct.unpack("<I", self.buffer[pos + 4 : pos + 8])[0]
            if chunk_id == b"data":
                self.data_offset = pos + 8
                samples = self.buffer[self.data_offset :]
                self.buffer = b""
                return samples
            if pos + 8 + size > len(self.buffer):
                return b""
            if chunk_id == b"fmt ":
                _tag, self.channels, self.sample_rate, _rate, _align, self.bits = struct.unpack(
                    "<HHIIHH", self.buffer[pos + 8 : pos + 24]
                )
            pos += 8 + size + (size & 1)
        return b""


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
    cmd = [*base_command(), "-nostats", "-v", "info", *input_args(path)]
    cmd += ["-map", "0:a:0", "-vn", "-acodec", "pcm_s16le", "-fflags", "+bitexact", "-f", "wav", "pipe:1"]
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err)
        assert proc.stdout is not None
        header = _WavHeader()
        sample_bytes = 0
        while chunk := proc.stdout.read(_CHUNK):
            if header.data_offset is None:
                sample_bytes += len(header.feed(chunk))
            else:
                sample_bytes += len(chunk)
        returncode = proc.wait()
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")

    if returncode != 0 and sample_bytes == 0:
        raise AudioProblem(_explain_failure(stderr))
    codec, container = _parse_input(stderr)
    if header.channels == 0 or header.sample_rate == 0:
        raise AudioProblem(_explain_failure(stderr))
    if header.channels > MAX_CHANNELS:
        raise AudioProblem(
            f"has {header.channels} audio channels; call recordings have 1 or 2 (at most {MAX_CHANNELS})"
        )
    frame_bytes = header.channels * (header.bits // 8)
    duration = sample_bytes / frame_bytes / header.sample_rate
    if sample_bytes == 0:
        raise AudioProblem("contains no audio samples (only a header, or an empty audio stream)")
    claimed = _parse_header_duration(stderr)
    if shortfall is not None:
        declared, present = shortfall
        claimed = duration * declared / max(1, present)
    if claimed is not None and claimed - duration > max(0.5, 0.02 * claimed):
        raise AudioProblem(
            f"is truncated: its header says {claimed:.1f} s but only {duration:.1f} s could be decoded "
            "(copy the file again from the recorder)"
        )
    if returncode != 0:
        raise AudioProblem(_explain_failure(stderr))
    if duration < MIN_DURATION_S:
        raise AudioProblem(f"is too short to be a call ({duration:.2f} s; the minimum is {MIN_DURATION_S:.0f} s)")
    return AudioInfo(
        duration_s=round(duration, 3),
        sample_rate=header.sample_rate,
        channels=header.channels,
        codec=codec,
        container=container,
    )
