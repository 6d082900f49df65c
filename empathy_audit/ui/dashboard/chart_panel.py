"""One dashboard chart and, under it, the table of data it was drawn from."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QTableView, QVBoxLayout, QWidget

from empathy_audit.ui.dashboard.chart_image import ChartImage, Rendered
from empathy_audit.ui.rows_model import RowsModel, rows_model

if TYPE_CHECKING:
    from empathy_audit.analytics.chart_kit import Chart, ChartTable

TABLE_ROWS = 500  # on screen; the CSV export has every row
SIZED_ROWS = 50  # columns are fitted to the first rows: measuring all 500 cost the GUI thread tens of ms


def table_model(table: ChartTable, limit: int = TABLE_ROWS) -> RowsModel:
    return rows_model(table.columns, table.head(limit))


class ChartPanel(QWidget):
    """One chart (a picture drawn in the background, chart_image.py) and, under it, the data it was drawn from."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.canvas = ChartImage()
        self.chart: Chart | None = None
        self.table = QTableView()
        self.table.setFixedHeight(150)
        self.setMinimumHeight(500)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setResizeContentsPrecision(SIZED_ROWS)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 8)
        self.layout_.addWidget(self.canvas, 1)
        self.layout_.addWidget(self.table)

    def wanted_size(self) -> tuple[int, int, float]:
        """The picture's size: the canvas's own once laid out, else what it will be at 1280 × 800."""
        width, height, ratio = self.canvas.wanted_size()
        return (width, height, ratio) if width >= 300 else (540, 330, ratio)

    def show_chart(self, chart: Chart, rendered: Rendered) -> ChartImage:
        self.chart = chart
        self.canvas.show_rendered(rendered)
        self.canvas.setToolTip(chart.message or chart.finding)
        self.table.setModel(table_model(chart.table))
        self.table.resizeColumnsToContents()
        shown = min(chart.table.count, TABLE_ROWS)
        self.table.setToolTip(
            f"Showing {shown} of {chart.table.count} rows; the report's CSV has them all."
            if chart.table.count > TABLE_ROWS
            else ""
        )
        return self.canvas
