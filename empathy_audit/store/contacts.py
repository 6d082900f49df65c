"""What the repeat-contact analytics read of every call: customer and start (a repeat contact need not be
reviewed, so these come from the calls table, not the audit)."""

from __future__ import annotations

import sqlite_utils


def contact_rows(db: sqlite_utils.Database) -> list[tuple]:
    """(call id, customer id trimmed or '', start in hours since the Julian epoch or None), in call id order."""
    return db.execute(
        "SELECT id, TRIM(COALESCE(customer_id, '')), julianday(call_start) * 24.0 FROM calls ORDER BY id"
    ).fetchall()
