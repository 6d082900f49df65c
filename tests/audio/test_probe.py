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


def test_a_damaged_packet_is_skipped_in_decoding_as_in_probing(audio_dir: Path, tmp_path: Path) -> None:
    from empathy_audit.audio.decode import decode_window

    data = bytearray((audio_dir / "mono.mp3").read_bytes())
    data[len(data) // 2 : len(data) // 2 + 300] = bytes(300)  # a few frames' worth of zeros mid-file
    damaged = tmp_path / "damaged.mp3"
    damaged.write_bytes(bytes(data))
    info = probe_audio(damaged)
    assert len(decode_window(damaged, channel=None)) / 16000 == pytest.approx(info.duration_s, abs=0.05)


def test_mp3_encoding_picks_a_rate_lame_supports(tmp_path: Path) -> None:
    import numpy as np

    from empathy_audit.audio import av_io

    samples = (np.random.default_rng(0).standard_normal((96000, 1)) * 3000).astype(np.int16)
    av_io.encode(samples, 96000, tmp_path / "hi.mp3", "mp3")  # a 96 kHz recording's clip
    assert av_io.probe(tmp_path / "hi.mp3").sample_rate == 48000
