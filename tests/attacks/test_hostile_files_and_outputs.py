"""Hostile and careless input that reaches files and outputs: refused or handled, nothing else touched."""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import REPO, run_cli
from seed import Seeded, seed

from empathy_audit.analytics.report import write_report
from empathy_audit.cli.output import finite, plain
from empathy_audit.clips.handout import md
from empathy_audit.importing.importer import ImportOptions, collect_audio_files, import_paths
from empathy_audit.store import open_workspace

AUDIO = Path(__file__).resolve().parents[1] / "fixtures" / "audio"


@pytest.mark.skipif(not hasattr(os, "mkfifo") or not Path("/dev/zero").exists(), reason="needs a POSIX system")
def test_folder_import_skips_devices_pipes_and_links_out_of_the_folder(tmp_path: Path) -> None:
    folder, outside = tmp_path / "calls", tmp_path / "elsewhere"
    folder.mkdir()
    outside.mkdir()
    shutil.copy(AUDIO / "mono_16k.wav", folder / "real.wav")
    shutil.copy(AUDIO / "mono.flac", outside / "private.flac")
    (folder / "zero.wav").symlink_to("/dev/zero")  # reading it never ends
    os.mkfifo(folder / "pipe.wav")  # opening it blocks for ever
    (folder / "away.flac").symlink_to(outside / "private.flac")
    (folder / "broken.mp3").symlink_to(tmp_path / "missing.mp3")
    started = time.monotonic()
    files, skipped = collect_audio_files([folder])
    assert [f.name for f in files] == ["real.wav"]
    reasons = {Path(s.path).name: s.error for s in skipped}
    assert "a device" in reasons["zero.wav"] and "pipe" in reasons["pipe.wav"]
    assert "outside the imported folder" in reasons["away.flac"] and "broken link" in reasons["broken.mp3"]
    with open_workspace(tmp_path / "ws") as ws:
        report = import_paths(ws, [folder], ImportOptions())
        assert [i.original_name for i in report.imported] == ["real.wav"] and len(report.failed) == 4
    assert time.monotonic() - started < 30


def test_a_file_name_that_is_not_utf8_is_imported_under_a_safe_name(tmp_path: Path) -> None:
    folder = tmp_path / "calls"
    folder.mkdir()
    bad = os.path.join(os.fsencode(folder), b"caf\xe9 call.wav")  # Latin-1 bytes, not UTF-8
    shutil.copy(AUDIO / "mono_16k.wav", bad)
    shutil.copy(AUDIO / "mono.flac", folder / "fine.flac")
    with open_workspace(tmp_path / "ws") as ws:
        report = import_paths(ws, [folder], ImportOptions())
        names = sorted(i.original_name for i in report.imported)
        assert names == ["caf\ufffd call.wav", "fine.flac"] and report.failed == []
        assert sorted(r[0] for r in ws.db.execute("SELECT original_name FROM calls")) == names
        assert not list(ws.media_dir.rglob(".import-*"))
    listed = run_cli("calls", "list", "--json", data_dir=tmp_path / "ws", check_json=True)
    assert listed.returncode == 0 and len(listed.json) == 2


def test_pack_export_never_overwrites_the_workspace_and_asks_before_replacing(tmp_path: Path) -> None:
    ws_dir = tmp_path / "ws"
    with open_workspace(ws_dir) as ws:
        seed(ws.db, [Seeded("Ana", "Blue", "2026-07-01T10:00:00", (3, 2, 1))])
    before = (ws_dir / "workspace.db").read_bytes()[:100]
    refused = run_cli("pack", "export", "--out", str(ws_dir / "workspace.db"), data_dir=ws_dir)
    assert refused.returncode == 1 and "workspace's own files" in refused.stderr
    assert (ws_dir / "workspace.db").read_bytes()[:100] == before
    into_media = run_cli("pack", "export", "--out", str(ws_dir / "media" / "x.eapack"), data_dir=ws_dir)
    assert into_media.returncode == 1 and "workspace's own files" in into_media.stderr
    target = tmp_path / "out.eapack"
    target.write_text("keep me")
    again = run_cli("pack", "export", "--out", str(target), data_dir=ws_dir)
    assert again.returncode == 1 and "already exists" in again.stderr and target.read_text() == "keep me"
    forced = run_cli("pack", "export", "--out", str(target), "--force", data_dir=ws_dir)
    assert forced.returncode == 0, forced.stderr
    (tmp_path / "packs.eapack").mkdir()
    folder = run_cli("pack", "export", "--out", str(tmp_path / "packs.eapack"), data_dir=ws_dir)
    assert folder.returncode == 1 and "is a folder" in folder.stderr
    unwritable = run_cli("pack", "export", "--out", str(target / "inside.eapack"), data_dir=ws_dir)
    assert unwritable.returncode == 1 and "cannot be written" in unwritable.stderr
    assert "unexpected problem" not in unwritable.stderr


