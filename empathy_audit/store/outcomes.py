"""Outcomes in the workspace: one row per call (CSAT and churn merged from any number of exports)."""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from empathy_audit.store.database import utc_now, write_transaction


@dataclass(frozen=True)
class OutcomeWrite:
    """One call's outcome from one line of an export; None leaves a value as it was."""

    call_id: int
    line: int
    csat: float | None = None
    csat_raw: str | None = None
    churned: bool | None = None
    churn_date: str | None = None
    value: float | None = None
    tier: str | None = None
    tier_rank: int | None = None
    handle_s: float | None = None
    comment: str | None = None


def call_keys(db: sqlite_utils.Database) -> list[tuple[int, str | None, str, str | None]]:
    """(id, external id, file name, customer id) of every call: what an export's rows are matched on."""
    return db.execute("SELECT id, external_id, original_name, customer_id FROM calls").fetchall()


def save_outcomes(db: sqlite_utils.Database, source: str, scale: str | None, writes: list[OutcomeWrite]) -> int:
    """Write every outcome in one transaction; returns how many were written."""
    now = utc_now()
    with write_transaction(db):
        for w in writes:
            external, customer = db.execute(
                "SELECT external_id, customer_id FROM calls WHERE id = ?", [w.call_id]
            ).fetchone()
            db.execute(
                "INSERT INTO outcomes (call_id, external_id, customer_id, source_file, source_line, imported_at) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (call_id) DO NOTHING",
                [w.call_id, external, customer, source, w.line, now],
            )
            if w.csat is not None:
                db.execute(
                    "UPDATE outcomes SET csat = ?, csat_raw = ?, csat_scale = ?, csat_source = ? WHERE call_id = ?",
                    [w.csat, w.csat_raw, scale, f"{source}:{w.line}", w.call_id],
                )
            if w.churned is not None:
                db.execute(
                    "UPDATE outcomes SET churned = ?, churn_date = ?, churn_source = ? WHERE call_id = ?",
                    [int(w.churned), w.churn_date, f"{source}:{w.line}", w.call_id],
                )
            details = {
                "customer_value": w.value, "customer_tier": w.tier, "tier_rank": w.tier_rank, "handle_s": w.handle_s,
                "comment": w.comment,
            }  # fmt: skip
            given = {column: value for column, value in details.items() if value is not None}
            if given:
                sets = ", ".join(f"{column} = ?" for column in given)
                db.execute(
                    f"UPDATE outcomes SET {sets}, detail_source = ? WHERE call_id = ?",
                    [*given.values(), f"{source}:{w.line}", w.call_id],
                )
    return len(writes)
