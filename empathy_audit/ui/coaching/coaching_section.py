"""The Coaching section: a session with one agent (their reviewed calls, evidence, acknowledgements and
disputes, goals and to-dos), the disputes waiting for a decision, the reviewers' figures, and an agent's
feedback page (HTML with audio, and PDF), written in the background."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from empathy_audit.changes import Area, Changes
from empathy_audit.services import WorkspaceServices
from empathy_audit.ui.coaching.disputes_view import DisputesView
from empathy_audit.ui.coaching.reviewers_view import ReviewersView
from empathy_audit.ui.coaching.session_view import SessionView
from empathy_audit.ui.when_shown import WhenShown
from empathy_audit.ui.workspace_runner import WorkspaceRunner


class CoachingSection(QWidget):
    moment_activated = Signal(int, float)
    changed = Signal(object)  # Changes made here, for every section to redraw
    status_message = Signal(str)

    def __init__(
        self, services: WorkspaceServices, work: WorkspaceRunner, user: Any, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.services, self.work = services, work
        self.show_dialogs = True
        self.choose_folder = lambda: QFileDialog.getExistingDirectory(self, "Folder for the Feedback Page")
        self.last_feedback: Any = None
        self.agent_box, self.quarter_box = QComboBox(), QComboBox()
        self.agent_box.setAccessibleName("Agent")
        self.quarter_box.setAccessibleName("Quarter")
        self.agent_box.currentIndexChanged.connect(self._on_choice)
        self.quarter_box.currentIndexChanged.connect(self._on_choice)
        self.feedback_button = QPushButton("Feedback for Agent…")
        self.feedback_button.setToolTip(
            "The agent's page: scores against the team median, evidence with audio, "
            "reviewers' comments, trend (HTML and PDF; other agents never appear)"
        )
        self.feedback_button.clicked.connect(self.write_feedback)
        bar = QHBoxLayout()
        for label, box in (("Agent", self.agent_box), ("Quarter", self.quarter_box)):
            bar.addWidget(QLabel(label))
            bar.addWidget(box)
        bar.addStretch(1)
        bar.addWidget(self.feedback_button)
        self.session = SessionView(services, user)
        self.disputes = DisputesView(services, user)
        self.reviewers = ReviewersView(services)
        self.session.moment_activated.connect(self.moment_activated)
        for view in (self.session, self.disputes):
            view.changed.connect(self._on_changed)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.session, "Session")
        self.tabs.addTab(self.disputes, "Disputes")
        self.tabs.addTab(self.reviewers, "Reviewers")
        self.tabs.currentChanged.connect(lambda _i: self.refresh())
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.tabs, 1)
        self.when_shown = WhenShown(self, self._read_again, pending=True)  # filled when first shown

    def fill_choices(self) -> None:
        choices = self.services.audit.filter_choices()
        quarter = self.quarter_box.currentData()
        if quarter is None:  # at first: the newest quarter with reviews (a new quarter's calls come before them)
            quarter = next(iter(self.services.audit.reviewed_quarters()), None)
        for box, values, current in ((self.agent_box, choices["agent"], self.agent_box.currentData()),
                                     (self.quarter_box, choices["quarter"], quarter)):  # fmt: skip
            box.blockSignals(True)
            box.clear()
            for value in values:
                box.addItem(value, value)
            box.setCurrentIndex(max(0, box.findData(current)))
            box.blockSignals(False)
        self.feedback_button.setEnabled(bool(choices["agent"]))

    def refresh(self) -> None:
        """Redraw the tab on screen (the others when they are shown)."""
        agent, quarter = self.agent_box.currentData(), self.quarter_box.currentData()
        view = self.tabs.currentWidget()
        if view is self.session:
            self.session.show_agent(agent, quarter)
        elif view is self.disputes:
            self.disputes.refresh()
        else:
            self.reviewers.show_quarter(quarter)

    def _on_choice(self) -> None:
        self.refresh()

    def on_workspace_changed(self, changes: Changes) -> None:
        if not changes.touches(Area.COACHING, Area.AUDIT, Area.CALLS, Area.REVIEWS):
            return
        self.when_shown.request()

    def _read_again(self) -> None:
        self.fill_choices()
        self.refresh()

    def _on_changed(self, changes: Changes) -> None:
        self.changed.emit(changes)

    # -- the feedback page -----------------------------------------------------------------------------
    def write_feedback(self, folder: Path | None = None) -> None:
        agent, quarter = self.agent_box.currentData(), self.quarter_box.currentData()
        if not agent or not quarter:
            return
        chosen = folder or (Path(name) if (name := self.choose_folder()) else None)
        if chosen is None:
            return
        from empathy_audit.clips.export import slug
        from empathy_audit.ui.dialogs import confirm_replace

        if self.show_dialogs and not confirm_replace(self, chosen, f"*-{slug(agent)}-{quarter}*"):
            return

        def op(services: WorkspaceServices, _job: Any) -> Any:
            return services.coaching.feedback(agent, quarter, chosen, overwrite=True)

        self.status_message.emit(f"Writing {agent}'s feedback page for {quarter}…")
        self.work.run("Feedback", op, self._on_feedback_written, on_failed=self._on_feedback_failed)

    def _on_feedback_written(self, result: Any) -> None:
        self.last_feedback = result
        self.status_message.emit(f"Wrote {result.html_path} and {result.pdf_path.name}")
        if self.show_dialogs and result.html_path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(result.html_path)))

    def _on_feedback_failed(self, message: str) -> None:
        self.status_message.emit(f"Feedback page not written: {message}")
