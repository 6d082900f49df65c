"""A dashboard chart as a picture drawn in the background: matplotlib renders the figure (Agg) off the GUI
thread at the widget's size, the widget only paints the finished image, so drawing seven charts over
50,000 calls never stalls the window. The scatter's points are placed in widget pixels by the renderer,
so hovering and double-clicking a call work on the picture."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from PySide6.QtCore import QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QImage, QMouseEvent, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

DPI = 100
HIT_PX = 8  # how close the pointer must be to a point to name its call


@dataclass
class Rendered:
    rgba: bytes
    width: int  # device pixels
    height: int
    ratio: float  # device pixels per widget pixel
    points: np.ndarray | None = None  # (n, 2) widget-pixel positions of the scatter's calls
    ids: list[int] | None = None


def render_figure(figure: Any, width: int, height: int, ratio: float = 1.0, points: tuple | None = None) -> Rendered:
    """Draw `figure` at width × height widget pixels (× ratio device pixels); with `points` (x, y, ids in data
    coordinates of the first axes) their widget-pixel positions too. Runs in a background thread."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    width, height = max(200, width), max(150, height)
    figure.set_dpi(DPI * ratio)
    figure.set_size_inches(width / DPI, height / DPI)
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    buffer = canvas.buffer_rgba()
    rows, cols = buffer.shape[0], buffer.shape[1]
    placed, ids = None, None
    if points is not None and figure.axes:
        x, y, ids = points
        display = figure.axes[0].transData.transform(np.column_stack([x, y])) if len(ids) else np.zeros((0, 2))
        placed = np.column_stack([display[:, 0] / ratio, (rows - display[:, 1]) / ratio])
    return Rendered(bytes(buffer), cols, rows, ratio, placed, ids)


class ChartImage(QWidget):
    hovered = Signal(object)  # the call id under the pointer, or None
    activated = Signal(int)  # a call double-clicked
    resized = Signal()  # the widget's size settled at a new value: render again

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumHeight(330)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(True)
        self.rendered: Rendered | None = None
        self._image: QImage | None = None
        self._settle = QTimer(self, singleShot=True, interval=250)
        self._settle.timeout.connect(self.resized)
        self.setAccessibleName("Chart")

    def show_rendered(self, rendered: Rendered) -> None:
        self.rendered = rendered
        image = QImage(rendered.rgba, rendered.width, rendered.height, QImage.Format.Format_RGBA8888)
        image.setDevicePixelRatio(rendered.ratio)
        self._image = image.copy()  # owns its pixels: the bytes object may go
        self.update()
        if abs(self.width() - rendered.width / rendered.ratio) > 2 and self.width() >= 300:
            self._settle.start()  # the widget changed size while this was drawn

    def wanted_size(self) -> tuple[int, int, float]:
        return self.width(), self.height(), self.devicePixelRatioF()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), Qt.GlobalColor.white)
        if self._image is not None:  # scaled until the picture at the new size arrives
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.drawImage(QRectF(self.rect()), self._image)
        painter.end()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.rendered is not None and abs(event.size().width() - self.rendered.width / self.rendered.ratio) > 2:
            self._settle.start()

    def call_at(self, x: float, y: float) -> int | None:
        r = self.rendered
        if r is None or r.points is None or not r.ids:
            return None
        sx = self.width() / (r.width / r.ratio)  # the picture may be scaled while a new one is drawn
        sy = self.height() / (r.height / r.ratio)
        distance = np.hypot(r.points[:, 0] * sx - x, r.points[:, 1] * sy - y)
        best = int(np.argmin(distance))
        return r.ids[best] if distance[best] <= HIT_PX else None

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        self.hovered.emit(self.call_at(event.position().x(), event.position().y()))

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        call_id = self.call_at(event.position().x(), event.position().y())
        if call_id is not None:
            self.activated.emit(call_id)
