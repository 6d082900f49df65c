"""A coaching session: the lead walks an agent through their reviewed calls and the evidence (double-click a
moment to hear it in Review), records per review the agent's acknowledgement or a dispute, and keeps the
session's goals and to-dos (open ones carry to the agent's next session)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from empathy_audit.coaching.disputes import DisputeProblem
from empathy_audit.services import WorkspaceServices
from empathy_audit.transcription.formats import format_duration
from empathy_audit.ui.rows_model import rows_model

if TYPE_CHECKING:
    from empathy_audit.changes import Changes
    from empathy_audit.coaching.sessions import AgentReview


class DisputeDialog(QDialog):
    """The agent's dispute of one criterion: which, the score they propose, and why."""

    def __init__(self, item: AgentReview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Dispute — {item.call_name}")
        self.criterion = QComboBox()
        for key, label in item.criteria.items():
            current = item.review.scores.get(key)
            self.criterion.addItem(f"{label} (scored {'N/A' if current is None else current})", key)
        self.proposed = QSpinBox()
        self.proposed.setRange(0, item.max_score)
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText("What in the call the score misses (e.g. 'I offered a callback at 3:40')")
        form = QFormLayout(self)
        form.addRow("Criterion", self.criterion)
        form.addRow("Proposed score", self.proposed)
        form.addRow("Reason", self.reason)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Open Dispute")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self) -> tuple[str, int, str]:
        return self.criterion.currentData(), self.proposed.value(), self.reason.toPlainText()


class SessionView(QWidget):
    moment_activated = Signal(int, float)  # call id, seconds: hear it in Review
    changed = Signal(object)  # Changes

    def __init__(self, services: WorkspaceServices, lead: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.lead = lead  # () -> the user's name (the reviewer name set in the app)
        self.agent: str | None = None
        self.quarter: str | None = None
        self.items: list[AgentReview] = []
        self.session_id: int | None = None
        self.run_dialog = lambda dialog: dialog.exec()
        self.ask_comment = lambda title: QInputDialog.getText(self, title, "Comment (optional)")
        self.tell = lambda text: QMessageBox.warning(self, "Not Recorded", text)

        self.reviews = QTableView()
        self.reviews.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.reviews.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.reviews.verticalHeader().hide()
        self.reviews.setAccessibleName("The agent's reviewed calls")
        self.moments = QListWidget()
        self.moments.setAccessibleName("Evidence moments")
        self.moments.itemActivated.connect(self._play_moment)
        self.ack_button = QPushButton("Agent Acknowledges…")
        self.dispute_button = QPushButton("Agent Disputes…")
        self.ack_button.clicked.connect(self.acknowledge)
        self.dispute_button.clicked.connect(self.dispute)
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(QLabel("<b>Reviewed calls</b> (select one to walk through its evidence)"))
        lv.addWidget(self.reviews, 1)
        lv.addWidget(QLabel("<b>Evidence</b> (Enter or double-click: hear it in Review)"))
        lv.addWidget(self.moments, 1)
        actions = QHBoxLayout()
        actions.addWidget(self.ack_button)
        actions.addWidget(self.dispute_button)
        actions.addStretch(1)
        lv.addLayout(actions)

        self.start_button = QPushButton("Start Session")
        self.start_button.clicked.connect(self.start_session)
        self.session_label = QLabel("No session open: acknowledgements and disputes are recorded without one.")
        self.session_label.setWordWrap(True)
        self.goals = QPlainTextEdit()
        self.goals.setPlaceholderText("Goals for this session (e.g. 'Name the customer's frustration early')")
        self.todos = QListWidget()
        self.todos.setAccessibleName("To-dos")
        self.todos.itemChanged.connect(self._todo_checked)
        self.new_todo = QLineEdit()
        self.new_todo.setPlaceholderText("Add a to-do and press Enter")
        self.new_todo.returnPressed.connect(self.add_todo)
        self.end_button = QPushButton("End Session")
        self.end_button.clicked.connect(self.end_session)
        right = QWidget()
        rv = QVBoxLayout(right)
        rv.setContentsMargins(0, 0, 0, 0)
        rv.addWidget(self.start_button, 0, Qt.AlignmentFlag.AlignLeft)
        rv.addWidget(self.session_label)
        rv.addWidget(QLabel("<b>Goals</b>"))
        rv.addWidget(self.goals, 1)
        rv.addWidget(QLabel("<b>To-dos</b> (open ones from earlier sessions carry over; tick when done)"))
        rv.addWidget(self.todos, 1)
        rv.addWidget(self.new_todo)
        rv.addWidget(self.end_button, 0, Qt.AlignmentFlag.AlignRight)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split)
        self._enable()

    # -- what is shown ---------------------------------------------------------------------------------
    def show_agent(self, agent: str | None, quarter: str | None) -> None:
        if agent != self.agent:
            self.session_id = None  # a session is with one agent
        self.agent, self.quarter = agent, quarter
        self.refresh()

    def refresh(self) -> None:
        selected = self.current()
        self.items = (
            self.services.coaching.agent_reviews(self.agent, self.quarter) if self.agent and self.quarter else []
        )
        self.reviews.setModel(
            rows_model(
                ["Call", "Started", "Reviewer", "Score", "Where it stands"],
                [[i.call_name, i.started, i.review.reviewer, "" if i.score is None else f"{i.score:.2f}", i.status]
                 for i in self.items],
            )
        )  # fmt: skip
        self.reviews.resizeColumnsToContents()  # then the last column takes the rest, on every new list
        self.reviews.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.reviews.selectionModel().currentRowChanged.connect(lambda *_a: self._show_moments())
        row = next((n for n, i in enumerate(self.items) if selected and i.review.id == selected.review.id), 0)
        if self.items:
            self.reviews.selectRow(row)
        self._show_moments()
        self._show_todos()
        self._enable()

    def current(self) -> AgentReview | None:
        index = self.reviews.currentIndex() if self.reviews.model() is not None else None
        if index is None or not index.isValid() or index.row() >= len(self.items):
            return None
        return self.items[index.row()]

    def _show_moments(self) -> None:
        self.moments.clear()
        item = self.current()
        if item is None:
            return
        for ev in item.review.evidence:
            label = item.criteria.get(ev.criterion_key, ev.criterion_key)
            score = item.review.scores.get(ev.criterion_key)
            line = QListWidgetItem(
                f"{label} ({'N/A' if score is None else score}) at {format_duration(ev.start_s)}"
                + (f" — {ev.note}" if ev.note else "")
            )
            line.setData(Qt.ItemDataRole.UserRole, (item.review.call_id, ev.start_s))
            self.moments.addItem(line)
        if not item.review.evidence:
            self.moments.addItem("No evidence moments were marked on this review.")
        self._enable()

    def _play_moment(self, line: QListWidgetItem) -> None:
        data = line.data(Qt.ItemDataRole.UserRole)
        if data:
            self.moment_activated.emit(int(data[0]), float(data[1]))

    def _enable(self) -> None:
        has = self.current() is not None
        self.ack_button.setEnabled(has)
        self.dispute_button.setEnabled(has)
        self.start_button.setEnabled(self.agent is not None and self.session_id is None)
        for widget in (self.goals, self.new_todo, self.end_button):
            widget.setEnabled(self.session_id is not None)

    # -- recording ---------------------------------------------------------------------------------------
    def _record(self, do: Any) -> None:
        try:
            changes: Changes = do()
        except DisputeProblem as exc:
            self.tell(str(exc)[:1].upper() + str(exc)[1:] + ".")
            return
        self.changed.emit(changes)
        self.refresh()

    def acknowledge(self) -> None:
        item = self.current()
        if item is None or self.agent is None:
            return
        comment, ok = self.ask_comment(f"{self.agent} Acknowledges {item.call_name}")
        if ok:
            self._record(
                lambda: self.services.coaching.acknowledge(item.review.id, self.agent, comment, self.session_id)
            )

    def dispute(self) -> None:
        item = self.current()
        if item is None or self.agent is None:
            return
        dialog = DisputeDialog(item, self)
        if not self.run_dialog(dialog):
            return
        key, proposed, reason = dialog.values()
        self._record(
            lambda: self.services.coaching.open_dispute(item.review.id, key, proposed, reason, self.agent,
                                                        self.session_id)[1]
        )  # fmt: skip

    # -- the session -------------------------------------------------------------------------------------
    def start_session(self) -> None:
        if self.agent is None:
            return
        self.session_id = self.services.coaching.start_session(self.agent, self.lead() or "lead", "")
        self.goals.setPlainText(self._last_goals())
        self.session_label.setText(f"Session with {self.agent}: acknowledgements and disputes are recorded in it.")
        self._show_todos()
        self._enable()
        self.goals.setFocus()

    def _last_goals(self) -> str:
        earlier = [s for s in self.services.coaching.sessions(self.agent) if s["id"] != self.session_id]
        return earlier[-1]["goals"] if earlier else ""

    def end_session(self) -> None:
        if self.session_id is None:
            return
        from empathy_audit.store.database import utc_now

        self.services.coaching.update_session(self.session_id, goals=self.goals.toPlainText(), ended_at=utc_now())
        self.session_id = None
        self.session_label.setText("Session ended and saved. Its open to-dos carry to the next one.")
        self._enable()

    def _show_todos(self) -> None:
        self.todos.blockSignals(True)
        self.todos.clear()
        for todo in self.services.coaching.open_todos(self.agent) if self.agent else []:
            line = QListWidgetItem(f"{todo['text']}  (from {todo['started_at'][:10]})")
            line.setData(Qt.ItemDataRole.UserRole, todo["id"])
            if self.session_id is not None:  # ticked off in a session
                line.setFlags(line.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                line.setCheckState(Qt.CheckState.Unchecked)
            self.todos.addItem(line)
        self.todos.blockSignals(False)

    def add_todo(self) -> None:
        text = self.new_todo.text().strip()
        if self.session_id is None or not text:
            return
        self.services.coaching.add_todo(self.session_id, text)
        self.new_todo.clear()
        self._show_todos()

    def _todo_checked(self, line: QListWidgetItem) -> None:
        if self.session_id is not None and line.checkState() == Qt.CheckState.Checked:
            self.services.coaching.finish_todo(int(line.data(Qt.ItemDataRole.UserRole)), self.session_id)
