"""A waveform overview with speaker-coloured regions and a playhead you can click or drag."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from empathy_audit.audio.waveform import Waveform
from empathy_audit.domain import Segment

# Colour-blind-safe pair (Okabe-Ito blue and orange), readable on light and dark palettes.
SPEAKER_COLOURS = {"agent": QColor(0, 114, 178), "customer": QColor(230, 159, 0), "mixed": QColor(0, 158, 115)}


DRAG_PX = 4  # a press that moves further than this selects a span instead of seeking


class WaveformStrip(QWidget):
    seek_requested = Signal(int)  # ms
    span_selected = Signal(int, int)  # start ms, end ms (dragged out with the mouse)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumHeight(64)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip("Click to move the playhead; drag to select a moment for a clip")
        self.waveform: Waveform | None = None
        self.segments: list[Segment] = []
        self.duration_ms = 0
        self.position_ms = 0
        self.message = ""
        self.selection: tuple[int, int] | None = None  # ms
        self.marks: list[tuple[float, float]] = []  # seconds: personal data, hatched while it is hidden
        self._press_x: float | None = None
        self._selecting = False

    def set_selection(self, span: tuple[int, int] | None) -> None:
        self.selection = span
        self.update()

    def set_marks(self, spans: list[tuple[float, float]]) -> None:
        self.marks = spans
        self.update()

    def set_call(self, duration_s: float, segments: list[Segment]) -> None:
        self.duration_ms = int(duration_s * 1000)
        self.segments = segments
        self.waveform = None
        self.selection = None
        self.message = "Loading waveform…"
        self.update()

    def set_waveform(self, waveform: Waveform | None, message: str = "") -> None:
        self.waveform = waveform
        self.message = message
        self.update()

    def set_position(self, ms: int) -> None:
        self.position_ms = ms
        self.update()

    def _x(self, ms: float) -> float:
        return 0.0 if self.duration_ms <= 0 else ms / self.duration_ms * self.width()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        palette = self.palette()
        painter.fillRect(self.rect(), palette.base())
        height = self.height()
        for seg in self.segments:
            colour = QColor(SPEAKER_COLOURS.get(seg.speaker, SPEAKER_COLOURS["mixed"]))
            colour.setAlpha(45)
            x0, x1 = self._x(seg.start * 1000), self._x(seg.end * 1000)
            painter.fillRect(QRectF(x0, 0, max(1.0, x1 - x0), height), colour)
        if self.waveform is not None and self.waveform.peaks.size and self.width() > 0:
            self._paint_peaks(painter)
        elif self.message:
            painter.setPen(palette.placeholderText().color())
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.message)
        if self.marks:
            hatch = QBrush(palette.text().color(), Qt.BrushStyle.BDiagPattern)
            for start, end in self.marks:
                x0, x1 = self._x(start * 1000), self._x(end * 1000)
                painter.fillRect(QRectF(x0, 0, max(2.0, x1 - x0), height), hatch)
        if self.selection is not None:
            shade = QColor(palette.highlight().color())
            shade.setAlpha(70)
            x0, x1 = self._x(self.selection[0]), self._x(self.selection[1])
            painter.fillRect(QRectF(x0, 0, max(1.0, x1 - x0), height), shade)
        painter.setPen(QPen(palette.highlight().color(), 2))
        x = self._x(self.position_ms)
        painter.drawLine(QPointF(x, 0), QPointF(x, height))
        painter.end()

    def _paint_peaks(self, painter: QPainter) -> None:
        assert self.waveform is not None
        peaks = self.waveform.peaks
        width = self.width()
        half = self.height() / 2
        columns = np.linspace(0, peaks.shape[1], num=width + 1).astype(int)
        stereo = peaks.shape[0] == 2
        speakers = ("agent", "customer") if stereo else ("mixed",)
        for channel, speaker in enumerate(speakers):
            painter.setPen(QPen(SPEAKER_COLOURS[speaker], 1))
            row = peaks[channel]
            for x in range(width):
                lo, hi = columns[x], max(columns[x] + 1, columns[x + 1])
                level = float(row[lo:hi].max()) / 255 if lo < row.size else 0.0
                extent = level * (half - 2)
                if stereo:  # agent above the centre line, customer below
                    y0, y1 = (half - extent, half) if channel == 0 else (half, half + extent)
                else:
                    y0, y1 = half - extent, half + extent
                painter.drawLine(QPointF(x, y0), QPointF(x, y1))

    def _ms_at(self, x: float) -> int:
        fraction = min(1.0, max(0.0, x / self.width())) if self.width() > 0 else 0.0
        return int(fraction * self.duration_ms)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.duration_ms > 0:
            self._press_x = event.position().x()
            self._selecting = False
            self.seek_requested.emit(self._ms_at(self._press_x))

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._press_x is None or not event.buttons() & Qt.MouseButton.LeftButton:
            return
        x = event.position().x()
        if abs(x - self._press_x) > DRAG_PX:
            self._selecting = True
        if self._selecting:
            a, b = sorted((self._ms_at(self._press_x), self._ms_at(x)))
            self.set_selection((a, b))

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self._selecting and self.selection is not None:
            self.span_selected.emit(*self.selection)
        self._press_x = None
        self._selecting = False


def load_waveform(work: Any, strip: WaveformStrip, call: Any, current: Callable[[], Any]) -> None:
    """Compute (or read the cached) waveform of a call in the background and show it if the call is still open."""

    def done(waveform: Any) -> None:
        open_now = current()
        if open_now is not None and open_now.id == call.id:
            strip.set_waveform(waveform)

    def failed(message: str) -> None:
        strip.set_waveform(None, f"No waveform: {message}")

    work.run("Waveform", lambda services, _job: services.transcripts.waveform(call), done, on_failed=failed,
             visible=False)  # fmt: skip
