"""The transcript as a conversation: one row per turn, agent left and customer right,
the playing turn highlighted and kept in view, cue tags under the text."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QPointF,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QTextCharFormat, QTextLayout, QTextOption
from PySide6.QtWidgets import QAbstractItemView, QListView, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from empathy_audit.domain import Segment
from empathy_audit.reviewing.cues import CueHit
from empathy_audit.reviewing.uncertain import DEFAULT_THRESHOLD, UncertainWord, all_uncertain
from empathy_audit.transcription.formats import SPEAKER_LABELS, format_duration
from empathy_audit.ui.review.waveform_strip import SPEAKER_COLOURS

SEGMENT_ROLE = Qt.ItemDataRole.UserRole + 1
CUES_ROLE = Qt.ItemDataRole.UserRole + 2
CURRENT_ROLE = Qt.ItemDataRole.UserRole + 3
EVIDENCE_ROLE = Qt.ItemDataRole.UserRole + 4
REDACTED_ROLE = Qt.ItemDataRole.UserRole + 5
UNCERTAIN_ROLE = Qt.ItemDataRole.UserRole + 6  # [(start_char, end_char, focused)] of words to check
UNCERTAIN_COLOUR = "#d35400"
FOCUSED_UNCERTAIN = QColor(255, 200, 0, 130)
PAD = 8
BUBBLE_SHARE = 0.78  # a bubble takes at most this share of the row's width

Index = QModelIndex | QPersistentModelIndex


class TranscriptModel(QAbstractListModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.segments: list[Segment] = []
        self.cues: dict[int, list[CueHit]] = {}
        self.evidence_segments: set[int] = set()
        self.redacted: dict[int, str] = {}  # row -> text with personal data hidden, while hiding is on
        self.current = -1
        self.uncertain: list[UncertainWord] = []  # words Whisper was unsure of, in reading order
        self.focused_uncertain: tuple[int, int] | None = None  # (row, word) the U key went to
        self.language: str | None = None  # the call's, for the personal-data rules

    def set_transcript(self, segments: list[Segment], cues: list[CueHit], threshold: float = DEFAULT_THRESHOLD) -> None:
        self.beginResetModel()
        self.segments = segments
        self.uncertain = all_uncertain(segments, threshold)
        self.focused_uncertain = None
        self.cues = {}
        for hit in cues:
            self.cues.setdefault(hit.segment_index, []).append(hit)
        self.current = -1
        self.redacted = {}
        self.endResetModel()

    def set_redacted(self, texts: dict[int, str]) -> None:
        """Show these rows' texts instead of what was said (personal data hidden); {} shows everything."""
        self.layoutAboutToBeChanged.emit()
        self.redacted = texts
        self.layoutChanged.emit()

    def set_uncertain_threshold(self, threshold: float) -> None:
        self.layoutAboutToBeChanged.emit()
        self.uncertain = all_uncertain(self.segments, threshold)
        self.focused_uncertain = None
        self.layoutChanged.emit()

    def focus_uncertain(self, word: UncertainWord | None) -> None:
        rows = {r for r in (self.focused_uncertain[0] if self.focused_uncertain else -1, word.row if word else -1)}
        self.focused_uncertain = (word.row, word.word) if word else None
        for r in rows:
            if 0 <= r < len(self.segments):
                self.dataChanged.emit(self.index(r), self.index(r))

    def set_evidence_segments(self, segment_ids: set[int]) -> None:
        self.evidence_segments = segment_ids
        if self.segments:
            self.dataChanged.emit(self.index(0), self.index(len(self.segments) - 1))

    def row_at_time(self, seconds: float) -> int:
        """The turn being heard at `seconds`: the last one that started before it."""
        row = -1
        for i, seg in enumerate(self.segments):
            if seg.start <= seconds + 0.05:
                if seg.end >= seconds or row == -1 or self.segments[row].end < seconds:
                    row = i
            else:
                break
        return row

    def set_current(self, row: int) -> bool:
        if row == self.current:
            return False
        previous, self.current = self.current, row
        for r in (previous, row):
            if 0 <= r < len(self.segments):
                self.dataChanged.emit(self.index(r), self.index(r))
        return True

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.segments)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        seg = self.segments[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.redacted.get(index.row(), seg.text)
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = "Click to play from here; double-click to correct the text."
            if seg.original_text:
                tip += f"\nCorrected; Whisper heard: “{seg.original_text}”"
            for hit in self.cues.get(index.row(), []):
                tip += f"\nCue: {hit.label} (“{hit.phrase}”)"
            unsure = [] if index.row() in self.redacted else [w for w in self.uncertain if w.row == index.row()]
            if unsure:
                tip += "\nCheck against the audio (Whisper was unsure): " + ", ".join(
                    f"“{w.text}” {w.probability:.0%}" for w in unsure
                )
            return tip
        if role == SEGMENT_ROLE:
            return seg
        if role == CUES_ROLE:
            return self.cues.get(index.row(), [])
        if role == CURRENT_ROLE:
            return index.row() == self.current
        if role == EVIDENCE_ROLE:
            return seg.id in self.evidence_segments
        if role == REDACTED_ROLE:
            return index.row() in self.redacted
        if role == UNCERTAIN_ROLE:
            if index.row() in self.redacted:
                return []  # the text shown is not Whisper's words
            return [
                (w.start_char, w.end_char, self.focused_uncertain == (w.row, w.word))
                for w in self.uncertain
                if w.row == index.row()
            ]
        return None


def text_layout(text: str, font: QFont, width: int, spans: list[tuple[int, int, bool]]) -> tuple[QTextLayout, int]:
    """The turn's text wrapped to `width`, uncertain words underlined (the one jumped to also highlighted);
    returns the layout and its height. One layout for measuring and drawing, so they always agree."""
    layout = QTextLayout(text or " ", font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WordWrap)
    layout.setTextOption(option)
    formats = []
    for start, end, focused in spans:
        mark = QTextLayout.FormatRange()
        mark.start, mark.length = start, end - start
        style = QTextCharFormat()
        style.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
        style.setUnderlineColor(QColor(UNCERTAIN_COLOUR))
        if focused:
            style.setBackground(FOCUSED_UNCERTAIN)
        mark.format = style
        formats.append(mark)
    layout.setFormats(formats)
    layout.beginLayout()
    y = 0.0
    while (line := layout.createLine()).isValid():
        line.setLineWidth(width)
        line.setPosition(QPointF(0, y))
        y += line.height()
    layout.endLayout()
    return layout, int(y + 0.999)


class TurnDelegate(QStyledItemDelegate):
    """Draws one turn as a speech bubble with a header line and cue tags."""

    def _layout(
        self, option: QStyleOptionViewItem, seg: Segment, text: str, cues: list[CueHit], spans: list | None = None
    ) -> tuple[QRect, QTextLayout, str]:
        width = max(200, option.rect.width())
        bubble_w = int(width * BUBBLE_SHARE)
        metrics = QFontMetrics(option.font)
        layout, text_height = text_layout(text, option.font, bubble_w - 2 * PAD, spans or [])
        tags = "   ".join(f"◆ {hit.label}: “{hit.phrase}”" for hit in cues)
        line = metrics.height()
        height = PAD + line + 2 + text_height + (line + 2 if tags else 0) + PAD
        left = option.rect.left() + (width - bubble_w - PAD if seg.speaker == "customer" else PAD)
        bubble = QRect(left, option.rect.top() + 3, bubble_w, height)
        return bubble, layout, tags

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        seg: Segment = index.data(SEGMENT_ROLE)
        bubble, _text, _tags = self._layout(
            option, seg, index.data(), index.data(CUES_ROLE), index.data(UNCERTAIN_ROLE)
        )
        return QSize(option.rect.width(), bubble.height() + 6)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        seg: Segment = index.data(SEGMENT_ROLE)
        cues: list[CueHit] = index.data(CUES_ROLE)
        text = index.data()
        bubble, layout, tags = self._layout(option, seg, text, cues, index.data(UNCERTAIN_ROLE))
        palette: QPalette = option.palette
        colour = QColor(SPEAKER_COLOURS.get(seg.speaker, SPEAKER_COLOURS["mixed"]))
        fill = QColor(colour)
        fill.setAlpha(60 if index.data(CURRENT_ROLE) else 22)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        pen_colour = palette.highlight().color() if selected else colour
        painter.setPen(
            pen_colour
            if (selected or index.data(CURRENT_ROLE))
            else QColor(colour.red(), colour.green(), colour.blue(), 90)
        )
        painter.setBrush(fill)
        painter.drawRoundedRect(bubble, 8, 8)
        metrics = QFontMetrics(option.font)
        header_font = QFont(option.font)
        header_font.setBold(True)
        painter.setFont(header_font)
        painter.setPen(palette.text().color())
        header = f"{SPEAKER_LABELS.get(seg.speaker, seg.speaker)}  ·  {format_duration(seg.start)}"
        if seg.original_text is not None:
            header += "  ·  edited"
        if index.data(EVIDENCE_ROLE):
            header += "  ·  ★ evidence"
        if any(f.startswith("suspect") for f in seg.flags):
            header += "  ·  ⚠ check this text"
        if index.data(REDACTED_ROLE):
            header += "  ·  personal data hidden"
        painter.drawText(bubble.left() + PAD, bubble.top() + PAD + metrics.ascent(), header)
        painter.setFont(option.font)
        top = bubble.top() + PAD + metrics.height() + 2
        layout.draw(painter, QPointF(bubble.left() + PAD, top))
        if tags:
            painter.setPen(palette.placeholderText().color())
            bottom = top + int(layout.boundingRect().height() + 0.999)
            painter.drawText(bubble.left() + PAD, bottom + 2 + metrics.ascent(), tags)
        painter.restore()


class TranscriptView(QListView):
    segment_clicked = Signal(int)  # row
    segment_edit_requested = Signal(int)  # row

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.transcript = TranscriptModel(self)
        self.setModel(self.transcript)
        self.setItemDelegate(TurnDelegate(self))
        self.setWordWrap(True)
        self.setUniformItemSizes(False)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ContiguousSelection)  # several turns = a clip
        # Keyboard stays with the review screen (Space, arrows, 0-3); the mouse still selects.
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.clicked.connect(lambda index: self.segment_clicked.emit(index.row()))
        self.doubleClicked.connect(lambda index: self.segment_edit_requested.emit(index.row()))

    def follow_time(self, seconds: float) -> None:
        row = self.transcript.row_at_time(seconds)
        if self.transcript.set_current(row) and row >= 0:
            self.scrollTo(self.transcript.index(row), QAbstractItemView.ScrollHint.EnsureVisible)

    def selected_row(self) -> int:
        rows = self.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    def selected_rows(self) -> list[int]:
        return sorted(index.row() for index in self.selectionModel().selectedRows())

    def extend_selection(self, step: int) -> None:
        """Shift+Up/Down: grow or shrink the selected run of turns from its anchor."""
        rows = self.selected_rows()
        if not rows:
            self.select_row(0)
            return
        anchor = rows[0] if self.currentIndex().row() == rows[-1] else rows[-1]
        row = max(0, min(self.transcript.rowCount() - 1, self.currentIndex().row() + step))
        first, last = sorted((anchor, row))
        selection = QItemSelection(self.transcript.index(first), self.transcript.index(last))
        self.selectionModel().setCurrentIndex(self.transcript.index(row), QItemSelectionModel.SelectionFlag.NoUpdate)
        self.selectionModel().select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.scrollTo(self.transcript.index(row))

    def select_row(self, row: int) -> None:
        if 0 <= row < self.transcript.rowCount():
            self.setCurrentIndex(self.transcript.index(row))
            self.scrollTo(self.transcript.index(row))
