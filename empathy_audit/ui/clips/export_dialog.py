"""Export Clips: folder, audio format, which side, and redaction (on; turning it off asks first)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from empathy_audit.clips.export import ExportOptions
from empathy_audit.wording import plural

UNREDACTED_WARNING = (
    "Without redaction, card numbers, phone numbers, e-mail addresses and names are exported as they "
    "were said, in the audio and in the handout.\n\nExport without redaction (for internal use only)?"
)


class ExportDialog(QDialog):
    def __init__(self, count: int, folder: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export Clips")
        self.setMinimumWidth(640)
        # Tests replace this; it returns True when the user confirms exporting unredacted clips.
        self.confirm_unredacted: Callable[[], bool] = lambda: (
            QMessageBox.warning(
                self,
                "Export without redaction?",
                UNREDACTED_WARNING,
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            == QMessageBox.StandardButton.Yes
        )
        self.folder = QLineEdit(folder)
        self.folder.setPlaceholderText("A folder for the audio files and index.html")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(browse)
        self.format = QComboBox()
        for label, value in (("MP3", "mp3"), ("WAV", "wav"), ("Ogg Opus", "ogg")):
            self.format.addItem(label, value)
        self.speaker = QComboBox()
        for label, value in (("Both sides, mixed", "both"), ("Agent only", "agent"), ("Customer only", "customer")):
            self.speaker.addItem(label, value)
        self.redact = QCheckBox("Bleep personal data (card and phone numbers, e-mails, names, addresses)")
        self.redact.setChecked(True)
        self.redact.toggled.connect(self._on_redact_toggled)
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #b00020;")
        form = QFormLayout()
        form.addRow("Folder", folder_row)
        form.addRow("&Audio format", self.format)
        form.addRow("&Speakers", self.speaker)
        form.addRow("", self.redact)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = buttons.addButton(
            f"Export {plural(count, 'Clip')}", QDialogButtonBox.ButtonRole.AcceptRole
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Export Clips to…", self.folder.text())
        if folder:
            self.folder.setText(folder)

    def _on_redact_toggled(self, on: bool) -> None:
        if not on and not self.confirm_unredacted():
            self.redact.blockSignals(True)
            self.redact.setChecked(True)
            self.redact.blockSignals(False)

    def options(self) -> ExportOptions:
        return ExportOptions(
            format=self.format.currentData(), speaker=self.speaker.currentData(), redact=self.redact.isChecked()
        )

    def out_dir(self) -> Path:
        return Path(self.folder.text().strip()).expanduser()

    def accept(self) -> None:
        if not self.folder.text().strip():
            self.problem.setText("Choose a folder to export to.")
            return
        super().accept()
