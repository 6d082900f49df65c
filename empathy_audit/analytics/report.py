"""The quarterly report: each chart as PNG/SVG, a multi-page PDF with a cover and a summary table,
and CSVs of the data behind every chart (safe to open in a spreadsheet)."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import sqlite_utils
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from empathy_audit.analytics.audit import AuditFilter, AuditReport, build_report
from empathy_audit.analytics.charts import ChartTable, all_charts, shorten, trend_chart
from empathy_audit.analytics.methods import agreement_table, methods_page, reviewer_table
from empathy_audit.jobs import Report, no_report
from empathy_audit.store.audit import quarter_calls

FORMATS = ("png", "svg", "pdf", "csv")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?%?$")


def safe_cell(value: Any) -> Any:
    """Neutralise spreadsheet formulas: text starting with = + - @ (or a tab/CR) gets a leading quote."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r") and not _NUMBER.match(value):
        return "'" + value
    return value


def write_csv(path: Path, table: ChartTable) -> None:
    with path.open("w", newline="", encoding="utf-8-sig") as f:
        writer = csv.writer(f)
        writer.writerow([safe_cell(c) for c in table.columns])
        for row in table.rows:
            writer.writerow([safe_cell(c) for c in row])


@dataclass
class ReportResult:
    files: list[Path] = field(default_factory=list)
    calls: int = 0
    reviewers: list[str] = field(default_factory=list)


def _cover(quarter: str, team: str | None, report: AuditReport) -> Figure:
    fig = Figure(figsize=(8.27, 11.69))
    fig.text(0.1, 0.82, "Quarterly empathy audit", fontsize=26, weight="bold")
    fig.text(0.1, 0.77, f"{quarter} · {shorten(team) if team else 'All teams'}", fontsize=16)
    lines = [
        f"Calls reviewed: {report.n}"
        + (
            f" (plus {len(report.flagged_table)} where empathy-first did not apply, kept apart)"
            if len(report.flagged_table)
            else ""
        ),
        f"Reviewers: {', '.join(shorten(r) for r in report.reviewers) or 'none'}",
        f"Calls with CSAT: {report.n_csat}; with churn known: {report.n_churn}",
        f"Quiet churners (CSAT 4–5 but churned): {len(report.quiet_churners)}",
        f"Generated {date.today().isoformat()} by Empathy Audit",
    ]
    for i, line in enumerate(lines):
        fig.text(0.1, 0.66 - i * 0.04, line, fontsize=12)
    return fig


def summary_table(report: AuditReport) -> ChartTable:
    def ci(g: Any) -> str:
        return f"{g.score.low:.2f}–{g.score.high:.2f}" if g.score.low is not None else ""

    rows = [
        [
            g.group,
            g.n,
            f"{g.score.mean:.2f}",
            ci(g),
            "" if g.csat_mean is None else f"{g.csat_mean * 100:.0f}%",
            "" if g.churn_rate is None else f"{g.churn_rate * 100:.0f}%",
            "" if g.repeat_rate is None else f"{g.repeat_rate * 100:.0f}%",
        ]
        for g in report.by_team + report.by_agent
    ]
    return ChartTable(
        [
            "Team or agent",
            "Calls",
            f"Score (0–{report.scale:g})",
            "95% CI",
            "CSAT mean",
            "Churn rate",
            "Repeat contact",
        ],
        rows,
    )


def _table_page(title: str, table: ChartTable, note: str = "") -> Figure:
    fig = Figure(figsize=(8.27, 11.69))
    fig.text(0.08, 0.94, title, fontsize=16, weight="bold")
    if note:
        fig.text(0.08, 0.915, note, fontsize=9, color="#444444")
    ax = fig.add_axes((0.05, 0.05, 0.9, 0.85))
    ax.set_axis_off()
    if table.rows:
        shown = table.rows[:40]
        if len(table.rows) > 40:
            fig.text(
                0.08,
                0.03,
                f"First 40 of {len(table.rows)} rows; the CSV files have them all.",
                fontsize=9,
                color="#444444",
            )
        t = ax.table(cellText=[[shorten(c) for c in r] for r in shown], colLabels=table.columns, loc="upper center")
        t.auto_set_font_size(False)
        t.set_fontsize(8)
        t.scale(1, 1.3)
    else:
        ax.text(0.5, 0.9, "Nothing to show for this selection.", ha="center", fontsize=11)
    return fig


