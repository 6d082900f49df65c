"""Which quarter a call belongs to, as SQL (one definition for the Library, the audit table and reports)."""

from __future__ import annotations


def quarter_sql(table: str = "c") -> str:
    """SQL for the quarter ('2026Q3') of a call's start, for the calls table named `table` in a query."""
    start = f"COALESCE({table}.call_start, {table}.imported_at)"
    return f"strftime('%Y', {start}) || 'Q' || ((CAST(strftime('%m', {start}) AS INTEGER) + 2) / 3)"


QUARTER_SQL = quarter_sql("c")
