"""The report's methods page: sample size, sampling plan, reviewers and how far they agree."""

from __future__ import annotations

import textwrap

import sqlite_utils
from matplotlib.figure import Figure

from empathy_audit.analytics.audit import AuditReport
from empathy_audit.analytics.chart_kit import ChartTable, shorten
from empathy_audit.quarters import quarter_of
from empathy_audit.store.audit import reviewer_counts
from empathy_audit.wording import plural

SAMPLING_PLAN = (
    "The review queue offered {per_agent} random transcribed calls per agent per quarter (a fixed draw per agent "
    "and quarter), plus every call flagged for attention: a second contact from the same customer within 24 hours, "
    "CSAT of 2 or below, or CSAT 4–5 from a customer who churned. Calls marked as not empathy-first "
    "(transactional, compliance, abusive, crisis) are counted apart."
)


def reviewer_table(db: sqlite_utils.Database, quarter: str, team: str | None, agent: str | None = None) -> ChartTable:
    rows = reviewer_counts(db, quarter, team, agent)
    return ChartTable(["Reviewer", "Calls reviewed"], [list(r) for r in rows])


def agreement_table(db: sqlite_utils.Database, quarter: str) -> tuple[ChartTable, str]:
    """Overall agreement of the quarter's calibration sessions (or the latest before it), and a sentence."""
    from empathy_audit.calibration.report import calibration_report
    from empathy_audit.store.calibration import list_sets

    sets = [s for s in list_sets(db) if not s.blind]  # a participant's copy is not the team's result
    chosen = [s for s in sets if quarter_of(s.created_at) == quarter]
    note = f"Calibration sessions held in {quarter}."
    if not chosen:
        earlier = [s for s in sets if (quarter_of(s.created_at) or "") < quarter]
        chosen = earlier[-1:]
        note = (
            f"No calibration session was held in {quarter}; the latest before it is shown."
            if chosen
            else "No calibration session has been held: how far reviewers agree is not known."
        )
    rows = []
    for cset in chosen:
        report = calibration_report(db, cset, with_drift=False)
        overall = report.agreement[-1]
        rows.append(
            [
                cset.name,
                ", ".join(report.reviewers),
                report.calls,
                "" if overall.alpha is None else f"{overall.alpha:.2f}",
                "" if overall.exact is None else f"{overall.exact * 100:.0f}%",
                "" if overall.adjacent is None else f"{overall.adjacent * 100:.0f}%",
                overall.n_pairs,
            ]
        )
    columns = ["Session", "Reviewers", "Calls", "Alpha (ordinal)", "Exact", "Within ±1", "Rater pairs"]
    return ChartTable(columns, rows), note


def methods_page(
    quarter: str,
    report: AuditReport,
    reviewers: ChartTable,
    agreement: ChartTable,
    note: str,
    per_agent: int,
    size: tuple[float, float] = (8.27, 11.69),
) -> Figure:
    fig = Figure(figsize=size)
    fig.text(0.08, 0.94, "Methods", fontsize=16, weight="bold")
    lines = [
        f"Sample: {plural(report.n, 'reviewed call')} in {quarter}"
        + (f", plus {len(report.flagged_table)} not empathy-first, kept apart." if len(report.flagged_table) else "."),
        f"A call's score is the mean of its reviewers' latest submitted reviews (0–{report.scale:g}; N/A left out;",
        "a critical criterion scored 0 fails the call). Calibration reviews are not counted in the audit.",
    ]
    for i, line in enumerate(lines):
        fig.text(0.08, 0.9 - i * 0.022, line, fontsize=10)
    plan = textwrap.fill(SAMPLING_PLAN.format(per_agent=per_agent), width=100)  # inside the page margins
    fig.text(0.08, 0.83, plan, fontsize=10, va="top", linespacing=1.5)
    for top, title, table, caption in (
        (0.7, "Reviewers", reviewers, ""),
        (0.42, "Agreement between reviewers", agreement, note),
    ):
        fig.text(0.08, top, title, fontsize=13, weight="bold")
        if caption:
            fig.text(0.08, top - 0.022, caption, fontsize=9, color="#444444")
        ax = fig.add_axes((0.06, top - 0.25, 0.88, 0.22))
        ax.set_axis_off()
        if table.rows:
            t = ax.table(
                cellText=[[shorten(c) for c in r] for r in table.rows[:12]], colLabels=table.columns, loc="upper center"
            )
            t.auto_set_font_size(False)
            t.set_fontsize(8)
            t.scale(1, 1.3)
        else:
            ax.text(0.0, 0.9, "None.", fontsize=10)
    return fig
