"""The report's outcome tables that are not behind a chart: customers' comments by audit band (CSV and a
page of wrapped quotes) and an experiment's comparison (CSV and a table page)."""

from __future__ import annotations

import textwrap

import sqlite_utils
from matplotlib.figure import Figure

from empathy_audit.analytics.chart_kit import ChartTable, format_p
from empathy_audit.analytics.comments import comments_by_band
from empathy_audit.analytics.compare import Comparison, shown
from empathy_audit.analytics.facts import AuditFilter, FactTable

PER_BAND_ON_PAGE = 5  # quotes per band on the PDF page; the CSV has every comment


def comments_table(db: sqlite_utils.Database, facts: FactTable, flt: AuditFilter) -> ChartTable:
    """Every survey comment of the selection's reviewed calls, by band, personal data hidden (exports only)."""
    rows = comments_by_band(db, facts, flt=flt)
    return ChartTable(
        ["Audit band", "Call", "Agent", "Team", "Started", "Audit score", "CSAT (% of scale)", "Churned", "Comment"],
        [[r.band, r.name, r.agent, r.team, r.started[:16].replace("T", " "),
          "" if r.score is None else round(r.score, 2), "" if r.csat is None else round(r.csat * 100),
          "" if r.churned is None else ("yes" if r.churned else "no"), r.redacted()] for r in rows],
    )  # fmt: skip


def comments_page(table: ChartTable, size: tuple[float, float]) -> Figure:
    """A few quotes per band, wrapped, lowest band first, so a reader sees what customers said after each."""
    from empathy_audit.analytics.report_pages import new_page

    fig = new_page(size)
    fig.text(0.08, 0.95, "What customers said, by audit band", fontsize=16, weight="bold")
    note = f"Survey comments, newest first in each band ({PER_BAND_ON_PAGE} at most; the CSV has all "
    fig.text(0.08, 0.925, note + f"{table.count}); personal data hidden.", fontsize=9, color="#444444", va="top")
    y, shown = 0.89, 0
    bands: dict[str, list[list]] = {}
    for row in table.rows:
        bands.setdefault(row[0], []).append(row)
    for band, rows in bands.items():
        if y < 0.12:
            break
        fig.text(0.08, y, f"{band} ({len(rows)} comments)", fontsize=11, weight="bold", va="top")
        y -= 0.025
        for row in rows[:PER_BAND_ON_PAGE]:
            quote = textwrap.shorten(str(row[8]), 420, placeholder=" …")
            wrapped = textwrap.fill(f"“{quote}” — {row[1]}, {row[2] or 'no agent'}", width=100)
            lines = wrapped.count("\n") + 1
            if y - 0.017 * lines < 0.06:
                break
            fig.text(0.1, y, wrapped, fontsize=8.5, va="top", linespacing=1.3)
            y -= 0.017 * lines + 0.008
            shown += 1
        y -= 0.01
    if shown < table.count:
        fig.text(0.08, 0.03, f"{shown} of {table.count} comments shown; the CSV has them all.", fontsize=9)
    return fig


def compare_table(result: Comparison) -> ChartTable:
    def diff(v: float | None, unit: str) -> str:
        if v is None:
            return ""
        return f"{v * 100:+z.1f}%" if unit == "share" else f"{v:+z.0f} s" if unit == "seconds" else f"{v:+z.2f}"

    return ChartTable(
        ["Metric", "n A", "A", "n B", "B", "B − A (points for rates)", "95% CI", "p", "Method", "Verdict"],
        [[m.metric, m.n_a, shown(m.mean_a, m.unit), m.n_b, shown(m.mean_b, m.unit), diff(m.difference, m.unit),
          "" if m.low is None else f"[{diff(m.low, m.unit)}, {diff(m.high, m.unit)}]",
          "" if m.p_value is None else format_p(m.p_value).removeprefix("p = ").removeprefix("p "), m.method,
          m.verdict]
         for m in result.metrics],
    )  # fmt: skip


def compare_note(result: Comparison) -> str:
    note = f"A: {result.a} ({result.calls_a} reviewed calls). B: {result.b} ({result.calls_b} reviewed calls)."
    return note + (f" Warning: {result.warning}" if result.warning else "")


def compare_page(result: Comparison, size: tuple[float, float]) -> Figure:
    """The comparison's numbers as a table, then each metric's verdict and method in full sentences."""
    from empathy_audit.analytics.report_pages import draw_table, new_page

    fig = new_page(size)
    fig.text(0.08, 0.95, "Experiment: B against A", fontsize=16, weight="bold")
    fig.text(0.08, 0.925, textwrap.fill(compare_note(result), width=100), fontsize=9, color="#444444", va="top")
    table = compare_table(result)
    numbers = ChartTable(table.columns[:8], [row[:8] for row in table.rows])
    draw_table(fig.add_axes((0.05, 0.62, 0.9, 0.25)), numbers, 10, [0.22, 0.07, 0.1, 0.07, 0.1, 0.13, 0.19, 0.12])
    y = 0.58
    for m in result.metrics:
        wrapped = textwrap.fill(f"{m.metric}: {m.verdict} [{m.method}]", width=100)
        fig.text(0.08, y, wrapped, fontsize=9, va="top", linespacing=1.35)
        y -= 0.018 * (wrapped.count("\n") + 1) + 0.012
    return fig


def graders_table(db: sqlite_utils.Database, quarter: str) -> ChartTable:
    """Grading the graders for the report (coaching/graders.py): one row per reviewer of the quarter."""
    from empathy_audit.coaching.graders import reviewer_stats

    def pct(value: float | None) -> str:
        return "" if value is None else f"{value:.0%}"

    return ChartTable(
        ["Reviewer", "Reviews", "Per week", "Median minutes", "Dispute rate", "Disputes decided", "Overturn rate",
         "Leniency", "Most overturned criterion"],
        [[s.reviewer, s.reviews, round(s.weekly, 1),
          "" if s.median_minutes is None else s.median_minutes, pct(s.dispute_rate), s.decided, pct(s.overturn_rate),
          "" if s.leniency is None else f"{s.leniency:+z.2f}",
          max(s.criteria, key=lambda c: (c.overturned, c.disputed)).criterion if s.criteria else ""]
         for s in reviewer_stats(db, quarter)],
    )  # fmt: skip
