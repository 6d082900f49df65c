"""Calibration in the app: a lead builds a set and scores gold; a reviewer imports it and scores blind."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from review_helpers import score

from empathy_audit.packs.export import export_calibration_pack, export_review_pack
from empathy_audit.store import open_workspace
from empathy_audit.store.calibration import create_set, get_set
from empathy_audit.ui.calibration.new_set_dialog import NewSetDialog

CALIBRATION = 4


def _model_rows(view) -> list[list[str]]:
    model = view.model()
    return [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]


def _score_in_review(qtbot, review, values: list[int]) -> None:
    qtbot.waitUntil(lambda: review.player.player.duration() > 0, timeout=10000)
    for n, value in enumerate(values):
        qtbot.keyClick(review, Qt.Key.Key_0 + value)
        if n < len(values) - 1:
            qtbot.keyClick(review, Qt.Key.Key_Tab)
    qtbot.keyClick(review, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)


def test_lead_creates_a_set_and_scores_its_gold(qtbot, make_window, personal_data_root: Path, settings) -> None:
    from empathy_audit.ui import settings as keys

    settings.set(keys.REVIEWER, "Lena")
    window = make_window(personal_data_root)
    window.show_section(CALIBRATION)
    section = window.calibration
    assert section.pages.currentWidget() is section.empty

    def fill(dialog: NewSetDialog) -> int:
        assert dialog.lead.text() == "Lena" and dialog.calls.count() == 2
        dialog.name.setText("Week 1")
        dialog.instructions.setPlainText("Focus on acknowledgment.")
        dialog.accept()  # no calls chosen yet: refused, the dialog stays
        assert "at least one call" in dialog.problem.text()
        dialog.check([1, 2])
        dialog.accept()
        return dialog.result()

    section.run_dialog = fill
    section.empty.buttons[0].click()  # "New Set…"
    assert section.pages.currentIndex() == 1 and section.title.text() == "Week 1"
    assert "you lead it" in section.subtitle.text() and "Focus on acknowledgment." in section.subtitle.text()
    section.score_button.click()
    review = window.review
    assert window.stack.currentIndex() == 1 and review.calibration is not None
    assert "your scores here are its gold scores" in review.reasons.text()
    _score_in_review(qtbot, review, [2, 1, 3])
    _score_in_review(qtbot, review, [1, 1, 2])
    assert "scored every call of “Week 1”" in review.state.text()
    # Gold reviews are calibration reviews: the Library still shows both calls unreviewed.
    assert all(r["reviewer"] is None for r in window.library.model._rows)
    window.show_section(CALIBRATION)
    assert _model_rows(section.progress_table) == [
        ["call_personal_data.wav", "✓ submitted"],
        ["mono_16k.wav", "✓ submitted"],
    ]


def test_reviewer_scores_blind_then_sees_how_they_compare(
    qtbot, make_window, personal_data_template: Path, tmp_path: Path
) -> None:
    import shutil

    lead_root = tmp_path / "lead"
    shutil.copytree(personal_data_template, lead_root)
    with open_workspace(lead_root) as lead:
        cset = create_set(lead.db, "Week 1", [1, 2], "Lena", "Blind, please.")
        score(lead, 1, "Lena", [2, 1, 3], cset)
        score(lead, 2, "Lena", [1, 1, 2], cset)
        pack = export_calibration_pack(lead, cset, tmp_path / "week1").path
        # A team pack from a reviewer whose call this reviewer does not have.
        other = create_set(lead.db, "Other", [1], "Lena")
        score(lead, 1, "Ben", [3, 3, 3])
        team_pack = export_review_pack(lead, tmp_path / "ben", reviewer="Ben").path
        assert other

    window = make_window(tmp_path / "ana")  # an empty workspace; the reviewer is "Ana"
    window.show_section(CALIBRATION)
    section = window.calibration
    asked: list[list[str]] = []
    section.confirm_trust = lambda claims: asked.append(sorted({c.name for c in claims})) or True
    # First a team pack whose call is not here yet: its review waits, listed under Waiting for Audio.
    # Its keys are new here: the user is asked, trusts them, and the pack is imported.
    with qtbot.waitSignal(section.packs_imported, timeout=30000):
        section.import_packs([team_pack])
    assert asked == [["Ben"]]
    assert section.pages.currentIndex() == 1 and section.tabs.tabText(4) == "Waiting for Audio (1)"
    assert _model_rows(section.waiting_table)[0][0] == "call_personal_data.wav"
    with qtbot.waitSignal(section.packs_imported, timeout=30000) as imported:
        section.import_packs([pack])
    assert asked == [["Ben"], ["Lena"]]  # the same workspace's key, now for its lead's name
    assert section.tabs.tabText(4) == "Waiting for Audio (0)"  # the set brought the recording
    assert imported.args[0][0].calibration_set == "Week 1"
    assert section.sets.item(0).text() == "Week 1  (blind)" and "scored blind here" in section.subtitle.text()
    # Blind: nothing of anyone else's until Ana submits.
    assert "2 calls are hidden" in section.hidden_note.text()
    assert section.report.reviewers == [] and section.spread_scores.model().columnCount() == 1  # criteria only
    assert not section.export_calibration_action.isEnabled()  # only the lead hands out the set
    section.score_button.click()
    review = window.review
    assert "scored blind" in review.reasons.text()
    _score_in_review(qtbot, review, [3, 2, 3])
    window.show_section(CALIBRATION)
    assert "1 call is hidden" in section.hidden_note.text()
    assert section.report.reviewers == ["Lena", "Ana"]
    first = section.report.spread[0]
    assert first.name == "call_personal_data.wav" and first.spread == 1.0
    assert _model_rows(section.spread_scores)[0] == ["Acknowledgment", "2", "3"]
    assert _model_rows(section.bias_table)[0][:2] == ["Ana", "+0.67"]
    section.tabs.setCurrentWidget(section.drift_page)
    assert section._drift_canvas is not None
    assert get_set(window.test_db, "Week 1").blind