def write_report(
    db: sqlite_utils.Database,
    quarter: str,
    out_dir: Path,
    team: str | None = None,
    formats: tuple[str, ...] = FORMATS,
    report: Report = no_report,
    per_agent: int = 5,
) -> ReportResult:
    """Write the quarter's report files into `out_dir`; returns what was written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    current = build_report(db, AuditFilter(quarter_from=quarter, quarter_to=quarter, team=team))
    history = build_report(db, AuditFilter(quarter_to=quarter, team=team))
    charts = [trend_chart(history), *all_charts(current)[1:]]
    stem = f"empathy-audit-{quarter}" + (f"-{re.sub(r'[^A-Za-z0-9]+', '-', team).strip('-')}" if team else "")
    result = ReportResult(calls=current.n, reviewers=current.reviewers)
    for i, chart in enumerate(charts):
        report(i / (len(charts) + 1), f"Drawing {chart.title}")
        for fmt in ("png", "svg"):
            if fmt in formats:
                path = out_dir / f"{stem}-{chart.key}.{fmt}"
                chart.figure.savefig(path, dpi=150 if fmt == "png" else None)
                result.files.append(path)
        if "csv" in formats:
            path = out_dir / f"{stem}-{chart.key}.csv"
            write_csv(path, chart.table)
            result.files.append(path)
    summary = summary_table(current)
    reviewers = reviewer_table(db, quarter, team)
    agreement, agreement_note = agreement_table(db, quarter)
    if "csv" in formats:
        tables = (
            ("calls", calls_table(db, quarter, team)),
            ("summary", summary),
            ("quiet-churners", _quiet_table(current)),
            ("reviewers", reviewers),
            ("agreement", agreement),
        )
        for name, table in tables:
            path = out_dir / f"{stem}-{name}.csv"
            write_csv(path, table)
            result.files.append(path)
    if "pdf" in formats:
        report(len(charts) / (len(charts) + 1), "Writing the PDF")
        path = out_dir / f"{stem}.pdf"
        with PdfPages(path) as pdf:
            pdf.savefig(_cover(quarter, team, current))
            pdf.savefig(
                _table_page(
                    "Summary by team and agent",
                    summary,
                    "Means with 95% confidence intervals; calls flagged as not empathy-first are left out.",
                )
            )
            for chart in charts:
                pdf.savefig(chart.figure)
            pdf.savefig(_table_page("Quiet churners: satisfied (CSAT 4–5) but churned", _quiet_table(current)))
            pdf.savefig(methods_page(quarter, current, reviewers, agreement, agreement_note, per_agent))
        result.files.append(path)
    report(1.0, "Report written")
    return result


def calls_table(db: sqlite_utils.Database, quarter: str, team: str | None = None) -> ChartTable:
    """Every reviewed call of the quarter with its one audit score (the Library's and the dashboard's)."""
    rows = [
        [cid, name, agent or "", tm or "", q, round(score, 4), len(reviewers.split("\x1f")) if reviewers else 0,
         "" if csat is None else round(csat, 4), "" if churned is None else int(churned), "no" if flagged else "yes"]
        for cid, name, agent, tm, q, score, reviewers, csat, churned, flagged in quarter_calls(db, quarter, team)
    ]  # fmt: skip
    columns = ["call_id", "original_name", "agent", "team", "quarter", "score", "reviewers", "csat", "churned"]
    return ChartTable([*columns, "empathy_first_applies"], rows)


def _quiet_table(report: AuditReport) -> ChartTable:
    return ChartTable(
        ["Call", "Agent", "Team", "Quarter", f"Audit score (0–{report.scale:g})", "CSAT"],
        [
            [f.name, f.agent or "", f.team or "", f.quarter or "", f"{f.score:.2f}", f.csat_raw or ""]
            for f in report.quiet_churners
        ],
    )
