"""The Dashboard's Comments view: what customers wrote in the survey, by the audit band of their call,
searchable as you type. Double-click a comment to open its call in Review."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QTableView, QVBoxLayout, QWidget

from empathy_audit.ui.rows_model import rows_model
from empathy_audit.ui.when_shown import WhenShown
from empathy_audit.ui.workspace_runner import WorkspaceRunner

if TYPE_CHECKING:
    from empathy_audit.analytics.comments import CommentRow
    from empathy_audit.analytics.facts import AuditFilter, FactTable

COLUMNS = ["Audit band", "Call", "Agent", "Score", "CSAT", "Churned", "Comment"]
SHOWN = 2000  # rows on screen; a search narrows them, the report's comments.csv has all


class CommentsView(QWidget):
    call_activated = Signal(int)

    def __init__(self, work: WorkspaceRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.when_shown = WhenShown(self, self.refresh)
        self.work = work
        self.facts: FactTable | None = None
        self.flt: AuditFilter | None = None
        self.rows: list[CommentRow] = []
        self._busy = self._pending = False
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search comments (every word must appear)")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search comments")
        self.band = QComboBox()
        self.band.setAccessibleName("Audit band")
        self.band.addItem("All bands", None)
        for name in ("absent", "scripted", "genuine", "exemplary", "empathy-first did not apply", "not reviewed yet"):
            self.band.addItem(name.capitalize(), name)
        self._typing = QTimer(self, singleShot=True, interval=250)  # search once typing pauses
        self._typing.timeout.connect(self.refresh)
        self.search.textChanged.connect(self._typing.start)
        self.band.currentIndexChanged.connect(self.refresh)
        bar = QHBoxLayout()
        bar.addWidget(self.search, 1)
        bar.addWidget(QLabel("Band"))
        bar.addWidget(self.band)
        self.count = QLabel()
        self.count.setWordWrap(True)
        self.table = QTableView()
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setAccessibleName("Customer comments")
        self.table.doubleClicked.connect(self._open)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.count)
        layout.addWidget(self.table, 1)

    def set_facts(self, facts: FactTable, flt: AuditFilter | None) -> None:
        """The dashboard's calls and filter (quarters, team, agent); comments are listed for them (when shown)."""
        self.facts, self.flt = facts, flt
        self.when_shown.request()

    def refresh(self) -> None:
        if self.facts is None:
            return
        if self._busy:
            self._pending = True
            return
        self._busy = True
        search, band, flt, facts = self.search.text(), self.band.currentData(), self.flt, self.facts

        def op(services: Any, _job: Any) -> list[CommentRow]:
            return services.audit.comments(search, band, flt, facts)

        self.work.run("Comments", op, self._on_done, on_failed=self._on_failed, visible=False)

    def _on_done(self, rows: list[CommentRow]) -> None:
        self._busy = False
        counts: dict[str, int] = {}
        for r in rows:
            counts[r.band] = counts.get(r.band, 0) + 1
        self.rows = _spread(rows, counts)
        self.table.setModel(
            rows_model(
                COLUMNS,
                [[r.band, r.name, r.agent, "" if r.score is None else f"{r.score:.2f}",
                  "" if r.csat is None else f"{r.csat * 100:.0f}%",
                  "" if r.churned is None else ("yes" if r.churned else "no"), r.comment] for r in self.rows],
            )
        )  # fmt: skip
        header = self.table.horizontalHeader()
        self.table.resizeColumnsToContents()
        header.setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self.table.resizeRowsToContents()
        words = f" with “{self.search.text().strip()}”" if self.search.text().strip() else ""
        more = f" ({len(self.rows)} shown, newest of each band; search to narrow)" if len(rows) > SHOWN else ""
        by_band = " · ".join(f"{band}: {n}" for band, n in counts.items())
        if rows:
            self.count.setText(
                f"{len(rows)} comments{words}{more}. By band: {by_band}. Double-click one to open its call in Review."
            )
        elif self.facts is not None and not words:
            self.count.setText(
                "No survey comments for these calls. Import outcomes with a comment column (e.g. 'comment', "
                "'verbatim', 'feedback') to read what customers said."
            )
        else:
            self.count.setText(f"No comments{words}.")
        if self._pending:
            self._pending = False
            self.refresh()

    def _on_failed(self, message: str) -> None:
        self._busy = False
        self.count.setText(f"The comments could not be read: {message}")

    def _open(self, index: Any) -> None:
        if 0 <= index.row() < len(self.rows):
            self.call_activated.emit(self.rows[index.row()].call_id)

    def keyPressEvent(self, event: Any) -> None:  # Enter opens the selected comment's call too
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.table.currentIndex().isValid():
            self._open(self.table.currentIndex())
            return
        super().keyPressEvent(event)


def _spread(rows: list[CommentRow], counts: dict[str, int]) -> list[CommentRow]:
    """At most SHOWN rows, shared between the bands (each band's newest), so every band is seen."""
    if len(rows) <= SHOWN:
        return rows
    each = max(1, SHOWN // len(counts))
    seen: dict[str, int] = {}
    kept = []
    for r in rows:
        seen[r.band] = seen.get(r.band, 0) + 1
        if seen[r.band] <= each:
            kept.append(r)
    return kept
