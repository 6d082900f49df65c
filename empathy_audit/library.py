"""The call library as a query: filters, full-text search and sorting done in SQL, so the
table stays fast at tens of thousands of calls."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlite_utils

# (column key, header, SQL expression to sort by)
COLUMNS: list[tuple[str, str, str]] = [
    ("original_name", "Name", "c.original_name COLLATE NOCASE"),
    ("call_start", "Date", "COALESCE(c.call_start, c.imported_at)"),
    ("agent", "Agent", "c.agent COLLATE NOCASE"),
    ("team", "Team", "c.team COLLATE NOCASE"),
    ("duration_s", "Duration", "c.duration_s"),
    ("status", "Status", "c.status"),
    ("reviewer", "Reviewed by", "rv.reviewer COLLATE NOCASE"),
    ("score", "Score", "rv.score"),
    ("csat", "CSAT", "o.csat"),
]
COLUMN_KEYS = [c[0] for c in COLUMNS]


def quarter_sql(table: str = "c") -> str:
    """SQL for the quarter ('2026Q3') of a call's start, for the calls table named `table` in a query."""
    start = f"COALESCE({table}.call_start, {table}.imported_at)"
    return f"strftime('%Y', {start}) || 'Q' || ((CAST(strftime('%m', {start}) AS INTEGER) + 2) / 3)"


QUARTER_SQL = quarter_sql("c")

_BASE = f"""
WITH latest AS (
    SELECT call_id, id FROM (
        SELECT call_id, id, ROW_NUMBER() OVER (PARTITION BY call_id ORDER BY version_key DESC, uid DESC) AS newest
        FROM reviews WHERE state = 'submitted' AND call_id IS NOT NULL AND calibration_uid IS NULL
    ) WHERE newest = 1
), rv AS (
    SELECT r.call_id, r.reviewer,
        CASE WHEN SUM(rc.critical = 1 AND rs.score = 0) > 0 THEN 0.0
             ELSE SUM(rc.weight * rs.score) / SUM(rc.weight) END AS score
    FROM latest l JOIN reviews r ON r.id = l.id
    LEFT JOIN review_scores rs ON rs.review_id = r.id AND rs.scored = 1 AND rs.score IS NOT NULL
    LEFT JOIN rubric_criteria rc ON rc.rubric_id = r.rubric_id AND rc.key = rs.criterion_key
    GROUP BY r.id
)
SELECT c.id, c.original_name, COALESCE(c.call_start, c.imported_at) AS call_start, c.agent, c.team,
    c.duration_s, c.status, c.progress, c.error, c.channels, rv.reviewer, rv.score, o.csat,
    {QUARTER_SQL} AS quarter
FROM calls c LEFT JOIN rv ON rv.call_id = c.id
LEFT JOIN outcomes o ON o.call_id = c.id  -- one outcome row per call (migration 4)
"""


@dataclass
class LibraryFilter:
    status: str | None = None
    agent: str | None = None
    team: str | None = None
    quarter: str | None = None  # e.g. "2026Q3"
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
    where: list[str] = []
    params: list[Any] = []
    for name in ("status", "agent", "team"):
        value = getattr(flt, name)
        if value:
            where.append(f"c.{name} = ?")
            params.append(value)
    if flt.quarter:
        where.append(f"{QUARTER_SQL} = ?")
        params.append(flt.quarter)
    if flt.reviewed is not None:
        where.append("rv.call_id IS NOT NULL" if flt.reviewed else "rv.call_id IS NULL")
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
    }
