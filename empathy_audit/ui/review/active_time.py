"""Active review time: the seconds a reviewer spends on a review while Review shows that call and the
reviewer is active (a key or mouse input in the last minute, or the call playing). Idle time over 60 s is
not counted. The time is added to the review version open at the time (a draft, or the submitted one
being read), saved every half minute and whenever the call or review changes."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

IDLE_AFTER_S = 60.0
SAVE_EVERY_S = 30.0
_INPUT = {
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
}  # fmt: skip


class ActiveTime(QObject):
    """Counts active seconds for `review_id()` while `view` is visible in the active window."""

    def __init__(
        self,
        view: QWidget,
        review_id: Callable[[], int | None],
        playing: Callable[[], bool],
        save: Callable[[int, float], None],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(view)
        self.view, self.review_id, self.playing, self.save, self.clock = view, review_id, playing, save, clock
        self.last_input = clock()
        self.pending = 0.0  # counted, not saved yet
        self.counting: int | None = None  # the review the pending seconds belong to
        self._last_tick = clock()
        self._since_save = 0.0
        self.timer = QTimer(self, interval=1000)
        self.timer.timeout.connect(self.tick)
        self.timer.start()
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    @classmethod
    def of_review(cls, section: Any) -> ActiveTime:
        """Timing the Review section's open review (its player playing counts as active)."""
        return cls(
            section,
            lambda: section.review.id if section.review is not None else None,
            lambda: section.player.playing,
            section.services.coaching.add_active_time,
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT:
            self.last_input = self.clock()
        return False

    def active(self, now: float) -> bool:
        window = self.view.window()
        shown = self.view.isVisible() and window is not None and window.isActiveWindow()
        return shown and (now - self.last_input <= IDLE_AFTER_S or self.playing())

    def tick(self) -> None:
        now = self.clock()
        elapsed = min(now - self._last_tick, 5.0)  # a suspended laptop does not count its sleep
        self._last_tick = now
        review = self.review_id()
        if review != self.counting:
            self.flush()
            self.counting = review
        if review is not None and self.active(now):
            self.pending += elapsed
        self._since_save += elapsed
        if self._since_save >= SAVE_EVERY_S:
            self.flush()

    def flush(self) -> None:
        """Save what was counted for the review it belongs to."""
        self._since_save = 0.0
        if self.counting is not None and self.pending >= 0.5:
            try:
                self.save(self.counting, round(self.pending, 1))
            except Exception:
                return
        self.pending = 0.0
