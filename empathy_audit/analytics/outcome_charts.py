"""The outcome charts: repeat contacts by audit band, speed vs empathy (handle time against score) and churn
among high-value customers by band.
Built like the audit charts (charts.py): a figure or part of a page, the table behind it, a finding."""

from __future__ import annotations

import numpy as np

from empathy_audit.analytics.audit import MIN_CALLS, AuditReport
from empathy_audit.analytics.chart_kit import (
    PALETTE,
    Canvas,
    Chart,
    ChartTable,
    message_canvas,
    new_canvas,
    num,
    pct,
    plural,
    wrap_label,
)
from empathy_audit.analytics.high_value import HighValueChurn, high_value_finding
from empathy_audit.analytics.outcome_stats import SpeedVsEmpathy

SCATTER_MAX = 4_000  # points drawn; the table and the CSV keep every agent, the figures use every call


def _ci(low: float | None, high: float | None) -> str:
    return "" if low is None or high is None else f"{pct(low)}–{pct(high)}"


def repeat_table(report: AuditReport) -> ChartTable:
    return ChartTable(
        [f"Audit band (0–{report.scale:g})", "Reviewed calls", "Customer and start known", "Again within 24 h",
         "Rate 24 h", "95% CI 24 h", "Again within 7 days", "Rate 7 days", "95% CI 7 days"],
        [[b.band, b.calls, b.known, b.within_day, pct(b.day_rate), _ci(b.day_low, b.day_high), b.within_week,
          pct(b.week_rate), _ci(b.week_low, b.week_high)] for b in report.repeat_bands],
    )  # fmt: skip


def repeat_band_chart(report: AuditReport, into: Canvas | None = None) -> Chart:
    title = "Repeat contacts by audit-score band"
    table = repeat_table(report)
    known = sum(b.known for b in report.repeat_bands)
    if known < MIN_CALLS:
        message = (
            f"Too little data: {plural(known, 'reviewed call')} with a customer id and a start time (at least "
            f"{MIN_CALLS} needed). Give calls a customer id (Edit Details, or a metadata CSV) to see repeat contacts."
        )
        return Chart("repeat_contacts", title, message_canvas(title, message, into), table, message)
    fig = new_canvas(into)
    ax = fig.add_subplot()
    x = np.arange(len(report.repeat_bands))
    for offset, (label, rate, low, high, colour) in enumerate(
        [("within 24 hours", "day_rate", "day_low", "day_high", PALETTE[1]),
         ("within 7 days", "week_rate", "week_low", "week_high", PALETTE[5])]
    ):  # fmt: skip
        rates, lows, highs = (_column(report.repeat_bands, name) for name in (rate, low, high))
        pos = x + (offset - 0.5) * 0.38
        ax.bar(pos, np.nan_to_num(rates) * 100, 0.36, color=colour, alpha=0.85, label=f"Contacted again {label}")
        err = np.vstack([rates - lows, highs - rates]) * 100
        ax.errorbar(pos, rates * 100, yerr=err, fmt="none", ecolor="#333333", capsize=3, linewidth=1)
    ax.set_xticks(
        x,
        [f"{wrap_label(b.band)}\nn = {b.known}" + ("" if b.week_rate is not None else ", too few")
         for b in report.repeat_bands],
    )  # fmt: skip
    tops = [b.week_high for b in report.repeat_bands if b.week_high is not None]
    ax.set_ylim(0, min(100, max(10, max(tops, default=0) * 100 * 1.3)))  # small rates stay visible
    ax.set_ylabel("Contacted again (%)")
    ax.set_xlabel("Audit score band (95% Wilson intervals)")
    ax.set_title(title, fontsize=13, loc="left")
    ax.legend(loc="upper right", fontsize=9, frameon=False)
    ax.grid(axis="y", alpha=0.3)
    return Chart("repeat_contacts", title, fig, table, finding=_repeat_finding(report))


def _column(bands: list, name: str) -> np.ndarray:
    """One field of every band as an array, NaN where there is too little data."""
    return np.array([np.nan if getattr(b, name) is None else getattr(b, name) for b in bands], float)


def _repeat_finding(report: AuditReport) -> str:
    rated = [b for b in report.repeat_bands if b.week_rate is not None]
    if len(rated) < 2:
        return ""
    low, high = rated[0], rated[-1]
    return (
        f"Customers whose call scored {low.band} contacted again within 7 days after {pct(low.week_rate)} of calls "
        f"({_ci(low.week_low, low.week_high)}); after calls scoring {high.band}, {pct(high.week_rate)} "
        f"({_ci(high.week_low, high.week_high)})."
    )


def speed_table(speed: SpeedVsEmpathy) -> ChartTable:
    return ChartTable(
        ["Agent", "Reviewed calls", "Median handle time (s)", "Mean audit score"],
        [[a.agent, a.calls, round(a.median_handle_s), num(a.mean_score)] for a in speed.agents],
    )


