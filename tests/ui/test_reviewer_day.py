"""A reviewer's day: the wheel never changes a review, the next call starts at the top, Submit stays in view."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from empathy_audit.store.reviews import latest_review


def wheel(widget, notches: int = -3) -> None:
    """Scroll the mouse wheel over `widget` (negative: down)."""
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(
        centre,
        QPointF(widget.mapToGlobal(centre.toPoint())),
        QPoint(0, 0),
        QPoint(0, 120 * notches),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)


def _open(qtbot, window):
    window.resize(1280, 800)
    window.open_next_call()
    assert window.stack.currentIndex() == 1
    return window.review


def test_the_wheel_scrolls_the_rubric_and_never_changes_a_value(qtbot, make_window, transcribed_root: Path) -> None:
    window = make_window(transcribed_root)
    review = _open(qtbot, window)
    review.score_scroll.widget().setMinimumHeight(2000)  # make sure the panel can scroll at this size
    scrollbar = review.score_scroll.verticalScrollBar()
    before = review.context_flag.currentIndex(), review.emotion.currentText()
    for box in (review.context_flag, review.emotion):
        wheel(box)
    assert (review.context_flag.currentIndex(), review.emotion.currentText()) == before
    assert latest_review(window.test_db, review.call.id, "Ana").context_flag in (None, "")
    assert scrollbar.value() > 0  # the page scrolled instead
    # A box the reviewer chose (it has the focus) does take the wheel.
    review.context_flag.setFocus()
    qtbot.waitUntil(review.context_flag.hasFocus, timeout=2000)
    wheel(review.context_flag, -1)
    assert review.context_flag.currentIndex() != before[0]


def test_submit_and_next_starts_at_the_first_criterion_at_the_top(qtbot, make_window, transcribed_root: Path) -> None:
    window = make_window(transcribed_root)
    review = _open(qtbot, window)
    first = review.call.id
    for _ in range(3):
        qtbot.keyClick(review, Qt.Key.Key_2)
        qtbot.keyClick(review, Qt.Key.Key_Tab)
    review.score_scroll.verticalScrollBar().setValue(review.score_scroll.verticalScrollBar().maximum())
    qtbot.keyClick(review, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert review.call.id != first
    assert review.rubric_panel.focused_key() == "acknowledgment"
    assert review.score_scroll.verticalScrollBar().value() == 0
    qtbot.keyClick(review, Qt.Key.Key_1)  # scores the first criterion of the new call, not the last one
    assert latest_review(window.test_db, review.call.id, "Ana").scores == {"acknowledgment": 1}


def test_submit_and_messages_stay_in_view_at_1280_by_800(qtbot, make_window, transcribed_root: Path) -> None:
    window = make_window(transcribed_root)
    review = _open(qtbot, window)
    review.score_scroll.widget().setMinimumHeight(2000)
    qtbot.keyClick(review, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # nothing scored yet
    assert "before submitting" in review.state.text()
    for widget in (review.submit_button, review.state, review.summary):
        assert widget.isVisible() and not widget.visibleRegion().isEmpty(), widget
        assert not review.score_scroll.widget().isAncestorOf(widget)  # not inside the scrolling part


def test_ctrl_digits_switch_sections_and_never_score(qtbot, make_window, transcribed_root: Path) -> None:
    window = make_window(transcribed_root)
    review = _open(qtbot, window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)
    call_id = review.call.id
    qtbot.keyClick(review, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentIndex() == 0
    assert latest_review(window.test_db, call_id, "Ana").scores == {}  # Ctrl+1 is a section, not a score
    window.open_call(call_id)
    for _ in range(3):
        qtbot.keyClick(review, Qt.Key.Key_2)
        qtbot.keyClick(review, Qt.Key.Key_Tab)
    review.session.submit()
    review.open_call(call_id)  # a submitted review, read-only
    assert review.review.submitted
    for key, section in ((Qt.Key.Key_3, 2), (Qt.Key.Key_2, 1), (Qt.Key.Key_4, 3), (Qt.Key.Key_2, 1)):
        focus = QApplication.focusWidget() or review
        qtbot.keyClick(focus, key, Qt.KeyboardModifier.ControlModifier)
        assert window.stack.currentIndex() == section
