"""The Library section: filters, word search, the call table, and the welcome state."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from empathy_audit.changes import Area, Changes
from empathy_audit.importing.attach import MetadataProblem
from empathy_audit.languages import language_name
from empathy_audit.services import WorkspaceServices
from empathy_audit.services.transcripts import SidesProblem
from empathy_audit.store.library import COLUMN_KEYS, LibraryFilter
from empathy_audit.ui.empty_state import EmptyState
from empathy_audit.ui.library.attach_dialog import AttachMetadataDialog
from empathy_audit.ui.library.call_table_model import STATUS_TEXT, CallTableModel
from empathy_audit.ui.library.columns import ColumnChooser
from empathy_audit.ui.library.details_dialog import CallDetailsDialog
from empathy_audit.ui.when_shown import WhenShown
from empathy_audit.ui.workspace_runner import WorkspaceRunner
from empathy_audit.wording import plural

ANY = "Any"


class LibrarySection(QWidget):
    call_activated = Signal(int)
    details_changed = Signal(object)  # Changes: the user edited calls' details here
    transcribe_requested = Signal(list)  # call ids to transcribe again (their layout changed)
    files_dropped = Signal(list)
    import_files_requested = Signal()
    import_folder_requested = Signal()

    def __init__(
        self, services: WorkspaceServices, work: WorkspaceRunner | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.services = services
        self.work = work  # reads the list again off the GUI thread when work elsewhere changed it
        self.reading = False
        self._read_again = False
        self.when_shown = WhenShown(self, self.read_in_background)  # changed while hidden: read when shown
        self.model = CallTableModel(services.calls, self)

        self.search = QLineEdit(placeholderText="Search words said in calls…", clearButtonEnabled=True)
        self.status_box = self._combo("Status", [(ANY, None)] + [(text, key) for key, text in STATUS_TEXT.items()])
        self.agent_box = self._combo("Agent", [(ANY, None)])
        self.team_box = self._combo("Team", [(ANY, None)])
        self.quarter_box = self._combo("Quarter", [(ANY, None)])
        self.language_box = self._combo("Language", [(ANY, None)])
        self.reviewed_box = self._combo("Reviewed", [(ANY, None), ("Reviewed", True), ("Not reviewed", False)])
        self.filter_boxes = (
            self.status_box,
            self.agent_box,
            self.team_box,
            self.quarter_box,
            self.language_box,
            self.reviewed_box,
        )
        clear = QPushButton("Clear Filters")
        clear.clicked.connect(self.clear_filters)
        bar = QHBoxLayout()
        bar.addWidget(self.search, 3)
        for box in self.filter_boxes:
            bar.addWidget(box, 1)
        bar.addWidget(clear)

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COLUMN_KEYS.index("original_name"), QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(60)
        # Room for what each column holds, so the name (which stretches) keeps a readable width at 1280 px.
        metrics = self.table.fontMetrics()
        widths = {
            "call_start": "2026-12-31 23:59", "status": "Transcribing 100%", "sides": "Agent right · bleed",
            "language": "Portuguese", "agent": "Agent name", "team": "Team name", "reviewer": "Reviewed by",
            "duration_s": "1:00:00", "score": "2.50  (3)", "csat": "10 of 10",
        }  # fmt: skip
        for key, sample in widths.items():
            header.resizeSection(COLUMN_KEYS.index(key), metrics.horizontalAdvance(sample) + 24)
        self.table.sortByColumn(COLUMN_KEYS.index("call_start"), Qt.SortOrder.DescendingOrder)
        self.columns = ColumnChooser(header, COLUMN_KEYS, always={COLUMN_KEYS.index("original_name")})
        # Whatever re-reads the list (a sort that found it changed, a filter, a background read), the calls
        # selected before stay selected and the count under the table stays true.
        self._kept: tuple[list[int], int | None, int] = ([], None, 0)  # selection, current call and column
        self.model.modelAboutToBeReset.connect(self._before_reset)
        self.model.modelReset.connect(self._after_reset)
        self.table.doubleClicked.connect(lambda index: self.call_activated.emit(self.model.call_id_at(index.row())))
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        open_action = QAction("Open in Review", self.table)
        open_action.triggered.connect(self._open_current)
        self.edit_action = QAction("Edit Details…", self.table)
        self.edit_action.setShortcut(QKeySequence("F2"))
        self.edit_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.edit_action.triggered.connect(self.edit_details)
        self.table.addActions([open_action, self.edit_action])
        edit = QPushButton("Edit Details…  (F2)")
        edit.setToolTip("Agent, team, customer, call id and start of the selected calls")
        edit.clicked.connect(self.edit_details)
        attach = QPushButton("Attach Metadata…")
        attach.setToolTip("Set those details for many calls at once from a CSV export")
        attach.clicked.connect(self.attach_metadata)
        self.count = QLabel()
        actions_row = QHBoxLayout()
        actions_row.addWidget(self.count, 1)
        actions_row.addWidget(edit)
        actions_row.addWidget(attach)
        # Tests fill dialogs in without a modal loop.
        self.run_dialog = lambda dialog: dialog.exec()

        self.welcome = EmptyState(
            "Welcome to Empathy Audit",
            "Import recorded calls to start. Each call is transcribed on this computer, offline; "
            "nothing leaves it.\n\nYou can also drop recordings or folders anywhere in this window.",
            [
                ("Import Files…", self.import_files_requested.emit),
                ("Import Folder…", self.import_folder_requested.emit),
            ],
        )
        self.no_match = EmptyState(
            "No calls match", "Change or clear the filters to see more calls.", [("Clear Filters", self.clear_filters)]
        )
        table_page = QWidget()
        table_layout = QVBoxLayout(table_page)
        table_layout.setContentsMargins(0, 0, 0, 0)
        table_layout.addLayout(bar)
        self.body = QStackedWidget()
        self.body.addWidget(self.table)
        self.body.addWidget(self.no_match)
        table_layout.addWidget(self.body)
        table_layout.addLayout(actions_row)

        self.pages = QStackedWidget()
        self.pages.addWidget(self.welcome)
        self.pages.addWidget(table_page)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)

        # Typing in the search box re-queries after a short pause, not on every key.
        self._search_timer = QTimer(self, singleShot=True, interval=250)
        self._search_timer.timeout.connect(self.apply_filters)
        self.search.textChanged.connect(self._search_timer.start)
        for box in self.filter_boxes:
            box.currentIndexChanged.connect(self.apply_filters)
        self.setFocusProxy(self.table)
        self.refresh()

    @staticmethod
    def _combo(name: str, items: list[tuple[str, object]]) -> QComboBox:
        box = QComboBox()
        box.setAccessibleName(name)
        box.setToolTip(name)
        for text, value in items:
            box.addItem(text if text != ANY else f"{name}: any", value)
        return box

    def _refill(self, box: QComboBox, values: list[str], label: Callable[[str], str] = str) -> None:
        current = box.currentData()
        box.blockSignals(True)
        while box.count() > 1:
            box.removeItem(1)
        for value in values:
            box.addItem(label(value), value)
        index = box.findData(current)
        box.setCurrentIndex(max(0, index))
        box.blockSignals(False)

    def current_filter(self) -> LibraryFilter:
        return LibraryFilter(
            status=self.status_box.currentData(),
            agent=self.agent_box.currentData(),
            team=self.team_box.currentData(),
            quarter=self.quarter_box.currentData(),
            language=self.language_box.currentData(),
            reviewed=self.reviewed_box.currentData(),
            search=self.search.text(),
        )

    def apply_filters(self) -> None:
        self.model.set_filter(self.current_filter())  # the selection is kept across the reset (_after_reset)
        self._show_right_page()

    def clear_filters(self) -> None:
        for box in self.filter_boxes:
            box.blockSignals(True)
            box.setCurrentIndex(0)
            box.blockSignals(False)
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.apply_filters()

    def on_workspace_changed(self, changes: Changes) -> None:
        if changes.touches(Area.CALLS, Area.TRANSCRIPTS, Area.AUDIT, Area.OUTCOMES):
            self.when_shown.request()  # a hidden list costs the window nothing while work runs

    def refresh(self) -> None:
        """Read the filters' choices and the list now, on this thread (what the user just asked for)."""
        self._fill_choices(self.services.calls.filter_choices())
        self.apply_filters()

    def _fill_choices(self, choices: dict[str, list[str]]) -> None:
        self._refill(self.agent_box, choices["agent"])
        self._refill(self.team_box, choices["team"])
        self._refill(self.quarter_box, choices["quarter"])
        self._refill(self.language_box, choices["language"], language_name)

    def read_in_background(self) -> None:
        """Read the list again in a background job, after work elsewhere changed it (an import, a transcript,
        a review): at 10,000 calls the query and the rows take ~0.1 s, a stall each time if read here."""
        if self.work is None:
            self.refresh()
            return
        if self.reading:  # one read at a time; the latest change gets one more
            self._read_again = True
            return
        self.reading = True
        flt, sort, descending = self.current_filter(), self.model.sort_key, self.model.descending

        def read(services: WorkspaceServices, _job: object) -> tuple[dict[str, list[str]], list[dict], bool]:
            calls = services.calls
            return calls.filter_choices(), calls.library_rows(flt, sort, descending), calls.any()

        self.work.run(
            "Library", read, lambda result: self._on_read(result, flt, (sort, descending)),
            on_failed=self._on_read_failed, on_cancelled=self._on_read_cancelled, visible=False,
        )  # fmt: skip

    def _on_read_ended(self) -> bool:
        """The read is over; read once more if the workspace changed again meanwhile."""
        self.reading = False
        again, self._read_again = self._read_again, False
        if again:
            self.read_in_background()
        return again

    def _on_read_cancelled(self) -> None:  # the window is closing: read when shown again, not now
        self.reading = False
        self.when_shown.pending, self._read_again = True, False  # what the cancelled read found is lost

    def _on_read(
        self, result: tuple[dict[str, list[str]], list[dict], bool], flt: LibraryFilter, sort: tuple[str, bool]
    ) -> None:
        choices, rows, has_calls = result
        # The user changed the sort or filter meanwhile: that read the list on this thread, newer than this.
        overtaken = (self.model.sort_key, self.model.descending) != sort or self.current_filter() != flt
        self._fill_choices(choices)  # the workspace's choices, whatever the filter (keeps the user's own)
        if not overtaken and self.current_filter() != flt:  # a chosen agent or team is no longer there
            self.apply_filters()
        elif not overtaken:  # shown even if the workspace changed again while reading: newer than what is shown
            self.model.filter = flt
            self.model.set_rows(rows)
            self._show_right_page(has_calls)
        self._on_read_ended()

    def _on_read_failed(self, message: str) -> None:
        if not self._on_read_ended():
            self.count.setText(f"The list could not be read again: {message}")

    def _open_current(self) -> None:
        ids = self.selected_call_ids()
        if ids:
            self.call_activated.emit(ids[0])

    def edit_details(self) -> None:
        calls = [c for i in self.selected_call_ids() if (c := self.services.calls.get(i)) is not None]
        if not calls:
            return
        dialog = CallDetailsDialog(calls, self)
        while self.run_dialog(dialog):
            ids = [c.id for c in calls]
            try:
                changes = self.services.calls.update_details(ids, **dialog.values())
                if dialog.layout() is not None:
                    changes |= self.services.calls.set_layout(ids, dialog.layout())
                if dialog.agent_side() is not None:
                    for call in calls:
                        fresh = self.services.calls.get(call.id)
                        if fresh is not None and fresh.layout in ("dual", "dual_bleed"):
                            changes |= self.services.transcripts.set_agent_side(fresh, dialog.agent_side())
            except (MetadataProblem, SidesProblem) as exc:
                dialog.show_problem(str(exc))
                continue
            self.details_changed.emit(changes)
            if dialog.transcribe_again():
                self.transcribe_requested.emit([c.id for c in calls if c.status == "transcribed"])
            return

    def attach_metadata(self, path: Path | None = None) -> None:
        dialog = AttachMetadataDialog(self.services.calls, self)
        if path is not None:
            dialog.load(path)
        if self.run_dialog(dialog) and dialog.changes:
            self.details_changed.emit(dialog.changes)

    def _show_right_page(self, has_calls: bool | None = None) -> None:
        """The welcome page for an empty workspace, else the table (the list and count: _after_reset)."""
        self.pages.setCurrentIndex(1 if (self.services.calls.any() if has_calls is None else has_calls) else 0)

    def _before_reset(self) -> None:
        current = self.table.currentIndex()
        call_id = self.model.call_id_at(current.row()) if current.isValid() else None
        self._kept = (self.selected_call_ids(), call_id, max(0, current.column()))

    def _after_reset(self) -> None:
        """The selection, and the keyboard's place in the list (Down goes on from there, not from the top)."""
        selected, current, column = self._kept
        self.select_calls(selected)
        row = self.model.row_of_call(current) if current is not None else None
        if row is not None:
            selection = self.table.selectionModel()
            selection.setCurrentIndex(self.model.index(row, column), selection.SelectionFlag.NoUpdate)
        self.body.setCurrentIndex(0 if self.model.rowCount() else 1)
        self.count.setText(f"{plural(self.model.rowCount(), 'call')}")

    def selected_call_ids(self) -> list[int]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.model.call_id_at(r) for r in rows]

    def select_calls(self, call_ids: list[int]) -> None:
        selection = self.table.selectionModel()
        selection.clearSelection()
        for call_id in call_ids:
            row = self.model.row_of_call(call_id)
            if row is not None:
                selection.select(
                    self.model.index(row, 0),
                    selection.SelectionFlag.Select | selection.SelectionFlag.Rows,
                )

    # -- drag and drop ------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            self.files_dropped.emit(paths)
            event.acceptProposedAction()
