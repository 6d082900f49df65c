"""Work for a hidden view waits until the view is shown, and runs once however often it was asked for."""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QWidget

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
