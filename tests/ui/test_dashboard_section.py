"""Dashboard: charts with their tables, hover and double-click on the scatter, outcomes import, export."""

from __future__ import annotations

import random
from pathlib import Path

from PySide6.QtCore import Qt
from seed import Seeded, seed

from empathy_audit.store import open_workspace


def _seeded(root: Path, n: int = 24) -> None:
    rng = random.Random(5)
    with open_workspace(root) as ws:
        seed(
            ws.db,
            [
                Seeded(
                    f"Agent {i % 3}",
                    "Blue" if i % 2 else "Red",
                    f"2026-0{7 + i % 3}-1{i % 9}T10:00:00",
                    (rng.randint(0, 3), rng.randint(0, 3), rng.randint(0, 3)),
                    csat=rng.random(),
                    churned=rng.random() < 0.3,
                    customer=f"C{i}",
                )
                for i in range(n)
            ],
        )


def _built(qtbot, window):
    window.show_section(2)
    dashboard = window.dashboard
    qtbot.waitUntil(lambda: not dashboard._busy and dashboard.report is not None, timeout=20000)
    return dashboard


def test_charts_and_their_tables(qtbot, make_window, tmp_path: Path) -> None:
    _seeded(tmp_path / "ws")
    dashboard = _built(qtbot, make_window(tmp_path / "ws"))
    assert dashboard.pages.currentIndex() == 1
    assert [c.key for c in dashboard.charts] == [
        "trend", "scatter", "churn_bands", "quadrant", "repeat_contacts", "speed_vs_empathy", "high_value_churn",
    ]  # fmt: skip
    assert all(panel.canvas is not None for panel in dashboard.panels)
    speed = dashboard.charts[5]
    assert speed.message is None and speed.finding.startswith(("High-empathy calls", "Too little data"))
    scatter_rows = dashboard.panels[1].table.model().rowCount()
    assert scatter_rows == 24
    assert "24 reviewed calls" in dashboard.summary.text()
    # Filtering by team rebuilds with fewer calls, and says plainly when there is too little data.
    dashboard.team_box.setCurrentIndex(dashboard.team_box.findData("Red"))
    qtbot.waitUntil(lambda: not dashboard._busy and len(dashboard.report.facts) == 12, timeout=20000)
    dashboard.agent_box.setCurrentIndex(dashboard.agent_box.findData("Agent 1"))
    qtbot.waitUntil(lambda: not dashboard._busy and len(dashboard.report.facts) == 4, timeout=20000)
    assert dashboard.charts[1].message.startswith("Too little data")


def test_scatter_hover_and_double_click_open_the_call(qtbot, make_window, tmp_path: Path) -> None:
    from PySide6.QtCore import QPoint

    _seeded(tmp_path / "ws")
    dashboard = _built(qtbot, make_window(tmp_path / "ws"))
    picture = dashboard.panels[1].canvas
    rendered = picture.rendered
    assert rendered is not None and rendered.points is not None and len(rendered.ids) == 24
    # The picture was drawn off the GUI thread; its points are placed in widget pixels.
    sx, sy = picture.width() / (rendered.width / rendered.ratio), picture.height() / (rendered.height / rendered.ratio)
    x, y = rendered.points[0]
    spot = QPoint(round(x * sx), round(y * sy))
    qtbot.mouseMove(picture, spot)
    qtbot.waitUntil(lambda: "double-click to open" in dashboard.hover.text(), timeout=2000)
    with qtbot.waitSignal(dashboard.call_activated, timeout=2000) as signal:
        qtbot.mouseDClick(picture, Qt.MouseButton.LeftButton, pos=spot)
    assert signal.args == [picture.call_at(spot.x(), spot.y())]


def test_outcomes_dialog_shows_problems_then_imports_good_rows(qtbot, make_window, tmp_path: Path) -> None:
    from empathy_audit.ui.dashboard.outcomes_dialog import OutcomesImportDialog

    _seeded(tmp_path / "ws", 3)
    window = make_window(tmp_path / "ws")
    csv = tmp_path / "survey.csv"
    csv.write_text("Interaction ID;Survey score (1-10);Churned?\nEXT-1;9;no\nEXT-2;11;yes\nEXT-9;5;no\n")
    dialog = OutcomesImportDialog(window.services.outcomes, window)
    qtbot.addWidget(dialog)
    dialog.load(csv)
    # Guessed from the headers; the scale from "(1-10)".
    assert dialog.mapping["call_id"].currentData() == "interaction_id"
    assert dialog.mapping["csat"].currentData() == "survey_score_1_10"
    assert dialog.mapping["churn"].currentData() == "churned"
    assert dialog.plan.scale == "1-10"
    problems = [dialog.problems.item(i).text() for i in range(dialog.problems.count())]
    assert problems == [
        "Line 3: CSAT 11 is out of range for a 1-10 scale",
        "Line 4: unknown call: no call in the workspace has call id 'EXT-9'",
    ]
    assert dialog.import_button.text() == "Import 1 Good Rows"
    asked: list[str] = []
    dialog.confirm = lambda text: asked.append(text) or True
    dialog.import_rows()
    assert asked and dialog.imported_calls == 1
    assert window.test_db.execute("SELECT csat_raw, churned FROM outcomes WHERE call_id = 1").fetchall() == [("9", 0)]


