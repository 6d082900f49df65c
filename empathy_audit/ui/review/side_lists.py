"""The Cues and Queue tabs of Review: lists that point at moments and calls; they never score."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from empathy_audit.domain import Segment
from empathy_audit.reviewing.cues import CueHit
from empathy_audit.reviewing.queue import QueueItem
from empathy_audit.transcription.formats import SPEAKER_LABELS, format_duration

ROW_ROLE = Qt.ItemDataRole.UserRole  # cue: the segment's row; queue: the call id


class CueList(QListWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setWordWrap(True)  # the note on a language without cue rules is a sentence

    def show_cues(self, hits: Sequence[CueHit], segments: Sequence[Segment], note: str = "") -> None:
        """The hits, or `note` (why there are none) as one row that cannot be chosen."""
        self.clear()
        if note and segments:
            item = QListWidgetItem(note)
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.addItem(item)
        for hit in hits:
            seg = segments[hit.segment_index]
            item = QListWidgetItem(f"{format_duration(seg.start)}  {hit.label}: “{hit.phrase}”")
            item.setData(ROW_ROLE, hit.segment_index)
            item.setToolTip(f"{SPEAKER_LABELS.get(seg.speaker, seg.speaker)}: {seg.text}")
            self.addItem(item)


class QueueList(QListWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setWordWrap(True)

    def show_queue(self, items: Sequence[QueueItem], names: dict[int, str]) -> None:
        self.clear()
        for item in items:
            row = QListWidgetItem(f"{names.get(item.call_id, item.call_id)}\n    {'; '.join(item.reasons)}")
            row.setData(ROW_ROLE, item.call_id)
            row.setToolTip("Double-click to open")
            self.addItem(row)
