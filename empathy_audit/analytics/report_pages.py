"""The pages of the quarterly PDF, all one size (A4, or Letter where that is the local paper): the findings
in sentences, each chart full width with its table and what it shows, tables, and the methods.

A chart with too little data gets no page of its own: the findings page says which and why.
"""

from __future__ import annotations

import textwrap
from datetime import date

from matplotlib.figure import Figure

from empathy_audit.analytics.audit import AuditReport
from empathy_audit.analytics.chart_kit import Chart, ChartTable, clip_interval, plural, shorten
from empathy_audit.analytics.paper import A4, LETTER, paper_size  # noqa: F401 (the report takes them from here)
from empathy_audit.scoring.counting import SCORE_RULE

TABLE_ROWS = 22  # on a chart's page; every row is in its CSV


def new_page(size: tuple[float, float], constrained: bool = False) -> Figure:
    """A page; laid out by the constrained engine where it holds charts (text and tables are placed by hand)."""
    return Figure(figsize=size, layout="constrained" if constrained else None)


def selection_name(quarter: str, team: str | None, agent: str | None) -> str:
    return " · ".join([quarter, shorten(team) if team else "All teams", *([shorten(agent)] if agent else [])])


def findings_sentences(report: AuditReport, charts: list[Chart]) -> list[str]:
    """The report's first page, in plain sentences."""
    lines: list[str] = []
    overall = report.overall
    if report.n:
        low, high = clip_interval(overall.low, overall.high, report.scale)
        ci = f", 95% confidence interval {low:.2f}–{high:.2f}" if overall.low is not None else ""
        lines.append(
            f"{plural(report.n, 'call')} reviewed by {plural(len(report.reviewers), 'reviewer')}: the mean audit score "
            f"is {overall.mean:.2f} of {report.scale:g} ({overall.mean / report.scale:.0%}){ci}."
        )
    else:
        lines.append("No reviewed calls in this selection yet: review some calls, then make the report again.")
    if len(report.flagged_table):
        lines.append(
            f"{plural(len(report.flagged_table), 'call')} where empathy-first did not apply (transactional, "
            "compliance, abusive, crisis) are counted apart and left out of every figure."
        )
    lines += [c.finding for c in charts if c.finding and c.message is None]
    if report.quiet_churners:
        lines.append(
            f"{plural(len(report.quiet_churners), 'customer')} rated the call 4–5 and left anyway (quiet churners, "
            "listed on their own page): the numbers looked fine."
        )
    missing = [f"{c.title} ({c.message.removeprefix('Too little data: ').rstrip('.')})" for c in charts if c.message]
    if missing:
        lines.append("Not drawn for lack of data: " + "; ".join(missing) + ".")
    return lines


def findings_page(title: str, report: AuditReport, charts: list[Chart], size: tuple[float, float]) -> Figure:
    fig = new_page(size)
    fig.text(0.08, 0.93, "Quarterly empathy audit", fontsize=24, weight="bold")
    fig.text(0.08, 0.895, title, fontsize=14)
    fig.text(0.08, 0.85, "Findings", fontsize=15, weight="bold")
    y = 0.82
    for sentence in findings_sentences(report, charts):
        wrapped = textwrap.fill(sentence, width=88)
        fig.text(0.08, y, "•", fontsize=11, va="top")
        fig.text(0.11, y, wrapped, fontsize=11, va="top", linespacing=1.4)
        y -= 0.024 * (wrapped.count("\n") + 1) + 0.014
    rule = textwrap.fill(SCORE_RULE, width=100)
    fig.text(0.08, max(0.1, y - 0.03), rule, fontsize=9, va="top", color="#444444", linespacing=1.4)
    fig.text(0.08, 0.04, f"Made {date.today().isoformat()} by Empathy Audit", fontsize=9, color="#666666")
    return fig


def draw_table(ax: object, table: ChartTable, rows: int, widths: list[float] | None = None) -> None:
    ax.set_axis_off()  # type: ignore[attr-defined]
    shown = table.head(rows)
    if not shown:
        ax.text(0.0, 0.95, "Nothing to show for this selection.", fontsize=10, va="top")  # type: ignore[attr-defined]
        return
    width = max(8, 120 // max(1, len(table.columns)))  # header words wrap instead of running into each other
    labels = [textwrap.fill(shorten(c, 40), width=width) for c in table.columns]
    t = ax.table(  # type: ignore[attr-defined]
        cellText=[[shorten(c, 28) for c in r] for r in shown], colLabels=labels, loc="upper center", colWidths=widths
    )
    t.auto_set_font_size(False)
    t.set_fontsize(7.5)
    t.scale(1, 1.25)
    lines = max(label.count("\n") + 1 for label in labels)
    for (row, _col), cell in t.get_celld().items():
        if row == 0:
            cell.set_height(cell.get_height() * lines)


def chart_page(build: object, report: AuditReport, size: tuple[float, float]) -> tuple[Figure, Chart]:
    """One chart the full width of the page, its finding and, below, the table it was drawn from."""
    page = new_page(size, constrained=True)
    top, bottom = page.subfigures(2, 1, height_ratios=[1.15, 1.0])
    chart: Chart = build(report, into=top)  # type: ignore[operator]
    bottom.text(0.02, 0.98, textwrap.fill(chart.finding, width=100), fontsize=10, va="top")
    more = (
        f"First {TABLE_ROWS} of {chart.table.count} rows; the CSV has them all."
        if chart.table.count > TABLE_ROWS
        else ""
    )
    if more:
        bottom.text(0.02, 0.01, more, fontsize=8, color="#444444")
    ax = bottom.add_axes((0.02, 0.05, 0.96, 0.83))
    draw_table(ax, chart.table, TABLE_ROWS)
    return page, chart


def table_page(title: str, table: ChartTable, size: tuple[float, float], note: str = "") -> Figure:
    fig = new_page(size)
    fig.text(0.08, 0.95, title, fontsize=16, weight="bold")
    if note:
        fig.text(0.08, 0.925, textwrap.fill(note, width=100), fontsize=9, color="#444444", va="top")
    if len(table.rows) > 40:
        fig.text(0.08, 0.03, f"First 40 of {len(table.rows)} rows; the CSV files have them all.", fontsize=9)
    ax = fig.add_axes((0.05, 0.06, 0.9, 0.84))
    draw_table(ax, table, 40)
    return fig
