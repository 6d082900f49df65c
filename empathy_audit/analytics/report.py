"""The quarterly report: each chart as PNG/SVG, a multi-page PDF with a cover and a summary table,
and CSVs of the data behind every chart (safe to open in a spreadsheet)."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlite_utils
from matplotlib.backends.backend_pdf import PdfPages

from empathy_audit.analytics.audit import AuditFilter, AuditReport, build_report
from empathy_audit.analytics.chart_kit import ChartTable, clip_interval
from empathy_audit.analytics.charts import churn_band_chart, quadrant_chart, scatter_chart, trend_chart
from empathy_audit.analytics.facts import load_facts
from empathy_audit.analytics.methods import agreement_table, methods_page, reviewer_table
from empathy_audit.analytics.outcome_charts import high_value_chart, repeat_band_chart, speed_chart
from empathy_audit.analytics.outcome_tables import (
    comments_page,
    comments_table,
    compare_page,
    compare_table,
    graders_table,
)
from empathy_audit.analytics.report_pages import chart_page, findings_page, paper_size, selection_name, table_page
from empathy_audit.jobs import Report, no_report
from empathy_audit.store.audit import quarter_calls

FORMATS = ("png", "svg", "pdf", "csv")
_NUMBER = re.compile(r"^[-+]?\d+(\.\d+)?(%| s)?$")  # -3, +2.5%, +40 s: numbers, not formulas


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


def summary_table(report: AuditReport) -> ChartTable:
    def ci(g: Any) -> str:
        if g.score.low is None:
            return ""
        low, high = clip_interval(g.score.low, g.score.high, report.scale)
        return f"{low:.2f}–{high:.2f}"

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


def write_report(*args: Any, **kwargs: Any) -> ReportResult:
    """Write the quarter's report files (see _write_report), drawing while no other job draws."""
    from empathy_audit.analytics.chart_kit import DRAW_LOCK

    with DRAW_LOCK:
        return _write_report(*args, **kwargs)


def _write_report(
    db: sqlite_utils.Database,
    quarter: str,
    out_dir: Path,
    team: str | None = None,
    formats: tuple[str, ...] = FORMATS,
    report: Report = no_report,
    per_agent: int = 5,
    agent: str | None = None,
    paper: str | None = None,
    top_share: float | None = 0.25,
    compare: tuple[Any, Any] | None = None,
) -> ReportResult:
    """Write the quarter's report files (for a team and/or an agent) into `out_dir`; returns what was written.
    `top_share`: high-value customers are the top share of known values. `compare`: two compare.CallSet
    filters (A, B) whose comparison is added as `compare.csv` and a page."""
    out_dir.mkdir(parents=True, exist_ok=True)
    facts = load_facts(db)  # read once: the quarter, its trend and a comparison all work on it
    compared, comparison = None, None
    if compare is not None:  # first: a filter naming an unknown criterion stops the report before any file
        from empathy_audit.analytics.compare import compare as run_compare

        compared = run_compare(facts, *compare)
        comparison = compare_table(compared)
    flt = AuditFilter(quarter_from=quarter, quarter_to=quarter, team=team, agent=agent)
    current = build_report(db, flt, facts, top_share)
    history = build_report(db, AuditFilter(quarter_to=quarter, team=team, agent=agent), facts)  # the trend up to it
    plan = [
        (trend_chart, history), (scatter_chart, current), (churn_band_chart, current), (quadrant_chart, current),
        (repeat_band_chart, current), (speed_chart, current), (high_value_chart, current),
    ]  # fmt: skip
    charts = [build(source) for build, source in plan]
    parts = [p for p in (team, agent) if p]
    stem = f"empathy-audit-{quarter}" + "".join(f"-{re.sub(r'[^A-Za-z0-9]+', '-', p).strip('-')}" for p in parts)
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
    comments = comments_table(db, facts, flt)
    graders = graders_table(db, quarter)
    reviewers = reviewer_table(db, quarter, team, agent)
    agreement, agreement_note = agreement_table(db, quarter)
    if "csv" in formats:
        tables = (
            ("calls", calls_table(db, quarter, team, agent)),
            ("summary", summary),
            ("quiet-churners", _quiet_table(current)),
            ("reviewers", reviewers),
            ("agreement", agreement),
            ("comments", comments),
            ("graders", graders),
            *((("compare", comparison),) if comparison is not None else ()),
        )
        for name, table in tables:
            path = out_dir / f"{stem}-{name}.csv"
            write_csv(path, table)
            result.files.append(path)
    if "pdf" in formats:
        report(len(charts) / (len(charts) + 1), "Writing the PDF")
        path = out_dir / f"{stem}.pdf"
        size = paper_size(paper)
        with PdfPages(path) as pdf:
            pdf.savefig(findings_page(selection_name(quarter, team, agent), current, charts, size))
            for (build, source), chart in zip(plan, charts, strict=True):
                if chart.message is None:  # too little data: the findings page says so instead of an empty page
                    pdf.savefig(chart_page(build, source, size)[0])
            note = "Means with 95% confidence intervals; calls flagged as not empathy-first are left out."
            pdf.savefig(table_page("Summary by team and agent", summary, size, note))
            if current.quiet_churners:
                title = "Quiet churners: satisfied (CSAT 4–5) but churned"
                pdf.savefig(table_page(title, _quiet_table(current), size))
            if comments.count:
                pdf.savefig(comments_page(comments, size))
            if compared is not None:
                pdf.savefig(compare_page(compared, size))
            if graders.count:
                note = (
                    "Audit reviews submitted in the quarter. Minutes: active time in Review (idle over a minute not "
                    "counted). Overturn rate: disputes accepted or partly accepted of those decided. Leniency: mean "
                    "difference from gold or consensus in the latest calibration session (+ lenient, − severe)."
                )
                pdf.savefig(table_page("Grading the graders", graders, size, note))
            pdf.savefig(methods_page(quarter, current, reviewers, agreement, agreement_note, per_agent, size))
        result.files.append(path)
    report(1.0, "Report written")
    return result


def calls_table(
    db: sqlite_utils.Database, quarter: str, team: str | None = None, agent: str | None = None
) -> ChartTable:
    """Every reviewed call of the quarter with its one audit score (the Library's and the dashboard's)."""
    rows = [
        [cid, name, agent or "", tm or "", q, round(score, 4), len(reviewers.split("\x1f")) if reviewers else 0,
         "" if csat is None else round(csat, 4), "" if churned is None else int(churned), "no" if flagged else "yes"]
        for cid, name, agent, tm, q, score, reviewers, csat, churned, flagged in quarter_calls(db, quarter, team, agent)
    ]  # fmt: skip
    columns = ["call_id", "original_name", "agent", "team", "quarter", "score", "reviewers", "csat", "churned"]
    return ChartTable([*columns, "empathy_first_applies"], rows)


def _quiet_table(report: AuditReport) -> ChartTable:
    return ChartTable(
        ["Call", "Agent", "Team", "Quarter", f"Audit score (0–{report.scale:g})", "CSAT"],
        [
            [f.name, f.agent or "", f.team or "", f.quarter or "", f"{f.score:.2f}", f.csat_shown]
            for f in report.quiet_churners
        ],
    )
