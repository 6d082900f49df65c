"""Outcomes import: scales, churn formats, matching, every problem with its line, idempotence."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from helpers import run_cli
from seed import Seeded, seed

from empathy_audit.outcomes.importer import OutcomesProblem, apply_outcomes, guess_mapping, plan_outcomes


@pytest.fixture
def calls(workspace) -> list[int]:
    return seed(
        workspace.db,
        [
            Seeded("Ana", "Blue", "2026-07-01T10:00:00", (2, 2, 2), customer="CUST-1"),
            Seeded("Ana", "Blue", "2026-07-02T10:00:00", (2, 2, 2), customer="CUST-1"),
            Seeded("Ben", "Red", "2026-07-03T10:00:00", (2, 2, 2), customer="CUST-2"),
        ],
    )


def outcomes(workspace) -> dict[int, tuple]:
    return {
        r[0]: r[1:]
        for r in workspace.db.execute(
            "SELECT call_id, csat, csat_raw, csat_scale, churned, churn_date FROM outcomes ORDER BY call_id"
        ).fetchall()
    }


def test_headers_are_guessed() -> None:
    mapping = guess_mapping(["call_id", "csat_1_5", "churned", "customer_id"])
    assert mapping["call_id"] == "call_id" and mapping["csat"] == "csat_1_5" and mapping["churn"] == "churned"


def test_semicolons_decimal_commas_bom_and_yes_no(workspace, calls, tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(codecs.BOM_UTF8 + b"Call ID;CSAT (1-5);Churned?\nEXT-1;4,5;No\nEXT-2;2;yes\n")
    plan = plan_outcomes(workspace.db, path)
    assert plan.problems == [] and plan.scale == "1-5"
    assert apply_outcomes(workspace.db, plan) == 2
    assert outcomes(workspace) == {1: (0.875, "4,5", "1-5", 0, None), 2: (0.25, "2", "1-5", 1, None)}


@pytest.mark.parametrize(
    ("header", "value", "scale", "normalised"),
    [
        ("csat", "87%", "percent", 0.87),
        ("csat_0_100", "60", "0-100", 0.6),
        ("csat_1_10", "10", "1-10", 1.0),
        ("satisfaction", "7", "1-10", 6 / 9),
    ],
)
def test_csat_scales_are_normalised_and_kept(workspace, calls, tmp_path, header, value, scale, normalised) -> None:
    path = tmp_path / "c.csv"
    path.write_text(f"call_id,{header}\nEXT-3,{value}\n")
    plan = plan_outcomes(workspace.db, path)
    apply_outcomes(workspace.db, plan)
    assert plan.scale == scale
    csat, raw, stored_scale, *_ = outcomes(workspace)[3]
    assert (csat, raw, stored_scale) == (pytest.approx(normalised, abs=1e-6), value, scale)


def test_customer_churn_applies_to_all_their_calls_and_merges(workspace, calls, tmp_path: Path) -> None:
    csat = tmp_path / "csat.csv"
    csat.write_text("call_id,csat\nEXT-1,5\nEXT-2,4\nEXT-3,1\n")
    apply_outcomes(workspace.db, plan_outcomes(workspace.db, csat))
    churn = tmp_path / "churn.csv"
    churn.write_text("customer_id,cancelled_on\nCUST-1,2026-09-30\n")
    plan = plan_outcomes(workspace.db, churn)
    assert plan.problems == [] and plan.calls_matched == 2
    apply_outcomes(workspace.db, plan)
    rows = outcomes(workspace)
    assert rows[1][0] == 1.0 and rows[1][3:] == (1, "2026-09-30")  # CSAT kept, churn added
    assert rows[2][3:] == (1, "2026-09-30") and rows[3][3] is None


def test_every_problem_has_its_line_and_nothing_is_written(workspace, calls, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "call_id,csat,churned\n"
        "EXT-1,5,no\n"  # line 2: fine
        ",4,no\n"  # line 3: missing id
        "EXT-2,great,no\n"  # line 4: not a number
        "EXT-2,9,no\n"  # line 5: out of range on 1-5
        "EXT-99,3,no\n"  # line 6: unknown call
        "EXT-1,2,no\n"  # line 7: conflicts with line 2
        "EXT-3,,\n"  # line 8: neither CSAT nor churn
        "EXT-3,3,maybe\n"  # line 9: churn not understood
    )
    plan = plan_outcomes(workspace.db, path, scale="1-5")
    found = [(p.line, p.message) for p in plan.problems]
    assert [line for line, _ in found] == [3, 4, 5, 6, 7, 8, 9]
    for (_line, message), words in zip(
        found,
        [
            "missing value",
            "not a number",
            "out of range",
            "unknown call",
            "conflicts with line 2",
            "no CSAT, churn, value",
            "yes/no",
        ],
        strict=True,
    ):
        assert words in message
    assert len(plan.rows) == 1
    assert outcomes(workspace) == {}  # planning writes nothing


def test_reimporting_the_same_file_changes_nothing(workspace, calls, tmp_path: Path) -> None:
    path = tmp_path / "o.csv"
    path.write_text("file,csat,churn\ncall-1.wav,3,0\ncall-2.wav,5,2026-08-01\n")
    apply_outcomes(workspace.db, plan_outcomes(workspace.db, path))
    first = outcomes(workspace)
    apply_outcomes(workspace.db, plan_outcomes(workspace.db, path))
    assert outcomes(workspace) == first
    assert workspace.db.execute("SELECT COUNT(*) FROM outcomes").fetchone()[0] == 2


def test_file_without_matching_or_outcome_columns_is_refused(workspace, tmp_path: Path) -> None:
    path = tmp_path / "o.csv"
    path.write_text("agent,csat\nAna,4\n")
    with pytest.raises(OutcomesProblem, match="no column to match"):
        plan_outcomes(workspace.db, path)
    path.write_text("call_id,agent\nEXT-1,Ana\n")
    with pytest.raises(OutcomesProblem, match="no CSAT, churn, value, tier, handle time or comment column"):
        plan_outcomes(workspace.db, path)


def test_cli_import_needs_acceptance_when_rows_are_bad(tmp_path: Path, workspace, calls) -> None:
    path = tmp_path / "o.csv"
    path.write_text("Interaction,Score\nEXT-1,4\nEXT-77,5\n")
    ws = workspace.root
    refused = run_cli(
        "outcomes",
        "import",
        str(path),
        "--map",
        "call_id=Interaction",
        "--map",
        "csat=Score",
        "--json",
        data_dir=ws,
        check_json=True,
    )
    assert refused.returncode == 1 and refused.json["imported"] is False
    assert refused.json["problems"] == [
        {"line": 3, "error": "unknown call: no call in the workspace has call id 'EXT-77'"}
    ]
    accepted = run_cli(
        "outcomes",
        "import",
        str(path),
        "--map",
        "call_id=Interaction",
        "--map",
        "csat=Score",
        "--skip-bad-rows",
        data_dir=ws,
    )
    assert "imported outcomes for 1 calls" in accepted.stdout
    assert outcomes(workspace)[1][0] == 0.75


def test_call_ids_match_recordings_named_by_them(workspace, calls, tmp_path: Path) -> None:
    workspace.db.execute("UPDATE calls SET original_name = 'billing_high_empathy.stereo.flac' WHERE id = ?", [calls[0]])
    workspace.db.execute("UPDATE calls SET original_name = 'refund-call.WAV' WHERE id = ?", [calls[1]])
    csv = tmp_path / "csat.csv"
    csv.write_text("call_id,csat\nbilling_high_empathy,5\nREFUND-CALL,2\nbiling_high_empathy,4\n")
    plan = plan_outcomes(workspace.db, csv)
    assert [(r.line, r.call_ids, r.match) for r in plan.rows] == [
        (2, [calls[0]], "file name"),
        (3, [calls[1]], "file name"),
    ]
    (problem,) = plan.problems
    assert problem.line == 4 and "nearest names here: billing_high_empathy" in problem.message
