"""Preferences: transcription (engine, model, the agent's side), review (uncertain words, sample size) and
the workspace vocabulary given to Whisper."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from empathy_audit.reviewing.uncertain import THRESHOLD_RANGE
from empathy_audit.services.vocabulary import VocabularyProblem, VocabularyService
from empathy_audit.transcription.engine import ENGINES
from empathy_audit.transcription.models import default_model, list_models
from empathy_audit.transcription.packaged_models import PACKAGED
from empathy_audit.ui import settings as keys
from empathy_audit.ui.settings import Settings


def model_combo(current: str) -> QComboBox:
    """The packaged models first (the default marked), then any downloaded; missing ones shown, disabled."""
    combo = QComboBox()
    for row in list_models():
        if row["source"] == "download":
            continue  # not on this computer: `empathy-audit models download NAME` where there is a network
        if row["source"] == "packaged" and row["name"] not in PACKAGED:
            continue  # tiny.en by its own name is the Fast model, already listed
        label = str(row["label"]) + ("  (default)" if row["default"] else "")
        if row["source"] == "downloaded":
            label = f"{row['name']} (downloaded)"
        elif not row["available"]:
            label += "  (not installed)"
        combo.addItem(label, row["name"])
        if not row["available"]:
            combo.model().item(combo.count() - 1).setEnabled(False)
    combo.setCurrentIndex(max(0, combo.findData(current or default_model())))
    combo.setToolTip(
        "Fast: Whisper tiny.en, English only. Accurate: Whisper base, any language (detected per call), "
        "fewer wrong words, about twice as slow. Both are installed with the app and work offline."
    )
    return combo


class VocabularyTab(QWidget):
    """Terms added or removed at once (they belong to the workspace, not to this computer's settings)."""

    def __init__(self, vocabulary: VocabularyService | None, read_only: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.vocabulary = vocabulary
        intro = QLabel(
            "Product, plan, company and agent names Whisper cannot know. They are given to the engine with "
            "every call transcribed from now on, and when a call is transcribed again."
        )
        intro.setWordWrap(True)
        self.terms = QListWidget()
        self.terms.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self.term = QLineEdit()
        self.term.setPlaceholderText("A name, e.g. Lumiqo Plus")
        self.add_button = QPushButton("Add")
        self.remove_button = QPushButton("Remove")
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b00020")
        row = QHBoxLayout()
        row.addWidget(self.term, 1)
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.terms, 1)
        layout.addLayout(row)
        layout.addWidget(self.problem)
        self.term.returnPressed.connect(self.add_term)
        self.add_button.clicked.connect(self.add_term)
        self.remove_button.clicked.connect(self.remove_selected)
        self.terms.itemSelectionChanged.connect(self._update_buttons)
        self.term.textChanged.connect(self._update_buttons)
        editable = vocabulary is not None and not read_only
        for widget in (self.term, self.add_button, self.terms):
            widget.setEnabled(editable)
        if vocabulary is None:
            self.problem.setText("Open a workspace to edit its vocabulary.")
        elif read_only:
            self.problem.setText("This workspace is read-only; its vocabulary cannot change here.")
        self._refresh()

    def _refresh(self) -> None:
        self.terms.clear()
        if self.vocabulary is not None:
            self.terms.addItems(self.vocabulary.terms())
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.add_button.setEnabled(self.term.isEnabled() and bool(self.term.text().strip()))
        self.remove_button.setEnabled(self.terms.isEnabled() and bool(self.terms.selectedItems()))

    def add_term(self) -> None:
        if self.vocabulary is None or not self.term.text().strip():
            return
        try:
            self.vocabulary.add([self.term.text()])
        except VocabularyProblem as exc:
            self.problem.setText(str(exc)[:1].upper() + str(exc)[1:] + ".")
            return
        self.problem.clear()
        self.term.clear()
        self._refresh()

    def remove_selected(self) -> None:
        if self.vocabulary is None:
            return
        self.vocabulary.remove([item.text() for item in self.terms.selectedItems()])
        self._refresh()


class PreferencesDialog(QDialog):
    def __init__(
        self,
        settings: Settings,
        parent: QWidget | None = None,
        vocabulary: VocabularyService | None = None,
        read_only: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.settings = settings
        self.engine = QComboBox()
        for name in ENGINES:
            self.engine.addItem(name, name)
        self.engine.setCurrentIndex(max(0, self.engine.findData(settings.get(keys.ENGINE))))
        self.model = model_combo(settings.get(keys.MODEL))
        self._model_shown = self.model.currentIndex()  # untouched: keep the setting (e.g. "" = the default)
        self.agent_side = QComboBox()
        self.agent_side.addItem("Left channel", "left")
        self.agent_side.addItem("Right channel", "right")
        self.agent_side.setCurrentIndex(max(0, self.agent_side.findData(settings.get(keys.AGENT_CHANNEL))))
        self.auto = QCheckBox("Transcribe calls as soon as they are imported")
        self.auto.setChecked(settings.get(keys.AUTO_TRANSCRIBE))
        self.uncertain = QSpinBox()
        low, high = THRESHOLD_RANGE
        self.uncertain.setRange(int(low * 100), int(high * 100))
        self.uncertain.setSuffix(" % sure")
        self.uncertain.setValue(round(settings.get(keys.UNCERTAIN_BELOW) * 100))
        self.uncertain.setToolTip("Words Whisper was less sure of than this are underlined in Review (U goes to them)")
        self.sample = QSpinBox()
        self.sample.setRange(1, 100)
        self.sample.setValue(settings.get(keys.SAMPLE_PER_AGENT))

        transcription = QWidget()
        form = QFormLayout(transcription)
        form.addRow("Engine", self.engine)
        form.addRow("Model", self.model)
        note = QLabel("A new model applies to calls transcribed from now on (Edit Details > Transcribe again).")
        note.setWordWrap(True)
        form.addRow("", note)
        form.addRow("Agent in stereo recordings", self.agent_side)
        form.addRow("", self.auto)
        review = QWidget()
        review_form = QFormLayout(review)
        review_form.addRow("Underline words below", self.uncertain)
        review_form.addRow("Quarterly sample per agent", self.sample)
        self.vocabulary = VocabularyTab(vocabulary, read_only)
        self.tabs = QTabWidget()
        self.tabs.addTab(transcription, "Transcription")
        self.tabs.addTab(review, "Review")
        self.tabs.addTab(self.vocabulary, "Vocabulary")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)
        self.tabs.setCurrentIndex(0)
        self.engine.setFocus(Qt.FocusReason.OtherFocusReason)
        self.tabs.currentChanged.connect(self._on_tab_changed)

    def _on_tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self.vocabulary and self.vocabulary.term.isEnabled():
            self.vocabulary.term.setFocus(Qt.FocusReason.TabFocusReason)  # ready to type a term

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.vocabulary.term.hasFocus() and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            return  # Enter in the term field adds the term (returnPressed); it does not close the dialog
        super().keyPressEvent(event)

    def accept(self) -> None:
        self.settings.set(keys.ENGINE, self.engine.currentData())
        if self.model.currentIndex() != self._model_shown:
            self.settings.set(keys.MODEL, self.model.currentData())
        self.settings.set(keys.AGENT_CHANNEL, self.agent_side.currentData())
        self.settings.set(keys.AUTO_TRANSCRIBE, self.auto.isChecked())
        self.settings.set(keys.UNCERTAIN_BELOW, self.uncertain.value() / 100)
        self.settings.set(keys.SAMPLE_PER_AGENT, self.sample.value())
        super().accept()
