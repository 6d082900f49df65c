"""The call library as a query: filters, full-text search and sorting done in SQL, so the
table stays fast at tens of thousands of calls."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlite_utils

from empathy_audit.quarters import QUARTER_SQL
from empathy_audit.store.audit import refresh_call_audit

# (column key, header, SQL expression to sort by)
COLUMNS: list[tuple[str, str, str]] = [
    ("original_name", "Name", "c.original_name COLLATE NOCASE"),
    ("call_start", "Date", "COALESCE(c.call_start, c.imported_at)"),
    ("agent", "Agent", "c.agent COLLATE NOCASE"),
    ("team", "Team", "c.team COLLATE NOCASE"),
    ("duration_s", "Duration", "c.duration_s"),
    ("sides", "Sides", "COALESCE(c.channel_layout, '') || c.agent_channel"),
    ("language", "Language", "c.language"),
    ("status", "Status", "c.status"),
    ("reviewer", "Reviewed by", "a.reviewers COLLATE NOCASE"),
    ("score", "Score", "a.score"),
    ("csat", "CSAT", "o.csat"),
]
COLUMN_KEYS = [c[0] for c in COLUMNS]


# The score is the call's one audit score (call_audit: the mean of each reviewer's latest submitted
# review), the same number the dashboard, the report and the CLI show.
_BASE = f"""
SELECT c.id, c.original_name, COALESCE(c.call_start, c.imported_at) AS call_start, c.agent, c.team,
    c.duration_s, c.status, c.progress, c.error, c.channels,
    c.channel_layout, c.layout_note, c.agent_channel, c.agent_side_source, c.language,
    REPLACE(a.reviewers, char(31), ', ') AS reviewer, a.score,
    CASE WHEN a.call_id IS NULL THEN 0 ELSE LENGTH(a.reviewers) - LENGTH(REPLACE(a.reviewers, char(31), '')) + 1 END
        AS reviewers,
    o.csat, o.csat_raw, o.csat_scale, {QUARTER_SQL} AS quarter
FROM calls c LEFT JOIN call_audit a ON a.call_id = c.id
LEFT JOIN outcomes o ON o.call_id = c.id  -- one outcome row per call (migration 4)
"""


@dataclass
class LibraryFilter:
    status: str | None = None
    agent: str | None = None
    team: str | None = None
    quarter: str | None = None  # e.g. "2026Q3"
    language: str | None = None  # as detected, e.g. "es"
    reviewed: bool | None = None
    search: str = ""  # words said in the call


def fts_query(text: str) -> str:
    """User words as an FTS5 query: every word must appear (prefix match on the last)."""
    tokens = [t for t in text.replace('"', " ").split() if t]
    if not tokens:
        return ""
    quoted = [f'"{t}"' for t in tokens]
    quoted[-1] += "*"
    return " ".join(quoted)


def library_rows(
    db: sqlite_utils.Database, flt: LibraryFilter | None = None, sort: str = "call_start", descending: bool = True
) -> list[dict[str, Any]]:
    flt = flt or LibraryFilter()
    refresh_call_audit(db)  # cheap when no review changed; brings the scores up to date when one did
    where: list[str] = []
    params: list[Any] = []
    for name in ("status", "agent", "team", "language"):
        value = getattr(flt, name)
        if value:
            where.append(f"c.{name} = ?")
            params.append(value)
    if flt.quarter:
        where.append(f"{QUARTER_SQL} = ?")
        params.append(flt.quarter)
    if flt.reviewed is not None:
        where.append("a.call_id IS NOT NULL" if flt.reviewed else "a.call_id IS NULL")
    query = fts_query(flt.search)
    if query:
        where.append(
            "c.id IN (SELECT t.call_id FROM segments_fts f JOIN segments s ON s.id = f.rowid "
            "JOIN transcripts t ON t.id = s.transcript_id AND t.is_current = 1 WHERE segments_fts MATCH ?)"
        )
        params.append(query)
    order = dict((k, e) for k, _h, e in COLUMNS).get(sort, "COALESCE(c.call_start, c.imported_at)")
    direction = "DESC" if descending else "ASC"
    sql = _BASE + (" WHERE " + " AND ".join(where) if where else "")
    sql += f" ORDER BY {order} IS NULL, {order} {direction}, c.id {direction}"
    return list(db.query(sql, params))


def filter_choices(db: sqlite_utils.Database) -> dict[str, list[str]]:
    """Values offered in the library's filter boxes."""

    def values(sql: str) -> list[str]:
        return [r[0] for r in db.execute(sql).fetchall() if r[0]]

    return {
        "agent": values("SELECT DISTINCT agent FROM calls ORDER BY agent COLLATE NOCASE"),
        "team": values("SELECT DISTINCT team FROM calls ORDER BY team COLLATE NOCASE"),
        "quarter": values(f"SELECT DISTINCT {QUARTER_SQL} AS q FROM calls c ORDER BY q DESC"),
        "language": values("SELECT DISTINCT language FROM calls ORDER BY language"),
    }
