"""Preferences: transcription engine and model, the agent's side, the review sample size."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QSpinBox, QWidget

from empathy_audit.transcription.engine import ENGINES
from empathy_audit.transcription.models import list_models
from empathy_audit.ui import settings as keys
from empathy_audit.ui.settings import Settings


class PreferencesDialog(QDialog):
    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.settings = settings
        self.engine = QComboBox()
        for name in ENGINES:
            self.engine.addItem(name, name)
        self.engine.setCurrentIndex(max(0, self.engine.findData(settings.get(keys.ENGINE))))
        self.model = QComboBox()
        self.model.addItem("tiny.en (bundled, works offline)", "")
        for row in list_models():
            if row["available"] and row["source"] != "bundled":
                self.model.addItem(f"{row['name']} (downloaded)", row["name"])
        self.model.setCurrentIndex(max(0, self.model.findData(settings.get(keys.MODEL))))
        self.agent_side = QComboBox()
        self.agent_side.addItem("Left channel", "left")
        self.agent_side.addItem("Right channel", "right")
        self.agent_side.setCurrentIndex(max(0, self.agent_side.findData(settings.get(keys.AGENT_CHANNEL))))
        self.auto = QCheckBox("Transcribe calls as soon as they are imported")
        self.auto.setChecked(settings.get(keys.AUTO_TRANSCRIBE))
        self.sample = QSpinBox()
        self.sample.setRange(1, 100)
        self.sample.setValue(settings.get(keys.SAMPLE_PER_AGENT))
        form = QFormLayout(self)
        form.addRow("Engine", self.engine)
        form.addRow("Model", self.model)
        form.addRow("Agent in stereo recordings", self.agent_side)
        form.addRow("", self.auto)
        form.addRow("Quarterly sample per agent", self.sample)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def accept(self) -> None:
        self.settings.set(keys.ENGINE, self.engine.currentData())
        self.settings.set(keys.MODEL, self.model.currentData())
        self.settings.set(keys.AGENT_CHANNEL, self.agent_side.currentData())
        self.settings.set(keys.AUTO_TRANSCRIBE, self.auto.isChecked())
        self.settings.set(keys.SAMPLE_PER_AGENT, self.sample.value())
        super().accept()
