"""Decoding audio for transcription and editing, with FFmpeg's libraries in this process (audio/av_io.py)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

TRANSCRIBE_RATE = 16_000


class DecodeError(RuntimeError):
    pass


def _span(path: Path, start_s: float, duration_s: float | None, rate: int | None = None) -> tuple[np.ndarray, int]:
    from empathy_audit.audio import av_io  # FFmpeg's libraries load when audio is first read, not with the window

    try:
        return av_io.read_span(path, max(0.0, start_s), duration_s, rate)
    except (av_io.AvProblem, OSError) as exc:
        raise DecodeError(f"{path.name}: could not be decoded ({exc})") from None


def decode_window(
    path: Path,
    *,
    channel: int | None,
    start_s: float = 0.0,
    duration_s: float | None = None,
    rate: int = TRANSCRIBE_RATE,
) -> np.ndarray:
    """float32 mono samples at `rate` of one channel (or the mix when channel is None).

    swresample's band-limited resampler upsamples 8 kHz telephony without aliasing; float output means
    nothing clips.
    """
    samples, _rate = _span(path, start_s, duration_s, rate)  # resampled as it is decoded
    if samples.shape[1] == 0:
        return np.zeros(0, dtype=np.float32)
    if channel is None:
        return samples.mean(axis=0) if samples.shape[0] > 1 else samples[0]
    if channel < samples.shape[0]:
        return samples[channel]
    raise DecodeError(f"{path.name}: has no channel {channel + 1} (it has {samples.shape[0]})")


def load_segment(path: Path, start_s: float = 0.0, duration_s: float | None = None):  # -> pydub.AudioSegment
    """A pydub AudioSegment (16-bit, the file's rate and channels) of [start, start + duration] when given."""
    import warnings

    with warnings.catch_warnings():  # pydub warns on import that no ffmpeg program is on PATH: none is needed
        warnings.simplefilter("ignore", RuntimeWarning)
        from pydub import AudioSegment

    samples, rate = _span(path, start_s, duration_s)
    if samples.shape[1] == 0:
        raise DecodeError(f"{path.name}: could not be decoded (no audio in that span)")
    pcm = (np.clip(samples.T, -1.0, 1.0) * 32767).astype("<i2")  # (n, channels), interleaved
    return AudioSegment(data=pcm.tobytes(), sample_width=2, frame_rate=rate, channels=samples.shape[0])