def test_names_are_plain_text_in_the_pdf_report(workspace, tmp_path: Path) -> None:
    long_name = "A" * 100_000
    seed(
        workspace.db,
        [
            Seeded(r"$\foo$", "Blue", "2026-07-01T10:00:00", (3, 2, 1), csat=0.8, churned=False),
            Seeded(long_name, r"$\bar_{x}$", "2026-07-02T10:00:00", (1, 1, 1), csat=0.2, churned=True),
        ],
    )
    started = time.monotonic()
    result = write_report(workspace.db, "2026Q3", tmp_path / "report", formats=("pdf", "csv"))
    assert time.monotonic() - started < 60
    pdf = next(p for p in result.files if p.suffix == ".pdf")
    assert pdf.stat().st_size > 10_000 and pdf.read_bytes().startswith(b"%PDF")
    calls_csv = next(p for p in result.files if p.name.endswith("-calls.csv")).read_text(encoding="utf-8-sig")
    assert r"$\foo$" in calls_csv and long_name in calls_csv  # the data keeps the whole name


def test_handout_markdown_shows_titles_and_notes_as_text() -> None:
    title = "Great save\n# Not a heading <script>alert(1)</script> [link](http://x) *bold*"
    text = md(title)
    assert "\n" not in text and not text.startswith("#")
    assert "<script>" not in text and "\\<script\\>" in text and "\\[link\\]" in text and "\\*bold\\*" in text


def test_json_is_strict_and_terminal_text_is_plain() -> None:
    data = {"score": math.nan, "spread": [1.0, math.inf, -math.inf], "name": "ok"}
    text = json.dumps(finite(data), allow_nan=False)
    assert json.loads(text) == {"score": None, "spread": [1.0, None, None], "name": "ok"}
    assert plain("\x1b[31mred\x1b[0m\tok\n") == "?[31mred?[0m\tok\n"


def test_control_characters_in_names_never_reach_the_terminal(tmp_path: Path) -> None:
    ws_dir = tmp_path / "ws"
    with open_workspace(ws_dir) as ws:
        seed(ws.db, [Seeded("\x1b[2J\x1b[31mEve", "Blue", "2026-07-01T10:00:00", (3, 2, 1))])
    listed = run_cli("calls", "list", data_dir=ws_dir)
    assert listed.returncode == 0 and "\x1b" not in listed.stdout and "?[31mEve" in listed.stdout
    as_json = run_cli("calls", "list", "--json", data_dir=ws_dir, check_json=True)
    assert as_json.json[0]["agent"] == "\x1b[2J\x1b[31mEve"  # JSON keeps the data, escaped


def test_a_closed_pipe_ends_the_command_quietly(tmp_path: Path) -> None:
    ws_dir = tmp_path / "ws"
    with open_workspace(ws_dir) as ws:
        seed(ws.db, [Seeded(f"Agent {i}", "Blue", "2026-07-01T10:00:00", (3, 2, 1)) for i in range(1500)])
    proc = subprocess.Popen(
        [sys.executable, "-m", "empathy_audit", "calls", "list", "--json", "--data-dir", str(ws_dir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=REPO,
    )
    assert proc.stdout is not None and proc.stdout.read(200)
    proc.stdout.close()  # like `| head`
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0 and b"BrokenPipe" not in err and b"Traceback" not in err
