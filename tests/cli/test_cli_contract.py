"""The CLI contract, run as a user runs it: JSON fields, exit codes, plain-word errors."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from helpers import run_cli

CALL_FIELDS = {"id", "original_name", "status", "duration_s", "channels", "sample_rate", "agent", "team", "error"}


def test_import_and_list_json(tmp_path: Path, audio_dir: Path) -> None:
    ws = tmp_path / "ws"
    result = run_cli(
        "import", str(audio_dir / "call_stereo_8k_mulaw.wav"), "--agent", "Sam", "--json", data_dir=ws, check_json=True
    )
    assert result.returncode == 0, result.stderr
    imported = result.json["imported"]
    assert [i["original_name"] for i in imported] == ["call_stereo_8k_mulaw.wav"]
    assert result.json["failed"] == [] and result.json["duplicates"] == []

    listed = run_cli("calls", "list", "--json", data_dir=ws, check_json=True)
    assert listed.returncode == 0
    (call,) = listed.json
    assert set(call) >= CALL_FIELDS
    assert (call["id"], call["channels"], call["sample_rate"], call["agent"], call["status"]) == (
        imported[0]["call_id"],
        2,
        8000,
        "Sam",
        "new",
    )
    assert abs(call["duration_s"] - 21.0) < 0.1 and call["error"] is None
    assert (call["score"], call["reviewers"]) == (None, 0)  # unreviewed

    # Two reviewers, 3/3/3 and 1/1/1: the call scores 2.0 here, as in the Library, dashboard and report.
    for reviewer, value in (("bob", "3"), ("eve", "1")):
        scores = [arg for key in ("acknowledgment", "investigation", "care") for arg in ("--score", f"{key}={value}")]
        done = run_cli("review", str(call["id"]), "--reviewer", reviewer, *scores, data_dir=ws)
        assert done.returncode == 0, done.stderr
    (call,) = run_cli("calls", "list", "--json", data_dir=ws, check_json=True).json
    assert (call["score"], call["reviewers"]) == (2.0, 2)
    assert "score 2.00 (2 reviewers)" in run_cli("calls", "list", data_dir=ws).stdout


def test_some_failed_inputs_exit_1_with_reasons(tmp_path: Path, audio_dir: Path) -> None:
    bad = tmp_path / "broken.wav"
    bad.write_bytes(b"RIFF....not really")
    result = run_cli(
        "import", str(audio_dir / "mono.mp3"), str(bad), "--json", data_dir=tmp_path / "ws", check_json=True
    )
    assert result.returncode == 1
    assert len(result.json["imported"]) == 1
    (failure,) = result.json["failed"]
    assert failure["path"].endswith("broken.wav") and "not a recognised audio file" in failure["error"]


def test_plain_summary_names_each_file(tmp_path: Path, audio_dir: Path) -> None:
    (tmp_path / "empty.wav").write_bytes(b"")
    result = run_cli("import", str(audio_dir / "mono.mp3"), str(tmp_path / "empty.wav"), data_dir=tmp_path / "ws")
    assert result.returncode == 1
    assert "imported  #1  mono.mp3" in result.stdout
    assert "empty.wav: file is empty (0 bytes)" in result.stdout
    assert "1 imported, 0 duplicates skipped, 1 failed" in result.stdout


def test_usage_errors_exit_2_without_traceback(tmp_path: Path) -> None:
    for args in (["transcribe"], ["no-such-command"], ["import"], ["transcribe", "1", "--all"]):
        result = run_cli(*args, data_dir=tmp_path / "ws")
        assert result.returncode == 2, (args, result.stderr)
        assert "Traceback" not in result.stderr and result.stderr.strip()


def test_leading_dash_names_after_double_dash(tmp_path: Path, audio_dir: Path) -> None:
    odd = tmp_path / "-x; rm & co.wav"
    shutil.copy(audio_dir / "mono_8k_alaw.wav", odd)
    result = run_cli(
        "import", "--json", "--data-dir", str(tmp_path / "ws"), "--", odd.name, check_json=True, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert result.json["imported"][0]["original_name"] == "-x; rm & co.wav"


def test_data_dir_before_command_and_env_var(tmp_path: Path, audio_dir: Path) -> None:
    ws = tmp_path / "ws"
    assert run_cli("--data-dir", str(ws), "import", str(audio_dir / "mono.flac")).returncode == 0
    env_home = tmp_path / "home"
    os.environ["EMPATHY_AUDIT_HOME"] = str(env_home)
    try:
        assert run_cli("import", str(audio_dir / "mono.flac")).returncode == 0
    finally:
        os.environ["EMPATHY_AUDIT_HOME"] = str(tmp_path / "unused")
    assert (ws / "workspace.db").exists() and (env_home / "workspace.db").exists()


def test_bad_metadata_file_is_a_clear_error(tmp_path: Path, audio_dir: Path) -> None:
    meta = tmp_path / "meta.csv"
    meta.write_text("agent,team\nA,B\n")
    result = run_cli("import", str(audio_dir / "mono.mp3"), "--metadata", str(meta), data_dir=tmp_path / "ws")
    assert result.returncode == 1
    assert "meta.csv: needs a column" in result.stderr and "Traceback" not in result.stderr


def test_doctor_reports_workspace_ffmpeg_engines_models(tmp_path: Path) -> None:
    result = run_cli("doctor", "--json", data_dir=tmp_path / "ws", check_json=True)
    assert result.returncode == 0, result.stdout
    report = result.json
    assert report["workspace"] == str((tmp_path / "ws").resolve())
    assert report["schema_version"] >= 2
    assert Path(report["ffmpeg"]["path"]).is_dir() and report["ffmpeg"]["in_process"]
    assert {e["name"] for e in report["engines"]} == {"faster-whisper", "openai-whisper"}
    assert report["default_model"]["verified"] is True
    assert any(m["name"] == "base.en" and not m["available"] for m in report["models"])
    plain = run_cli("doctor", data_dir=tmp_path / "ws")
    assert "ffmpeg:" in plain.stdout and "default model:  tiny.en (checksum verified)" in plain.stdout


def test_transcript_of_untranscribed_call_says_what_to_do(tmp_path: Path, audio_dir: Path) -> None:
    ws = tmp_path / "ws"
    run_cli("import", str(audio_dir / "mono.mp3"), data_dir=ws)
    result = run_cli("transcript", "1", data_dir=ws)
    assert result.returncode == 1 and "run: empathy-audit transcribe 1" in result.stderr
    missing = run_cli("transcript", "99", data_dir=ws)
    assert missing.returncode == 1 and "there is no call #99" in missing.stderr


def test_offline_download_gives_a_clear_message(tmp_path: Path) -> None:
    result = run_cli("models", "download", "base.en", "--json", data_dir=tmp_path / "ws", check_json=True)
    assert result.returncode == 1
    assert result.json["downloaded"] is False and "packaged models (accurate, fast) still work" in result.json["error"]