def test_export_report_in_the_background(qtbot, make_window, tmp_path: Path) -> None:
    _seeded(tmp_path / "ws")
    dashboard = _built(qtbot, make_window(tmp_path / "ws"))
    with qtbot.waitSignal(dashboard.status_message, timeout=30000) as signal:
        dashboard.start_export("2026Q3", tmp_path / "report")
    assert signal.args[0].startswith("Wrote ")
    assert (tmp_path / "report" / "empathy-audit-2026Q3.pdf").exists()


def test_the_report_dialog_says_what_it_covers_and_writes_an_agents_report(qtbot, make_window, tmp_path: Path) -> None:
    _seeded(tmp_path / "ws")
    dashboard = _built(qtbot, make_window(tmp_path / "ws"))
    dashboard.agent_box.setCurrentIndex(dashboard.agent_box.findData("Agent 1"))  # the dashboard's filter
    qtbot.waitUntil(lambda: not dashboard._busy, timeout=20000)
    seen: list[str] = []

    def fill(dialog) -> int:
        assert dialog.agent.currentData() == "Agent 1"  # the dashboard's filters unless changed
        dialog.quarter.setCurrentIndex(dialog.quarter.findData("2026Q3"))
        seen.append(dialog.covers.text())
        dialog.folder.setText(str(tmp_path / "out"))
        return 1

    dashboard.run_dialog = fill
    with qtbot.waitSignal(dashboard.status_message, timeout=60000):
        dashboard.export_report()
    assert "2026Q3 · All teams · Agent 1" in seen[0] and "reviewed call" in seen[0]
    assert (tmp_path / "out" / "empathy-audit-2026Q3-Agent-1.pdf") in dashboard.last_export


def test_compare_and_comments_views_work_on_the_dashboards_calls(qtbot, make_window, tmp_path: Path) -> None:
    _seeded(tmp_path / "ws")
    window = make_window(tmp_path / "ws")
    survey = tmp_path / "survey.csv"
    survey.write_text("call_id,comment\nEXT-1,She listened. Reach me at jo@example.com\nEXT-2,Too slow\n")
    window.services.outcomes.apply(window.services.outcomes.plan(survey))
    dashboard = _built(qtbot, window)
    compare, comments = dashboard.compare_view, dashboard.comments_view
    # Behind the Charts view nothing is compared or searched: that waits until the view is shown.
    assert compare.result is None and compare.when_shown.pending and not compare._busy
    assert comments.table.model() is None and comments.when_shown.pending and not comments._busy
    dashboard.views.setCurrentWidget(compare)
    assert not compare.when_shown.pending and comments.when_shown.pending  # each view when it is shown
    compare.side_a.boxes["team"].setCurrentIndex(compare.side_a.boxes["team"].findData("Red"))
    compare.side_b.boxes["team"].setCurrentIndex(compare.side_b.boxes["team"].findData("Blue"))
    qtbot.waitUntil(lambda: compare.result is not None and compare.result.b == "team=Blue", timeout=20000)
    assert (compare.result.calls_a, compare.result.calls_b) == (12, 12)
    model = compare.table.model()
    assert model.rowCount() == 5 and model.index(0, 0).data() == "audit score"
    assert "audit score:" in compare.verdicts.text() and not compare.result.warning
    compare.save_path = lambda: str(tmp_path / "compare.csv")
    assert compare.export_csv() == tmp_path / "compare.csv"
    assert (tmp_path / "compare.csv").read_text(encoding="utf-8-sig").startswith("Metric,n A,A,n B,B")

    dashboard.views.setCurrentWidget(comments)
    qtbot.waitUntil(lambda: comments.table.model() is not None and comments.table.model().rowCount() == 2)
    comments.search.setText("slow")
    qtbot.waitUntil(lambda: comments.table.model().rowCount() == 1, timeout=5000)
    assert comments.table.model().index(0, 6).data() == "Too slow"
    with qtbot.waitSignal(dashboard.call_activated, timeout=2000) as opened:
        comments._open(comments.table.model().index(0, 0))
    assert opened.args == [2]

    # Review shows the customer's comment with the call, personal data hidden when Review hides it.
    review = window.review
    window.show_section(1)
    assert review.open_call(1)
    assert review.header.comment.isVisible() and "jo@example.com" in review.header.comment.text()
    review.hide_personal.setChecked(not review.hide_personal.isChecked())
    review.hide_personal.setChecked(True)
    assert "jo@example.com" not in review.header.comment.text() and "[redacted]" in review.header.comment.text()


def test_a_section_shown_after_changes_elsewhere_reads_once(qtbot, make_window, tmp_path: Path) -> None:
    """The dashboard first shown after the workspace changed builds once (not once for the change and once
    for the first showing); Review's queue is read once as the section comes into view."""
    from empathy_audit.changes import Area, Changes

    _seeded(tmp_path / "ws")
    window = make_window(tmp_path / "ws")
    builds: list[str] = []
    run = window.jobs.run  # the one runner every section's work goes through
    window.jobs.run = lambda name, *args, **kwargs: (builds.append(name), run(name, *args, **kwargs))[1]
    window.jobs.workspace_changed.emit(Changes.of(Area.AUDIT))  # as a review saved in Review would
    assert window.dashboard.when_shown.pending and builds == ["Library"]  # the section shown reads now
    dashboard = _built(qtbot, window)
    qtbot.wait(200)
    assert builds.count("Dashboard") == 1 and not dashboard._pending

    reads: list[int] = []
    refresh = window.review.refresh_queue
    window.review.refresh_queue = lambda: (reads.append(1), refresh())[1]
    window.review.queue_when_shown.work = window.review.refresh_queue
    window.show_section(1)
    assert reads == [1]
