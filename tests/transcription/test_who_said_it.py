"""Who said it, on every layout a recorder exports: each made here from the committed two-voice call
(agent en-us on the left, customer en-us+f3 on the right), then imported with layout detection and
transcribed for real on the bundled model. Assertions are about who said each line, never exact words."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from helpers import run_cli, wer, write_wav
from speech import MONO_TEXT, TWO_VOICES_CALL

from empathy_audit.audio.decode import decode_window
from empathy_audit.audio.layout import classify, detect_layout
from empathy_audit.domain import Segment
from empathy_audit.services import open_services
from empathy_audit.transcription.runner import TranscribeSettings

pytestmark = pytest.mark.slow

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "audio"
TWO_VOICES = FIXTURES.parent / "calls" / "call_two_voices_8k.wav"
RATE = 8000
TRUTH_WORDS = sum(len(text.split()) for _s, _t, text in TWO_VOICES_CALL)


def _channels() -> tuple[np.ndarray, np.ndarray]:
    return decode_window(TWO_VOICES, channel=0, rate=RATE), decode_window(TWO_VOICES, channel=1, rate=RATE)


def _delayed(x: np.ndarray, seconds: float) -> np.ndarray:
    n = int(seconds * RATE)
    return np.concatenate([np.zeros(n, dtype=x.dtype), x[: len(x) - n]])


def make_layouts(folder: Path) -> dict[str, Path]:
    """The same call as each layout: dual-mono, bleeding at -18 dB, sides swapped, mono."""
    left, right = _channels()
    mono = (left + right) * 0.7
    bleed = 10 ** (-18 / 20)
    return {
        "dual_mono": write_wav(folder / "copied.wav", np.stack([mono, mono], axis=1), RATE, 2),
        "dual_bleed": write_wav(
            folder / "bleeding.wav",
            np.stack([left + bleed * _delayed(right, 0.012), right + bleed * _delayed(left, 0.012)], axis=1),
            RATE,
            2,
        ),
        "swapped": write_wav(folder / "swapped.wav", np.stack([right, left], axis=1), RATE, 2),
        "mono": write_wav(folder / "mono.wav", mono, RATE),
    }


def test_layouts_are_told_apart_by_listening(tmp_path: Path) -> None:
    files = make_layouts(tmp_path)
    assert detect_layout(files["dual_mono"], 2, 42).layout == "dual_mono"
    assert detect_layout(files["dual_bleed"], 2, 42).layout == "dual_bleed"
    assert detect_layout(files["swapped"], 2, 42).layout == "dual"
    assert detect_layout(TWO_VOICES, 2, 42).layout == "dual"
    assert detect_layout(files["mono"], 1, 42).layout == "mono"
    # A copy that is not bit-identical (a little gain, a little noise, as after lossy coding) is still one signal.
    mono = decode_window(FIXTURES / "mono_16k.wav", channel=None, rate=RATE)
    noisy = mono * 0.9 + np.random.default_rng(1).standard_normal(len(mono)).astype(np.float32) * 0.002
    assert classify(mono, noisy).layout == "dual_mono"
    # Real dual-channel calls whose channels are both silent somewhere stay one side per channel.
    left, right = _channels()
    assert classify(left, np.zeros_like(right)).layout == "dual"


@pytest.fixture(scope="module")
def transcribed(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("layouts")
    files = make_layouts(folder)
    root = tmp_path_factory.mktemp("ws")
    services = open_services(root)
    report = services.calls.import_paths([folder])
    assert not report.failed
    calls = {c.original_name: c for c in services.calls.all()}
    services.calls.transcribe([c.id for c in calls.values()], TranscribeSettings())
    calls = {c.original_name: c for c in services.calls.all()}
    yield services, root, files, {layout: calls[path.name] for layout, path in files.items()}
    services.close()


def _line_speakers(segments: list[Segment]) -> list[tuple[str, str | None, float]]:
    """For each line of the script: who said it, who the transcript gives it to (most of its words), and the
    share of its words given to the right speaker."""
    out = []
    starts = [start for _s, start, _t in TWO_VOICES_CALL[1:]] + [1e9]
    words = [(w, seg.speaker) for seg in segments for w in seg.words]
    for (speaker, start, _text), end in zip(TWO_VOICES_CALL, starts, strict=True):
        mine = [s for w, s in words if start - 0.3 <= (w.start + w.end) / 2 < end - 0.3]
        best = max(set(mine), key=mine.count) if mine else None
        out.append((speaker, best, mine.count(speaker) / len(mine) if mine else 0.0))
    return out


def _words(segments: list[Segment]) -> int:
    return sum(len(s.text.split()) for s in segments)


def test_a_mono_call_copied_to_both_channels_is_transcribed_once(transcribed) -> None:
    services, _root, _files, calls = transcribed
    call = calls["dual_mono"]
    assert call.layout == "dual_mono" and call.layout_source == "detected"
    segments = services.transcripts.segments(call.id)
    assert _words(segments) <= TRUTH_WORDS * 1.2  # once, not twice
    assert {s.channel for s in segments} == {None}  # the mix, not a channel each


def test_bleed_is_not_transcribed_twice(transcribed) -> None:
    services, _root, _files, calls = transcribed
    call = calls["dual_bleed"]
    assert call.layout == "dual_bleed"
    segments = services.transcripts.segments(call.id)
    assert _words(segments) <= TRUTH_WORDS * 1.2
    for said_by, given_to, share in _line_speakers(segments):
        assert given_to == said_by and share >= 0.9, _line_speakers(segments)


def test_the_agent_on_the_right_is_found_from_what_is_said(transcribed) -> None:
    services, _root, _files, calls = transcribed
    call = services.calls.get(calls["swapped"].id)
    assert (call.agent_channel, call.agent_side_source) == ("right", "detected")
    segments = services.transcripts.segments(call.id)
    assert all(given_to == said_by for said_by, given_to, _share in _line_speakers(segments))
    assert {s.channel for s in segments if s.speaker == "agent"} == {1}
    metrics = services.transcripts.metrics(call.id)
    assert metrics["agent_talk_s"] > metrics["customer_talk_s"] > 0  # the agent says more in this call


def test_a_mono_two_voice_call_gets_two_speakers(transcribed) -> None:
    services, _root, _files, calls = transcribed
    segments = services.transcripts.segments(calls["mono"].id)
    lines = _line_speakers(segments)
    right = sum(share for _a, _b, share in lines) / len(lines)
    assert right >= 0.9, lines
    assert {s.speaker for s in segments} == {"agent", "customer"}


def test_one_voice_stays_one_speaker(tmp_path: Path) -> None:
    """A single speaker in mono is not split into two (the mono fixture, one voice)."""
    services = open_services(tmp_path / "ws")
    try:
        services.calls.import_paths([FIXTURES / "mono_16k.wav"])
        (call,) = services.calls.all()
        services.calls.transcribe([call.id], TranscribeSettings())
        segments = services.transcripts.segments(call.id)
        assert {s.speaker for s in segments} == {"mixed"}
        assert wer(MONO_TEXT, " ".join(s.text for s in segments)) <= 0.2
    finally:
        services.close()


def test_swapping_sides_moves_every_turn_and_metric_and_is_kept(transcribed) -> None:
    services, root, _files, calls = transcribed
    call = services.calls.get(calls["dual_bleed"].id)
    before = services.transcripts.segments(call.id)
    metrics = services.transcripts.metrics(call.id)
    changes = services.transcripts.swap_sides(call)
    assert call.id in changes.call_ids
    after = services.transcripts.segments(call.id)
    flip = {"agent": "customer", "customer": "agent"}
    assert [flip[s.speaker] for s in before] == [s.speaker for s in after]
    swapped = services.calls.get(call.id)
    assert (swapped.agent_channel, swapped.agent_side_source) == ("right", "set")
    now = services.transcripts.metrics(call.id)
    assert (now["agent_talk_s"], now["customer_talk_s"]) == (metrics["customer_talk_s"], metrics["agent_talk_s"])
    # The command line sees it, and sets it back by name.
    listed = {c["id"]: c for c in run_cli("calls", "list", "--json", data_dir=root, check_json=True).json}
    assert (listed[call.id]["channel_layout"], listed[call.id]["agent_side"]) == ("dual_bleed", "right")
    result = run_cli("calls", "update", str(call.id), "--agent-side", "left", data_dir=root)
    assert result.returncode == 0, result.stderr
    assert [s.speaker for s in services.transcripts.segments(call.id)] == [s.speaker for s in before]
    shown = run_cli("transcript", str(call.id), "--json", data_dir=root, check_json=True)
    assert {(s["speaker"], s["channel"]) for s in shown.json} == {("agent", 0), ("customer", 1)}


def test_sides_cannot_be_swapped_on_one_voice(tmp_path: Path) -> None:
    from empathy_audit.services.transcripts import SidesProblem

    services = open_services(tmp_path / "ws")
    try:
        services.calls.import_paths([FIXTURES / "mono_8k_alaw.wav"])
        (call,) = services.calls.all()
        with pytest.raises(SidesProblem, match="no transcript yet"):
            services.transcripts.swap_sides(call)
        with pytest.raises(SidesProblem, match="not one side per channel"):
            services.transcripts.set_agent_side(call, "right")
    finally:
        services.close()
