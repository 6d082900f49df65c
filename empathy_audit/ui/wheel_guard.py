"""The mouse wheel scrolls pages, never changes a value by accident.

A combo box, spin box or slider under the pointer takes the wheel only when it has the keyboard focus
(the user chose it); otherwise the wheel goes on to the page around it. Without this, wheeling down the
rubric to reach Submit changed "Context" and autosaved it, silently taking the call out of the audit.
A list that cannot scroll up or down (an evidence box) passes the wheel on too instead of scrolling
sideways.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QSlider,
    QWidget,
)

VALUE_WIDGETS = (QComboBox, QAbstractSpinBox, QSlider)


def _owner(widget: QWidget) -> QWidget | None:
    """The value widget (or fixed-height list) a wheel event is aimed at, searching up to its window."""
    w: QWidget | None = widget
    while w is not None:
        if isinstance(w, VALUE_WIDGETS):
            return None if w.hasFocus() else w
        if isinstance(w, QAbstractItemView) and w.verticalScrollBar().maximum() == 0:
            return w
        if w.isWindow():
            return None
        w = w.parentWidget()
    return None


class WheelGuard(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.Wheel or not isinstance(watched, QWidget):
            return False
        owner = _owner(watched)
        if owner is None:
            return False
        # Hand the wheel to the scroll area around the widget, if any; either way the value stays.
        area = owner.parentWidget()
        while area is not None and not isinstance(area, QAbstractScrollArea) and not area.isWindow():
            area = area.parentWidget()
        if isinstance(area, QAbstractScrollArea):
            QApplication.sendEvent(area.viewport(), event)
        return True


def install_wheel_guard(app: QApplication) -> WheelGuard:
    """Install once per application; returns the guard (kept alive by the application)."""
    guard = app.findChild(WheelGuard)
    if guard is None:
        guard = WheelGuard(app)
        app.installEventFilter(guard)
    return guard
