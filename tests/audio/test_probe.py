"""Probing by real decoding: every supported format, and every kind of broken file."""

from __future__ import annotations

from pathlib import Path

import pytest
from bad_audio import BAD_CASES, make_bad_files

from empathy_audit.audio.probe import AudioProblem, probe_audio

FORMATS = {
    "mono_16k.wav": (16000, 1, "pcm_s16le"),
    "mono_8k_alaw.wav": (8000, 1, "pcm_alaw"),
    "call_stereo_8k_mulaw.wav": (8000, 2, "pcm_mulaw"),
    "mono.mp3": (22050, 1, "mp3"),
    "mono.m4a": (16000, 1, "aac"),
    "mono.flac": (16000, 1, "flac"),
    "mono.opus.ogg": (48000, 1, "opus"),
}


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_supported_formats_are_probed(audio_dir: Path, name: str) -> None:
    info = probe_audio(audio_dir / name)
    rate, channels, codec = FORMATS[name]
    assert (info.sample_rate, info.channels, info.codec) == (rate, channels, codec)
    expected = 21.0 if name.startswith("call") else 7.2
    assert info.duration_s == pytest.approx(expected, abs=0.15)


@pytest.fixture(scope="module")
def bad_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, str]]:
    return make_bad_files(tmp_path_factory.mktemp("bad"))


@pytest.mark.parametrize("case", BAD_CASES)
def test_bad_files_get_a_specific_reason(bad_files: dict[str, tuple[Path, str]], case: str) -> None:
    path, expected = bad_files[case]
    with pytest.raises(AudioProblem) as info:
        probe_audio(path)
    assert expected in str(info.value)
    assert "Traceback" not in str(info.value)
