"""The Review section's plain keys (listed in actions.REVIEW_KEYS). Not QActions: they must yield to text
fields, so the section passes key presses here only while it has the focus."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent

from empathy_audit.ui import settings as keys
from empathy_audit.ui.review.player_bar import SKIP_MS
from empathy_audit.ui.review.transcript_edits import swap_sides

if TYPE_CHECKING:
    from empathy_audit.ui.review.review_section import ReviewSection

UP_DOWN = (Qt.Key.Key_Up, Qt.Key.Key_Down)
ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def jump_to_uncertain(section: ReviewSection, step: int) -> None:
    found = section.listen.jump_to_uncertain(step)
    if found is None:
        below = section.settings.get(keys.UNCERTAIN_BELOW)
        section._show_state(f"No uncertain words in this transcript (none below {below:.0%} sure)")
        return
    word, number, count = found
    hidden = word.row in section.listen.transcript.transcript.redacted  # personal data hidden: no words shown
    said = "in a turn with personal data hidden" if hidden else f"“{word.text}”"
    section._show_state(
        f"Uncertain word {number} of {count}: {said}, {word.probability:.0%} sure. Space plays it; "
        "double-click the turn to correct it"
    )


def handle_review_key(section: ReviewSection, event: QKeyEvent) -> bool:
    """Act on one key press; False when the key is not one of ours."""
    key, text, modifiers = event.key(), event.text().lower(), event.modifiers()
    command = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.MetaModifier
    if modifiers & command and not (key in ENTER and modifiers & Qt.KeyboardModifier.ControlModifier):
        return False  # Ctrl+1 is a section and Alt+F a menu, never a score or a clip
    max_score = section.rubric.max_score if section.rubric else 3
    focused = section.rubric_panel.focused_key()
    if key == Qt.Key.Key_Escape:
        section.setFocus()
    elif key == Qt.Key.Key_Space:
        section.player.toggle()
    elif key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
        section.player.skip(SKIP_MS if key == Qt.Key.Key_Right else -SKIP_MS)
    elif key in UP_DOWN and modifiers & Qt.KeyboardModifier.ShiftModifier:
        section.transcript.extend_selection(1 if key == Qt.Key.Key_Down else -1)
    elif key in UP_DOWN:
        row = section.transcript.selected_row()
        section.transcript.select_row(max(0, row + (1 if key == Qt.Key.Key_Down else -1)))
    elif key in ENTER and modifiers & Qt.KeyboardModifier.ControlModifier:
        section.submit_and_next()  # also a window shortcut; this catches it when the shortcut map does not
    elif key in ENTER and not modifiers:
        row = section.transcript.selected_row()
        if row >= 0:
            section.player.play_from(int(section.segments[row].start * 1000))
    elif text.isdigit() and int(text) <= max_score:
        if focused:
            section.set_criterion_score(focused, int(text))
    elif text == "n":
        if focused and section.rubric and section.rubric.criterion(focused).allow_na:
            section.set_criterion_score(focused, None)
    elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
        if focused:
            section.clear_criterion_score(focused)
    elif text == "e":
        section.add_evidence_here()
    elif text == "x":
        section.remove_last_evidence()
    elif text == "s":
        section.clip_maker.save_clip()
    elif text == "h":
        section.hide_personal.toggle()
    elif text in ("[", "]"):
        speed = section.player.change_speed(1 if text == "]" else -1)
        section._show_state(f"Playback speed {speed:g}×")
    elif text == "a":
        swap_sides(section)
    elif text == "u":
        jump_to_uncertain(section, -1 if modifiers & Qt.KeyboardModifier.ShiftModifier else 1)
    elif text == "c":
        row = section.rubric_panel.focused_row()
        if row is not None:
            row.comment.setFocus()
    else:
        return False
    return True
