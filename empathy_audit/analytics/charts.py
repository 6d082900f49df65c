"""The audit charts as matplotlib Figures (never pyplot), each with the table of data behind it.

One module builds them for the dashboard, the CLI report and the PDF, so they always agree.
Colours are Okabe-Ito (colour-blind safe). A chart with too little data says so instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import matplotlib
import numpy as np
from matplotlib.figure import Figure

from empathy_audit.analytics.audit import HIGH_CSAT, AuditReport

# Names are plain text in every chart and PDF: "$\\foo$" in an agent's name must not become math text
# (which fails on unknown symbols and stops a report).
matplotlib.rcParams["text.parse_math"] = False
MAX_LABEL = 40  # characters of a name shown in a chart or a PDF table; the rest is an ellipsis


def shorten(value: Any, limit: int = MAX_LABEL) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
LABELS = {"acknowledgment": "Acknowledgment", "investigation": "Investigation", "care": "Action with care"}
FIG_SIZE = (8.0, 4.8)
DENSITY_ABOVE = 3000  # a scatter with more calls than this is drawn as a density


class ChartTable:
    """The data behind a chart. Rows can be made lazily (a scatter of 50,000 calls), in full for a CSV
    or just the first few for a table on screen."""

    def __init__(
        self,
        columns: list[str],
        rows: list[list[Any]] | None = None,
        make: Callable[[int | None], list[list[Any]]] | None = None,
        count: int | None = None,
    ) -> None:
        self.columns = columns
        self._rows = rows
        self._make = make
        self.count = len(rows) if rows is not None else (count or 0)

    @property
    def rows(self) -> list[list[Any]]:
        if self._rows is None:
            self._rows = self._make(None) if self._make else []
        return self._rows

    def head(self, limit: int) -> list[list[Any]]:
        if self._rows is None and self._make is not None:
            return self._make(limit)
        return self.rows[:limit]


@dataclass
class Chart:
    key: str
    title: str
    figure: Figure
    table: ChartTable
    message: str | None = None  # set when there was too little data to draw


def _figure() -> Figure:
    # Fixed margins instead of a layout engine: the dashboard redraws these often.
    fig = Figure(figsize=FIG_SIZE, dpi=100)
    fig.subplots_adjust(left=0.13, right=0.97, top=0.9, bottom=0.13)
    return fig


def _message_figure(title: str, message: str) -> Figure:
    fig = _figure()
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.set_title(title, fontsize=13, loc="left")
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=12, wrap=True, color="#444444")
    return fig


def format_p(p: float | None) -> str:
    """'p = 0.034', or 'p < 0.001' rather than a p-value too small to print."""
    if p is None:
        return "p unknown"
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.0f}%"


def _num(value: float | None, digits: int = 2) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def trend_chart(report: AuditReport) -> Chart:
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
                _num(g.score.mean),
                *[_num(g.criteria[k].mean) if k in g.criteria else "" for k in keys],
                *[
                    f"{_num(g.criteria[k].low)}–{_num(g.criteria[k].high)}"
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
        return Chart("trend", title, _message_figure(title, message), table, message)
    fig = _figure()
    ax = fig.add_subplot()
    x = np.arange(len(quarters))
    width = 0.8 / max(1, len(keys))
    for i, key in enumerate(keys):
        means = [g.criteria[key].mean if key in g.criteria else np.nan for g in quarters]
        lows = [
            g.criteria[key].low if key in g.criteria and g.criteria[key].low is not None else m
            for g, m in zip(quarters, means, strict=True)
        ]
        highs = [
            g.criteria[key].high if key in g.criteria and g.criteria[key].high is not None else m
            for g, m in zip(quarters, means, strict=True)
        ]
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
    ax.legend(loc="lower right", frameon=False)
    return Chart("trend", title, fig, table)


def scatter_points(report: AuditReport) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """(CSAT %, audit score, call ids) of the calls with a CSAT, as drawn in the scatter."""
    t = report.table
    known = ~np.isnan(t.csat)
    return t.csat[known] * 100, t.score[known], t.call_id[known].tolist()


def scatter_chart(report: AuditReport) -> Chart:
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
                round((f.csat or 0) * 100),
                churn_text[f.churned],
            ]
            for f in t.facts(known[:limit])
        ]

    table = ChartTable(
        ["Call", "Agent", "Team", "Quarter", f"Audit score (0–{report.scale:g})", "Audit %", "CSAT %", "Churned"],
        make=rows,
        count=len(known),
    )
    message = report.too_little(len(known))
    if message:
        return Chart(
            "scatter",
            title,
            _message_figure(title, message.replace("reviewed call", "reviewed call with CSAT")),
            table,
            message,
        )
    x, y, _ids = scatter_points(report)
    fig = _figure()
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
    ax.legend(loc="lower right", frameon=False, fontsize=9)
    return Chart("scatter", title, fig, table)


def churn_band_chart(report: AuditReport) -> Chart:
    title = "Churn rate by audit-score band"
    table = ChartTable(
        [f"Audit band (0–{report.scale:g})", "Calls with churn known", "Churned", "Churn rate"],
        [[b.band, b.n, b.churned, _pct(b.churn_rate)] for b in report.bands],
    )
    known = sum(b.n for b in report.bands)
    message = report.too_little(known)
    if message:
        return Chart("churn_bands", title, _message_figure(title, message), table, message)
    fig = _figure()
    ax = fig.add_subplot()
    rates = [(b.churn_rate or 0) * 100 for b in report.bands]
    bars = ax.bar([b.band for b in report.bands], rates, color=PALETTE[5], alpha=0.85)
    for bar, band in zip(bars, report.bands, strict=True):
        label = f"{_pct(band.churn_rate)}\n(n={band.n})" if band.n else "no calls"
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
    return Chart("churn_bands", title, fig, table)


def quadrant_chart(report: AuditReport) -> Chart:
    title = "The empathy gap: CSAT × audit"
    table = ChartTable(
        ["CSAT", "Audit", "Calls", "Churned", "Churn rate"],
        [[q.csat, q.audit, q.n, q.churned, _pct(q.churn_rate)] for q in report.quadrant],
    )
    known = sum(q.n for q in report.quadrant)
    message = report.too_little(known)
    if message:
        return Chart("quadrant", title, _message_figure(title, message), table, message)
    fig = _figure()
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
        ax.text(col + 0.5, row + 0.62, names[(csat, audit)], ha="center", va="center", fontsize=10, weight="bold")
        ax.text(
            col + 0.5,
            row + 0.32,
            f"{q.n} calls · churn {_pct(q.churn_rate) or '–'}",
            ha="center",
            va="center",
            fontsize=10,
        )
    ax.set_xlim(0, 2)
    ax.set_ylim(0, 2)
    ax.set_xticks([0.5, 1.5], [f"Audit < {report.high_audit:.3g}", f"Audit ≥ {report.high_audit:.3g}"])
    ax.set_yticks([0.5, 1.5], [f"CSAT < {HIGH_CSAT:.0%}", f"CSAT ≥ {HIGH_CSAT:.0%}"])
    ax.set_xlabel(f"Audit score (0–{report.scale:g})")
    ax.set_ylabel("CSAT (% of scale)")
    ax.set_title(title, fontsize=13, loc="left")
    ax.text(
        1.0, 1.01, "shade: churn rate", transform=ax.transAxes, ha="right", va="bottom", fontsize=9, color="#444444"
    )
    return Chart("quadrant", title, fig, table)


def _rect(col: int, row: int, rate: float) -> Any:
    from matplotlib.patches import Rectangle

    return Rectangle((col + 0.02, row + 0.02), 0.96, 0.96, color=PALETTE[5], alpha=0.1 + 0.6 * rate, linewidth=0)


def all_charts(report: AuditReport) -> list[Chart]:
    return [trend_chart(report), scatter_chart(report), churn_band_chart(report), quadrant_chart(report)]
