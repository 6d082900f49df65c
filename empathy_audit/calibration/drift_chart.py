"""Reviewer drift across calibration sessions, as a matplotlib Figure (shared by the app and reports)."""

from __future__ import annotations

from empathy_audit.analytics.chart_kit import PALETTE, Canvas, Chart, ChartTable, message_canvas, new_canvas, shorten

TITLE = "Leniency by session (mean difference from gold or consensus)"


def drift_chart(drift: dict[str, list[tuple[str, float | None]]]) -> Chart:
    sessions: list[str] = []
    for series in drift.values():
        for name, _ in series:
            if name not in sessions:
                sessions.append(name)
    rows = [[reviewer, name, value] for reviewer, series in drift.items() for name, value in series]
    table = ChartTable(["reviewer", "session", "mean_difference"], rows)
    if not any(value is not None for *_, value in rows):
        message = "No calibration results yet: drift appears once reviewers have scored a set."
        return Chart("drift", TITLE, message_canvas(TITLE, message), table, message)
    fig: Canvas = new_canvas()
    ax = fig.add_subplot()
    ax.axhline(0, color="#777777", linewidth=1)
    for i, (reviewer, series) in enumerate(sorted(drift.items())):
        points = [(sessions.index(name), value) for name, value in series if value is not None]
        if points:
            xs, ys = zip(*points, strict=True)
            ax.plot(xs, ys, marker="o", color=PALETTE[i % len(PALETTE)], label=shorten(reviewer))
    ax.set_xticks(range(len(sessions)), sessions, rotation=15)
    ax.set_ylabel("points above (+) or below (−) the reference")
    ax.set_title(TITLE, fontsize=12, loc="left")
    ax.legend(loc="best", fontsize=9)
    return Chart("drift", TITLE, fig, table)
