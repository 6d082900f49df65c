"""The Coaching section: a session records acknowledgements and disputes, a dispute is decided in the
Disputes tab (the audit follows), the reviewers' figures, the feedback page; active review time."""

from __future__ import annotations

from pathlib import Path

from seed import Seeded, seed

from empathy_audit.store import open_workspace, write_transaction
from empathy_audit.ui import settings as keys


def _seeded(root: Path) -> None:
    with open_workspace(root) as ws:
        seed(ws.db, [Seeded("Bo", "Blue", "2026-07-01T10:00:00", (1, 1, 1), reviewer="Cy"),
                     Seeded("Bo", "Blue", "2026-07-02T10:00:00", (2, 2, 2), reviewer="Cy")])  # fmt: skip
        with write_transaction(ws.db):
            ws.db.execute("UPDATE reviews SET submitted_at = '2026-07-03T10:00:00'")
            ws.db.execute("INSERT INTO evidence (review_id, criterion_key, start_s, end_s) VALUES (1, 'care', 4, 6)")


def test_a_session_a_dispute_decided_and_the_graders(qtbot, make_window, tmp_path: Path) -> None:
    _seeded(tmp_path / "ws")
    window = make_window(tmp_path / "ws")
    window.show_section(5)
    coaching = window.coaching
    assert coaching.agent_box.currentData() == "Bo" and coaching.quarter_box.currentData() == "2026Q3"
    session = coaching.session
    assert session.reviews.model().rowCount() == 2 and session.moments.count() == 1
    assert "Action with care (1) at 0:04" in session.moments.item(0).text()
    with qtbot.waitSignal(coaching.moment_activated) as heard:
        session._play_moment(session.moments.item(0))
    assert heard.args == [1, 4.0]

    session.start_session()
    session.goals.setPlainText("Offer a follow-up")
    session.new_todo.setText("Listen back to call-1")
    session.add_todo()
    assert session.todos.count() == 1
    session.ask_comment = lambda _title: ("Fair", True)
    session.acknowledge()
    assert "acknowledged" in session.reviews.model().index(0, 4).data()

    def fill(dialog) -> int:
        dialog.criterion.setCurrentIndex(dialog.criterion.findData("care"))
        dialog.proposed.setValue(3)
        dialog.reason.setPlainText("I booked the engineer")
        return 1

    session.run_dialog = fill
    session.dispute()
    assert "Action with care disputed: open" in session.reviews.model().index(0, 4).data()
    session.end_session()
    session.start_session()  # the next session: the to-do not done carries over
    assert session.todos.count() == 1 and session.goals.toPlainText() == "Offer a follow-up"

    coaching.tabs.setCurrentWidget(coaching.disputes)
    disputes = coaching.disputes
    assert disputes.table.model().rowCount() == 1
    window.settings.set(keys.REVIEWER, "Lee")
    before = window.services.audit.scores()[1][0]
    disputes.decide("accept")
    assert window.services.audit.scores()[1][0] > before  # (1 + 1 + 3) / 3
    assert disputes.table.model().rowCount() == 0  # nothing waiting

    coaching.tabs.setCurrentWidget(coaching.reviewers)
    model = coaching.reviewers.table.model()
    assert model.rowCount() == 1 and model.index(0, 0).data() == "Cy" and model.index(0, 7).data() == "100%"

    with qtbot.waitSignal(coaching.status_message, timeout=30000, check_params_cb=lambda m: m.startswith("Wrote")):
        coaching.write_feedback(tmp_path / "feedback")
    assert coaching.last_feedback.html_path.exists()


def test_active_review_time_counts_only_while_active(qtbot) -> None:
    from PySide6.QtWidgets import QWidget

    from empathy_audit.ui.review.active_time import ActiveTime

    view = QWidget()
    qtbot.addWidget(view)
    view.show()
    view.activateWindow()
    saved: list[tuple[int, float]] = []
    now = [0.0]
    playing = [False]
    timer = ActiveTime(view, lambda: 7, lambda: playing[0], lambda r, s: saved.append((r, s)), clock=lambda: now[0])
    timer.timer.stop()
    timer.active = lambda t: view.isVisible() and (t - timer.last_input <= 60 or playing[0])  # no window focus here
    for _ in range(90):  # 90 s without input: the first 60 count
        now[0] += 1
        timer.tick()
    playing[0] = True  # listening counts as active
    for _ in range(10):
        now[0] += 1
        timer.tick()
    timer.flush()
    assert sum(s for _r, s in saved) == 70 and {r for r, _s in saved} == {7}


def test_coaching_starts_in_the_newest_quarter_with_reviews(qtbot, make_window, tmp_path: Path) -> None:
    _seeded(tmp_path / "ws")
    with open_workspace(tmp_path / "ws") as ws, write_transaction(ws.db):  # the new quarter's first call, unreviewed
        ws.db.execute(
            "INSERT INTO calls (id, sha256, original_name, stored_path, size_bytes, duration_s, sample_rate, channels, "
            "codec, agent, team, call_start, status, imported_at, updated_at) VALUES (9, ?, 'new.wav', 'x', 1, 60, "
            "8000, 2, 'pcm_mulaw', 'Bo', 'Blue', '2026-10-02T09:00:00', 'new', 'n', 'n')",
            ["9" * 64],
        )
    window = make_window(tmp_path / "ws")
    window.show_section(5)
    coaching = window.coaching
    quarters = [coaching.quarter_box.itemData(i) for i in range(coaching.quarter_box.count())]
    assert quarters == ["2026Q4", "2026Q3"]  # the new quarter is offered, but the reviewed one is shown
    assert coaching.quarter_box.currentData() == "2026Q3" and coaching.session.reviews.model().rowCount() == 2
    coaching.quarter_box.setCurrentIndex(0)  # a choice made stays through a re-read
    coaching.fill_choices()
    assert coaching.quarter_box.currentData() == "2026Q4"
