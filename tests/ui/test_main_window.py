"""The main window on an empty and on a real workspace: empty states, sections, settings, shortcuts."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from empathy_audit.ui import settings as keys
from empathy_audit.ui.dialogs import ShortcutsDialog


def test_first_run_shows_a_welcome_state(qtbot, make_window, tmp_path: Path) -> None:
    window = make_window(tmp_path / "fresh")
    assert window.library.pages.currentWidget() is window.library.welcome
    assert [b.text() for b in window.library.welcome.buttons] == ["Import Files…", "Import Folder…"]
    assert "drop recordings" in window.library.welcome.text.text()
    window.show_section(1)
    assert window.review.pages.currentWidget() is window.review.empty
    window.show_section(2)
    qtbot.waitUntil(lambda: not window.dashboard._busy, timeout=10000)
    assert window.dashboard.pages.currentWidget() is window.dashboard.empty
    window.show_section(3)
    assert window.clips.pages.currentWidget() is window.clips.empty
    assert "press S" in window.clips.empty.text.text()
    window.clips.empty.buttons[0].click()  # "Go to Review"
    assert window.stack.currentIndex() == 1


def test_sections_and_geometry_are_remembered(make_window, tmp_path: Path, settings) -> None:
    window = make_window(tmp_path / "ws")
    window.resize(900, 650)
    window.show_section(3)
    window.close()
    assert settings.get(keys.SECTION) == 3 and not settings.get(keys.GEOMETRY).isEmpty()
    again = make_window(tmp_path / "ws")
    assert again.stack.currentIndex() == 3
    assert again.size().height() == 650  # (the offscreen screen is narrower than the window)


def test_shortcuts_dialog_lists_every_shortcut(make_window, tmp_path: Path) -> None:
    window = make_window(tmp_path / "ws")
    dialog = ShortcutsDialog(window.actions.listing(), window)
    keys_column = [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())]
    for expected in ("Space", "0, 1, 2, 3", "Tab / Shift+Tab", "Ctrl+Return, Ctrl+Enter", "Ctrl+O"):
        assert expected in keys_column, keys_column


def test_status_bar_names_the_workspace(make_window, tmp_path: Path) -> None:
    window = make_window(tmp_path / "ws")
    labels = [w.text() for w in window.statusBar().findChildren(QLabel)]
    assert any(str((tmp_path / "ws").resolve()) in text for text in labels)


def test_preferences_are_saved_and_used_by_the_next_import(make_window, tmp_path: Path, settings) -> None:
    from empathy_audit.ui.preferences import PreferencesDialog

    window = make_window(tmp_path / "ws")
    dialog = PreferencesDialog(settings, window)
    dialog.engine.setCurrentIndex(dialog.engine.findData("openai-whisper"))
    dialog.agent_side.setCurrentIndex(dialog.agent_side.findData("right"))
    dialog.sample.setValue(8)
    dialog.model.setCurrentIndex(dialog.model.findData("accurate"))
    dialog.uncertain.setValue(35)
    dialog.accept()
    assert (settings.get(keys.ENGINE), settings.get(keys.AGENT_CHANNEL), settings.get(keys.SAMPLE_PER_AGENT)) == (
        "openai-whisper",
        "right",
        8,
    )
    assert (settings.get(keys.MODEL), settings.get(keys.UNCERTAIN_BELOW)) == ("accurate", 0.35)


def test_preferences_vocabulary_tab_edits_the_vocabulary(qtbot, make_window, tmp_path: Path, settings) -> None:
    from empathy_audit.ui.preferences import PreferencesDialog

    window = make_window(tmp_path / "ws")
    dialog = PreferencesDialog(settings, window, window.services.vocabulary)
    dialog.show()  # shown, as in use: the button box makes OK the default then
    dialog.tabs.setCurrentWidget(dialog.vocabulary)
    tab = dialog.vocabulary
    assert tab.term.hasFocus() or qtbot.waitUntil(lambda: tab.term.hasFocus(), timeout=2000) is None
    assert dialog.model.currentData() == "fast"  # nothing chosen yet: the default, marked as such
    assert "(default)" in dialog.model.currentText()
    for term in ("Quillfeather", "Lumiqo Plus"):
        qtbot.keyClicks(tab.term, term)
        qtbot.keyClick(tab.term, Qt.Key.Key_Return)
    assert [tab.terms.item(i).text() for i in range(tab.terms.count())] == ["Lumiqo Plus", "Quillfeather"]
    assert dialog.isVisible() and dialog.result() == 0  # Enter added the term; it did not close the dialog
    qtbot.keyClicks(tab.term, "Acme, Inc")
    tab.add_button.click()
    assert "comma" in tab.problem.text() and tab.terms.count() == 2
    tab.terms.item(0).setSelected(True)
    tab.remove_button.click()
    assert window.services.vocabulary.terms() == ["Quillfeather"]  # saved in the workspace at once
    from helpers import run_cli

    listed = run_cli("vocabulary", "list", "--json", data_dir=tmp_path / "ws", check_json=True)
    assert listed.json == ["Quillfeather"]


def test_changes_from_the_command_line_show_up_in_an_open_window(qtbot, make_window, tmp_path: Path) -> None:
    """A call imported from a terminal appears within a second or two, with no click in the window."""
    from helpers import run_cli

    window = make_window(tmp_path / "ws")
    assert window.library.model.rowCount() == 0
    audio = Path(__file__).resolve().parents[1] / "fixtures" / "audio" / "mono_16k.wav"
    done = run_cli("import", str(audio), "--agent", "Sam", data_dir=tmp_path / "ws")
    assert done.returncode == 0, done.stderr
    qtbot.waitUntil(lambda: window.library.model.rowCount() == 1, timeout=4000)
    assert window.library.pages.currentWidget() is not window.library.welcome


def test_the_queue_follows_reviews_made_on_the_command_line(qtbot, make_window, transcribed_root: Path) -> None:
    """The issue: Queue (0) in the window while `empathy-audit queue` listed 5, and back the other way."""
    from helpers import run_cli

    window = make_window(transcribed_root)
    window.show_section(1)
    window.review.refresh_queue()
    assert window.review.tabs.tabText(2) == "Queue (2)"
    done = run_cli(
        "review", "1", "--reviewer", "Ana", "--score", "acknowledgment=2", "--score", "investigation=2",
        "--score", "care=2", data_dir=transcribed_root,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    qtbot.waitUntil(lambda: window.review.tabs.tabText(2) == "Queue (1)", timeout=4000)
    window.show_section(0)  # a hidden Library reads the calls again when it is shown
    qtbot.waitUntil(lambda: window.library.model.index(0, 0).isValid() and not window.library.reading, timeout=30000)
    from empathy_audit.store.library import COLUMN_KEYS

    column = COLUMN_KEYS.index("score")
    scores = [window.library.model.data(window.library.model.index(r, column)) for r in range(2)]
    assert "2.00" in scores  # the Library shows the score made elsewhere
