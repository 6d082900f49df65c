"""Every bad input gets a specific message with what to do, and exit code 1 or 2: never "unexpected problem".

Read-only and full disks are real: a tmpfs mounted in a private mount namespace (`unshare -m`), so nothing
outside the test sees it. Where that is impossible (no root), those tests are skipped and say why.
"""

from __future__ import annotations

import os
import shlex
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import REPO, run_cli, tone, write_wav

AUDIO = Path(__file__).resolve().parents[1] / "fixtures" / "audio"


def _no_surprise(proc: subprocess.CompletedProcess, code: int = 1) -> str:
    assert proc.returncode == code, (proc.returncode, proc.stdout, proc.stderr)
    assert "unexpected problem" not in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
    return proc.stderr


def test_bad_csv_files_are_named_with_what_is_wrong(tmp_path: Path) -> None:
    audio = shutil.copy(AUDIO / "mono_16k.wav", tmp_path / "a.wav")
    dup = tmp_path / "dup.csv"
    dup.write_text("file,Agent,agent,team\na.wav,x,y,z\n")
    err = _no_surprise(run_cli("import", str(audio), "--metadata", str(dup), data_dir=tmp_path / "ws"))
    assert "dup.csv: the header names “agent” twice (columns 2 and 3)" in err
    big = tmp_path / "big.csv"
    big.write_text("file,agent\na.wav," + "x" * 200_000 + "\n")
    err = _no_surprise(run_cli("import", str(audio), "--metadata", str(big), data_dir=tmp_path / "ws"))
    assert "big.csv, line 2: a cell is longer than" in err
    # A call_start column is the call's start, never also its external id.
    start = tmp_path / "start.csv"
    start.write_text("file,call_start,agent\na.wav,2026-08-01 10:00,Ana\n")
    assert run_cli("import", str(audio), "--metadata", str(start), data_dir=tmp_path / "ws2").returncode == 0
    (call,) = run_cli("calls", "list", "--json", data_dir=tmp_path / "ws2", check_json=True).json
    assert call["external_id"] is None and call["call_start"] == "2026-08-01T10:00:00"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (b'name = "X\xe9"\n', "is not UTF-8 text"),
        (b'name = "X"\ncriteria = [1, 2]\n', "line 2: each criterion must be a [[criteria]] block"),
        (
            b'name = "X"\nmax_score = 1\n[[criteria]]\nkey = "a"\nlabel = "A"\nweight = nan\nlevels = ["n", "y"]\n',
            "weight",
        ),
    ],
)
def test_bad_rubric_files_are_named_with_what_is_wrong(text: bytes, message: str, tmp_path: Path) -> None:
    rubric = tmp_path / "r.toml"
    rubric.write_bytes(text)
    assert message in _no_surprise(run_cli("rubric", "import", str(rubric), data_dir=tmp_path / "ws"))


def test_a_busy_workspace_says_so(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    assert run_cli("import", str(AUDIO / "mono_16k.wav"), data_dir=ws).returncode == 0
    holder = sqlite3.connect(ws / "workspace.db")
    holder.execute("BEGIN IMMEDIATE")  # another program is writing, and does not stop
    try:
        env = {**os.environ, "EMPATHY_AUDIT_BUSY_TIMEOUT": "1"}
        cmd = [sys.executable, "-m", "empathy_audit", "--data-dir", str(ws), "review", "1", "--reviewer", "Dana",
               "--score", "acknowledgment=2"]  # fmt: skip
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=60, cwd=REPO)
    finally:
        holder.rollback()
        holder.close()
    assert "is busy: another window or command has been writing to it for 1 s" in _no_surprise(proc)


