"""The scale travels with the data: a 0-5 rubric works in every figure, chart and percentage."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from seed import Seeded, seed

from empathy_audit.analytics.audit import build_report
from empathy_audit.analytics.charts import all_charts
from empathy_audit.scoring.rubric import DEFAULT_RUBRIC
from empathy_audit.store.rubrics import save_rubric


def five_point_rubric() -> str:
    text = DEFAULT_RUBRIC.read_text(encoding="utf-8").replace("max_score = 3", "max_score = 5")
    # Each criterion gets six anchor texts (0..5) instead of four.
    return re.sub(r"(levels = \[.*?)\n\]", r'\1\n    "Level 4",\n    "Level 5",\n]', text, flags=re.S)


def test_a_five_point_rubric_in_every_figure(workspace) -> None:
    old = seed(workspace.db, [Seeded("Ana", "Blue", "2026-07-01T10:00:00", (3, 3, 3), churned=False)])  # 0-3
    save_rubric(workspace.db, five_point_rubric(), "five.toml")
    calls = [
        Seeded("Ana", "Blue", f"2026-07-{d + 2:02d}T10:00:00", (s, s, s), csat=s / 5, churned=s < 3)
        for d, s in enumerate([5, 5, 4, 4, 3, 3, 2, 2, 1, 0, 5, 4])
    ]
    seed(workspace.db, calls)
    report = build_report(workspace.db)
    assert report.scale == 5
    by_id = {f.call_id: f for f in report.facts}
    # The call scored 3/3 on the old rubric counts as 5/5 here: the same share of the scale.
    assert by_id[old[0]].score == 5 and by_id[old[0]].percent == 100.0
    assert max(f.score for f in report.facts) == 5 and min(f.percent for f in report.facts) == 0.0
    assert [b.band for b in report.bands] == ["0–1.67 absent", "1.67–3.33 scripted", "3.33–4.17 genuine",
                                              "4.17–5 exemplary"]  # fmt: skip
    assert sum(b.n for b in report.bands) == 13  # every call with churn known falls in a band, 5/5 included
    assert report.high_audit == pytest.approx(5 * 2 / 3)
    charts = {c.key: c for c in all_charts(report)}
    assert charts["trend"].figure.axes[0].get_ylim()[1] >= 5
    assert "0–5" in charts["scatter"].figure.axes[0].get_ylabel()
    assert "0–5" in charts["churn_bands"].table.columns[0]


def test_the_default_rubric_keeps_its_labels(workspace) -> None:
    seed(workspace.db, [Seeded("Ana", "Blue", "2026-07-01T10:00:00", (3, 2, 1), churned=True)])
    report = build_report(workspace.db)
    assert report.scale == 3 and report.facts[0].percent == round(2 / 3 * 100, 1)
    assert [b.band for b in report.bands] == ["0–1 absent", "1–2 scripted", "2–2.5 genuine", "2.5–3 exemplary"]
    assert Path(DEFAULT_RUBRIC).is_file()
