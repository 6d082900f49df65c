"""Library: import through the UI in the background, the table updating, filters and word search."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import QByteArray, Qt

from empathy_audit.store.library import COLUMN_KEYS
from empathy_audit.ui import settings as keys

AUDIO = Path(__file__).resolve().parents[1] / "fixtures" / "audio"


def _read(qtbot, window) -> None:
    """Work elsewhere (an import, an edit) changed the list: it is read again in the background."""
    qtbot.waitUntil(lambda: not window.library.reading, timeout=30000)  # a warm-up may hold the pool


def _column(window, key: str) -> list[str]:
    model = window.library.model
    col = COLUMN_KEYS.index(key)
    return [model.index(r, col).data() for r in range(model.rowCount())]


def test_import_through_the_ui_lists_calls_and_failures(qtbot, make_window, tmp_path: Path) -> None:
    window = make_window(tmp_path / "ws")
    drop = tmp_path / "drop"
    drop.mkdir()
    shutil.copy(AUDIO / "mono.mp3", drop / "a call.mp3")
    shutil.copy(AUDIO / "mono.flac", drop / "b call.flac")
    (drop / "broken.wav").write_bytes(b"RIFF" + b"\0" * 40)
    with qtbot.waitSignal(window.work.busy_changed, timeout=30000, check_params_cb=lambda busy: not busy):
        window.library.files_dropped.emit([drop])
    _read(qtbot, window)
    assert window.library.pages.currentIndex() == 1
    assert sorted(_column(window, "original_name")) == ["a call.mp3", "b call.flac"]
    assert set(_column(window, "status")) == {"New"}
    report = window.last_import
    assert [Path(f.path).name for f in report.failed] == ["broken.wav"]
    assert "failed" in window.statusBar().currentMessage()


def test_imported_calls_transcribe_in_the_background_with_live_progress(qtbot, make_window, tmp_path, settings):
    settings.set(keys.AUTO_TRANSCRIBE, True)
    window = make_window(tmp_path / "ws")
    progress: list[tuple] = []
    window.work.call_progressed.connect(lambda *args: progress.append(args))
    window.import_paths([AUDIO / "mono_8k_alaw.wav"])
    qtbot.waitUntil(lambda: not window.work.busy and _column(window, "status") == ["Transcribed"], timeout=120000)
    assert progress and progress[0][1] == "transcribing"


def test_filters_and_search_by_words_said(qtbot, make_window, transcribed_root: Path) -> None:
    window = make_window(transcribed_root)
    assert len(_column(window, "original_name")) == 2
    window.library.search.setText("router")
    qtbot.waitUntil(lambda: _column(window, "original_name") == ["call_stereo_8k_mulaw.wav"], timeout=3000)
    window.library.search.setText("")
    qtbot.waitUntil(lambda: len(_column(window, "original_name")) == 2, timeout=3000)
    agent = window.library.agent_box
    agent.setCurrentIndex(agent.findData("Ben"))
    assert _column(window, "original_name") == ["mono_16k.wav"]
    window.library.reviewed_box.setCurrentIndex(window.library.reviewed_box.findData(True))
    assert window.library.body.currentWidget() is window.library.no_match
    window.library.clear_filters()
    assert len(_column(window, "original_name")) == 2


def test_sorting_is_done_by_the_query(make_window, transcribed_root: Path) -> None:
    window = make_window(transcribed_root)
    window.library.table.sortByColumn(COLUMN_KEYS.index("duration_s"), Qt.SortOrder.AscendingOrder)
    assert _column(window, "original_name") == ["mono_16k.wav", "call_stereo_8k_mulaw.wav"]


def test_failed_status_shows_the_reason_on_hover(make_window, tmp_path: Path) -> None:
    window = make_window(tmp_path / "ws")
    from empathy_audit.store.calls import update_call

    window.services.calls.import_paths([AUDIO / "mono.mp3"])
    update_call(window.test_db, 1, status="failed", error="the transcription engine crashed (SIGSEGV)")
    window.library.refresh()
    index = window.library.model.index(0, COLUMN_KEYS.index("status"))
    assert index.data().startswith("Failed")
    assert "SIGSEGV" in index.data(3)  # ToolTipRole


def test_import_uses_the_agent_side_preference(qtbot, make_window, tmp_path: Path, settings) -> None:
    settings.set(keys.AGENT_CHANNEL, "right")
    window = make_window(tmp_path / "ws")
    with qtbot.waitSignal(window.work.busy_changed, timeout=30000, check_params_cb=lambda busy: not busy):
        window.import_paths([AUDIO / "call_stereo_8k_mulaw.wav"])
    from empathy_audit.store.calls import get_call

    assert get_call(window.test_db, 1).agent_channel == "right"


def test_a_lead_sets_calls_details_in_the_library(qtbot, make_window, transcribed_root: Path, tmp_path: Path) -> None:
    window = make_window(transcribed_root)
    library = window.library
    library.select_calls(window.library.model.call_ids())  # both calls
    filled: list[str] = []

    def fill(dialog) -> int:
        filled.append(dialog.windowTitle())
        dialog.edits["team"].setText("Billing")
        dialog.edits["call_start"].setText("" if len(filled) > 1 else "not a date")
        return 1

    library.run_dialog = fill
    library.edit_details()
    assert filled[0] == "Details of 2 Calls" and len(filled) == 2  # a bad date: shown, and asked again
    _read(qtbot, window)
    assert _column(window, "team") == ["Billing", "Billing"]
    assert window.dashboard.team_box.findData("Billing") >= 0 or not window.dashboard.isVisible()
    # A CSV attached to calls already imported: matched by file name (the export names the call id).
    csv = tmp_path / "agents.csv"
    csv.write_text("call_id,agent\nmono_16k,Cleo\ncall_stereo_8k_mulaw,Dev\nunknown_call,Zed\n")
    shown: list[tuple[int, int]] = []

    def review(dialog) -> int:
        shown.append((dialog.preview.model().rowCount(), dialog.problems.count()))
        dialog.confirm = lambda _text: True
        dialog.apply()
        return dialog.result()

    library.run_dialog = review
    library.attach_metadata(csv)
    assert shown == [(2, 1)]
    _read(qtbot, window)
    assert sorted(_column(window, "agent")) == ["Cleo", "Dev"]
    assert window.library.agent_box.findData("Cleo") >= 0  # the filters know the new agents


def test_a_calls_channels_and_agent_side_are_set_in_edit_details(qtbot, make_window, transcribed_root: Path) -> None:
    window = make_window(transcribed_root)
    library = window.library
    stereo = next(c for c in window.services.calls.all() if c.channels == 2)
    column = COLUMN_KEYS.index("sides")
    row = library.model.row_of_call(stereo.id)
    assert library.model.index(row, column).data() == "Agent left"
    assert "found from what is said" in library.model.index(row, column).data(3)
    library.select_calls([stereo.id])

    def right_side(dialog) -> int:
        assert dialog.layout_box.isEnabled() and not dialog.retranscribe.isVisible()
        dialog.side_box.setCurrentIndex(dialog.side_box.findData("right"))
        return 1

    library.run_dialog = right_side
    library.edit_details()
    _read(qtbot, window)
    assert library.model.index(row, column).data() == "Agent right"
    speakers = {s.channel: s.speaker for s in window.services.transcripts.segments(stereo.id)}
    assert speakers == {0: "customer", 1: "agent"}  # the transcript followed at once

    def bleed(dialog) -> int:
        dialog.layout_box.setCurrentIndex(dialog.layout_box.findData("dual_bleed"))
        assert not dialog.retranscribe.isHidden() and dialog.side_box.isEnabled()
        return 1

    library.run_dialog = bleed
    with qtbot.waitSignal(library.transcribe_requested, timeout=2000) as asked:
        library.edit_details()
    assert asked.args == [[stereo.id]]
    assert window.services.calls.get(stereo.id).layout == "dual_bleed"
    # A mono call has nothing to choose.
    mono = next(c for c in window.services.calls.all() if c.channels == 1)
    library.select_calls([mono.id])
    seen: list[bool] = []
    library.run_dialog = lambda dialog: seen.append(dialog.layout_box.isEnabled()) or 0
    library.edit_details()
    assert seen == [False]


def test_work_elsewhere_reads_the_list_in_the_background(qtbot, make_window, transcribed_root: Path) -> None:
    """An import or a transcript finishing re-reads the list off the GUI thread (~0.1 s at 10,000 calls); what
    the user chose meanwhile wins over a read that started before it."""
    from empathy_audit.changes import Area, Changes

    window = make_window(transcribed_root)
    library = window.library
    on_gui_thread: list[object] = []
    read_here = window.services.calls.library_rows
    window.services.calls.library_rows = lambda *a, **k: on_gui_thread.append(a) or read_here(*a, **k)
    window.test_db.execute("UPDATE calls SET agent = 'Cleo' WHERE agent = 'Ana'")
    window.test_db.conn.commit()
    window.jobs.announce(Changes.of(Area.CALLS))
    window.jobs.announce(Changes.of(Area.TRANSCRIPTS))  # a second change during the read: one more read after it
    assert library.reading and "Cleo" not in _column(window, "agent")
    _read(qtbot, window)
    assert sorted(_column(window, "agent")) == ["Ben", "Cleo"] and library.agent_box.findData("Cleo") > 0
    assert on_gui_thread == []
    window.test_db.execute("UPDATE calls SET team = 'Green' WHERE agent = 'Cleo'")
    window.test_db.conn.commit()
    window.jobs.announce(Changes.of(Area.CALLS))
    library.agent_box.setCurrentIndex(library.agent_box.findData("Ben"))  # read at once, here
    assert len(on_gui_thread) == 1 and _column(window, "original_name") == ["mono_16k.wav"]
    _read(qtbot, window)
    assert _column(window, "original_name") == ["mono_16k.wav"]  # the older read did not replace the choice
    assert library.team_box.findData("Green") > 0  # but the choices it read are shown
    assert library.agent_box.currentData() == "Ben"

    # A read cancelled (the window closing) does not leave the list stuck: it is read when next shown.
    window.jobs.announce(Changes.of(Area.CALLS))
    window.jobs.announce(Changes.of(Area.CALLS))
    window.jobs.cancel_all()
    qtbot.waitUntil(lambda: not library.reading, timeout=30000)
    window.test_db.execute("UPDATE calls SET agent = 'Dan' WHERE agent = 'Ben'")
    window.test_db.conn.commit()
    window.jobs.announce(Changes.of(Area.CALLS))
    _read(qtbot, window)
    assert library.agent_box.findData("Dan") > 0


def test_sorting_keeps_the_selection_and_the_count(qtbot, make_window, transcribed_root: Path) -> None:
    from seed import Seeded, seed

    window = make_window(transcribed_root)
    library = window.library
    _read(qtbot, window)
    library.select_calls([library.model.call_id_at(1)])
    chosen = library.selected_call_ids()
    library.table.sortByColumn(COLUMN_KEYS.index("duration_s"), Qt.SortOrder.AscendingOrder)
    assert library.selected_call_ids() == chosen
    library.table.sortByColumn(COLUMN_KEYS.index("duration_s"), Qt.SortOrder.DescendingOrder)
    assert library.selected_call_ids() == chosen

    # A call added by another process just before the sort (the watcher has not told the window yet).
    seed(window.test_db, [Seeded("Cleo", "Green", "2026-08-05T09:00:00", (2, 2, 2))])
    library.table.sortByColumn(COLUMN_KEYS.index("original_name"), Qt.SortOrder.AscendingOrder)
    assert library.model.rowCount() == 3 and library.count.text() == "3 calls"
    assert library.selected_call_ids() == chosen


def test_the_keyboard_goes_on_from_its_place_after_the_list_is_read_again(qtbot, make_window, transcribed_root):
    """A change elsewhere re-reads the list: Down then moves on from the call the reviewer was on, not from
    the top of the list."""
    from empathy_audit.changes import Area, Changes

    window = make_window(transcribed_root)
    library = window.library
    _read(qtbot, window)
    table = library.table
    first = library.model.call_id_at(0)
    qtbot.mouseClick(
        table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(library.model.index(0, 1)).center()
    )
    assert library.selected_call_ids() == [first]
    library.table.sortByColumn(COLUMN_KEYS.index("original_name"), Qt.SortOrder.DescendingOrder)
    window.jobs.announce(Changes.of(Area.CALLS))
    _read(qtbot, window)
    row = library.model.row_of_call(first)
    assert table.currentIndex().row() == row and library.selected_call_ids() == [first]
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Up if row == 1 else Qt.Key.Key_Down)
    assert library.selected_call_ids() == [library.model.call_id_at(1 - row)]


def test_columns_chosen_from_the_header_are_kept(qtbot, make_window, transcribed_root: Path, settings) -> None:
    window = make_window(transcribed_root)
    header = window.library.table.horizontalHeader()
    name, language, agent = (COLUMN_KEYS.index(k) for k in ("original_name", "language", "agent"))
    menu = window.library.columns.menu()
    entries = {action.text(): action for action in menu.actions() if action.isCheckable()}
    assert not entries["Name"].isEnabled()  # the call's name always shows
    entries["Language"].setChecked(False)
    assert header.isSectionHidden(language)
    header.resizeSection(agent, 222)
    window.close()

    again = make_window(transcribed_root)  # the next session
    header = again.library.table.horizontalHeader()
    assert header.isSectionHidden(language) and header.sectionSize(agent) == 222 and not header.isSectionHidden(name)
    reset = next(a for a in again.library.columns.menu().actions() if a.text() == "Reset Columns")
    reset.trigger()
    assert not header.isSectionHidden(language) and header.sectionSize(agent) != 222

    # Columns saved by a version with other columns (one added since) are not laid over the wrong ones.
    header.setSectionHidden(language, True)
    again.close()
    saved = bytes(settings.get(keys.LIBRARY_COLUMNS).data())
    assert b"|agent|" in saved
    settings.set(keys.LIBRARY_COLUMNS, QByteArray(saved.replace(b"|agent|", b"|agent|added|", 1)))
    third = make_window(transcribed_root).library.table.horizontalHeader()
    assert not any(third.isSectionHidden(s) for s in range(third.count()))
