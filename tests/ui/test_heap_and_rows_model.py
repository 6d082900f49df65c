"""The window's process keeps collector pauses and GIL waits short (ui/heap.py); report tables build no
per-cell items."""

from __future__ import annotations

import gc
import sys

from PySide6.QtCore import Qt

from empathy_audit.ui import heap
from empathy_audit.ui.rows_model import rows_model


def test_warm_up_imports_the_modules_and_names_the_ones_missing() -> None:
    assert heap.warm_up(("json", "no_such_module_for_empathy_audit")) == ["no_such_module_for_empathy_audit"]
    assert set(heap.WARM_MODULES) >= {"av", "matplotlib.backends.backend_agg", "empathy_audit.transcription.runner"}


def test_settle_freezes_what_is_alive_and_collect_frees_dropped_cycles() -> None:
    before, interval = gc.get_freeze_count(), sys.getswitchinterval()
    try:
        assert heap.settle() > before
        assert sys.getswitchinterval() == heap.GIL_SWITCH_S < interval  # the GUI thread waits less for the GIL
        loop: list[object] = []
        loop.append(loop)
        del loop
        assert heap.collect() >= 1  # made after the freeze: still collected
    finally:
        gc.unfreeze()
        sys.setswitchinterval(interval)


def test_rows_model_shows_rows_and_headers_as_text_on_demand(qtbot) -> None:
    model = rows_model(["Call", "Score"], [["a.wav", 2.5], ["b.wav"]])
    assert (model.rowCount(), model.columnCount()) == (2, 2)
    assert model.data(model.index(0, 1)) == "2.5" and model.data(model.index(1, 1)) == ""  # a short row
    assert model.data(model.index(0, 0), Qt.ItemDataRole.DecorationRole) is None
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Score"
    assert model.headerData(0, Qt.Orientation.Vertical) == "1"
