"""Review: playing and seeking, the transcript in sync, keyboard scoring, autosave, evidence, queue."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from empathy_audit.store.library import COLUMNS
from empathy_audit.store.reviews import latest_review, list_reviews
from empathy_audit.store.transcripts import current_transcript

STEREO, MONO = 1, 2


def _open(qtbot, window, call_id: int = STEREO):
    assert window.review.open_call(call_id)
    window.show_section(1)
    qtbot.waitUntil(lambda: window.review.player.player.duration() > 0, timeout=10000)
    return window.review


def test_play_seek_and_transcript_follow(qtbot, make_window, transcribed_root: Path) -> None:
    review = _open(qtbot, make_window(transcribed_root))
    qtbot.keyClick(review, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: review.player.position() > 300, timeout=10000)
    assert review.player.playing
    qtbot.keyClick(review, Qt.Key.Key_Space)
    assert not review.player.playing
    before = review.player.position()
    qtbot.keyClick(review, Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: review.player.position() >= before + 4500, timeout=5000)
    # Clicking a turn seeks there, and the transcript highlights the turn being heard.
    view = review.transcript
    target = 3
    rect = view.visualRect(view.transcript.index(target))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    expected = int(review.segments[target].start * 1000)
    qtbot.waitUntil(lambda: abs(review.player.position() - expected) < 250, timeout=5000)
    qtbot.waitUntil(lambda: view.transcript.current == target, timeout=5000)
    # The waveform strip seeks too.
    review.waveform.seek_requested.emit(2000)
    qtbot.waitUntil(lambda: abs(review.player.position() - 2000) < 250, timeout=5000)


def test_keyboard_scoring_autosaves_and_survives_reopening(qtbot, make_window, transcribed_root: Path) -> None:
    window = make_window(transcribed_root)
    review = _open(qtbot, window)
    qtbot.keyClick(review, Qt.Key.Key_2)  # acknowledgment
    qtbot.keyClick(review, Qt.Key.Key_Tab)
    qtbot.keyClick(review, Qt.Key.Key_N)  # investigation: N/A
    qtbot.keyClick(review, Qt.Key.Key_Tab)
    qtbot.keyClick(review, Qt.Key.Key_3)  # care
    qtbot.keyClick(review, Qt.Key.Key_C)
    qtbot.keyClicks(review.rubric_panel.rows[2].comment, "offers a call on Friday")
    qtbot.keyClick(review.rubric_panel.rows[2].comment, Qt.Key.Key_Escape)
    qtbot.keyClicks(review.overall_note, "warm and clear")
    # Saved already, before any close: read it back through a second connection.
    saved = latest_review(window.test_db, STEREO, "Ana")
    assert saved.scores == {"acknowledgment": 2, "investigation": None, "care": 3}
    assert saved.comments == {"care": "offers a call on Friday"} and saved.overall_note == "warm and clear"
    assert saved.state == "draft"
    assert "Score: 2.50 / 3" in review.summary.text()
    window.close()

    again = make_window(transcribed_root)
    reopened = _open(qtbot, again)
    rows = reopened.rubric_panel.rows
    assert rows[0].buttons[2].isChecked() and rows[1].buttons[-1].isChecked() and rows[2].buttons[3].isChecked()
    assert rows[2].comment.text() == "offers a call on Friday"
    assert reopened.overall_note.toPlainText() == "warm and clear"


def test_evidence_from_the_selected_turn(qtbot, make_window, transcribed_root: Path) -> None:
    window = make_window(transcribed_root)
    review = _open(qtbot, window)
    customer = next(i for i, s in enumerate(review.segments) if s.speaker == "customer")  # "the third time…"
    for _ in range(customer + 1):  # the first Down selects the first turn
        qtbot.keyClick(review, Qt.Key.Key_Down)
    qtbot.keyClick(review, Qt.Key.Key_E)
    saved = latest_review(window.test_db, STEREO, "Ana")
    (evidence,) = saved.evidence
    assert evidence.criterion_key == "acknowledgment" and evidence.segment_id == review.segments[customer].id
    row = review.rubric_panel.rows[0]
    assert row.evidence.count() == 1 and row.evidence.item(0).text().split("  ", 1)[1].startswith("Customer: ")
    row.evidence.itemClicked.emit(row.evidence.item(0))
    qtbot.waitUntil(lambda: abs(review.player.position() - evidence.start_s * 1000) < 300, timeout=5000)
    qtbot.keyClick(review, Qt.Key.Key_X)
    assert latest_review(window.test_db, STEREO, "Ana").evidence == []


def test_submit_needs_all_criteria_then_opens_the_next_call(qtbot, make_window, transcribed_root: Path) -> None:
    window = make_window(transcribed_root)
    review = window.review
    window.open_next_call()
    assert window.stack.currentIndex() == 1
    first = review.call.id
    assert review.reasons.text().startswith("In the queue: Quarterly sample")
    qtbot.keyClick(review, Qt.Key.Key_1)
    qtbot.keyClick(review, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert "before submitting: Investigation, Action with care" in review.state.text()
    assert review.call.id == first
    # The failed submit moved the focus to the first criterion still missing.
    assert review.rubric_panel.focused_key() == "investigation"
    qtbot.keyClick(review, Qt.Key.Key_2)
    qtbot.keyClick(review, Qt.Key.Key_Tab)
    qtbot.keyClick(review, Qt.Key.Key_3)
    window.actions.submit_next.trigger()
    assert review.call.id != first
    assert [(r.call_id, r.state) for r in list_reviews(window.test_db)] == [
        (first, "submitted"),
        (review.call.id, "draft"),
    ]
    assert review.queue_list.count() == 1  # the submitted call left the queue


def test_correcting_a_turn_keeps_the_original(qtbot, make_window, transcribed_root: Path) -> None:
    window = make_window(transcribed_root)
    review = _open(qtbot, window)
    review.ask_text = lambda title, label, text: ("This is the third time I am calling about my broken router.", True)
    original = review.segments[1].text
    review.edit_segment_text(1)
    _row, segments = current_transcript(window.test_db, STEREO)
    assert segments[1].text == "This is the third time I am calling about my broken router."
    assert segments[1].original_text == original and segments[1].edited
    assert "edited" not in review.segments[0].text


def test_submitted_review_is_read_only_until_revised(qtbot, make_window, transcribed_root: Path) -> None:
    window = make_window(transcribed_root)
    review = _open(qtbot, window, MONO)
    for i, key in enumerate((Qt.Key.Key_3, Qt.Key.Key_3, Qt.Key.Key_3)):
        if i:
            qtbot.keyClick(review, Qt.Key.Key_Tab)
        qtbot.keyClick(review, key)
    review.submit_and_next()
    review.open_call(MONO)
    qtbot.keyClick(review, Qt.Key.Key_0)
    assert "Revise Review" in review.state.text()
    assert latest_review(window.test_db, MONO, "Ana").scores["acknowledgment"] == 3
    review.revise_review()
    assert review.rubric_panel.focused_key() == "acknowledgment"  # a call opens at its first criterion
    qtbot.keyClick(review, Qt.Key.Key_0)
    assert latest_review(window.test_db, MONO, "Ana").scores["acknowledgment"] == 0


def test_cues_are_listed_and_jump_to_their_turn(qtbot, make_window, transcribed_root: Path) -> None:
    review = _open(qtbot, make_window(transcribed_root))
    labels = [review.cue_list.item(i).text() for i in range(review.cue_list.count())]
    assert any("Repeat contact" in text and "third time" in text for text in labels)
    assert any("Acknowledgment" in text for text in labels)
    item = review.cue_list.item(0)
    review.cue_list.itemClicked.emit(item)
    assert review.transcript.selected_row() == item.data(Qt.ItemDataRole.UserRole)


def test_an_open_call_shows_its_transcript_when_it_arrives(qtbot, make_window, tmp_path: Path, settings) -> None:
    from empathy_audit.ui import settings as keys

    settings.set(keys.AUTO_TRANSCRIBE, True)
    window = make_window(tmp_path / "ws")
    audio = Path(__file__).resolve().parents[1] / "fixtures" / "audio" / "mono_8k_alaw.wav"
    with qtbot.waitSignal(window.work.import_finished, timeout=30000):
        window.import_paths([audio])
    assert window.review.open_call(1)
    window.show_section(1)
    comment = window.review.rubric_panel.rows[2].comment
    window.review.rubric_panel.focus_key("care")
    comment.setFocus()
    # The worker needs a few seconds to start, so the call is almost always still waiting here.
    waited = not window.review.segments
    if waited:
        assert window.review.listen.stack.currentIndex() == 1
        assert "transcribed" in window.review.listen.no_transcript.text()  # waiting for, or being, transcribed
    qtbot.waitUntil(lambda: window.review.segments != [], timeout=120000)
    assert window.review.listen.stack.currentIndex() == 0
    if waited:  # shown as it arrived, the reviewer still where they were
        from PySide6.QtWidgets import QApplication

        assert QApplication.focusWidget() is comment and window.review.rubric_panel.focused_key() == "care"


def test_a_swaps_agent_and_customer_and_everything_follows(qtbot, make_window, transcribed_root: Path) -> None:
    window = make_window(transcribed_root)
    review = _open(qtbot, window)
    before = [s.speaker for s in review.segments]
    assert "agent on the left" in review.header.meta.text()
    qtbot.keyClick(review, Qt.Key.Key_A)
    flip = {"agent": "customer", "customer": "agent"}
    assert [s.speaker for s in review.segments] == [flip.get(s, s) for s in before]
    assert "agent on the right (set by hand)" in review.header.meta.text()
    assert "Press A to swap them back" in review.score.state.text()
    # Saved: a second connection sees the turns and the talk metrics swapped; the Library shows the side.
    _row, stored = current_transcript(window.test_db, STEREO)
    assert [s.speaker for s in stored] == [s.speaker for s in review.segments]
    window.show_section(0)  # the Library reads the calls again when shown
    row = window.library.model.row_of_call(STEREO)
    column = [c[0] for c in COLUMNS].index("sides")
    qtbot.waitUntil(lambda: window.library.model.index(row, column).data() == "Agent right", timeout=5000)
    window.show_section(1)
    qtbot.keyClick(review, Qt.Key.Key_A)
    assert [s.speaker for s in review.segments] == before


def test_u_goes_to_the_words_whisper_was_unsure_of(qtbot, make_window, transcribed_root: Path, settings) -> None:
    from empathy_audit.ui import settings as keys
    from empathy_audit.ui.review.transcript_view import UNCERTAIN_ROLE

    window = make_window(transcribed_root)
    _row, stored = current_transcript(window.test_db, STEREO)
    probabilities = sorted(w.probability for s in stored for w in s.words)
    # A threshold half the words fall under, whatever this CPU's Whisper heard.
    settings.set(keys.UNCERTAIN_BELOW, probabilities[len(probabilities) // 2] + 1e-9)
    review = _open(qtbot, window)
    model = review.transcript.transcript
    count = len(model.uncertain)
    assert count >= len(probabilities) // 2 >= 2
    qtbot.keyClick(review, Qt.Key.Key_U)
    first = model.uncertain[0]
    assert review.transcript.selected_row() == first.row
    assert f"Uncertain word 1 of {count}" in review.score.state.text()
    marks = model.index(first.row).data(UNCERTAIN_ROLE)
    assert (first.start_char, first.end_char, True) in marks
    assert review.segments[first.row].text[first.start_char : first.end_char].strip()
    qtbot.waitUntil(lambda: abs(review.player.position() - max(0, first.start * 1000 - 300)) < 250, timeout=5000)
    qtbot.keyClick(review, Qt.Key.Key_U)
    assert f"Uncertain word 2 of {count}" in review.score.state.text()
    qtbot.keyClick(review, Qt.Key.Key_U, Qt.KeyboardModifier.ShiftModifier)
    assert f"Uncertain word 1 of {count}" in review.score.state.text()
    # A threshold nothing falls under says so.
    settings.set(keys.UNCERTAIN_BELOW, 0.0)
    review.listen.refresh_uncertain()
    qtbot.keyClick(review, Qt.Key.Key_U)
    assert "No uncertain words" in review.score.state.text()


def test_a_call_in_a_language_without_rules_says_so(qtbot, make_window, transcribed_root: Path) -> None:
    window = make_window(transcribed_root)
    with window.test_db.conn:
        window.test_db.execute("UPDATE calls SET language = 'fr' WHERE id = ?", [STEREO])
    review = _open(qtbot, window)
    assert review.cues == []
    note = review.cue_list.item(0)
    assert "No cue rules for French calls" in note.text() and not note.flags() & Qt.ItemFlag.ItemIsEnabled
    review.hide_personal.setChecked(True)
    assert "⚠" in review.hide_personal.text() and "No personal-data rules for French" in review.hide_personal.toolTip()
    review.hide_personal.setChecked(False)
    library = window.library
    library.refresh()  # the language was set behind its back
    qtbot.waitUntil(lambda: library.language_box.findData("fr") > 0, timeout=5000)
    library.language_box.setCurrentIndex(library.language_box.findData("fr"))
    assert library.language_box.currentText() == "French"
    assert [library.model.index(r, 0).data() for r in range(library.model.rowCount())] == [review.call.original_name]


def test_a_change_made_elsewhere_leaves_the_reviewer_typing(qtbot, make_window, transcribed_root: Path,
                                                            tmp_path: Path) -> None:  # fmt: skip
    """The command line (or a second window) changes the workspace while a reviewer types a comment: the
    keys keep going into the comment, never to Review's one-key shortcuts (which would change a score)."""
    from PySide6.QtWidgets import QApplication

    window = make_window(transcribed_root)
    review = _open(qtbot, window)
    qtbot.keyClick(review, Qt.Key.Key_2)  # acknowledgment scored
    comment = review.rubric_panel.rows[1].comment
    comment.setFocus()
    qtbot.keyClicks(comment, "abc")
    window._on_watcher_changed_elsewhere()  # what the watcher does when another process wrote
    qtbot.wait(100)
    assert QApplication.focusWidget() is comment
    qtbot.keyClicks(QApplication.focusWidget(), "n")
    saved = latest_review(window.test_db, STEREO, "Ana")
    assert saved.scores.get("acknowledgment") == 2 and saved.comments.get("investigation") == "abcn"

    # A call still without a transcript is not opened again for a change that brought it none.
    window.close()
    window = make_window(tmp_path / "untranscribed")
    audio = Path(__file__).resolve().parents[1] / "fixtures" / "audio" / "mono_8k_alaw.wav"
    with qtbot.waitSignal(window.work.import_finished, timeout=30000):
        window.import_paths([audio])
    assert window.review.open_call(1) and not window.review.segments
    window.show_section(1)
    opened: list[int] = []
    window.review.call_opened.connect(opened.append)
    comment = window.review.rubric_panel.rows[0].comment
    comment.setFocus()
    qtbot.keyClicks(comment, "kind")
    window._on_watcher_changed_elsewhere()
    qtbot.wait(100)
    assert opened == [] and QApplication.focusWidget() is comment
