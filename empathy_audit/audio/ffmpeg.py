"""The ffmpeg program, for development only: test fixtures and benchmarks build their inputs with its filter
graphs (mixing voices, cutting files). The app never runs it (tests/test_architecture.py checks); it reads and
writes audio with FFmpeg's libraries in process (audio/av_io.py). imageio-ffmpeg comes with the `dev` extra."""

from __future__ import annotations

import functools
import os
from pathlib import Path

FFMPEG_ENV = "EMPATHY_AUDIT_FFMPEG"


class FfmpegMissing(RuntimeError):
    pass


@functools.cache
def ffmpeg_exe() -> str:
    """Path of the ffmpeg binary: $EMPATHY_AUDIT_FFMPEG, else imageio-ffmpeg's bundled one."""
    override = os.environ.get(FFMPEG_ENV)
    if override:
        if not Path(override).is_file():
            raise FfmpegMissing(f"{FFMPEG_ENV} points to {override}, which does not exist.")
        return override
    try:
        import imageio_ffmpeg
    except ImportError as exc:  # pragma: no cover - a broken install
        raise FfmpegMissing(
            "The ffmpeg program for tests and benchmarks (package imageio-ffmpeg) is not installed; install the "
            "dev extra (python3 packaging/bootstrap.py test does)."
        ) from exc
    return str(imageio_ffmpeg.get_ffmpeg_exe())
