"""What the outcome analytics read of every call: customer, start, duration (a repeat contact need not be
reviewed, so these come from the calls table, not the audit)."""

from __future__ import annotations

import sqlite_utils


def contact_rows(db: sqlite_utils.Database) -> list[tuple]:
    """(call id, customer id trimmed or '', start in hours since the Julian epoch or None, duration in seconds or
    None), in call id order."""
    return db.execute(
        "SELECT id, TRIM(COALESCE(customer_id, '')), julianday(call_start) * 24.0, duration_s FROM calls ORDER BY id"
    ).fetchall()


def start_days(db: sqlite_utils.Database) -> dict[int, str]:
    """call id -> 'YYYY-MM-DD' of its start ('' when unknown)."""
    return dict(db.execute("SELECT id, substr(COALESCE(call_start, ''), 1, 10) FROM calls").fetchall())
