"""Stored waveform overviews (computed once per call; see audio/waveform.py)."""

from __future__ import annotations

import sqlite_utils

from empathy_audit.store.database import write_transaction


def stored_peaks(db: sqlite_utils.Database, call_id: int) -> tuple[int, int, bytes] | None:
    """(points per second, channels, peak bytes) of a call's stored overview, if any."""
    row = db.execute(
        "SELECT points_per_second, channels, peaks FROM call_waveforms WHERE call_id = ?", [call_id]
    ).fetchone()
    return None if row is None else (int(row[0]), int(row[1]), bytes(row[2]))


def store_peaks(db: sqlite_utils.Database, call_id: int, points_per_second: int, channels: int, peaks: bytes) -> None:
    with write_transaction(db):
        db.execute(
            "INSERT OR REPLACE INTO call_waveforms (call_id, points_per_second, channels, peaks) VALUES (?, ?, ?, ?)",
            [call_id, points_per_second, channels, peaks],
        )
