"""A read-only table model from column names and rows (for report tables).

Cells are turned into text only when a view asks for them: building a QStandardItem per cell cost the GUI
thread ~100 ms for the dashboard's 500-row tables, which stalled the window while work ran alongside.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex
DISPLAY = Qt.ItemDataRole.DisplayRole


class RowsModel(QAbstractTableModel):
    def __init__(self, columns: list[str], rows: list[list[Any]]) -> None:
        super().__init__()
        self.columns, self.rows = list(columns), rows

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = DISPLAY) -> str | None:
        if role != DISPLAY:
            return None
        row = self.rows[index.row()]
        return str(row[index.column()]) if index.column() < len(row) else ""

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> str | None:
        if role != DISPLAY:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.columns[section] if section < len(self.columns) else None
        return str(section + 1)


def rows_model(columns: list[str], rows: list[list[Any]]) -> RowsModel:
    return RowsModel(columns, rows)
