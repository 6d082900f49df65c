"""The audit charts: criteria by quarter, audit against CSAT, churn by band, and the CSAT × audit quadrant.

One module builds them for the dashboard, the CLI report and the PDF, so they always agree. A chart with
too little data says so instead. Each can draw on a figure of its own or on part of a report page.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from empathy_audit.analytics.audit import HIGH_CSAT, AuditReport
from empathy_audit.analytics.chart_kit import (
    DENSITY_ABOVE,
    LABELS,
    PALETTE,
    Canvas,
    Chart,
    ChartTable,
    clip_interval,
    format_p,
    message_canvas,
    new_canvas,
    num,
    pct,
    plural,
    wrap_label,
)


def trend_chart(report: AuditReport, into: Canvas | None = None) -> Chart:
    title = "Criteria by quarter (mean, 95% CI)"
    quarters = [g for g in report.by_quarter if g.group != "(none)"]
    keys = sorted({k for g in quarters for k in g.criteria}, key=lambda k: list(LABELS).index(k) if k in LABELS else 99)
    table = ChartTable(
        [
            "Quarter",
            "Calls",
            "Score mean",
            *[f"{LABELS.get(k, k)} mean" for k in keys],
            *[f"{LABELS.get(k, k)} 95% CI" for k in keys],
        ],
        [
            [
                g.group,
                g.n,
                num(g.score.mean),
                *[num(g.criteria[k].mean) if k in g.criteria else "" for k in keys],
                *[
                    f"{num(g.criteria[k].low)}–{num(g.criteria[k].high)}"
                    if k in g.criteria and g.criteria[k].low is not None
                    else ""
                    for k in keys
                ],
            ]
            for g in quarters
        ],
    )
    message = report.too_little(report.n)
    if message:
        return Chart("trend", title, message_canvas(title, message, into), table, message)
    fig = new_canvas(into, left=1.2)  # room for "3 exemplary"
    ax = fig.add_subplot()
    x = np.arange(len(quarters))
    width = 0.8 / max(1, len(keys))
    for i, key in enumerate(keys):
        means = [g.criteria[key].mean if key in g.criteria else np.nan for g in quarters]
        # Intervals stay on the scale: a mean of scores from 0 to 3 is never below 0 or above 3.
        bounds = [
            clip_interval(g.criteria[key].low, g.criteria[key].high, report.scale)
            if key in g.criteria and g.criteria[key].low is not None
            else (m, m)
            for g, m in zip(quarters, means, strict=True)
        ]
        lows, highs = [b[0] for b in bounds], [b[1] for b in bounds]
        errors = np.array([np.subtract(means, lows), np.subtract(highs, means)])
        offset = (i - (len(keys) - 1) / 2) * width * 0.35
        ax.errorbar(
            x + offset,
            means,
            yerr=np.clip(errors, 0, None),
            marker="o",
            capsize=4,
            color=PALETTE[i % len(PALETTE)],
            label=LABELS.get(key, key),
            linewidth=2,
        )
    ax.set_xticks(x, [g.group for g in quarters])
    scale = report.scale
    ax.set_ylim(0, scale * 1.017)
    if scale == 3:
        ax.set_yticks([0, 1, 2, 3], ["0 absent", "1 scripted", "2 genuine", "3 exemplary"])
    ax.set_xlabel("Quarter")
    ax.set_ylabel(f"Mean score (0–{scale:g})")
    ax.set_title(title, fontsize=13, loc="left")
    ax.grid(axis="y", alpha=0.3)
    fig.legend(loc="outside lower center", ncols=len(keys), frameon=False)  # never on top of the error bars
    return Chart("trend", title, fig, table, finding=_trend_finding(quarters, keys, scale))


def _trend_finding(quarters: list, keys: list[str], scale: float) -> str:
    if not quarters:
        return ""
    last = quarters[-1]
    ranked = sorted(
        (last.criteria[k].mean, k) for k in keys if k in last.criteria and last.criteria[k].mean is not None
    )
    if not ranked:
        return ""
    low, high = ranked[0], ranked[-1]
    return (
        f"In {last.group}, {LABELS.get(high[1], high[1])} scored highest ({high[0]:.2f} of {scale:g}) and "
        f"{LABELS.get(low[1], low[1])} lowest ({low[0]:.2f})."
    )


def scatter_points(report: AuditReport) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """(CSAT %, audit score, call ids) of the calls with a CSAT, as drawn in the scatter."""
    t = report.table
    known = ~np.isnan(t.csat)
    return t.csat[known] * 100, t.score[known], t.call_id[known].tolist()


def scatter_chart(report: AuditReport, into: Canvas | None = None) -> Chart:
    title = "Audit score against CSAT"
    t = report.table
    known = np.flatnonzero(~np.isnan(t.csat))
    churn_text = {None: "", True: "yes", False: "no"}

    def rows(limit: int | None) -> list[list[Any]]:
        return [
            [
                f.name,
                f.agent or "",
                f.team or "",
                f.quarter or "",
                round(f.score, 2),
                f.percent,
                f.csat_shown,
                round((f.csat or 0) * 100),
                churn_text[f.churned],
            ]
            for f in t.facts(known[:limit])
        ]

    table = ChartTable(
        [
            "Call",
            "Agent",
            "Team",
            "Quarter",
            f"Audit score (0–{report.scale:g})",
            "Audit %",
            "CSAT",
            "CSAT (% of scale)",
            "Churned",
        ],
        make=rows,
        count=len(known),
    )
    message = report.too_little(len(known), "reviewed call with a CSAT", "reviewed calls with a CSAT")
    if message:
        return Chart("scatter", title, message_canvas(title, message, into), table, message)
    x, y, _ids = scatter_points(report)
    fig = new_canvas(into)
    ax = fig.add_subplot()
    churned = t.churned[known] == 1.0
    if len(x) > DENSITY_ABOVE:
        # Tens of thousands of points: a density of calls reads better and draws far faster.
        hexes = ax.hexbin(x, y, gridsize=40, cmap="Blues", mincnt=1, extent=(0, 100, 0, report.scale), linewidths=0)
        fig.colorbar(hexes, ax=ax, label="Calls", pad=0.01)
        ax.plot([], [], "s", color="#6baed6", label=f"Density of {len(x)} calls")
    else:
        ax.plot(x[~churned], y[~churned], "o", ms=5.5, alpha=0.7, color=PALETTE[0], label="Stayed or unknown")
        ax.plot(x[churned], y[churned], "^", ms=6.5, alpha=0.85, color=PALETTE[5], label="Churned")
    if np.ptp(x) > 0:
        slope, intercept = np.polyfit(x, y, 1)
        xs = np.linspace(x.min(), x.max(), 50)
        ax.plot(xs, slope * xs + intercept, color="#444444", linewidth=1.5, label="Trend (least squares)")
    c = report.correlation
    if c.rho is not None:
        ax.text(
            0.01,
            0.98,
            f"Spearman ρ = {c.rho:.2f}, {format_p(c.p_value)}, n = {c.n}",
            transform=ax.transAxes,
            va="top",
            fontsize=10,
        )
    ax.set_xlim(-3, 103)
    ax.set_ylim(-0.1, report.scale + 0.1)
    ax.set_xlabel("CSAT (% of scale)")
    ax.set_ylabel(f"Audit score (0–{report.scale:g})")
    ax.set_title(title, fontsize=13, loc="left")
    ax.grid(alpha=0.3)
    fig.legend(loc="outside lower center", ncols=3, frameon=False, fontsize=9)
    return Chart("scatter", title, fig, table, finding=_scatter_finding(report))


def _scatter_finding(report: AuditReport) -> str:
    c = report.correlation
    if c.rho is None:
        return ""
    size = abs(c.rho)
    strength = "hardly" if size < 0.1 else "weakly" if size < 0.3 else "moderately" if size < 0.5 else "strongly"
    direction = "" if size < 0.1 else (" (more empathy, higher CSAT)" if c.rho > 0 else " (more empathy, lower CSAT)")
    return (
        f"Audit scores and CSAT are {strength} related{direction}: Spearman ρ = {c.rho:.2f}, {format_p(c.p_value)}, "
        f"n = {c.n}."
    )


def churn_band_chart(report: AuditReport, into: Canvas | None = None) -> Chart:
    title = "Churn rate by audit-score band"
    table = ChartTable(
        [f"Audit band (0–{report.scale:g})", "Calls with churn known", "Churned", "Churn rate"],
        [[b.band, b.n, b.churned, pct(b.churn_rate)] for b in report.bands],
    )
    known = sum(b.n for b in report.bands)
    message = report.too_little(known)
    if message:
        return Chart("churn_bands", title, message_canvas(title, message, into), table, message)
    fig = new_canvas(into)
    ax = fig.add_subplot()
    rates = [(b.churn_rate or 0) * 100 for b in report.bands]
    bars = ax.bar([wrap_label(b.band) for b in report.bands], rates, color=PALETTE[5], alpha=0.85)
    for bar, band in zip(bars, report.bands, strict=True):
        label = f"{pct(band.churn_rate)}\n(n = {band.n})" if band.n else "no calls"
        ax.annotate(
            label,
            (bar.get_x() + bar.get_width() / 2, bar.get_height()),
            ha="center",
            va="bottom",
            fontsize=9,
            xytext=(0, 3),
            textcoords="offset points",
        )
    ax.set_ylim(0, max(10, max(rates) * 1.3))
    ax.set_xlabel("Audit score band")
    ax.set_ylabel("Customers who churned (%)")
    ax.set_title(title, fontsize=13, loc="left")
    ax.grid(axis="y", alpha=0.3)
    return Chart("churn_bands", title, fig, table, finding=_band_finding(report))


def _band_finding(report: AuditReport) -> str:
    known = [b for b in report.bands if b.n]
    if len(known) < 2:
        return ""
    low, high = known[0], known[-1]

    def named(band: str) -> str:  # "0–1 absent" -> "0–1 (absent)"
        scores, _, name = band.partition(" ")
        return f"{scores} ({name})" if name else scores

    return (
        f"Customers whose call scored {named(low.band)} churned at {pct(low.churn_rate)} ({plural(low.n, 'call')}); "
        f"those whose call scored {named(high.band)}, at {pct(high.churn_rate)} ({plural(high.n, 'call')})."
    )


def quadrant_chart(report: AuditReport, into: Canvas | None = None) -> Chart:
    title = "The empathy gap: CSAT × audit"
    table = ChartTable(
        ["CSAT", "Audit", "Calls", "Churned", "Churn rate"],
        [[q.csat, q.audit, q.n, q.churned, pct(q.churn_rate)] for q in report.quadrant],
    )
    known = sum(q.n for q in report.quadrant)
    message = report.too_little(known)
    if message:
        return Chart("quadrant", title, message_canvas(title, message, into), table, message)
    fig = new_canvas(into, left=1.35)  # room for "CSAT ≥ 75%" and its axis label
    ax = fig.add_subplot()
    cells = {(q.csat, q.audit): q for q in report.quadrant}
    names = {
        ("high", "low"): "Empathy gap\n(satisfied, low empathy)",
        ("high", "high"): "Healthy",
        ("low", "low"): "Struggling",
        ("low", "high"): "Fix the process\n(empathy high, CSAT low)",
    }
    for (csat, audit), q in cells.items():
        col = 1 if audit == "high" else 0
        row = 1 if csat == "high" else 0
        rate = q.churn_rate or 0
        ax.add_patch(_rect(col, row, rate))
        ax.text(col + 0.5, row + 0.62, names[(csat, audit)], ha="center", va="center", fontsize=9, weight="bold")
        ax.text(
            col + 0.5,
            row + 0.32,
            f"{q.n} calls · churn {pct(q.churn_rate) or '–'}",
            ha="center",
            va="center",
            fontsize=9,
        )
    ax.set_xlim(0, 2)
    ax.set_ylim(0, 2)
    ax.set_xticks([0.5, 1.5], [f"Audit < {report.high_audit:.3g}", f"Audit ≥ {report.high_audit:.3g}"])
    ax.set_yticks([0.5, 1.5], [f"CSAT < {HIGH_CSAT:.0%}", f"CSAT ≥ {HIGH_CSAT:.0%}"])
    ax.set_xlabel(f"Audit score (0–{report.scale:g}) · shade: churn rate")
    ax.set_ylabel("CSAT (% of scale)")
    ax.set_title(title, fontsize=13, loc="left")
    gap = cells.get(("high", "low"))
    finding = (
        f"{plural(gap.n, 'call')} left customers satisfied with little empathy (the empathy gap); they churned at "
        f"{pct(gap.churn_rate) or '–'}."
        if gap is not None and gap.n
        else ""
    )
    return Chart("quadrant", title, fig, table, finding=finding)


def _rect(col: int, row: int, rate: float) -> Any:
    from matplotlib.patches import Rectangle

    return Rectangle((col + 0.02, row + 0.02), 0.96, 0.96, color=PALETTE[5], alpha=0.1 + 0.6 * rate, linewidth=0)


def all_charts(report: AuditReport) -> list[Chart]:
    from empathy_audit.analytics.outcome_charts import high_value_chart, repeat_band_chart, speed_chart

    return [
        trend_chart(report), scatter_chart(report), churn_band_chart(report), quadrant_chart(report),
        repeat_band_chart(report), speed_chart(report), high_value_chart(report),
    ]  # fmt: skip


AUDIT_CHARTS = (trend_chart, scatter_chart, churn_band_chart, quadrant_chart)
