"""Making clips in Review and working with them in the Clips section, on real audio and a real transcript."""

from __future__ import annotations

from pathlib import Path

from helpers import number_runs_in, says_card_number, wer
from PySide6.QtCore import QPoint, Qt
from PySide6.QtMultimedia import QMediaPlayer

from empathy_audit.clips.library import create_clip
from empathy_audit.store import open_workspace
from empathy_audit.store.clips import list_clips
from empathy_audit.ui.clips.clip_dialog import ClipDialog
from empathy_audit.ui.clips.export_dialog import ExportDialog

CLIPS = 3


def _open_review(qtbot, window, call_id: int = 1):
    assert window.review.open_call(call_id)
    window.show_section(1)
    qtbot.waitUntil(lambda: window.review.player.player.duration() > 0, timeout=10000)
    return window.review


def _fill(title: str, tags: str = "", criterion: str | None = None):
    """A stand-in for the modal loop: fill the dialog as a user would and press Save."""
    seen: list[ClipDialog] = []

    def run(dialog: ClipDialog) -> int:
        seen.append(dialog)
        dialog.title.setText(title)
        dialog.tags.setText(tags)
        if criterion:
            dialog.criterion.setCurrentIndex(dialog.criterion.findData(criterion))
        dialog.accept()
        return dialog.result()

    run.seen = seen  # type: ignore[attr-defined]
    return run


