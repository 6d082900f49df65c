"""Work for a view that only matters while the view can be seen."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget


class WhenShown(QObject):
    """Runs `work` now while `widget` is visible, else once when it is next shown.

    A hidden tab that recomputed on every change would take the CPU (and Python's GIL) from the window for
    nothing: a comparison's permutation test behind the Charts view made the event loop stand still while
    transcription and a dashboard rebuild ran (benchmarks/event_loop.py)."""

    def __init__(self, widget: QWidget, work: Callable[[], None], pending: bool = False) -> None:
        """`pending`: the work is due at the first Show (a section filled when first shown)."""
        super().__init__(widget)
        self.widget, self.work = widget, work
        self.pending = pending
        widget.installEventFilter(self)

    def request(self) -> None:
        if self.widget.isVisible():
            self.pending = False
            self.work()
        else:
            self.pending = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget and event.type() == QEvent.Type.Show and self.pending:
            self.pending = False
            self.work()
        return False
