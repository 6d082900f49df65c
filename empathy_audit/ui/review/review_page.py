"""How Review is laid out: the call's header on top; below, listening (player, waveform, transcript) on the
left and the Score, Cues and Queue tabs on the right."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter, QTabWidget, QVBoxLayout, QWidget

from empathy_audit.ui import settings as keys
from empathy_audit.ui.review.call_header import CallHeader
from empathy_audit.ui.review.listen_pane import ListenPane
from empathy_audit.ui.review.personal_data_toggle import PersonalDataToggle
from empathy_audit.ui.review.score_pane import ScorePane
from empathy_audit.ui.review.side_lists import CueList, QueueList
from empathy_audit.ui.settings import Settings


class ReviewPage(QWidget):
    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.header = CallHeader()
        self.listen = ListenPane(
            settings.get(keys.VOLUME), settings.get(keys.RATE), lambda: settings.get(keys.UNCERTAIN_BELOW)
        )
        self.hide_personal = PersonalDataToggle(self.listen.transcript.transcript, self.listen.waveform, settings)
        self.header.add_tool(self.hide_personal)
        self.score = ScorePane()
        self.cue_list = CueList()
        self.queue_list = QueueList()
        self.tabs = QTabWidget()
        self.tabs.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.tabs.addTab(self.score, "Score")
        self.tabs.addTab(self.cue_list, "Cues")
        self.tabs.addTab(self.queue_list, "Queue")
        splitter = QSplitter()
        splitter.addWidget(self.listen)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(splitter, 1)
