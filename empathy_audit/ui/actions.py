"""All menu actions and keyboard shortcuts, declared in one place (and listed in Help > Shortcuts)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

# Keys handled inside the Review section (not QActions, because they must yield to text fields).
REVIEW_KEYS: list[tuple[str, str]] = [
    ("Space", "Play or pause"),
    ("Left / Right", "Back or forward 5 seconds"),
    ("[ / ]", "Play slower or faster (0.75× to 2×)"),
    ("Up / Down", "Select the previous or next transcript turn"),
    ("Enter", "Play from the selected turn"),
    ("0, 1, 2, 3", "Score the focused criterion"),
    ("N", "Mark the focused criterion N/A (where the rubric allows it)"),
    ("Delete", "Clear the focused criterion's score"),
    ("Tab / Shift+Tab", "Focus the next or previous criterion"),
    ("E", "Add the selected turn (or the one playing) as evidence for the focused criterion"),
    ("X", "Remove the focused criterion's last evidence moment"),
    ("C", "Write a comment on the focused criterion"),
    ("Shift+Up / Shift+Down", "Select several transcript turns (for a clip)"),
    ("Drag on the waveform", "Select a moment (for a clip)"),
    ("S", "Save the selected moment as a coaching clip"),
    ("A", "Swap agent and customer (when the sides were found the wrong way round); A again undoes it"),
    ("U / Shift+U", "Go to the next or previous word Whisper was unsure of (underlined), just before it in the audio"),
    ("H", "Hide or show personal data in the transcript ([redacted], hatched on the waveform)"),
    ("Esc", "Leave a text field and return to keyboard scoring"),
    ("Click a turn", "Play from there; double-click to correct its text"),
]


class Actions:
    def __init__(self, parent: QWidget) -> None:
        def make(text: str, shortcut: QKeySequence | str | None = None, tip: str = "") -> QAction:
            action = QAction(text, parent)
            if shortcut is not None:
                action.setShortcut(QKeySequence(shortcut))
            if tip:
                action.setStatusTip(tip)
                action.setToolTip(tip + (f" ({action.shortcut().toString()})" if shortcut else ""))
            return action

        self.import_files = make("Import &Files…", QKeySequence.StandardKey.Open, "Import recorded calls")
        self.import_folder = make("Import F&older…", "Ctrl+Shift+O", "Import every recording in a folder")
        self.import_outcomes = make("Import O&utcomes…", None, "Import CSAT and churn from a CSV export")
        self.attach_metadata = make(
            "Attach &Metadata to Calls…", None, "Agents, teams, customers, ids and dates of calls already imported"
        )
        self.transcribe = make("&Transcribe Pending", "Ctrl+T", "Transcribe calls that have no transcript yet")
        self.cancel_work = make("&Cancel Background Work", None, "Stop the import or transcription in progress")
        self.quit = make("&Quit", QKeySequence.StandardKey.Quit)
        self.next_call = make("&Next Call", "Ctrl+N", "Open the next call in the review queue")
        self.submit_next = make("&Submit and Next", "Ctrl+Return", "Submit this review and open the next call")
        self.submit_next.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
        self.play_pause = make("&Play / Pause", None, "Play or pause the call (Space in the Review section)")
        self.edit_rubric = make("Edit &Rubric…", None, "Edit the rubric (saved as a new version)")
        self.change_reviewer = make("Change &Reviewer Name…")
        self.preferences = make(
            "&Preferences…", QKeySequence.StandardKey.Preferences, "Model, vocabulary, agent side, uncertain words"
        )
        self.sections = [
            make(name, f"Ctrl+{i + 1}")
            for i, name in enumerate(["&Library", "&Review", "&Dashboard", "&Clips", "C&alibration", "Coac&hing"])
        ]
        self.shortcuts = make("&Keyboard Shortcuts", QKeySequence.StandardKey.HelpContents)
        self.about = make("&About Empathy Audit")
        for action in (self.submit_next, self.next_call):
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)

    def listing(self) -> list[tuple[str, str]]:
        rows = []
        for action in (
            self.import_files,
            self.import_folder,
            self.transcribe,
            self.next_call,
            self.submit_next,
            *self.sections,
            self.shortcuts,
            self.quit,
        ):
            keys = ", ".join(s.toString(QKeySequence.SequenceFormat.NativeText) for s in action.shortcuts())
            if keys:
                rows.append((keys, action.text().replace("&", "").rstrip("…")))
        return rows + REVIEW_KEYS
