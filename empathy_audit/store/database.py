"""Opening a workspace database: pragmas, migrations and write transactions."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils

from empathy_audit.store.migrations import LATEST_VERSION, MIGRATIONS

# How long a write waits for another window or command to finish writing (longer on a slow network drive).
BUSY_TIMEOUT_MS = int(float(os.environ.get("EMPATHY_AUDIT_BUSY_TIMEOUT", "30")) * 1000)


class WorkspaceTooNew(RuntimeError):
    """The workspace was written by a newer Empathy Audit."""


# What SQLite raises when a workspace cannot be used right now (locked, full disk, damaged); callers above
# the store catch it by this name and never import sqlite3 themselves.
DatabaseError = sqlite3.OperationalError


class WorkspaceReadOnly(RuntimeError):
    """A change was asked of a workspace that can only be read (read-only files, folder or disk)."""


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def writable(path: Path) -> bool:
    """Can this database (and the journal files beside it) be written?"""
    folder = path.parent
    files_ok = all(os.access(p, os.W_OK) for p in (path, *_journals(path)) if p.exists())
    return files_ok and os.access(folder, os.W_OK) and not _read_only_mount(folder)


def _journals(path: Path) -> tuple[Path, Path]:
    return path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")


def _read_only_mount(folder: Path) -> bool:
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):  # no statvfs (Windows): os.access has said enough
        return False


def _open_read_only(path: Path) -> sqlite3.Connection:
    """A read-only connection; `immutable` when SQLite cannot even make its shared-memory file beside it."""
    uri = path.resolve().as_uri()
    for query in ("mode=ro", "mode=ro&immutable=1"):
        conn = sqlite3.connect(f"{uri}?{query}", uri=True, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return conn
        except sqlite3.OperationalError:
            conn.close()
    raise sqlite3.OperationalError(f"unable to open database file {path}")


def is_read_only(db: sqlite_utils.Database) -> bool:
    return bool(db.execute("PRAGMA query_only").fetchone()[0])


def connect(path: Path | str, *, migrate: bool = True) -> sqlite_utils.Database:
    """Open (creating if needed) a workspace database, ready for concurrent use.

    A workspace that cannot be written (read-only files, folder or disk) opens read-only: listing,
    transcripts, reports and doctor work; a change says why it cannot be made (WorkspaceReadOnly)."""
    path = Path(path)
    if path.exists() and not writable(path):
        db = sqlite_utils.Database(_open_read_only(path))
        db.execute("PRAGMA query_only = ON")
        if schema_version(db) < LATEST_VERSION and migrate:
            raise WorkspaceReadOnly(
                f"{path.parent} is read-only and was made by an older Empathy Audit: it must be upgraded before "
                "this version can read it; make it writable (or copy it somewhere you can write) and open it again"
            )
        return db
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
    if is_read_only(db):
        raise WorkspaceReadOnly(
            "this workspace is read-only (its files, folder or disk cannot be written): it can be listed, searched "
            "and reported on, but not changed; make it writable, or copy it somewhere you can write"
        )
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


def rows_written(db: sqlite_utils.Database) -> int:
    """Rows this connection inserted, changed or deleted since it opened (SQLite's total_changes)."""
    return int(db.conn.total_changes)
