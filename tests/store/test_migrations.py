"""Schema migrations, pragmas, full-text search and concurrent writers, on real SQLite files."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from empathy_audit.store import connect, migrate_to_latest, schema_version, write_transaction
from empathy_audit.store.database import WorkspaceTooNew
from empathy_audit.store.migrations import LATEST_VERSION, MIGRATIONS


def test_empty_file_migrates_to_latest(tmp_path: Path) -> None:
    db = connect(tmp_path / "w.db")
    assert schema_version(db) == LATEST_VERSION
    tables = set(db.table_names())
    for table in [
        "calls",
        "transcripts",
        "segments",
        "segments_fts",
        "words",
        "rubrics",
        "rubric_criteria",
        "reviews",
        "review_scores",
        "evidence",
        "outcomes",
        "clips",
        "transcription_windows",
        "call_metrics",
    ]:
        assert table in tables, table


@pytest.mark.parametrize("start_version", range(1, LATEST_VERSION))
def test_every_older_version_migrates_and_keeps_data(tmp_path: Path, start_version: int) -> None:
    path = tmp_path / "old.db"
    db = connect(path, migrate=False)
    migrate_to_latest(db, target=start_version)
    assert schema_version(db) == start_version
    with write_transaction(db):
        db.execute(
            "INSERT INTO calls (sha256, original_name, stored_path, size_bytes, duration_s, sample_rate, channels, "
            "codec, imported_at, updated_at) VALUES ('abc', 'old call.wav', 'media/ab/abc.wav', 10, 12.5, 8000, 2, "
            "'pcm_mulaw', '2026-01-01T00:00:00+00:00', '2026-01-01T00:00:00+00:00')"
        )
    db.close()

    db = connect(path)  # migrates the rest of the way
    assert schema_version(db) == LATEST_VERSION
    row = next(db.query("SELECT * FROM calls"))
    assert row["original_name"] == "old call.wav"
    assert row["duration_s"] == 12.5
    assert row["status"] == "new"


def test_pragmas_wal_foreign_keys_busy_timeout(tmp_path: Path) -> None:
    db = connect(tmp_path / "w.db")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000


def test_newer_workspace_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    db = connect(tmp_path / "w.db")
    with write_transaction(db):
        db.execute("INSERT INTO schema_version VALUES (?, 'future')", [LATEST_VERSION + 5])
    db.close()
    with pytest.raises(WorkspaceTooNew, match="Update Empathy Audit"):
        connect(tmp_path / "w.db")


def test_failed_transaction_leaves_nothing(tmp_path: Path) -> None:
    db = connect(tmp_path / "w.db")
    with pytest.raises(sqlite3.IntegrityError), write_transaction(db):
        for sha in ["one", "one"]:  # the second violates UNIQUE(sha256)
            db.execute(
                "INSERT INTO calls (sha256, original_name, stored_path, size_bytes, duration_s, sample_rate, "
                "channels, codec, imported_at, updated_at) VALUES (?, 'x', 'y', 1, 1, 8000, 1, 'c', 'n', 'n')",
                [sha],
            )
    assert db.execute("SELECT COUNT(*) FROM calls").fetchone()[0] == 0


def test_every_step_is_plain_sql_that_applies_cleanly(tmp_path: Path) -> None:
    # Guards against a step that only works when run together with the next one.
    for version in range(1, len(MIGRATIONS) + 1):
        db = connect(tmp_path / f"v{version}.db", migrate=False)
        assert migrate_to_latest(db, target=version) == version


def test_full_text_search_over_segment_text_and_edits(tmp_path: Path) -> None:
    db = connect(tmp_path / "w.db")
    with write_transaction(db):
        db.execute(
            "INSERT INTO calls (id, sha256, original_name, stored_path, size_bytes, duration_s, sample_rate, "
            "channels, codec, imported_at, updated_at) VALUES (1, 's', 'a.wav', 'p', 1, 1, 8000, 1, 'c', 'n', 'n')"
        )
        db.execute("INSERT INTO transcripts (id, call_id, is_current, engine, created_at) VALUES (1, 1, 1, 'e', 'n')")
        db.execute(
            "INSERT INTO segments (id, transcript_id, seq, speaker, start_s, end_s, text) "
            "VALUES (1, 1, 0, 'customer', 0, 1, 'This is the third time I am calling')"
        )
    hits = db.execute("SELECT rowid FROM segments_fts WHERE segments_fts MATCH 'third time'").fetchall()
    assert hits == [(1,)]
    with write_transaction(db):
        db.execute("UPDATE segments SET edited_text = 'refund promised' WHERE id = 1")
    assert db.execute("SELECT rowid FROM segments_fts WHERE segments_fts MATCH 'refund'").fetchall() == [(1,)]


WRITER = """
import sys
from empathy_audit.store import connect, write_transaction
db = connect(sys.argv[1])
for i in range(int(sys.argv[3])):
    with write_transaction(db):
        db.execute(
            "INSERT INTO calls (sha256, original_name, stored_path, size_bytes, duration_s, sample_rate, channels, "
            "codec, imported_at, updated_at) VALUES (?, 'x', 'y', 1, 1, 8000, 1, 'c', 'n', 'n')",
            [f"{sys.argv[2]}-{i}"],
        )
"""


def test_two_processes_write_at_once(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    connect(path).close()
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(path), name, "200"], stderr=subprocess.PIPE)
        for name in ("gui", "cli")
    ]
    for proc in procs:
        _out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode()
    db = connect(path)
    assert db.execute("SELECT COUNT(*) FROM calls").fetchone()[0] == 400
