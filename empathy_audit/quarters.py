"""Which quarter a call belongs to: one definition, in SQL (the Library, the audit table, reports) and in Python."""

from __future__ import annotations

from datetime import datetime


def quarter_sql(table: str = "c") -> str:
    """SQL for the quarter ('2026Q3') of a call's start, for the calls table named `table` in a query."""
    start = f"COALESCE({table}.call_start, {table}.imported_at)"
    return f"strftime('%Y', {start}) || 'Q' || ((CAST(strftime('%m', {start}) AS INTEGER) + 2) / 3)"


QUARTER_SQL = quarter_sql("c")


def quarter_of(iso: str | None) -> str | None:
    """'2026-08-14T10:00:00' -> '2026Q3'."""
    if not iso:
        return None
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return None
    return f"{moment.year}Q{(moment.month - 1) // 3 + 1}"