def test_save_a_clip_from_selected_turns_with_the_keyboard(qtbot, make_window, personal_data_root: Path) -> None:
    window = make_window(personal_data_root)
    review = _open_review(qtbot, window)
    # Without a selection, S explains what to do.
    qtbot.keyClick(review, Qt.Key.Key_S)
    assert "drag across the waveform" in review.state.text()
    # Select the agent's question and the customer's card number (said 12–18 s): Down to the question, then
    # Shift+Down to the card. Rows are found by time, since engines cut turns differently on other CPUs.
    segs = review.segments
    question = max(i for i, s in enumerate(segs) if s.speaker == "agent" and s.start < 12.0)
    card = next(i for i, s in enumerate(segs) if s.speaker == "customer" and s.end > 15.0)
    for _ in range(question + 1):
        qtbot.keyClick(review, Qt.Key.Key_Down)
    for _ in range(card - question):
        qtbot.keyClick(review, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    assert review.transcript.selected_rows() == list(range(question, card + 1))
    assert review.waveform.selection is not None  # the span is shown on the waveform too
    review.clip_maker.run_dialog = _fill("Asks for the card", "privacy, Investigation Missed", "investigation")
    qtbot.keyClick(review, Qt.Key.Key_S)
    dialog = review.clip_maker.run_dialog.seen[0]
    assert "will be bleeped" in dialog.span_info.text() and "[redacted]" in dialog.preview.text()
    assert "answer to the question" in dialog.bleeps.text() or "digits" in dialog.bleeps.text()
    (clip,) = list_clips(window.test_db)
    assert clip.title == "Asks for the card" and clip.tags == ["privacy", "investigation-missed"]
    assert clip.criterion_key == "investigation"
    assert segs[question].start - 0.3 <= clip.start_s <= segs[question].start
    assert segs[card].end <= clip.end_s <= segs[card].end + 0.3
    assert "Saved" not in review.state.text() and "saved to the Clips section" in review.state.text()
    # The Clips section shows it at once.
    window.show_section(CLIPS)
    assert window.clips.model.rowCount() == 1 and window.clips.detail_title.text() == "Asks for the card"


def test_save_a_clip_from_a_waveform_drag(qtbot, make_window, personal_data_root: Path) -> None:
    window = make_window(personal_data_root)
    review = _open_review(qtbot, window)
    strip = review.waveform
    y = strip.height() // 2
    x_at = lambda seconds: int(seconds / review.call.duration_s * strip.width())  # noqa: E731
    qtbot.mousePress(strip, Qt.MouseButton.LeftButton, pos=QPoint(x_at(35.0), y))
    qtbot.mouseMove(strip, QPoint(x_at(37.0), y))
    qtbot.mouseMove(strip, QPoint(x_at(39.5), y))
    with qtbot.waitSignal(strip.span_selected):
        qtbot.mouseRelease(strip, Qt.MouseButton.LeftButton, pos=QPoint(x_at(39.5), y))
    review.clip_maker.run_dialog = _fill("Promises a call back")
    review.header.clip_button.click()
    (clip,) = list_clips(window.test_db)
    # Snapped to the agent's closing turn (35.3–38.8 s), trailing silence trimmed.
    assert 35.0 <= clip.start_s <= 35.35 and 38.8 <= clip.end_s < 39.2
    # The agent's turns (one per sentence) in the moment, whatever words this CPU's Whisper wrote.
    lines = clip.transcript_excerpt.splitlines()
    assert lines and all(line.startswith("Agent: ") for line in lines)
    said = " ".join(line.removeprefix("Agent: ") for line in lines)
    assert wer("I am sorry about the trouble. I will call you back on Friday.", said) <= 0.25


def test_a_dialog_problem_keeps_the_dialog_open(qtbot, make_window, personal_data_root: Path) -> None:
    window = make_window(personal_data_root)
    with open_workspace(personal_data_root) as ws:
        from empathy_audit.store.calls import get_call
        from empathy_audit.store.transcripts import current_transcript

        call, segments = get_call(ws.db, 1), current_transcript(ws.db, 1)[1]
    dialog = ClipDialog(window.services.clips, call, segments, 12.0, 19.0, parent=window)
    qtbot.addWidget(dialog)
    dialog.accept()  # no title
    assert dialog.result() == 0 and "needs a title" in dialog.problem.text().lower()
    dialog.end.setValue(2.0)  # now ends before it starts
    assert "before it starts" in dialog.problem.text()
    assert list_clips(window.test_db) == []


def test_search_play_edit_delete(qtbot, make_window, personal_data_root: Path) -> None:
    with open_workspace(personal_data_root) as ws:
        card = create_clip(ws.db, 1, 12.0, 19.0, "Card read aloud", tags=["privacy"], criterion_key="investigation")
        close = create_clip(ws.db, 1, 37.0, 38.9, "Promise to call", note="Warm close.", criterion_key="care")
    window = make_window(personal_data_root)
    window.show_section(CLIPS)
    clips = window.clips
    assert clips.pages.currentIndex() == 1 and clips.count.text() == "2 clips"
    # Search covers the transcript too.
    clips.search.setText("friday")
    assert [c.id for c in clips.model.clips] == [close.id]
    clips.search.setText("")
    clips.table.selectRow(clips.proxy.mapFromSource(clips.model.index(clips.model.row_of(card.id), 0)).row())
    # Personal data is hidden in the detail, like in the handout, unless asked for.
    assert "[redacted]" in clips.transcript.toPlainText() and not number_runs_in(clips.transcript.toPlainText())
    clips.show_personal.setChecked(True)
    assert says_card_number(clips.transcript.toPlainText())
    # Play in place: starts at the clip and stops at its end.
    clips.table.selectRow(clips.proxy.mapFromSource(clips.model.index(clips.model.row_of(close.id), 0)).row())
    assert "Note: Warm close." in clips.note.text()
    clips.toggle_play()
    qtbot.waitUntil(lambda: clips.player.position() >= int(close.start_s * 1000), timeout=10000)
    qtbot.waitUntil(lambda: clips.player.playbackState() != QMediaPlayer.PlaybackState.PlayingState, timeout=10000)
    assert clips.play_button.text() == "Play"

    def rename(dialog: ClipDialog) -> int:
        dialog.title.setText("Promise to call back")
        dialog.accept()
        return dialog.result()

    clips.run_dialog = rename
    clips.edit_current()
    assert clips.detail_title.text() == "Promise to call back"
    clips.delete_selected()  # the window's tests run without confirmation dialogs
    assert [c.title for c in clips.model.clips] == ["Card read aloud"]


def test_export_selected_in_the_background(qtbot, make_window, personal_data_root: Path, tmp_path: Path) -> None:
    with open_workspace(personal_data_root) as ws:
        create_clip(ws.db, 1, 12.0, 19.0, "Card read aloud")
        create_clip(ws.db, 1, 23.0, 34.0, "Phone and email")
    window = make_window(personal_data_root)
    window.show_section(CLIPS)
    clips = window.clips
    clips.table.selectAll()
    out = tmp_path / "handout"
    asked: list[bool] = []

    def choose(dialog: ExportDialog) -> int:
        dialog.confirm_unredacted = lambda: asked.append(True) or False  # the user thinks again
        dialog.redact.setChecked(False)
        assert dialog.redact.isChecked() and asked == [True]  # redaction stays on
        dialog.folder.setText(str(out))
        dialog.format.setCurrentIndex(dialog.format.findData("ogg"))
        dialog.accept()
        return dialog.result()

    clips.run_dialog = choose
    with qtbot.waitSignal(clips.export_finished, timeout=60000) as finished:
        clips.export_selected()
    result = finished.args[0]
    assert not result.failures and len(result.exported) == 2
    assert sorted(p.suffix for p in out.iterdir()) == [".html", ".md", ".ogg", ".ogg"]
    html = (out / "index.html").read_text()
    assert "[redacted]" in html and not says_card_number(html)
    assert clips.export_button.text() == "Export Selected…"
