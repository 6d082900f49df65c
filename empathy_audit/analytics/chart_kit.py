"""What every chart is made of: a matplotlib Figure (never pyplot) or a part of a page, the table of data
behind it, colours, and the rules for names and "too little data".

A chart on a figure of its own (the dashboard, PNG/SVG files) keeps margins of fixed inches (MarginLayout):
its labels fit at every window size, and it draws about twice as fast as with the constrained engine,
which measures every label on every draw. On a report page the page's constrained layout places it.
Colours are Okabe-Ito (colour-blind safe).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeAlias

import matplotlib
from matplotlib.figure import Figure, SubFigure
from matplotlib.layout_engine import LayoutEngine

from empathy_audit.wording import CRITERION_LABELS as LABELS  # noqa: F401 (charts take it from here)
from empathy_audit.wording import plural  # noqa: F401 (charts take it from here)

# Names are plain text in every chart and PDF: "$\\foo$" in an agent's name must not become math text
# (which fails on unknown symbols and stops a report).
matplotlib.rcParams["text.parse_math"] = False
# matplotlib is not thread-safe (its font caches above all): figures are built and drawn by one thread at a
# time, whichever background job (dashboard, report, feedback page) draws.
DRAW_LOCK = threading.RLock()
MAX_LABEL = 40  # characters of a name shown in a chart or a PDF table; the rest is an ellipsis


def shorten(value: Any, limit: int = MAX_LABEL) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
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


Canvas: TypeAlias = Figure | SubFigure  # a chart draws on a figure of its own, or on part of a page


@dataclass
class Chart:
    key: str
    title: str
    figure: Canvas
    table: ChartTable
    message: str | None = None  # set when there was too little data to draw
    finding: str = ""  # what the chart shows, in one sentence (the report's first page)


class MarginLayout(LayoutEngine):
    """Margins in inches (room for tick labels, axis labels, a title and a legend below), made fractions of
    whatever size the figure has now: no label is measured, so a draw costs what the drawing costs."""

    _adjust_compatible = True
    _colorbar_gridspec = True

    def __init__(self, left: float = 0.85, right: float = 0.35, top: float = 0.45, bottom: float = 0.95) -> None:
        super().__init__()
        self.margins = (left, right, top, bottom)

    def execute(self, fig: Figure) -> None:
        width, height = fig.get_size_inches()
        left, right, top, bottom = self.margins
        # A very small canvas keeps at least a third of itself for the plot.
        fit = min(1.0, (width * 2 / 3) / (left + right), (height * 2 / 3) / (top + bottom))
        fig.subplots_adjust(
            left=left * fit / width, right=1 - right * fit / width, top=1 - top * fit / height,
            bottom=bottom * fit / height,
        )  # fmt: skip
        for legend in fig.legends:  # a figure legend sits at the bottom, below the axis label
            legend.set_bbox_to_anchor((0.5, 0.0), transform=fig.transFigure)


def new_canvas(into: Canvas | None = None, **margins: float) -> Canvas:
    """`into` (a page's part), or a new figure with margins of fixed inches (MarginLayout's, or these)."""
    if into is not None:
        return into
    return Figure(figsize=FIG_SIZE, dpi=100, layout=MarginLayout(**margins))


def message_canvas(title: str, message: str, into: Canvas | None = None) -> Canvas:
    fig = new_canvas(into)
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.set_title(title, fontsize=13, loc="left")
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=12, wrap=True, color="#444444")
    return fig


def clip_interval(low: float | None, high: float | None, top: float, bottom: float = 0.0) -> tuple[float, float]:
    """A confidence interval within the scale it is on (a mean of scores 0–3 is never below 0 or above 3)."""
    return (max(bottom, low if low is not None else bottom), min(top, high if high is not None else top))


def wrap_label(text: str) -> str:
    """'2–2.5 genuine' on two lines, so neighbouring bar labels never overlap."""
    head, _, tail = text.partition(" ")
    return f"{head}\n{tail}" if tail else head


def format_p(p: float | None) -> str:
    """'p = 0.034', or 'p < 0.001' rather than a p-value too small to print."""
    if p is None:
        return "p unknown"
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def pct(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.0f}%"


def num(value: float | None, digits: int = 2) -> str:
    return "" if value is None else f"{value:.{digits}f}"
