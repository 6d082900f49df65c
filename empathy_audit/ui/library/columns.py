"""The Library's columns: which are shown, chosen from the header's context menu; with the widths a
reviewer dragged, kept between sessions (the window saves the header's state)."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QPoint, Qt
from PySide6.QtWidgets import QHeaderView, QMenu


class ColumnChooser:
    """Right-click the header: a checkable entry per column (those in `always` cannot be hidden), and
    Reset Columns to go back to the widths and columns the table started with."""

    def __init__(self, header: QHeaderView, always: set[int]) -> None:
        self.header, self.always = header, always
        self.default_state = header.saveState()
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._on_header_context_menu)

    def menu(self) -> QMenu:
        header, model = self.header, self.header.model()
        menu = QMenu(header)
        for section in range(header.count()):
            title = model.headerData(section, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
            action = menu.addAction(str(title))
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(section))
            action.setEnabled(section not in self.always)
            action.toggled.connect(lambda shown, s=section: header.setSectionHidden(s, not shown))
        menu.addSeparator()
        menu.addAction("Reset Columns", self.reset)
        return menu

    def reset(self) -> None:
        self.restore(self.default_state)

    def restore(self, state: QByteArray) -> None:
        """A saved state, unless it is empty or from a table with other columns (an older version)."""
        header = self.header
        if state.isEmpty() or not header.restoreState(state) or header.count() != header.model().columnCount():
            header.restoreState(self.default_state)
        for section in self.always:
            header.setSectionHidden(section, False)

    def _on_header_context_menu(self, pos: QPoint) -> None:
        self.menu().exec(self.header.mapToGlobal(pos))
