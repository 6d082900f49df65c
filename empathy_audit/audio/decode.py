"""Decoding audio for transcription and editing, through the bundled ffmpeg."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np

from empathy_audit.audio.ffmpeg import base_command, configure_pydub, input_args

TRANSCRIBE_RATE = 16_000


class DecodeError(RuntimeError):
    pass


def decode_window(
    path: Path,
    *,
    channel: int | None,
    start_s: float = 0.0,
    duration_s: float | None = None,
    rate: int = TRANSCRIBE_RATE,
) -> np.ndarray:
    """float32 mono samples at `rate` of one channel (or the mix when channel is None).

    ffmpeg resamples with its band-limited resampler, so 8 kHz telephony upsamples
    without aliasing; float output means nothing clips.
    """
    cmd = [*base_command(), "-v", "error"]
    if start_s > 0:
        cmd += ["-ss", f"{start_s:.3f}"]
    cmd += input_args(path)
    if duration_s is not None:
        cmd += ["-t", f"{duration_s:.3f}"]
    cmd += ["-map", "0:a:0", "-vn"]
    if channel is None:
        cmd += ["-ac", "1"]
    else:
        cmd += ["-af", f"pan=mono|c0=c{channel}"]
    cmd += ["-ar", str(rate), "-f", "f32le", "-acodec", "pcm_f32le", "pipe:1"]
    proc = subprocess.run(cmd, capture_output=True)
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise DecodeError(f"{path.name}: could not be decoded ({message[-1] if message else 'ffmpeg failed'})")
    return np.frombuffer(proc.stdout, dtype=np.float32).copy()


def load_segment(path: Path, start_s: float = 0.0, duration_s: float | None = None):  # -> pydub.AudioSegment
    """A pydub AudioSegment (of [start, start + duration] when given) decoded by the bundled ffmpeg.

    pydub's own loader needs ffprobe, which is not bundled.
    """
    configure_pydub()
    from pydub import AudioSegment

    span: list[str] = []
    if start_s > 0:
        span += ["-ss", f"{start_s:.3f}"]
    span += input_args(path)
    if duration_s is not None:
        span += ["-t", f"{duration_s:.3f}"]
    cmd = [
        *base_command(),
        "-v",
        "error",
        *span,
        "-map",
        "0:a:0",
        "-vn",
        "-acodec",
        "pcm_s16le",
        "-f",
        "wav",
        "pipe:1",
    ]
    proc = subprocess.run(cmd, capture_output=True)
    if proc.returncode != 0 or not proc.stdout:
        raise DecodeError(f"{path.name}: could not be decoded")
    data = bytearray(proc.stdout)
    # ffmpeg cannot seek back on a pipe to fill in the RIFF sizes; pydub needs them right.
    from pydub.audio_segment import fix_wav_headers

    fix_wav_headers(data)
    return AudioSegment(data=bytes(data))