def test_exports_say_when_they_cannot_go_where_asked(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    assert run_cli("import", str(AUDIO / "mono_16k.wav"), data_dir=ws).returncode == 0
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    err = _no_surprise(run_cli("report", "--quarter", "2026Q3", "--out", str(a_file), data_dir=ws))
    assert "is a file, not a folder" in err
    err = _no_surprise(run_cli("report", "--quarter", "2026Q3", "--out", str(ws / "media"), data_dir=ws))
    assert "the workspace's own folder" in err
    out = tmp_path / "report"
    assert run_cli("report", "--quarter", "2026Q3", "--out", str(out), "--format", "csv", data_dir=ws).returncode == 0
    again = run_cli("report", "--quarter", "2026Q3", "--out", str(out), "--format", "csv", data_dir=ws)
    assert "already holds" in _no_surprise(again) and "--force" in again.stderr
    forced = run_cli("report", "--quarter", "2026Q3", "--out", str(out), "--format", "csv", "--force", data_dir=ws)
    assert forced.returncode == 0, forced.stderr


def test_transcribe_all_names_the_calls_that_failed(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    assert run_cli("import", str(AUDIO / "mono_16k.wav"), data_dir=ws).returncode == 0
    db = sqlite3.connect(ws / "workspace.db")
    db.execute("UPDATE calls SET status = 'failed', error = 'the transcription engine crashed (SIGSEGV)'")
    db.commit()
    db.close()
    proc = run_cli("transcribe", "--all", data_dir=ws)
    assert "1 call failed before" in _no_surprise(proc) + proc.stdout
    assert "SIGSEGV" in proc.stdout and "--retry-failed" in proc.stdout


def test_what_an_interrupted_write_left_is_cleaned_at_the_next_start(tmp_path: Path) -> None:
    from empathy_audit.services import open_services

    ws = tmp_path / "ws"
    assert run_cli("import", str(AUDIO / "mono_16k.wav"), data_dir=ws).returncode == 0
    orphan = ws / "media" / "ab" / ("ab" + "0" * 62 + ".wav")
    orphan.parent.mkdir(parents=True, exist_ok=True)
    temp = ws / "media" / "ab" / ".import-x.wav.part"
    young = ws / "media" / "ab" / ("ab" + "1" * 62 + ".wav")  # may be an import still running elsewhere
    for path in (orphan, temp, young):
        path.write_bytes(b"RIFF")
    old = time.time() - 7200
    for path in (orphan, temp):
        os.utime(path, (old, old))
    with open_services(ws) as services:
        cleaned = services.calls.clean_interrupted_writes()
        assert (cleaned.temporary, cleaned.orphans) == (1, 1)
        assert not orphan.exists() and not temp.exists() and young.exists()
        assert services.calls.missing_audio() == []  # the real recording stayed


def _mount_namespace_available() -> bool:
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        return False
    return subprocess.run(["unshare", "-m", "true"], capture_output=True).returncode == 0


needs_mounts = pytest.mark.skipif(
    not _mount_namespace_available(), reason="needs root and `unshare -m` to mount a private tmpfs"
)


def _in_private_mount(script: str, tmp_path: Path) -> subprocess.CompletedProcess:
    """Run a shell script in a mount namespace of its own (its mounts vanish with it)."""
    mnt = tmp_path / "mnt"
    mnt.mkdir(exist_ok=True)
    full = f"set -e\nMNT={shlex.quote(str(mnt))}\nEA='{sys.executable} -m empathy_audit'\n{script}"
    return subprocess.run(["unshare", "-m", "bash", "-c", full], capture_output=True, text=True, cwd=REPO, timeout=300)


@needs_mounts
def test_a_read_only_workspace_can_be_listed_reported_and_checked(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    assert run_cli("import", str(AUDIO / "mono_16k.wav"), data_dir=ws).returncode == 0
    proc = _in_private_mount(
        f"""
mount -t tmpfs -o size=64m tmpfs "$MNT"
cp -a {shlex.quote(str(ws))} "$MNT/ws"
mount -o remount,ro "$MNT"
$EA --data-dir "$MNT/ws" calls list --json > {shlex.quote(str(tmp_path / "list.json"))}
$EA --data-dir "$MNT/ws" doctor --json > {shlex.quote(str(tmp_path / "doctor.json"))} || true
$EA --data-dir "$MNT/ws" report --quarter 2026Q4 --out {shlex.quote(str(tmp_path / "report"))} --format csv
$EA --data-dir "$MNT/ws" import {shlex.quote(str(AUDIO / "mono.mp3"))} 2> {shlex.quote(str(tmp_path / "import.err"))} \
    || echo "import exit $?"
""",
        tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    import json

    assert len(json.loads((tmp_path / "list.json").read_text())) == 1
    assert json.loads((tmp_path / "doctor.json").read_text())["read_only"] is True
    assert (tmp_path / "report").is_dir()
    assert "import exit 1" in proc.stdout
    err = (tmp_path / "import.err").read_text()
    assert "read-only" in err and "unexpected problem" not in err


@needs_mounts
def test_a_full_disk_is_said_plainly_and_leaves_nothing_half_written(tmp_path: Path) -> None:
    big = write_wav(tmp_path / "big.wav", tone(120, 16000), 16000)  # 3.8 MB
    proc = _in_private_mount(
        f"""
mount -t tmpfs -o size=1500k tmpfs "$MNT"
$EA --data-dir "$MNT/ws" import {shlex.quote(str(big))} --json > {shlex.quote(str(tmp_path / "import.json"))} || true
ls -a "$MNT/ws/media" > {shlex.quote(str(tmp_path / "media.txt"))}
find "$MNT/ws/media" -type f | wc -l > {shlex.quote(str(tmp_path / "files.txt"))}
""",
        tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    import json

    report = json.loads((tmp_path / "import.json").read_text())
    assert report["imported"] == [] and "disk holding the workspace is full" in report["failed"][0]["error"]
    assert (tmp_path / "files.txt").read_text().strip() == "0"  # no partial copy left
