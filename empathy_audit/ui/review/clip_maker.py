"""Making clips in the Review section: the span comes from the waveform (drag) or the transcript
(select turns; Shift extends), whichever was chosen last; S or "Save Clip…" opens the dialog."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelection, QObject, Signal

from empathy_audit.ui.clips.clip_dialog import ClipDialog

if TYPE_CHECKING:
    from empathy_audit.ui.review.review_section import ReviewSection


class ClipMaker(QObject):
    clip_saved = Signal(int)  # clip id

    def __init__(self, section: ReviewSection) -> None:
        super().__init__(section)
        self.section = section
        self.span_s: tuple[float, float] | None = None
        # Tests replace this to fill in and accept the dialog without a modal loop.
        self.run_dialog: Callable[[ClipDialog], int] = lambda dialog: dialog.exec()
        section.waveform.span_selected.connect(self._on_waveform_span_selected)
        section.transcript.selectionModel().selectionChanged.connect(self._on_transcript_selection_changed)

    def reset(self) -> None:
        self.span_s = None
        self.section.waveform.set_selection(None)

    def _on_waveform_span_selected(self, start_ms: int, end_ms: int) -> None:
        self.span_s = (start_ms / 1000, end_ms / 1000)

    def _on_transcript_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = self.section.transcript.selected_rows()
        segments = self.section.segments
        if not rows or not segments:
            return
        self.span_s = (min(segments[r].start for r in rows), max(segments[r].end for r in rows))
        self.section.waveform.set_selection((int(self.span_s[0] * 1000), int(self.span_s[1] * 1000)))

    def save_clip(self) -> int | None:
        section = self.section
        if section.call is None:
            return None
        if not section.segments:
            section._show_state("Clips need a transcript: wait for this call to be transcribed.")
            return None
        if self.span_s is None:
            section._show_state(
                "Choose a moment first: drag across the waveform, or select turns in the transcript "
                "(Shift+click or Shift+Up/Down for several), then press S."
            )
            return None
        start, end = self.span_s
        dialog = ClipDialog(
            section.services.clips,
            section.call,
            section.segments,
            start,
            end,
            criterion=section.rubric_panel.focused_key(),
            parent=section,
        )
        if not self.run_dialog(dialog) or dialog.saved is None:
            return None
        section._show_state(f"Clip “{dialog.saved.title}” saved to the Clips section.")
        section.work.announce(dialog.changes)
        self.clip_saved.emit(dialog.saved.id)
        return dialog.saved.id
