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


def _ten_transcribed_calls(root: Path) -> None:
    """Ten real recordings imported as the app does, each with a transcript written through the store (as the
    engine's would be: the keyboard loop under test does not depend on what Whisper heard)."""
    import numpy as np
    from helpers import tone, write_wav

    from empathy_audit.domain import Segment
    from empathy_audit.services import open_services
    from empathy_audit.store import open_workspace
    from empathy_audit.store.transcripts import Provenance, save_transcript
    from empathy_audit.transcription.conversation import compute_metrics

    folder = root.parent / "recordings"
    folder.mkdir()
    for i in range(10):
        left, right = tone(4, 8000, 300 + 40 * i), tone(4, 8000, 700 + 30 * i)
        write_wav(folder / f"call-{i:02d}.wav", np.stack([left, right], axis=1), 8000, channels=2)
    metadata = root.parent / "agents.csv"
    metadata.write_text(
        "file,agent,call_start\n" + "".join(f"call-{i:02d}.wav,Agent {i % 3},2026-08-0{1 + i % 9}\n" for i in range(10))
    )
    from empathy_audit.importing.importer import ImportOptions
    from empathy_audit.importing.metadata import load_metadata

    with open_services(root) as services:
        report = services.calls.import_paths([folder], ImportOptions(metadata=load_metadata(metadata)))
        assert len(report.imported) == 10
    with open_workspace(root) as ws:
        for f in report.imported:
            segments = [
                Segment("agent", 0.2, 1.8, "Thank you for calling, how can I help?", channel=0),
                Segment("customer", 2.0, 3.6, "My bill is wrong again.", channel=1),
            ]
            provenance = Provenance("test", "", "", "", {}, "en", 4.0, 0.1)
            save_transcript(ws.db, f.call_id, provenance, segments, compute_metrics(segments, 4.0), "transcribed")


def test_a_reviewer_scores_ten_calls_in_a_row_with_the_keyboard_alone(qtbot, make_window, tmp_path: Path) -> None:
    root = tmp_path / "ws"
    _ten_transcribed_calls(root)
    window = make_window(root)
    window.resize(1280, 800)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)
    review = window.review

    def key(k: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
        qtbot.keyClick(QApplication.focusWidget() or window, k, modifiers)

    key(Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)  # Next Call: the queue starts
    seen = []
    for _ in range(10):
        assert window.stack.currentIndex() == 1 and review.call is not None
        seen.append(review.call.id)
        assert review.rubric_panel.focused_key() == "acknowledgment"  # every call opens at the first criterion
        for digit in (Qt.Key.Key_2, Qt.Key.Key_3, Qt.Key.Key_1):
            key(digit)
            key(Qt.Key.Key_Tab)
        key(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # Submit & Next
    assert len(set(seen)) == 10
    assert "queue is empty" in review.state.text()
    rows = window.test_db.execute(
        "SELECT s.criterion_key, s.score FROM reviews r JOIN review_scores s ON s.review_id = r.id "
        "WHERE r.state = 'submitted' AND r.reviewer = 'Ana'"
    ).fetchall()
    assert sorted(set(rows)) == [("acknowledgment", 2), ("care", 1), ("investigation", 3)] and len(rows) == 30
