"""The Library's columns: which are shown, chosen from the header's context menu; with the widths a
reviewer dragged and the sort, kept between sessions (the window saves `state()` in its settings)."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QPoint, Qt
from PySide6.QtWidgets import QHeaderView, QMenu


class ColumnChooser:
    """Right-click the header: a checkable entry per column (those in `always` cannot be hidden), and
    Reset Columns to go back to the widths and columns the table started with."""

    def __init__(self, header: QHeaderView, keys: list[str], always: set[int]) -> None:
        self.header, self.always = header, always
        # A header's saved state knows columns by position only: the column keys go with it, so a state
        # saved before a column was added or moved is not laid over the wrong columns.
        self.signature = QByteArray(("|".join(keys) + "\n").encode())
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
        self.header.restoreState(self.default_state)

    def state(self) -> QByteArray:
        return self.signature + self.header.saveState()

    def restore(self, saved: QByteArray) -> None:
        """A state from `state()`, unless it was saved for other columns (then the table starts as new)."""
        if not saved.startsWith(self.signature) or not self.header.restoreState(saved.mid(len(self.signature))):
            self.header.restoreState(self.default_state)
        for section in self.always:
            self.header.setSectionHidden(section, False)

    def _on_header_context_menu(self, pos: QPoint) -> None:
        menu = self.menu()
        menu.exec(self.header.mapToGlobal(pos))
        menu.deleteLater()