def speed_chart(report: AuditReport, into: Canvas | None = None) -> Chart:
    title = "Speed vs empathy"
    speed: SpeedVsEmpathy = report.speed
    table = speed_table(speed)
    if speed.calls < MIN_CALLS:
        message = report.too_little(
            speed.calls, "reviewed call with a known duration", "reviewed calls with a known duration"
        )
        return Chart("speed_vs_empathy", title, message_canvas(title, message or "", into), table, message)
    fig = new_canvas(into)
    ax = fig.add_subplot()
    points = _scatter_points(report)
    if points is not None:
        scores, minutes, shown = points
        ax.scatter(minutes, scores, s=9, color=PALETTE[0], alpha=0.35, linewidths=0,
                   label=f"Calls ({shown:,} shown)" if shown < speed.calls else "Calls")  # fmt: skip
    if speed.agents:
        ax.scatter([a.median_handle_s / 60 for a in speed.agents], [a.mean_score for a in speed.agents], s=60,
                   color=PALETTE[5], edgecolors="white", linewidths=1, label="Agents: median time, mean score",
                   zorder=3)  # fmt: skip
    ax.axhline(report.high_audit, color="#777777", linewidth=0.8, linestyle="--")
    ax.set_ylim(0, report.scale)
    source = (
        f" (from the export for {speed.imported:,} calls, the recording's length for the rest)"
        if 0 < speed.imported < speed.calls
        else " (from the export)"
        if speed.imported
        else " (the recording's length)"
    )
    ax.set_xlabel("Handle time, minutes" + source)
    ax.set_ylabel(f"Audit score (0–{report.scale:g})")
    ax.set_title(title, fontsize=13, loc="left")
    fig.legend(loc="outside lower center", ncols=2, fontsize=9, frameon=False)  # off the points
    ax.grid(alpha=0.3)
    return Chart("speed_vs_empathy", title, fig, table, finding=speed.sentence)


def _scatter_points(report: AuditReport) -> tuple[np.ndarray, np.ndarray, int] | None:
    handle = getattr(report.speed, "handle_s", None)
    if handle is None:
        return None
    keep = ~np.isnan(handle) & ~report.table.flagged
    scores, minutes = report.table.score[keep], handle[keep] / 60
    if len(scores) > SCATTER_MAX:  # the same sample every time: a fixed seed
        pick = np.random.default_rng(0).choice(len(scores), SCATTER_MAX, replace=False)
        scores, minutes = scores[pick], minutes[pick]
    return scores, minutes, len(scores)


def high_value_table(h: HighValueChurn) -> ChartTable:
    return ChartTable(
        ["Audit band", "High-value calls (churn known)", "Churned", "Churn rate", "95% CI", "Other calls",
         "Other churn rate"],
        [[b.band, b.high_n, b.high_churned, pct(b.rate), _ci(b.low, b.high), b.other_n, pct(b.other_rate)]
         for b in h.bands],
    )  # fmt: skip


def high_value_chart(report: AuditReport, into: Canvas | None = None) -> Chart:
    h: HighValueChurn = report.high_value
    title = "Churn among high-value customers by audit band"
    table = high_value_table(h)
    if h.message:
        return Chart("high_value_churn", title, message_canvas(title, h.message, into), table, h.message)
    fig = new_canvas(into)
    ax = fig.add_subplot()
    x = np.arange(len(h.bands))
    rates, lows, highs, others = (_column(h.bands, name) for name in ("rate", "low", "high", "other_rate"))
    ax.bar(x - 0.19, np.nan_to_num(rates) * 100, 0.36, color=PALETTE[5], alpha=0.85, label="High-value customers")
    ax.errorbar(x - 0.19, rates * 100, yerr=np.vstack([rates - lows, highs - rates]) * 100, fmt="none",
                ecolor="#333333", capsize=3, linewidth=1)  # fmt: skip
    ax.bar(x + 0.19, np.nan_to_num(others) * 100, 0.36, color="#BBBBBB", label="Everyone else")
    ax.set_xticks(
        x, [f"{wrap_label(b.band)}\nn = {b.high_n}" + ("" if b.rate is not None else ", too few") for b in h.bands]
    )
    tops = [v for v in [*highs, *others] if not np.isnan(v)]
    ax.set_ylim(0, min(100, max(10, max(tops, default=0) * 100 * 1.25)))
    ax.set_ylabel("Churned (%)")
    ax.set_xlabel(h.threshold_text, fontsize=9)
    ax.set_title(title, fontsize=13, loc="left")
    ax.legend(loc="upper right", fontsize=9, frameon=False)
    ax.grid(axis="y", alpha=0.3)
    return Chart("high_value_churn", title, fig, table, finding=high_value_finding(h))
