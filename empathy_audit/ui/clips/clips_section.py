"""The Clips section: search the coaching library, play a clip in place, edit, delete, and export a
selection as audio files plus a handout (in the background)."""

from __future__ import annotations

import contextlib
from pathlib import Path

from PySide6.QtCore import QSortFilterProxyModel, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtMultimedia import QMediaPlayer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from empathy_audit.changes import Area, Changes
from empathy_audit.clips.export import ExportOptions
from empathy_audit.clips.spans import excerpt, render_excerpt
from empathy_audit.privacy import find_in_call
from empathy_audit.services import WorkspaceServices
from empathy_audit.store.clips import Clip
from empathy_audit.transcription.formats import format_duration
from empathy_audit.ui.clips.clip_dialog import ClipDialog
from empathy_audit.ui.clips.clip_table_model import COLUMNS, SORT_ROLE, ClipTableModel
from empathy_audit.ui.clips.export_dialog import ExportDialog
from empathy_audit.ui.dialogs import confirm_replace
from empathy_audit.ui.empty_state import EmptyState
from empathy_audit.ui.media import make_player
from empathy_audit.ui.when_shown import WhenShown
from empathy_audit.ui.workspace_runner import JobControl, WorkspaceRunner
from empathy_audit.wording import plural


class ClipsSection(QWidget):
    call_open_requested = Signal(int, float)  # call id, seconds
    review_requested = Signal()
    status_message = Signal(str)
    export_finished = Signal(object)  # ExportResult

    def __init__(self, services: WorkspaceServices, work: WorkspaceRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.work = work
        self.when_shown = WhenShown(self, self.refresh, pending=True)  # filled when first shown
        self.show_dialogs = True  # tests drive dialogs themselves
        self.run_dialog = lambda dialog: dialog.exec()  # tests replace this to fill in dialogs
        self.last_export: object | None = None
        self._stop_at_ms: int | None = None
        self._pending_ms: int | None = None
        self._export_handle: object | None = None
        self._build()

    # -- layout -------------------------------------------------------------------
    def _build(self) -> None:
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search titles, tags, transcripts, notes and criteria…")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._on_search_text_changed)
        self.count = QLabel()
        self.export_button = QPushButton("Export Selected…")
        self.export_button.setToolTip("Audio files plus an index.html/index.md handout, personal data bleeped")
        self.export_button.clicked.connect(self.export_selected)
        self.delete_button = QPushButton("Delete")
        self.delete_button.clicked.connect(self.delete_selected)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.count)
        top.addWidget(self.export_button)
        top.addWidget(self.delete_button)

        self.model = ClipTableModel(self.services.clips, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setMinimumSectionSize(50)
        # The title gets the room (it says what the clip shows); the rest are short, and the table scrolls.
        for column, width in enumerate((320, 130, 110, 80, 70, 60, 110)):
            header.resizeSection(column, width)
        header.setStretchLastSection(True)
        self.table.sortByColumn(COLUMNS.index("Saved"), Qt.SortOrder.DescendingOrder)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._show_detail())
        self.table.doubleClicked.connect(lambda _i: self.toggle_play())
        QShortcut(QKeySequence(Qt.Key.Key_Delete), self.table, self.delete_selected)
        QShortcut(QKeySequence(Qt.Key.Key_Space), self.table, self.toggle_play)

        self.detail_title = QLabel()
        font = self.detail_title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.detail_title.setFont(font)
        self.detail_title.setWordWrap(True)
        self.detail_meta = QLabel()
        self.detail_meta.setWordWrap(True)
        self.play_button = QPushButton("Play")
        self.play_button.setToolTip("Play this clip (Space)")
        self.play_button.clicked.connect(self.toggle_play)
        self.edit_button = QPushButton("Edit…")
        self.edit_button.clicked.connect(self.edit_current)
        self.open_button = QPushButton("Open Call in Review")
        self.open_button.clicked.connect(self._on_open_button_clicked)
        buttons = QHBoxLayout()
        for button in (self.play_button, self.edit_button, self.open_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.show_personal = QCheckBox("Show personal data (the handout bleeps it)")
        self.show_personal.toggled.connect(lambda _on: self._show_detail())
        self.transcript = QPlainTextEdit(readOnly=True)
        self.note = QLabel()
        self.note.setWordWrap(True)
        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.addWidget(self.detail_title)
        detail_layout.addWidget(self.detail_meta)
        detail_layout.addLayout(buttons)
        detail_layout.addWidget(self.show_personal)
        detail_layout.addWidget(self.transcript, 1)
        detail_layout.addWidget(self.note)

        splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([720, 420])
        page = QWidget()
        page_layout = QVBoxLayout(page)
        page_layout.setContentsMargins(0, 0, 0, 0)
        page_layout.addLayout(top)
        page_layout.addWidget(splitter, 1)

        self.empty = EmptyState(
            "No clips yet",
            "Clips are short moments for coaching: a genuine acknowledgment, a missed question. In Review, drag "
            "across the waveform or select transcript turns, then press S (or Save Clip…) to keep one here.",
            [("Go to Review", self.review_requested.emit)],
        )
        self.pages = QStackedWidget()
        self.pages.addWidget(self.empty)
        self.pages.addWidget(page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)

        self.player, self.audio = make_player(self)
        self.player.positionChanged.connect(self._on_player_position_changed)
        self.player.mediaStatusChanged.connect(self._on_player_media_status_changed)
        self._stop_timer = QTimer(self)
        self._stop_timer.setSingleShot(True)
        self._stop_timer.setInterval(0)
        self._stop_timer.timeout.connect(self.stop)
        self.player.playbackStateChanged.connect(self._on_player_playback_state_changed)

    # -- data -----------------------------------------------------------------------
    def on_workspace_changed(self, changes: Changes) -> None:
        if changes.touches(Area.CLIPS, Area.CALLS, Area.TRANSCRIPTS):
            self.when_shown.request()

    def refresh(self, select_id: int | None = None) -> None:
        keep = select_id if select_id is not None else (c.id if (c := self.current_clip()) else None)
        self.model.refresh()
        has_any = bool(self.model.clips) or bool(self.model.search)
        self.pages.setCurrentIndex(1 if has_any else 0)
        self.count.setText(f"{plural(len(self.model.clips), 'clip')}")
        row = self.model.row_of(keep) if keep is not None else None
        if row is None and self.model.clips:
            row = 0
        if row is not None:
            self.table.selectRow(self.proxy.mapFromSource(self.model.index(row, 0)).row())
        self._show_detail()

    def _on_search_text_changed(self, text: str) -> None:
        self.model.set_search(text)
        self.refresh()

    def selected_clips(self) -> list[Clip]:
        rows = sorted(self.proxy.mapToSource(i).row() for i in self.table.selectionModel().selectedRows())
        return [self.model.clips[r] for r in rows]

    def current_clip(self) -> Clip | None:
        clips = self.selected_clips()
        return clips[0] if clips else None

    def _show_detail(self) -> None:
        clip = self.current_clip()
        for widget in (self.play_button, self.edit_button, self.open_button, self.show_personal):
            widget.setEnabled(clip is not None)
        self.export_button.setEnabled(bool(self.selected_clips()) or self._export_handle is not None)
        self.delete_button.setEnabled(bool(self.selected_clips()))
        if clip is None:
            self.detail_title.setText("Select a clip")
            for label in (self.detail_meta, self.note):
                label.setText("")
            self.transcript.setPlainText("")
            return
        self.detail_title.setText(clip.title)
        bits = [
            f"{format_duration(clip.start_s)}–{format_duration(clip.end_s)} of {clip.call_name}",
            clip.agent or "no agent",
            clip.team or "no team",
        ]
        if clip.criterion_label:
            bits.insert(0, f"Illustrates {clip.criterion_label}")
        if clip.tags:
            bits.append("Tags: " + ", ".join(clip.tags))
        self.detail_meta.setText("  ·  ".join(bits))
        segments = self.services.transcripts.segments(clip.call_id)
        call = self.services.calls.get(clip.call_id)
        findings = None if self.show_personal.isChecked() else find_in_call(segments, call.language if call else None)
        text = render_excerpt(excerpt(segments, clip.start_s, clip.end_s, findings)) if segments else ""
        self.transcript.setPlainText(text or clip.transcript_excerpt)
        self.note.setText(f"Note: {clip.note}" if clip.note else "")

    # -- playing --------------------------------------------------------------------
    def toggle_play(self) -> None:
        if self.player.playbackState() == QMediaPlayer.PlaybackState.PlayingState:
            self.stop()
            return
        clip = self.current_clip()
        call = self.services.calls.get(clip.call_id) if clip else None
        if clip is None or call is None:
            return
        source = QUrl.fromLocalFile(str(self.services.calls.audio_path(call)))
        self._stop_at_ms = int(clip.end_s * 1000)
        self._pending_ms = int(clip.start_s * 1000)
        if self.player.source() != source:
            self.player.stop()
            self.player.setSource(source)  # the position is set once it has loaded
        else:
            self.player.setPosition(self._pending_ms)
            self._pending_ms = None
        self.player.play()

    def _on_player_media_status_changed(self, status: QMediaPlayer.MediaStatus) -> None:
        loaded = (QMediaPlayer.MediaStatus.LoadedMedia, QMediaPlayer.MediaStatus.BufferedMedia)
        if status in loaded and self._pending_ms is not None:  # seeking before this is ignored
            self.player.setPosition(self._pending_ms)
            self._pending_ms = None

    def _on_player_position_changed(self, ms: int) -> None:
        if self._pending_ms is None and self._stop_at_ms is not None and ms >= self._stop_at_ms:
            self._stop_at_ms = None
            # Later, from the event loop: stopping inside this signal's slot can deadlock Qt's FFmpeg
            # backend (its audio thread waits for the GIL while this thread waits for its lock).
            self._stop_timer.start()

    def _on_player_playback_state_changed(self, _state: QMediaPlayer.PlaybackState) -> None:
        playing = self.player.playbackState() == QMediaPlayer.PlaybackState.PlayingState
        self.play_button.setText("Stop" if playing else "Play")

    # -- editing --------------------------------------------------------------------
    def edit_current(self) -> None:
        clip = self.current_clip()
        call = self.services.calls.get(clip.call_id) if clip else None
        if clip is None or call is None:
            return
        segments = self.services.transcripts.segments(clip.call_id)
        dialog = ClipDialog(self.services.clips, call, segments, clip.start_s, clip.end_s, clip=clip, parent=self)
        if self.run_dialog(dialog) and dialog.saved is not None:
            self.refresh(dialog.saved.id)
            self.work.announce(dialog.changes)
            self.status_message.emit(f"Clip “{dialog.saved.title}” saved")

    def delete_selected(self) -> None:
        clips = self.selected_clips()
        if not clips:
            return
        if self.show_dialogs:
            names = "\n".join(f"• {c.title}" for c in clips[:8]) + ("\n…" if len(clips) > 8 else "")
            answer = QMessageBox.question(
                self,
                "Delete Clips",
                f"Delete {plural(len(clips), 'clip')}? The calls and their reviews stay.\n\n{names}",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.stop()
        changes = self.services.clips.delete([c.id for c in clips]).changes
        self.refresh()
        self.work.announce(changes)
        self.status_message.emit(f"Deleted {plural(len(clips), 'clip')}")

    def _on_open_button_clicked(self) -> None:
        clip = self.current_clip()
        if clip is not None:
            self.stop()
            self.call_open_requested.emit(clip.call_id, clip.start_s)

    # -- exporting ------------------------------------------------------------------
    def export_selected(self) -> None:
        if self._export_handle is not None:
            self._export_handle.cancel()  # type: ignore[attr-defined]
            return
        clips = self.selected_clips()
        if not clips:
            self.status_message.emit("Select the clips to export first (Ctrl+A selects them all).")
            return
        dialog = ExportDialog(len(clips), parent=self)
        if self.run_dialog(dialog) and (not self.show_dialogs or confirm_replace(self, dialog.out_dir(), "index.*")):
            self.start_export([c.id for c in clips], dialog.out_dir(), dialog.options(), overwrite=True)

    def start_export(self, clip_ids: list[int], folder: Path, options: ExportOptions, overwrite: bool = False) -> None:
        def op(services: WorkspaceServices, job: JobControl) -> object:
            return services.clips.export(
                clip_ids, folder, options, report=job.report, cancel=job.cancel, overwrite=overwrite
            )

        self.status_message.emit(f"Exporting {plural(len(clip_ids), 'clip')}…")
        self._export_handle = self.work.run(
            "Export clips",
            op,
            self._on_export_job_finished,
            on_failed=self._on_export_job_failed,
            on_cancelled=self._on_export_job_cancelled,
        )
        self.export_button.setText("Cancel Export")

    def _export_done(self) -> None:
        self._export_handle = None
        self.export_button.setText("Export Selected…")
        self._show_detail()

    def _on_export_job_finished(self, result: object) -> None:
        self.last_export = result
        self._export_done()
        done, failures = len(result.exported), result.failures  # type: ignore[attr-defined]
        message = f"Exported {plural(done, 'clip')} to {result.folder}"  # type: ignore[attr-defined]
        if failures:
            message += f"; {len(failures)} could not be exported"
        self.status_message.emit(message)
        self.export_finished.emit(result)
        if self.show_dialogs:
            box = QMessageBox(QMessageBox.Icon.Warning if failures else QMessageBox.Icon.Information, "Export", message)
            if failures:
                box.setDetailedText("\n".join(f"Clip {cid}: {text}" for cid, text in failures))
            open_button = box.addButton("Open Folder", QMessageBox.ButtonRole.ActionRole)
            box.addButton(QMessageBox.StandardButton.Close)
            box.exec()
            if box.clickedButton() is open_button:
                QDesktopServices.openUrl(QUrl.fromLocalFile(str(result.folder)))  # type: ignore[attr-defined]

    def _on_export_job_failed(self, message: str) -> None:
        self._export_done()
        self.status_message.emit(f"Export failed: {message}")
        if self.show_dialogs:
            QMessageBox.warning(self, "Export failed", message)

    def _on_export_job_cancelled(self) -> None:
        self._export_done()
        self.status_message.emit("Export cancelled; the clips finished so far are in the folder.")

    def shutdown(self) -> None:
        """The window is closing: no Python slot may be waiting on the player while it is torn down."""
        for signal in (self.player.positionChanged, self.player.mediaStatusChanged, self.player.playbackStateChanged):
            with contextlib.suppress(RuntimeError, TypeError):
                signal.disconnect()
        self.player.stop()

    def stop(self) -> None:
        """Pause rather than stop: stopping tears down the audio thread, which can deadlock with Python."""
        if self.player.playbackState() == QMediaPlayer.PlaybackState.PlayingState:
            self.player.pause()
