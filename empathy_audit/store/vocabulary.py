"""The workspace vocabulary: names and terms the engine is told to expect (hotwords / prompt)."""

from __future__ import annotations

import sqlite_utils

from empathy_audit.store.database import utc_now, write_transaction


def list_terms(db: sqlite_utils.Database) -> list[str]:
    return [row[0] for row in db.execute("SELECT term FROM vocabulary ORDER BY term COLLATE NOCASE").fetchall()]


def add_terms(db: sqlite_utils.Database, terms: list[str]) -> int:
    """Add terms (one transaction; a term already there, in any case, is kept as it was); returns how many."""
    now = utc_now()
    with write_transaction(db):
        before = db.execute("SELECT COUNT(*) FROM vocabulary").fetchone()[0]
        db.conn.executemany(
            "INSERT OR IGNORE INTO vocabulary (term, added_at) VALUES (?, ?)", [(t, now) for t in terms]
        )
        return int(db.execute("SELECT COUNT(*) FROM vocabulary").fetchone()[0] - before)


def remove_terms(db: sqlite_utils.Database, terms: list[str]) -> int:
    """Remove terms (matched in any case); returns how many went."""
    with write_transaction(db):
        before = db.execute("SELECT COUNT(*) FROM vocabulary").fetchone()[0]
        db.conn.executemany("DELETE FROM vocabulary WHERE term = ?", [(t,) for t in terms])
        return int(before - db.execute("SELECT COUNT(*) FROM vocabulary").fetchone()[0])
