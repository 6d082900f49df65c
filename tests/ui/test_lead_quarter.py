"""A lead's quarter, entirely in the app: a folder of recordings, then a metadata CSV, then a CSAT export,
reviews, and a per-agent quarterly PDF."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

from PySide6.QtCore import Qt

AUDIO = Path(__file__).resolve().parents[1] / "fixtures" / "audio"


def test_folder_metadata_csat_reviews_and_a_per_agent_pdf(qtbot, make_window, tmp_path: Path) -> None:
    folder = tmp_path / "recordings"
    folder.mkdir()
    names = {"billing_high_empathy": "call_stereo_8k_mulaw.wav", "refund_low": "mono_16k.wav", "card_issue": "mono.mp3"}
    for stem, source in names.items():
        shutil.copy(AUDIO / source, folder / f"{stem}.stereo{Path(source).suffix}")
    window = make_window(tmp_path / "ws")
    with qtbot.waitSignal(window.work.busy_changed, timeout=60000, check_params_cb=lambda busy: not busy):
        window.import_paths([folder])
    qtbot.waitUntil(lambda: window.library.model.rowCount() == 3, timeout=5000)  # read again in the background

    # The recordings came first; their details come after, from the telephony export.
    meta = tmp_path / "calls.csv"
    meta.write_text(
        "Call ID,Agent,Team,Start\n"
        "billing_high_empathy,Ana,Blue,2026-08-03 10:00\n"
        "refund_low,Ana,Blue,2026-08-04 11:00\n"
        "card_issue,Ben,Red,2026-08-05 09:30\n"
    )
    window.library.run_dialog = lambda dialog: (dialog.apply(), dialog.result())[1]
    window.library.attach_metadata(meta)
    qtbot.waitUntil(lambda: not window.library.reading, timeout=30000)
    assert sorted(window.library.agent_box.itemText(i) for i in range(1, window.library.agent_box.count())) == [
        "Ana",
        "Ben",
    ]
    # The CSAT export names calls by the same ids: they match the recordings named by them.
    from empathy_audit.ui.dashboard.outcomes_dialog import OutcomesImportDialog

    csat = tmp_path / "csat.csv"
    csat.write_text("call_id,csat\nbilling_high_empathy,5\nrefund_low,2\ncard_issue,4\n")
    dialog = OutcomesImportDialog(window.services.outcomes, window)
    dialog.load(csat)
    dialog.import_rows()
    assert dialog.imported_calls == 3
    window.jobs.announce(dialog.changes)

    # A reviewer scores each call from the keyboard.
    ids = window.library.model.call_ids()
    for call_id, digit in zip(ids, (Qt.Key.Key_3, Qt.Key.Key_1, Qt.Key.Key_2), strict=True):
        window.open_call(call_id)
        for _ in range(3):
            qtbot.keyClick(window.review, digit)
            qtbot.keyClick(window.review, Qt.Key.Key_Tab)
        qtbot.keyClick(window.review, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # Submit & Next
        assert window.review.review.submitted

    # The lead's per-agent PDF, from the Dashboard.
    window.show_section(2)
    dashboard = window.dashboard
    qtbot.waitUntil(lambda: not dashboard._busy and dashboard.report is not None, timeout=20000)

    def choose(dialog) -> int:
        dialog.quarter.setCurrentIndex(dialog.quarter.findData("2026Q3"))
        dialog.agent.setCurrentIndex(dialog.agent.findData("Ana"))
        dialog.folder.setText(str(tmp_path / "report"))
        assert "2 reviewed calls" in dialog.covers.text()
        return 1

    dashboard.run_dialog = choose
    with qtbot.waitSignal(dashboard.status_message, timeout=60000):
        dashboard.export_report()
    pdf = tmp_path / "report" / "empathy-audit-2026Q3-Ana.pdf"
    assert pdf in dashboard.last_export and pdf.read_bytes().startswith(b"%PDF")
    with (tmp_path / "report" / "empathy-audit-2026Q3-Ana-calls.csv").open(encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert {r["agent"] for r in rows} == {"Ana"} and len(rows) == 2
    assert sorted(r["csat"] for r in rows) == ["0.25", "1.0"]  # CSAT 2 and 5 on a 1-5 scale, normalised
