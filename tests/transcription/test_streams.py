"""A call decoded as streams side by side: both sides at once, a long mono call in two halves, resumable."""

from __future__ import annotations

import os
import subprocess
import wave
from pathlib import Path

import numpy as np
import pytest
from helpers import wer

from empathy_audit.audio.ffmpeg import ffmpeg_exe
from empathy_audit.domain import WindowCheckpoint
from empathy_audit.importing.importer import import_paths
from empathy_audit.store.transcripts import current_transcript
from empathy_audit.transcription.conversation import MIXED_CHANNEL
from empathy_audit.transcription.faster_engine import lanes_for
from empathy_audit.transcription.messages import TranscribeRequest
from empathy_audit.transcription.runner import TranscribeSettings, transcribe_calls
from empathy_audit.transcription.streams import SECOND_HALF, plan_streams

BENCH = Path(__file__).resolve().parents[2] / "benchmarks"


def _mono_with_a_gap(path: Path, seconds: float, gap_at: float, rate: int = 8000) -> Path:
    """Noise all through, but for half a second of silence at `gap_at`."""
    samples = np.random.default_rng(3).normal(0, 3000, int(seconds * rate))
    samples[int(gap_at * rate) : int((gap_at + 0.5) * rate)] = 0
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(samples.astype("<i2").tobytes())
    return path


def test_thread_budget_is_shared_by_two_streams() -> None:
    assert lanes_for(2) == (2, 1) and lanes_for(4) == (2, 2) and lanes_for(1) == (1, 1)
    assert lanes_for(4, lanes=1) == (1, 4)


def test_two_sides_are_two_streams_and_a_short_mono_call_one(tmp_path: Path) -> None:
    dual = plan_streams(TranscribeRequest(1, "x.wav", 2, "right", 300.0), lanes=2, done=[])
    assert [(s.key, s.channel, s.speaker, s.start_s, s.end_s) for s in dual] == [
        (1, 1, "agent", 0.0, 300.0),
        (0, 0, "customer", 0.0, 300.0),
    ]
    short = plan_streams(TranscribeRequest(1, "x.wav", 1, "left", 45.0, layout="mono"), lanes=2, done=[])
    assert [(s.key, s.channel, s.end_s) for s in short] == [(MIXED_CHANNEL, None, 45.0)]
    copied = plan_streams(TranscribeRequest(1, "x.wav", 2, "left", 45.0, layout="dual_mono"), lanes=2, done=[])
    assert len(copied) == 1  # a mono call copied to both channels is still heard once


def test_a_long_mono_call_is_cut_at_a_quiet_moment_near_its_middle(tmp_path: Path) -> None:
    path = _mono_with_a_gap(tmp_path / "mono.wav", 90.0, gap_at=38.0)
    request = TranscribeRequest(1, str(path), 1, "left", 90.0, layout="mono")
    first, second = plan_streams(request, lanes=2, done=[])
    assert (first.key, second.key) == (MIXED_CHANNEL, SECOND_HALF)
    assert 38.0 <= first.end_s <= 38.5 and second.start_s == first.end_s and second.end_s == 90.0
    assert len(plan_streams(request, lanes=1, done=[])) == 1  # one lane: nothing gained by cutting

    # Resuming keeps the cut an earlier run made, and an earlier run that did not cut is finished uncut.
    resumed = plan_streams(request, lanes=2, done=[WindowCheckpoint(SECOND_HALF, 0, 41.0, 60.0)])
    assert [s.end_s for s in resumed] == [41.0, 90.0]
    uncut = plan_streams(request, lanes=2, done=[WindowCheckpoint(MIXED_CHANNEL, 0, 0.0, 60.0)])
    assert [(s.start_s, s.end_s) for s in uncut] == [(0.0, 90.0)]


@pytest.mark.slow
def test_a_long_mono_call_in_two_halves_resumes_and_loses_no_turn(workspace, tmp_path: Path) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_long_call", BENCH / "make_long_call.py")
    script = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(script)
    call = tmp_path / "mono long call.wav"
    subprocess.run([ffmpeg_exe(), "-v", "error", "-i", str(BENCH / "fixtures" / "long_call.opus.ogg"), "-ac", "1",
                    "-ar", "8000", "-c:a", "pcm_mulaw", str(call)], check=True)  # fmt: skip
    (call_id,) = [i.call_id for i in import_paths(workspace, [call]).imported]
    log = tmp_path / "windows.log"
    settings = TranscribeSettings(engine="engines_for_tests:RecordingEngine", window_s=40.0)
    os.environ.update(EA_TEST_LOG=str(log), EA_CRASH_AFTER="3")
    try:
        assert transcribe_calls(workspace, [call_id], settings).outcomes[0].status == "failed"
        saved = workspace.db.execute("SELECT channel, start_s, end_s FROM transcription_windows").fetchall()
        assert {channel for channel, _s, _e in saved} <= {MIXED_CHANNEL, SECOND_HALF} and saved
        done_seconds = sum(end - start for _c, start, end in saved)
        log.unlink()
        os.environ["EA_CRASH_AFTER"] = "-1"
        assert transcribe_calls(workspace, [call_id], settings).outcomes[0].status == "transcribed"
    finally:
        for key in ("EA_TEST_LOG", "EA_CRASH_AFTER"):
            os.environ.pop(key, None)
    duration = workspace.db.execute("SELECT duration_s FROM calls").fetchone()[0]
    assert sum(float(x) for x in log.read_text().split()) == pytest.approx(duration - done_seconds, abs=0.2)
    _row, segments = current_transcript(workspace.db, call_id)
    starts = [s.start for s in segments]
    assert starts == sorted(starts)
    texts = [s.text.lower() for s in segments]
    assert len(texts) == len(set(texts))  # no turn twice where the halves meet
    said = " ".join(text for _who, text in script.LINES)
    assert wer(said, " ".join(s.text for s in segments)) <= 0.3


def test_call_progress_stays_in_order_when_two_streams_report_at_once() -> None:
    """Each stream reports from its own thread; a sum taken before the other's update must not be sent after it."""
    import threading
    import time

    from empathy_audit.transcription.pipeline import _CallProgress
    from empathy_audit.transcription.streams import Stream

    streams = [Stream(0, 0, "agent", 0.0, 100.0), Stream(1, 1, "customer", 0.0, 100.0)]
    sent: list[float] = []

    def send(message: object) -> None:
        time.sleep(0.0005)  # a pipe write: long enough for the other thread to overtake without the lock
        sent.append(message.fraction)  # type: ignore[attr-defined]

    progress = _CallProgress(7, streams, send)

    def report(stream: Stream) -> None:
        for second in range(1, 101):
            progress(stream, float(second))
        progress(stream, 50.0)  # an engine may report a segment that ends before the last one did

    threads = [threading.Thread(target=report, args=(s,)) for s in streams]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sent == sorted(sent) and sent[-1] == 1.0 and len(sent) == 202
