"""Jobs that survive anything: crashes, hangs, cancels, kill -9, and re-transcription."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import REPO, run_cli, wer
from speech import CONVERSATION

from empathy_audit.importing.importer import import_paths
from empathy_audit.jobs import CancelToken
from empathy_audit.store.calls import get_call
from empathy_audit.store.transcripts import current_transcript
from empathy_audit.transcription.runner import TranscribeSettings, pending_call_ids, transcribe_calls

pytestmark = pytest.mark.slow


def _import(workspace, audio_dir: Path, *names: str) -> list[int]:
    report = import_paths(workspace, [audio_dir / n for n in names])
    return [i.call_id for i in report.imported]


def _rows(workspace, sql: str, *params: object) -> list[tuple]:
    return workspace.db.execute(sql, list(params)).fetchall()


def test_native_crash_fails_only_the_call(workspace, audio_dir: Path) -> None:
    ids = _import(workspace, audio_dir, "mono_16k.wav", "mono.mp3")
    summary = transcribe_calls(workspace, ids, TranscribeSettings(engine="engines_for_tests:CrashingEngine"))
    assert [o.status for o in summary.outcomes] == ["failed", "failed"]  # the batch went on after the crash
    for call_id in ids:
        call = get_call(workspace.db, call_id)
        assert call.status == "failed" and "crashed (SIGSEGV)" in call.error
    assert _rows(workspace, "SELECT COUNT(*) FROM transcripts") == [(0,)]
    assert _rows(workspace, "SELECT COUNT(*) FROM segments") == [(0,)]


def test_hang_past_timeout_is_stopped(workspace, audio_dir: Path) -> None:
    (call_id,) = _import(workspace, audio_dir, "mono_16k.wav")
    settings = TranscribeSettings(engine="engines_for_tests:HangingEngine", hang_timeout_s=3)
    started = time.monotonic()
    summary = transcribe_calls(workspace, [call_id], settings)
    assert time.monotonic() - started < 30
    assert summary.outcomes[0].status == "failed"
    assert "no progress for 3 s" in get_call(workspace.db, call_id).error


def test_cancel_puts_the_call_back_to_pending(workspace, audio_dir: Path) -> None:
    ids = _import(workspace, audio_dir, "mono_16k.wav", "mono.mp3")
    token = CancelToken()

    def on_event(event) -> None:
        if event.kind == "progress":
            token.cancel()

    summary = transcribe_calls(
        workspace, ids, TranscribeSettings(engine="engines_for_tests:SlowEngine"), cancel=token, on_event=on_event
    )
    assert summary.cancelled and [o.status for o in summary.outcomes] == ["cancelled"]
    assert [get_call(workspace.db, i).status for i in ids] == ["new", "new"]
    assert pending_call_ids(workspace) == ids


def test_interrupted_long_call_resumes_after_its_last_window(workspace, audio_dir: Path, tmp_path: Path) -> None:
    (call_id,) = _import(workspace, audio_dir, "call_stereo_8k_mulaw.wav")
    log = tmp_path / "windows.log"
    os.environ.update(EA_TEST_LOG=str(log), EA_CRASH_AFTER="2")
    try:
        settings = TranscribeSettings(engine="engines_for_tests:RecordingEngine", window_s=8.0)
        first = transcribe_calls(workspace, [call_id], settings)
        assert first.outcomes[0].status == "failed"
        saved = _rows(workspace, "SELECT channel, window_index, start_s, end_s FROM transcription_windows")
        assert len(saved) == 2 and saved[0][2] == 0.0  # two windows were finished before the crash
        done_seconds = sum(end - start for _c, _i, start, end in saved)

        log.unlink()
        os.environ["EA_CRASH_AFTER"] = "-1"
        second = transcribe_calls(workspace, [call_id], settings)
    finally:
        for key in ("EA_TEST_LOG", "EA_CRASH_AFTER"):
            os.environ.pop(key, None)
    assert second.outcomes[0].status == "transcribed"
    resumed_seconds = sum(float(x) for x in log.read_text().split())
    total = get_call(workspace.db, call_id).duration_s * 2
    assert resumed_seconds == pytest.approx(total - done_seconds, abs=0.2)  # nothing done twice
    _row, segments = current_transcript(workspace.db, call_id)
    reference = " ".join(text for _s, _t, text in CONVERSATION)
    assert wer(reference, " ".join(s.text for s in segments)) <= 0.35
    assert _rows(workspace, "SELECT COUNT(*) FROM transcription_windows") == [(0,)]


def test_retranscription_keeps_the_old_transcript_until_the_new_one_is_complete(workspace, audio_dir: Path) -> None:
    (call_id,) = _import(workspace, audio_dir, "mono_8k_alaw.wav")
    assert transcribe_calls(workspace, [call_id]).outcomes[0].status == "transcribed"
    old_row, old_segments = current_transcript(workspace.db, call_id)

    failed = transcribe_calls(workspace, [call_id], TranscribeSettings(engine="engines_for_tests:CrashingEngine"))
    assert failed.outcomes[0].status == "failed"
    call = get_call(workspace.db, call_id)
    assert call.status == "transcribed" and call.error.startswith("re-transcription did not finish")
    row, segments = current_transcript(workspace.db, call_id)
    assert row["id"] == old_row["id"] and [s.text for s in segments] == [s.text for s in old_segments]

    assert transcribe_calls(workspace, [call_id]).outcomes[0].status == "transcribed"
    new_row, _ = current_transcript(workspace.db, call_id)
    assert new_row["id"] != old_row["id"]
    assert _rows(workspace, "SELECT id, is_current FROM transcripts ORDER BY id") == [
        (old_row["id"], 0),
        (new_row["id"], 1),
    ]
    assert get_call(workspace.db, call_id).error is None


def test_missing_model_keeps_calls_pending_with_a_clear_message(workspace, audio_dir: Path) -> None:
    ids = _import(workspace, audio_dir, "mono.mp3")
    summary = transcribe_calls(workspace, ids, TranscribeSettings(model="base.en"))
    assert "models download base.en" in summary.setup_error
    assert get_call(workspace.db, ids[0]).status == "new" and not summary.outcomes


def test_kill_dash_nine_then_resume(tmp_path: Path, audio_dir: Path) -> None:
    ws = tmp_path / "ws"
    for name in ("mono_16k.wav", "call_stereo_8k_mulaw.wav"):
        assert run_cli("import", str(audio_dir / name), data_dir=ws).returncode == 0
    proc = subprocess.Popen(
        [sys.executable, "-m", "empathy_audit", "transcribe", "--all", "--json", "--data-dir", str(ws)],
        stdout=subprocess.PIPE,
        cwd=REPO,
        text=True,
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        event = json.loads(line)
        if event["event"] == "started" and event["call_id"] == 2:
            break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    listed = run_cli("calls", "list", "--json", data_dir=ws, check_json=True).json
    assert [c["status"] for c in listed] == ["transcribed", "transcribing"]

    resumed = run_cli("transcribe", "--all", "--json", data_dir=ws)
    assert resumed.returncode == 0, resumed.stderr
    summary = json.loads(resumed.stdout.splitlines()[-1])
    assert [(o["call_id"], o["status"]) for o in summary["outcomes"]] == [(2, "transcribed")]
    listed = run_cli("calls", "list", "--json", data_dir=ws, check_json=True).json
    assert [c["status"] for c in listed] == ["transcribed", "transcribed"]
