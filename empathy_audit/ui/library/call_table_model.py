"""The call table: a QAbstractTableModel over the library query (sorting and filtering in SQL)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from empathy_audit.audio.layout import LAYOUT_NAMES, SIDE_SOURCES, short_sides
from empathy_audit.languages import language_name
from empathy_audit.services.calls import CallsService
from empathy_audit.store.library import COLUMNS, LibraryFilter
from empathy_audit.transcription.formats import format_duration
from empathy_audit.wording import csat_text, plural

CALL_ID_ROLE = Qt.ItemDataRole.UserRole + 1
STATUS_ROLE = Qt.ItemDataRole.UserRole + 2

STATUS_TEXT = {
    "new": "New",
    "transcribing": "Transcribing",
    "transcribed": "Transcribed",
    "no_speech": "No speech found",
    "failed": "Failed",
}

Index = QModelIndex | QPersistentModelIndex


def _layout(row: dict[str, Any]) -> str:
    return row.get("channel_layout") or ("dual" if row.get("channels") == 2 else "mono")


def sides_text(row: dict[str, Any]) -> str:
    return short_sides(_layout(row), row.get("agent_channel") or "left")


def sides_tip(row: dict[str, Any]) -> str:
    layout = _layout(row)
    lines = [
        LAYOUT_NAMES.get(layout, layout).capitalize() + (f": {row['layout_note']}" if row.get("layout_note") else "")
    ]
    if layout in ("dual", "dual_bleed"):
        lines.append(
            f"Agent on the {row.get('agent_channel')}: {SIDE_SOURCES.get(row.get('agent_side_source') or '', '')}"
        )
    lines.append("Change it with Edit Details (F2); in Review, A swaps agent and customer.")
    return "\n".join(lines)


class CallTableModel(QAbstractTableModel):
    def __init__(self, calls: CallsService, parent: Any = None) -> None:
        super().__init__(parent)
        self._calls = calls
        self._rows: list[dict[str, Any]] = []
        self._row_of: dict[int, int] = {}
        self.filter = LibraryFilter()
        self.sort_key = "call_start"
        self.descending = True

    # -- data ---------------------------------------------------------------
    def refresh(self) -> None:
        self.set_rows(self._calls.library_rows(self.filter, self.sort_key, self.descending))

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        """Show rows read elsewhere (off the GUI thread) for the current filter and sort."""
        for row in rows:  # keep a live percent newer than the one the read found in the store
            old = self._rows[i] if (i := self._row_of.get(row["id"])) is not None else None
            if (
                old is not None
                and old.get("status") == row.get("status")
                and (old.get("progress") or 0) > (row.get("progress") or 0)
            ):
                row["progress"] = old["progress"]
        self.beginResetModel()
        self._rows = rows
        self._row_of = {row["id"]: i for i, row in enumerate(self._rows)}
        self.endResetModel()

    def set_filter(self, flt: LibraryFilter) -> None:
        self.filter = flt
        self.refresh()

    def call_id_at(self, row: int) -> int:
        return int(self._rows[row]["id"])

    def row_of_call(self, call_id: int) -> int | None:
        return self._row_of.get(call_id)

    def call_ids(self) -> list[int]:
        return [int(r["id"]) for r in self._rows]

    def update_progress(self, call_id: int, status: str, progress: float | None) -> None:
        """Live update of one row while it transcribes, without a re-query."""
        row = self._row_of.get(call_id)
        if row is None:
            return
        self._rows[row]["status"], self._rows[row]["progress"] = status, progress
        status_col = [c[0] for c in COLUMNS].index("status")
        index = self.index(row, status_col)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole])

    # -- Qt model API ---------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][1]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        key = COLUMNS[index.column()][0]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, key)
        if role == Qt.ItemDataRole.ToolTipRole:
            if key == "status" and row["error"]:
                return row["error"]
            if key == "original_name":
                return row["original_name"]
            if key == "sides":
                return sides_tip(row)
            if key == "language" and row.get("language"):
                return f"Detected by Whisper: {row['language']}. Cues and personal-data rules follow the language."
            if key == "score" and row["score"] is not None:
                return (
                    f"Mean of the latest submitted review of each of {plural(row['reviewers'], 'reviewer')}: "
                    f"{row['reviewer']}. The dashboard and reports use the same score."
                )
        if role == Qt.ItemDataRole.TextAlignmentRole and key in ("duration_s", "score", "csat"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == CALL_ID_ROLE:
            return row["id"]
        if role == STATUS_ROLE:
            return row["status"]
        return None

    @staticmethod
    def _display(row: dict[str, Any], key: str) -> str:
        value = row.get(key)
        if key == "call_start":
            return (value or "")[:16].replace("T", " ")
        if key == "duration_s":
            return format_duration(value)
        if key == "status":
            text = STATUS_TEXT.get(value, value or "")
            if value == "transcribing" and row.get("progress") is not None:
                text += f" {row['progress']:.0%}"
            if value == "failed" and row.get("error"):
                text += " ⚠"
            return text
        if key == "score":
            if value is None:
                return ""
            return f"{value:.2f}" + (f"  ({row['reviewers']})" if (row.get("reviewers") or 0) > 1 else "")
        if key == "sides":
            return sides_text(row)
        if key == "language":
            return language_name(value) if value else ""
        if key == "csat":
            return csat_text(row.get("csat_raw"), row.get("csat_scale"), value) if value is not None else ""
        return "" if value is None else str(value)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sort_key = COLUMNS[column][0]
        self.descending = order == Qt.SortOrder.DescendingOrder
        rows = self._calls.library_rows(self.filter, self.sort_key, self.descending)
        if {r["id"] for r in rows} != set(self._row_of):  # the list changed too: show it afresh
            self.set_rows(rows)
            return
        # Same calls in a new order: a layout change, so the view keeps the selection and current row.
        self.layoutAboutToBeChanged.emit()
        old_ids = [r["id"] for r in self._rows]
        self._rows = rows
        self._row_of = {row["id"]: i for i, row in enumerate(rows)}
        for index in self.persistentIndexList():
            self.changePersistentIndex(index, self.index(self._row_of[old_ids[index.row()]], index.column()))
        self.layoutChanged.emit()
