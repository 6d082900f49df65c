"""Makers of broken recordings, one per failure a real import meets."""

from __future__ import annotations

import os
import struct
from pathlib import Path

import numpy as np
from helpers import tone, write_wav

AUDIO = Path(__file__).resolve().parent / "fixtures" / "audio"
BAD_CASES = [
    "empty",
    "random",
    "not_audio",
    "header_only",
    "truncated_wav",
    "truncated_mp3",
    "truncated_flac",
    "truncated_m4a",
    "too_short",
    "twelve_channels",
    "absurd_channels",
]


def _cut(src: Path, dst: Path, fraction: float = 0.5) -> Path:
    data = src.read_bytes()
    dst.write_bytes(data[: int(len(data) * fraction)])
    return dst


def make_bad_files(folder: Path) -> dict[str, tuple[Path, str]]:
    """name -> (file, words the error message must contain)."""
    folder.mkdir(parents=True, exist_ok=True)
    full = write_wav(folder / "reference.tmp", tone(10, 8000), 8000).read_bytes()
    cases: dict[str, tuple[Path, str]] = {}

    def add(name: str, path: Path, expect: str) -> None:
        cases[name] = (path, expect)

    (folder / "empty.wav").write_bytes(b"")
    add("empty", folder / "empty.wav", "empty")
    (folder / "random bytes.wav").write_bytes(np.random.default_rng(1).bytes(6000))
    add("random", folder / "random bytes.wav", "not a recognised audio file")
    (folder / "notes.mp3").write_text("meeting notes, not audio\n" * 40)
    add("not_audio", folder / "notes.mp3", "not a recognised audio file")
    (folder / "header only.wav").write_bytes(full[:40] + struct.pack("<I", 0))
    add("header_only", folder / "header only.wav", "no audio samples")
    (folder / "cut.wav").write_bytes(full[: 44 + 8000 * 2 * 3])
    add("truncated_wav", folder / "cut.wav", "truncated")
    add("truncated_mp3", _cut(AUDIO / "mono.mp3", folder / "cut.mp3"), "truncated")
    add("truncated_flac", _cut(AUDIO / "mono.flac", folder / "cut.flac"), "truncated")
    add("truncated_m4a", _cut(AUDIO / "mono.m4a", folder / "cut.m4a"), "incomplete MP4/M4A")
    write_wav(folder / "blip.wav", tone(0.2, 8000), 8000)
    add("too_short", folder / "blip.wav", "too short")
    write_wav(folder / "twelve.wav", np.tile(tone(2, 8000)[:, None], (1, 12)), 8000, channels=12)
    add("twelve_channels", folder / "twelve.wav", "12 audio channels")
    absurd = bytearray(full)
    struct.pack_into("<H", absurd, 22, 300)
    (folder / "absurd.wav").write_bytes(bytes(absurd))
    add("absurd_channels", folder / "absurd.wav", "300 audio channels")
    os.remove(folder / "reference.tmp")
    assert sorted(cases) == sorted(BAD_CASES)
    return cases
