"""The ffmpeg binary: the one shipped by imageio-ffmpeg, so users install nothing by hand."""

from __future__ import annotations

import functools
import os
import re
import subprocess
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
            "The bundled ffmpeg (package imageio-ffmpeg) is not installed; reinstall Empathy Audit."
        ) from exc
    return str(imageio_ffmpeg.get_ffmpeg_exe())


@functools.cache
def ffmpeg_version() -> str:
    out = subprocess.run([ffmpeg_exe(), "-hide_banner", "-version"], capture_output=True, text=True).stdout
    match = re.search(r"ffmpeg version (\S+)", out)
    return match.group(1) if match else "unknown"


@functools.cache
def configure_pydub() -> None:
    """Point pydub at the bundled ffmpeg (pydub looks on PATH otherwise).

    pydub's `from_file` also wants ffprobe, which is not bundled: load audio with
    `empathy_audit.audio.decode.load_segment` instead.
    """
    import warnings

    with warnings.catch_warnings():  # pydub warns on import when ffmpeg is not on PATH; ours is set below
        warnings.simplefilter("ignore", RuntimeWarning)
        from pydub import AudioSegment

    AudioSegment.converter = ffmpeg_exe()
    AudioSegment.ffmpeg = ffmpeg_exe()


def base_command() -> list[str]:
    return [ffmpeg_exe(), "-hide_banner", "-nostdin", "-y"]


def input_args(path: Path | str) -> list[str]:
    # "file:" keeps names such as "-x.wav" or "a:b.wav" from being read as options or protocols.
    return ["-i", "file:" + os.fspath(path)]
