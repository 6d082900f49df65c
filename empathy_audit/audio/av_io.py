"""Audio in and out through PyAV: FFmpeg's libraries in this process (the ones faster-whisper already
installs), so the app ships one FFmpeg and starts no ffmpeg program.

Decoding reads frames as they come (memory bounded by the span asked for), resampling is FFmpeg's
band-limited swresample (8 kHz telephony upsamples without aliasing), and FFmpeg's own log lines are
kept so a failure can be explained in plain words.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import av
import av.logging
import numpy as np

# FFmpeg's messages at error level and above reach Python's logging ("libav"), and a Capture while a file is
# opened or decoded, which is how a failure is explained ("moov atom not found": a cut-off M4A).
av.logging.set_level(av.logging.ERROR)

ENCODERS = {"mp3": ("mp3", "libmp3lame"), "ogg": ("ogg", "libopus"), "wav": ("wav", "pcm_s16le")}
OPUS_RATES = (8000, 12000, 16000, 24000, 48000)
MP3_RATES = (8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000)


class AvProblem(RuntimeError):
    """FFmpeg could not open or decode a file; `log` holds its messages."""

    def __init__(self, message: str, log: list[str]) -> None:
        super().__init__(message)
        self.log = log


@dataclass
class Decoded:
    """What a full decode found."""

    sample_rate: int
    channels: int
    codec: str
    container: str
    samples: int  # per channel
    claimed_s: float | None  # the duration the container states
    errors: list[str] = field(default_factory=list)  # FFmpeg's error lines while decoding

    @property
    def duration_s(self) -> float:
        return self.samples / self.sample_rate if self.sample_rate else 0.0


def version() -> str:
    return str(getattr(av, "ffmpeg_version_info", "unknown"))


def _open(path: Path, log: av.logging.Capture) -> av.container.InputContainer:
    try:
        return av.open(os.fspath(path), mode="r", metadata_errors="ignore")
    except av.error.FFmpegError as exc:
        raise AvProblem(str(exc), [m for _lvl, _name, m in log]) from None


def _first_audio(container: av.container.InputContainer, logs: list) -> Any:
    if not container.streams.audio:
        raise AvProblem("does not contain any stream", _lines(logs))
    return container.streams.audio[0]


def _lines(logs: list) -> list[str]:
    return [str(message).strip() for _level, _name, message in logs if str(message).strip()]


def probe(path: Path) -> Decoded:
    """Decode every frame of the first audio stream (nothing kept) and say what it holds."""
    with av.logging.Capture(True) as logs:
        container = _open(path, logs)
        try:
            stream = _first_audio(container, logs)
            ctx = stream.codec_context
            claimed = None
            if stream.duration is not None and stream.time_base is not None:
                claimed = float(stream.duration * stream.time_base)
            elif container.duration is not None:
                claimed = container.duration / av.time_base
            codec = ctx.codec.canonical_name  # "mp3", not the decoder's name "mp3float"
            found = Decoded(ctx.sample_rate or 0, ctx.channels or 0, codec, container.format.name, 0, claimed)
            errors: list[str] = []
            for frame in _frames_skipping_damage(container, stream, errors):
                found.samples += frame.samples
                found.sample_rate = found.sample_rate or frame.sample_rate
                found.channels = found.channels or frame.layout.nb_channels
        except av.error.FFmpegError as exc:
            raise AvProblem(str(exc), _lines(logs)) from None
        finally:
            container.close()
    found.errors = errors + [m for m in _lines(logs) if "error" in m.lower() or "invalid" in m.lower()]
    return found


def _frames_skipping_damage(
    container: av.container.InputContainer, stream: Any, errors: list[str] | None = None
) -> Iterator[av.AudioFrame]:
    """Decoded frames, a damaged packet skipped (and said in `errors`) as FFmpeg's own tools do, so probing and
    every later decode read the same samples."""
    for packet in container.demux(stream):
        try:
            yield from packet.decode()
        except av.error.FFmpegError as exc:
            if errors is not None:
                errors.append(str(exc))
    with contextlib.suppress(av.error.FFmpegError):  # what the decoder still holds
        yield from stream.codec_context.decode(None)


def read_span(
    path: Path, start_s: float = 0.0, duration_s: float | None = None, rate: int | None = None
) -> tuple[np.ndarray, int]:
    """Every channel of [start, start + duration] as float32 (channels, n), at `rate` (the file's own when None).

    One swresample pass converts and resamples every frame as it is decoded; the span is cut from the result
    by the first frame's time, so a seek to the nearest earlier frame costs nothing in accuracy."""
    with av.logging.Capture(True) as logs:
        container = _open(path, logs)
        try:
            stream = _first_audio(container, logs)
            # Times are from the stream's own start (an MP3 or Ogg stream may start at 25 ms, a TS at hours).
            origin = float(stream.start_time * stream.time_base) if stream.start_time is not None else 0.0
            end_s = None if duration_s is None else start_s + duration_s
            if start_s > 0:
                target = origin + start_s - 1.0
                container.seek(max(0, int(target / stream.time_base)), stream=stream, any_frame=False)
            resampler: av.AudioResampler | None = None
            first: float | None = None
            out_rate = rate or 0
            pieces: list[np.ndarray] = []
            for frame in _frames_skipping_damage(container, stream):
                at = float(frame.time) - origin if frame.time is not None else None
                if resampler is None:
                    out_rate = rate or frame.sample_rate
                    resampler = av.AudioResampler(format="fltp", layout=frame.layout.name, rate=out_rate)
                    first = at if at is not None else 0.0
                pieces += [f.to_ndarray() for f in resampler.resample(frame)]
                if end_s is not None and at is not None and at > end_s + 0.5:
                    break
            if resampler is not None:
                pieces += [f.to_ndarray() for f in resampler.resample(None)]  # what the filter still holds
        except av.error.FFmpegError as exc:
            raise AvProblem(str(exc), _lines(logs)) from None
        finally:
            container.close()
    if not pieces:
        return np.zeros((1, 0), dtype=np.float32), out_rate
    data = np.concatenate(pieces, axis=1).astype(np.float32, copy=False)
    begin = max(0, round((start_s - (first or 0.0)) * out_rate))
    stop = data.shape[1] if end_s is None else max(begin, round((end_s - (first or 0.0)) * out_rate))
    return data[:, begin:stop], out_rate


def encode(samples: np.ndarray, rate: int, path: Path, fmt: str, bit_rate: int = 64_000) -> None:
    """int16 samples of shape (n, channels) into an MP3, Ogg (Opus) or WAV file at `path`."""
    container_name, codec = ENCODERS[fmt]
    channels = samples.shape[1]
    layout = "mono" if channels == 1 else "stereo"
    out_rate = rate
    if codec == "libopus" and rate not in OPUS_RATES:
        out_rate = min((r for r in OPUS_RATES if r >= rate), default=48000)
    if codec == "libmp3lame" and rate not in MP3_RATES:  # e.g. a 96 kHz recording: the nearest MP3 rate
        out_rate = min(MP3_RATES, key=lambda r: abs(r - rate))
    with av.open(os.fspath(path), mode="w", format=container_name) as container:
        stream = container.add_stream(codec, rate=out_rate, layout=layout)
        if codec != "pcm_s16le":
            stream.bit_rate = bit_rate
        resampler = av.AudioResampler(
            format=stream.codec_context.format.name, layout=layout, rate=out_rate,
            frame_size=stream.codec_context.frame_size or None,
        )  # fmt: skip
        frame = av.AudioFrame.from_ndarray(
            np.ascontiguousarray(samples, dtype=np.int16).reshape(1, -1), format="s16", layout=layout
        )
        frame.sample_rate = rate
        for piece in [*resampler.resample(frame), *resampler.resample(None)]:
            for packet in stream.encode(piece):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
