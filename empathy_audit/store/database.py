"""Opening a workspace database: pragmas, migrations and write transactions."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils

from empathy_audit.store.migrations import LATEST_VERSION, MIGRATIONS

BUSY_TIMEOUT_MS = 30_000


class WorkspaceTooNew(RuntimeError):
    """The workspace was written by a newer Empathy Audit."""


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def connect(path: Path, *, migrate: bool = True) -> sqlite_utils.Database:
    """Open (creating if needed) a workspace database, ready for concurrent use."""
    # check_same_thread=False: the GUI hands the store to worker threads one at a time.
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    db = sqlite_utils.Database(conn)
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA synchronous = NORMAL")
    if db.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
        db.execute("PRAGMA journal_mode = WAL")
    if migrate:
        migrate_to_latest(db)
    return db


@contextlib.contextmanager
def write_transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """One all-or-nothing write.

    BEGIN IMMEDIATE takes the write lock up front, so a second writer (the CLI
    while the GUI is open) waits on the busy timeout instead of failing half-way.
    sqlite-utils calls made inside nest as savepoints.
    """
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if db.conn.in_transaction:
            db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def schema_version(db: sqlite_utils.Database) -> int:
    if not db["schema_version"].exists():
        return 0
    row = db.execute("SELECT MAX(version) FROM schema_version").fetchone()
    return int(row[0] or 0)


def _statements(script: str) -> Iterator[str]:
    # executescript() would COMMIT the surrounding transaction, so run the
    # statements one by one; complete_statement() keeps trigger bodies whole.
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            if pending.strip():
                yield pending
            pending = ""
    if pending.strip():
        yield pending


def migrate_to_latest(db: sqlite_utils.Database, *, target: int = LATEST_VERSION) -> int:
    """Apply the missing migration steps, each in its own transaction. Returns the version."""
    with write_transaction(db):
        db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)")
    current = schema_version(db)
    if current > LATEST_VERSION:
        raise WorkspaceTooNew(
            f"This workspace uses schema version {current}, but this Empathy Audit only knows "
            f"up to {LATEST_VERSION}. Update Empathy Audit to open it."
        )
    while current < target:
        with write_transaction(db):
            # Re-read under the write lock: another process may have migrated meanwhile.
            current = schema_version(db)
            if current >= target:
                break
            for statement in _statements(MIGRATIONS[current]):
                db.execute(statement)
            current += 1
            db.execute("INSERT INTO schema_version (version, applied_at) VALUES (?, ?)", [current, utc_now()])
    return current


def data_version(db: sqlite_utils.Database) -> int:
    """SQLite's PRAGMA data_version: changes on this connection whenever another one commits."""
    return int(db.execute("PRAGMA data_version").fetchone()[0])
