"""Review's "Hide personal data" switch: `[redacted]` in the transcript and hatched spans on the waveform,
for reviewing in front of others or sharing a screen. It follows whatever transcript the view shows."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QWidget

from empathy_audit.privacy import find_in_call, redacted_segment_text
from empathy_audit.privacy.lexicon import privacy_note
from empathy_audit.ui import settings as keys
from empathy_audit.ui.review.transcript_view import TranscriptModel
from empathy_audit.ui.review.waveform_strip import WaveformStrip
from empathy_audit.ui.settings import Settings


class PersonalDataToggle(QCheckBox):
    def __init__(
        self, model: TranscriptModel, waveform: WaveformStrip, settings: Settings, parent: QWidget | None = None
    ) -> None:
        super().__init__("Hide personal data  (H)", parent)
        self.model, self.waveform, self.settings = model, waveform, settings
        self._tip = (
            "Show [redacted] in place of names, numbers, e-mails, addresses and answers to personal-data "
            "questions, and hatch them on the waveform (what a redacted clip bleeps)"
        )
        self.setToolTip(self._tip)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys stay with keyboard scoring; H toggles it
        self.setChecked(bool(settings.get(keys.HIDE_PERSONAL)))
        self.toggled.connect(self._on_toggled)
        model.modelReset.connect(self.apply)

    def _on_toggled(self, checked: bool) -> None:
        self.settings.set(keys.HIDE_PERSONAL, checked)
        self.apply()

    def apply(self) -> None:
        """Hide (or show again) the personal data in the transcript the model holds now."""
        segments = self.model.segments
        if not self.isChecked() or not segments:
            self.model.set_redacted({})
            self.waveform.set_marks([])
            return
        findings = find_in_call(segments, self.model.language)
        note = privacy_note(self.model.language)
        self.setToolTip(self._tip + (f"\n\n{note}" if note else ""))
        self.setText("Hide personal data  (H)" + ("  ⚠" if note else ""))
        texts = {row: redacted_segment_text(row, seg, findings) for row, seg in enumerate(segments)}
        self.model.set_redacted({row: text for row, text in texts.items() if text != segments[row].text.strip()})
        self.waveform.set_marks(findings.audio_spans())
