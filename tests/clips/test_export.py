"""Exporting clips: real cutting and encoding, durations, formats, one speaker, and bleeped personal data."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from helpers import covered, says_card_number, voiced_extent

from empathy_audit.audio.decode import decode_window
from empathy_audit.audio.probe import probe_audio
from empathy_audit.clips.export import TONE_HZ, ExportOptions, export_clips, tone_samples
from empathy_audit.clips.library import create_clip
from empathy_audit.jobs import Cancelled, CancelToken
from empathy_audit.store import open_workspace

AUDIO = Path(__file__).resolve().parent.parent / "fixtures" / "audio"


def _dominant_hz(samples: np.ndarray, rate: int) -> tuple[float, float]:
    """The strongest frequency, and the share of energy within 50 Hz of it."""
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples)))) ** 2
    freqs = np.fft.rfftfreq(len(samples), 1 / rate)
    peak = float(freqs[int(np.argmax(spectrum))])
    share = float(spectrum[np.abs(freqs - peak) <= 50].sum() / spectrum.sum())
    return peak, share


@pytest.fixture
def ws(personal_data_root: Path):
    with open_workspace(personal_data_root) as workspace:
        yield workspace


@pytest.mark.parametrize("fmt", ["mp3", "wav", "ogg"])
def test_formats_and_durations(ws, tmp_path: Path, fmt: str) -> None:
    clip = create_clip(ws.db, 1, 35.0, 39.0, "Owns the follow-up", criterion_key="care")
    result = export_clips(ws, [clip.id], tmp_path / "out", ExportOptions(format=fmt))
    (exported,) = result.exported
    assert exported.path.name == f"01-owns-the-follow-up.{fmt}"
    info = probe_audio(exported.path)
    assert info.codec.startswith({"mp3": "mp3", "wav": "pcm_s16le", "ogg": "opus"}[fmt])
    # 8 kHz telephony goes out at 16 kHz; Opus is encoded at 16 kHz and always decodes at 48 kHz.
    assert info.channels == 1 and info.sample_rate == (48000 if fmt == "ogg" else 16000)
    assert info.duration_s == pytest.approx(clip.duration_s, abs=0.06)
    assert not exported.bleeped  # nothing personal in the agent's closing promise
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(
        [exported.path.name, "index.html", "index.md"]
    )


def test_redaction_replaces_speech_with_the_tone_in_audio_and_text(ws, tmp_path: Path) -> None:
    clip = create_clip(ws.db, 1, 11.5, 19.2, "Card read aloud", criterion_key="investigation")
    redacted = export_clips(ws, [clip.id], tmp_path / "red", ExportOptions(format="wav"))
    plain = export_clips(ws, [clip.id], tmp_path / "plain", ExportOptions(format="wav", redact=False))
    (red,), (raw,) = redacted.exported, plain.exported
    (span,) = red.bleeped
    assert span[1] - span[0] > 5.0  # the 16 spoken digits
    rate = 16000
    a = decode_window(red.path, channel=None)
    b = decode_window(raw.path, channel=None)
    lo, hi = int(span[0] * rate), int(span[1] * rate)
    # Inside the span (clear of the clip's 150 ms fades): exactly the tone (to 16-bit rounding), not speech.
    edge = int(0.2 * rate)
    inner = slice(lo + edge, hi - edge)
    expected = tone_samples(hi - lo, rate)[edge:-edge]
    assert np.max(np.abs(a[inner] - expected)) < 2e-4
    assert _dominant_hz(a[inner], rate)[0] == pytest.approx(TONE_HZ, abs=5)
    # The unredacted export has speech there: no tone, and energy spread over speech frequencies.
    assert _dominant_hz(b[inner], rate)[1] < 0.5
    # Outside the span nothing changed.
    assert np.max(np.abs(a[hi + 50 :] - b[hi + 50 :])) < 1e-6
    # The handout: [redacted] instead of the digits, and no agent name or file name.
    red_html = (tmp_path / "red" / "index.html").read_text()
    assert "[redacted]" in red_html and not says_card_number(red_html) and "Ana" not in red_html
    assert "call_personal_data" not in red_html and "Team Blue" in red_html and "2026Q3" in red_html
    plain_md = (tmp_path / "plain" / "index.md").read_text()
    assert says_card_number(plain_md) and "Not redacted" in plain_md and "Ana" in plain_md


def test_redaction_in_compressed_formats(ws, tmp_path: Path) -> None:
    clip = create_clip(ws.db, 1, 23.0, 34.0, "Phone and email")
    said = voiced_extent(AUDIO / "call_personal_data.wav", 1, 23.0, 34.5)  # the customer's phone and e-mail
    for fmt in ("mp3", "ogg"):
        result = export_clips(ws, [clip.id], tmp_path / fmt, ExportOptions(format=fmt))
        (exported,) = result.exported
        spans = [(clip.start_s + a, clip.start_s + b) for a, b in exported.bleeped]
        assert covered(spans, *said) >= 0.8
        samples = decode_window(exported.path, channel=None)
        for start, end in exported.bleeped:
            start, end = max(start, 0.2), min(end, exported.duration_s - 0.2)  # clear of the fades
            window = samples[int((start + 0.05) * 16000) : int((end - 0.05) * 16000)]
            peak, share = _dominant_hz(window, 16000)
            assert peak == pytest.approx(TONE_HZ, abs=10) and share > 0.9, (fmt, start, end)


def test_one_speaker_only(ws, tmp_path: Path) -> None:
    # 12–19 s: only the customer speaks (the card number), so the agent-only file is near-silent.
    clip = create_clip(ws.db, 1, 12.0, 19.0, "Customer side")
    rms = {}
    for speaker in ("agent", "customer"):
        result = export_clips(
            ws, [clip.id], tmp_path / speaker, ExportOptions(format="wav", speaker=speaker, redact=False)
        )
        samples = decode_window(result.exported[0].path, channel=None)
        rms[speaker] = float(np.sqrt(np.mean(samples**2)))
    assert rms["customer"] > 0.02 and rms["agent"] < rms["customer"] / 20


def test_a_bad_clip_is_reported_and_the_rest_of_the_batch_goes_on(ws, tmp_path: Path) -> None:
    mono = create_clip(ws.db, 2, 0.0, 3.0, "Mono call")
    stereo = create_clip(ws.db, 1, 35.0, 39.0, "Stereo call")
    result = export_clips(ws, [mono.id, 999, stereo.id], tmp_path / "out", ExportOptions(speaker="agent"))
    assert [e.clip_id for e in result.exported] == [stereo.id]
    messages = dict(result.failures)
    assert "mono_16k.wav has 1 channel" in messages[mono.id] and "both sides" in messages[mono.id]
    assert "no clip 999" in messages[999]
    assert "Stereo call" in result.index_html.read_text() and "Mono call" not in result.index_html.read_text()


def test_cancel_leaves_no_partial_files(ws, tmp_path: Path) -> None:
    clips = [create_clip(ws.db, 1, 0.0, 4.0, f"Clip {n}").id for n in range(3)]
    token = CancelToken()

    def report(fraction: float, message: str) -> None:
        if "2 of 3" in message:
            token.cancel()

    with pytest.raises(Cancelled):
        export_clips(ws, clips, tmp_path / "out", ExportOptions(format="wav"), report=report, cancel=token)
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == ["01-clip-0.wav", "02-clip-1.wav"]
