"""Settings that belong to the workspace (which rubric is in use, the dispute window), not to one person's app."""

from __future__ import annotations

import sqlite_utils

from empathy_audit.store.database import write_transaction


def workspace_setting(db: sqlite_utils.Database, key: str) -> str | None:
    row = db.execute("SELECT value FROM workspace_settings WHERE key = ?", [key]).fetchone()
    return row[0] if row else None


def put_workspace_setting(db: sqlite_utils.Database, key: str, value: str | None) -> None:
    """Set (or, with None, clear) a setting inside the caller's transaction."""
    if value is None:
        db.execute("DELETE FROM workspace_settings WHERE key = ?", [key])
    else:
        db.execute(
            "INSERT INTO workspace_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = ?",
            [key, value, value],
        )


def set_workspace_setting(db: sqlite_utils.Database, key: str, value: str | None) -> None:
    """Set (or clear) a setting in a transaction of its own."""
    with write_transaction(db):
        put_workspace_setting(db, key, value)
