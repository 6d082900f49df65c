"""Work for a hidden view waits until the view is shown, and runs once however often it was asked for."""

from __future__ import annotations

from PySide6.QtWidgets import QStackedWidget, QTabWidget, QVBoxLayout, QWidget

from empathy_audit.ui.when_shown import WhenShown


def test_work_waits_for_the_view_then_runs_once(qtbot) -> None:
    tabs = QTabWidget()
    qtbot.addWidget(tabs)
    front, back = QWidget(), QWidget()
    tabs.addTab(front, "Front")
    tabs.addTab(back, "Back")
    runs: list[str] = []
    work = WhenShown(back, lambda: runs.append("ran"))
    tabs.show()
    qtbot.waitExposed(tabs)

    work.request()
    work.request()
    assert runs == [] and work.pending  # behind the front tab: nothing computed yet
    tabs.setCurrentWidget(back)
    assert runs == ["ran"] and not work.pending  # shown: run once for both requests
    tabs.setCurrentWidget(front)
    tabs.setCurrentWidget(back)
    assert runs == ["ran"]  # shown again with nothing asked: nothing run
    work.request()
    assert runs == ["ran", "ran"]  # visible: run now


def test_a_hidden_window_keeps_the_work_until_it_is_shown_again(qtbot) -> None:
    view = QWidget()
    qtbot.addWidget(view)
    runs: list[int] = []
    work = WhenShown(view, lambda: runs.append(1))
    view.show()
    qtbot.waitExposed(view)
    view.hide()
    work.request()
    assert runs == []
    view.show()
    assert runs == [1]


def test_a_page_shown_with_its_window_runs_its_work(qtbot) -> None:
    """Sections are pages of a stack in the main window: shown because an ancestor is."""
    window = QWidget()
    qtbot.addWidget(window)
    stack = QStackedWidget()
    QVBoxLayout(window).addWidget(stack)
    other, page = QWidget(), QWidget()
    stack.addWidget(page)
    stack.addWidget(other)
    runs: list[int] = []
    work = WhenShown(page, lambda: runs.append(1))
    work.request()
    assert runs == [] and work.pending  # the window is not up yet
    window.show()
    qtbot.waitExposed(window)
    assert runs == [1]
    stack.setCurrentWidget(other)
    window.hide()
    work.request()
    window.show()
    assert runs == [1]  # still behind the other page
    stack.setCurrentWidget(page)
    assert runs == [1, 1]
