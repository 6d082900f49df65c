"""The clip list: a QAbstractTableModel over `list_clips` (search in SQL, sorting by a proxy)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from empathy_audit.services.clips import ClipsService
from empathy_audit.store.clips import Clip
from empathy_audit.transcription.formats import format_duration

CLIP_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
COLUMNS = ["Title", "Tags", "Illustrates", "Agent", "Team", "Length", "Saved"]

Index = QModelIndex | QPersistentModelIndex


class ClipTableModel(QAbstractTableModel):
    def __init__(self, clips: ClipsService, parent: Any = None) -> None:
        super().__init__(parent)
        self._clips = clips
        self.clips: list[Clip] = []
        self.search = ""

    def refresh(self) -> None:
        self.beginResetModel()
        self.clips = self._clips.list(self.search)
        self.endResetModel()

    def set_search(self, text: str) -> None:
        self.search = text
        self.refresh()

    def row_of(self, clip_id: int) -> int | None:
        return next((i for i, c in enumerate(self.clips) if c.id == clip_id), None)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.clips)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        clip = self.clips[index.row()]
        column = COLUMNS[index.column()]
        if role == CLIP_ROLE:
            return clip
        if role == SORT_ROLE:
            return clip.duration_s if column == "Length" else str(self.data(index) or "").lower()
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                "Title": clip.title,
                "Tags": ", ".join(clip.tags),
                "Illustrates": clip.criterion_label or "",
                "Agent": clip.agent or "",
                "Team": clip.team or "",
                "Length": format_duration(clip.duration_s),
                "Saved": clip.created_at[:16].replace("T", " "),
            }[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return clip.transcript_excerpt or None
        if role == Qt.ItemDataRole.TextAlignmentRole and column == "Length":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
