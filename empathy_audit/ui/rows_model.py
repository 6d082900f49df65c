"""A read-only table model from column names and rows (for small report tables)."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QStandardItem, QStandardItemModel


def rows_model(columns: list[str], rows: list[list[Any]]) -> QStandardItemModel:
    model = QStandardItemModel(len(rows), len(columns))
    model.setHorizontalHeaderLabels(columns)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            model.setItem(r, c, QStandardItem(str(value)))
    return model
