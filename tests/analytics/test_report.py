"""The quarterly report files: PDF pages, PNG sizes, SVG, CSV contents and formula safety."""

from __future__ import annotations

import csv
import random
import re
from pathlib import Path

import pytest
from helpers import run_cli
from PIL import Image
from seed import Seeded, seed

from empathy_audit.analytics.report import safe_cell, write_report


def _calls(n: int = 40) -> list[Seeded]:
    rng = random.Random(3)
    out = []
    for i in range(n):
        quarter_month = 4 if i < n // 2 else 8
        scores = tuple(rng.randint(0, 3) for _ in range(3))
        mean = sum(scores) / 3
        out.append(
            Seeded(
                agent='=HYPERLINK("http://x")' if i == 0 else f"Agent {i % 4}",
                team="Blue" if i % 3 else "Red",
                start=f"2026-{quarter_month:02d}-{1 + i % 27:02d}T10:00:00",
                scores=scores,
                csat=min(1.0, max(0.0, mean / 3 + rng.uniform(-0.2, 0.2))),
                churned=rng.random() < (0.5 - mean / 8),
                customer=f"C{i}",
                reviewer=rng.choice(["Ana", "Ben"]),
            )
        )
    return out


def test_report_files(workspace, tmp_path: Path) -> None:
    seed(workspace.db, _calls())
    result = write_report(workspace.db, "2026Q3", tmp_path / "out")
    names = sorted(p.name for p in result.files)
    charts = ("trend", "scatter", "churn_bands", "quadrant", "repeat_contacts", "speed_vs_empathy", "high_value_churn")
    for chart in charts:
        for ext in ("png", "svg", "csv"):
            assert f"empathy-audit-2026Q3-{chart}.{ext}" in names
    assert "empathy-audit-2026Q3.pdf" in names and "empathy-audit-2026Q3-summary.csv" in names
    assert "empathy-audit-2026Q3-comments.csv" in names and "empathy-audit-2026Q3-compare.csv" not in names
    assert result.calls == 20 and result.reviewers == ["Ana", "Ben"]

    out = tmp_path / "out"
    pdf = (out / "empathy-audit-2026Q3.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and pdf.rstrip().endswith(b"%%EOF")
    # cover, summary, 4 audit charts, repeat contacts, speed vs empathy, quiet churners, methods (no customer
    # values or comments: no high-value churn page, no comments page)
    assert re.findall(rb"/Count (\d+)", pdf) == [b"10"]
    assert len(re.findall(rb"/Type /Page[^s]", pdf)) == 10
    with (out / "empathy-audit-2026Q3-reviewers.csv").open(encoding="utf-8-sig") as f:
        assert next(csv.reader(f)) == ["Reviewer", "Calls reviewed"]
    with Image.open(out / "empathy-audit-2026Q3-scatter.png") as png:
        assert png.size == (1200, 720)
    assert b"<svg" in (out / "empathy-audit-2026Q3-quadrant.svg").read_bytes()[:2000]

    with (out / "empathy-audit-2026Q3-trend.csv").open(encoding="utf-8-sig") as f:
        trend = list(csv.reader(f))
    assert trend[0][:3] == ["Quarter", "Calls", "Score mean"]
    assert [row[0] for row in trend[1:]] == ["2026Q2", "2026Q3"]  # history up to the quarter
    with (out / "empathy-audit-2026Q3-scatter.csv").open(encoding="utf-8-sig") as f:
        scatter = list(csv.reader(f))
    assert len(scatter) == 21
    assert not any(cell.startswith("=") for row in scatter for cell in row)


def test_team_report_and_too_little_data(workspace, tmp_path: Path) -> None:
    seed(workspace.db, _calls(12))
    result = write_report(workspace.db, "2026Q3", tmp_path / "red", team="Red", formats=("png", "csv"))
    assert result.calls < 10
    assert all("-Red-" in p.name for p in result.files)


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ("=1+2", "'=1+2"),
        ("+SUM(A1)", "'+SUM(A1)"),
        ("@cmd", "'@cmd"),
        ("-2+3", "'-2+3"),
        ("-0.5", "-0.5"),
        ("Ana", "Ana"),
        (3, 3),
    ],
)
def test_csv_cells_are_neutralised(value, safe) -> None:
    assert safe_cell(value) == safe


def test_cli_report_json(workspace, tmp_path: Path) -> None:
    seed(workspace.db, _calls())
    result = run_cli(
        "report",
        "--quarter",
        "2026Q3",
        "--out",
        str(tmp_path / "cli"),
        "--format",
        "pdf,csv",
        "--json",
        data_dir=workspace.root,
        check_json=True,
    )
    assert result.returncode == 0, result.stderr
    assert result.json["calls"] == 20 and all(Path(p).exists() for p in result.json["files"])
    assert not any(p.endswith(".png") for p in result.json["files"])
    bad = run_cli("report", "--quarter", "Q3-2026", "--out", str(tmp_path / "x"), data_dir=workspace.root)
    assert bad.returncode == 2 and "2026Q3" in bad.stderr


def test_cli_knows_the_same_formats() -> None:
    from empathy_audit.analytics.report import FORMATS
    from empathy_audit.cli.outcomes_cmd import FORMATS as CLI_FORMATS

    assert CLI_FORMATS == FORMATS


def test_methods_page_reports_the_quarters_calibration(make_ws, tmp_path: Path) -> None:
    from review_helpers import score

    from empathy_audit.store.calibration import create_set

    ws = make_ws("lead")
    cset = create_set(ws.db, "Week 1", [1, 2], "Lena")
    for call in (1, 2):
        score(ws, call, "Lena", [2, 2, 2], cset)
        score(ws, call, "Ana", [2, 1, 2], cset)
        score(ws, call, "Ana", [3, 3, 3])  # an audit review
    quarter = cset.created_at[:4] + "Q" + str((int(cset.created_at[5:7]) - 1) // 3 + 1)
    from empathy_audit.analytics.methods import agreement_table, reviewer_table

    table, note = agreement_table(ws.db, quarter)
    assert note == f"Calibration sessions held in {quarter}." and table.rows[0][:3] == ["Week 1", "Lena, Ana", 2]
    assert table.rows[0][4] == "67%" and table.rows[0][6] == 6  # 4 of 6 pairs agree exactly
    assert reviewer_table(ws.db, "2026Q3", None).rows == [["Ana", 2]]  # calls dated 2026-08
    later, later_note = agreement_table(ws.db, "2099Q1")
    assert later.rows and "No calibration session was held in 2099Q1" in later_note
    none, none_note = agreement_table(ws.db, "2000Q1")
    assert none.rows == [] and "has been held" in none_note
    result = write_report(ws.db, "2026Q3", tmp_path / "out", formats=("pdf", "csv"))
    assert any(p.name.endswith("-agreement.csv") for p in result.files)
