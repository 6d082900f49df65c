"""Review's "Hide personal data": [redacted] in the transcript, hatched spans on the waveform, on a real call."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from empathy_audit.ui import settings as keys
from empathy_audit.ui.review.transcript_view import REDACTED_ROLE


def _shown(review) -> list[str]:
    model = review.transcript.transcript
    return [model.index(row).data() for row in range(model.rowCount())]


def test_h_hides_personal_data_and_remembers_it(qtbot, make_window, personal_data_root: Path, settings) -> None:
    window = make_window(personal_data_root)
    review = window.review
    assert review.open_call(1)
    window.show_section(1)
    said = _shown(review)
    assert not review.hide_personal.isChecked() and "[redacted]" not in " ".join(said)

    review.setFocus()
    qtbot.keyClick(review, Qt.Key.Key_H)
    assert review.hide_personal.isChecked() and settings.get(keys.HIDE_PERSONAL) is True
    hidden = _shown(review)
    model = review.transcript.transcript
    customer_rows = [row for row, seg in enumerate(model.segments) if seg.speaker == "customer"]
    # Every customer turn in this call gives personal data; each shows [redacted] and is marked.
    assert customer_rows and all("[redacted]" in hidden[row] for row in customer_rows)
    assert all(model.index(row).data(REDACTED_ROLE) for row in customer_rows)
    # The agent's closing apology is untouched, and the stored transcript is not changed.
    assert hidden[-1] == said[-1] and model.segments[customer_rows[0]].text.strip() == said[customer_rows[0]]
    assert review.waveform.marks and all(b > a for a, b in review.waveform.marks)

    # It stays on for the next call opened, and H shows everything again.
    assert review.open_call(1)
    assert "[redacted]" in " ".join(_shown(review))
    qtbot.keyClick(review, Qt.Key.Key_H)
    assert _shown(review) == said and review.waveform.marks == []
