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


def tier_names(db: sqlite_utils.Database) -> dict[int, str]:
    """Tier rank -> the tier's name as an export wrote it (the most common spelling)."""
    rows = db.execute(
        "SELECT tier_rank, customer_tier, COUNT(*) AS n FROM outcomes WHERE tier_rank IS NOT NULL "
        "GROUP BY tier_rank, customer_tier ORDER BY n"
    ).fetchall()
    return {rank: name for rank, name, _n in rows}  # the most common spelling comes last and wins


def survey_comments(db: sqlite_utils.Database, words: list[str] = ()) -> list[tuple]:  # type: ignore[assignment]
    """(call id, comment, call name, agent, team, start, language) of every call with a survey comment that holds
    every one of `words` (case-insensitive), newest call first."""
    where = "".join(" AND lower(o.comment) LIKE ? ESCAPE '\\'" for _w in words)
    like = ["%" + w.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%" for w in words]
    return db.execute(
        "SELECT o.call_id, o.comment, c.original_name, c.agent, c.team, COALESCE(c.call_start, c.imported_at), "
        f"c.language FROM outcomes o JOIN calls c ON c.id = o.call_id WHERE o.comment IS NOT NULL{where} "
        "ORDER BY COALESCE(c.call_start, c.imported_at) DESC, o.call_id",
        like,
    ).fetchall()


def call_comment(db: sqlite_utils.Database, call_id: int) -> tuple[str, str] | None:
    """(the survey comment, where it came from 'file.csv:12') of a call, or None."""
    row = db.execute(
        "SELECT comment, COALESCE(detail_source, source_file) FROM outcomes WHERE call_id = ? AND comment IS NOT NULL",
        [call_id],
    ).fetchone()
    return (row[0], row[1] or "") if row else None
