"""Small dialogs: shortcuts, import results, rubric editor, reviewer name."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from empathy_audit.importing.importer import ImportReport
from empathy_audit.scoring.rubric import RubricError, parse_rubric


def _table(rows: list[tuple[str, str]], headers: tuple[str, str], first_width: int = 260) -> QTableWidget:
    """Two columns; the second wraps its text and every row is as tall as its text, so nothing is cut off."""
    table = QTableWidget(len(rows), 2)
    table.setHorizontalHeaderLabels(list(headers))
    table.verticalHeader().hide()
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setWordWrap(True)
    for r, (a, b) in enumerate(rows):
        for c, text in enumerate((a, b)):
            item = QTableWidgetItem(text)
            item.setToolTip(text)
            table.setItem(r, c, item)
    table.resizeColumnToContents(0)
    table.setColumnWidth(0, min(first_width, table.columnWidth(0) + 12))
    header = table.horizontalHeader()
    header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
    header.sectionResized.connect(lambda *_: table.resizeRowsToContents())
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return table


class ShortcutsDialog(QDialog):
    def __init__(self, rows: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard Shortcuts")
        self.resize(660, 680)
        self.table = _table(rows, ("Keys", "Does"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)


class ImportResultsDialog(QDialog):
    """Failed files with their reasons; never hidden in a log."""

    def __init__(self, report: ImportReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import Results")
        self.resize(760, 360)
        summary = QLabel(
            f"{len(report.imported)} imported, {len(report.duplicates)} already in the workspace, "
            f"{len(report.failed)} could not be imported."
        )
        rows = [(f.path, f.error) for f in report.failed]
        rows += [
            (d.path, f"already imported as call #{d.existing_call_id} ({d.existing_name})") for d in report.duplicates
        ]
        self.table = _table(rows, ("File", "What is wrong"), first_width=300)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(self.table)
        layout.addWidget(buttons)


class RubricEditorDialog(QDialog):
    """Edit the rubric's TOML; it is validated before it can be saved as a new version."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit Rubric")
        self.resize(760, 600)
        self.editor = QPlainTextEdit(text)
        self.editor.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.error = QLabel()
        self.error.setWordWrap(True)
        note = QLabel("Saving creates a new rubric version. Reviews already made keep the version they used.")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._try_accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.editor)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def text(self) -> str:
        return self.editor.toPlainText()

    def _try_accept(self) -> None:
        try:
            parse_rubric(self.text(), "rubric")
        except RubricError as exc:
            self.error.setText(f"<b>Not saved.</b> {exc}")
            return
        self.accept()


def ask_reviewer_name(parent: QWidget | None) -> str | None:
    name, ok = QInputDialog.getText(
        parent, "Your Name", "Your name as a reviewer (asked once; change it in the Review menu):"
    )
    return name.strip() if ok and name.strip() else None


def confirm_replace(parent: QWidget, folder: Path, clashes: str) -> bool:
    """True when `folder` holds nothing matching `clashes`, or the user chose to replace it."""
    found = sorted(folder.glob(clashes)) if folder.is_dir() else []
    if not found:
        return True
    names = "\n".join(f"• {p.name}" for p in found[:6]) + ("\n…" if len(found) > 6 else "")
    answer = QMessageBox.question(
        parent,
        "Replace Files?",
        f"{folder} already holds files from an earlier export:\n\n{names}\n\nReplace them?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Yes
