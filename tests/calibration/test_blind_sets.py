"""Calibration sets end to end: a lead makes a set with gold scores, a reviewer scores it blind from a pack."""

from __future__ import annotations

from pathlib import Path

import pytest
from review_helpers import score

from empathy_audit.calibration.report import calibration_report
from empathy_audit.packs.export import export_calibration_pack, export_review_pack
from empathy_audit.packs.importer import import_pack
from empathy_audit.store.calibration import CalibrationProblem, create_set, get_set, list_sets, progress
from empathy_audit.store.reviews import list_reviews


def test_lead_sets_gold_reviewer_scores_blind_lead_sees_agreement(make_ws, tmp_path: Path) -> None:
    lead = make_ws("lead")
    cset = create_set(lead.db, "Q3 week 1", [1, 2], "Lena", "Score blind; focus on acknowledgment.")
    score(lead, 1, "Lena", [2, 1, 3], cset)  # gold
    score(lead, 2, "Lena", [1, None, 2], cset)
    pack = export_calibration_pack(lead, cset, tmp_path / "q3w1")
    assert pack.path.suffix == ".eapack" and pack.audio_files == 2 and pack.transcripts == 2 and pack.reviews == 2

    ana = make_ws("ana", empty=True)
    imported = import_pack(ana, pack.path, trust_new=True)
    assert imported.calls_added == 2 and imported.transcripts_added == 2 and imported.calibration_set == "Q3 week 1"
    local = get_set(ana.db, "Q3 week 1")
    assert local.blind and local.instructions == "Score blind; focus on acknowledgment."
    # Blind in the data: no view without a viewer; before submitting, no one else's scores.
    with pytest.raises(CalibrationProblem, match="scored blind"):
        calibration_report(ana.db, local)
    before = calibration_report(ana.db, local, viewer="Ana")
    assert before.reviewers == [] and before.hidden_calls == 2
    # Calibration reviews never count as audit reviews.
    assert list_reviews(ana.db) == [] and len(list_reviews(ana.db, calibration_uid=local.uid)) == 2
    call_1 = ana.db.execute("SELECT id FROM calls WHERE sha256 = ?", [local.call_shas[0]]).fetchone()[0]
    score(ana, call_1, "Ana", [3, 2, 3], local)
    after = calibration_report(ana.db, local, viewer="Ana")
    assert after.reviewers == ["Lena", "Ana"] and after.hidden_calls == 1
    assert next(s.scores for s in after.spread if s.scores) == {
        "Lena": {"acknowledgment": 2, "investigation": 1, "care": 3},
        "Ana": {"acknowledgment": 3, "investigation": 2, "care": 3},
    }
    assert progress(ana.db, local) == {
        "Lena": dict.fromkeys(local.call_shas, "submitted"),
        "Ana": {local.call_shas[0]: "submitted"},
    }

    # Back to the lead: Ana's review pack merges in; the lead sees everything.
    back = export_review_pack(ana, tmp_path / "ana", reviewer="Ana")
    assert import_pack(lead, back.path, trust_new=True).reviews_added == 1
    report = calibration_report(lead.db, cset)
    assert report.reviewers == ["Lena", "Ana"] and report.hidden_calls == 0
    (bias,) = report.bias
    assert (bias.reviewer, bias.mean_difference, bias.n, bias.against) == (
        "Ana",
        pytest.approx(2 / 3, abs=1e-4),
        3,
        "gold",
    )
    overall = report.agreement[-1]
    assert overall.key == "overall" and overall.n_pairs == 3 and overall.exact == pytest.approx(1 / 3)
    assert overall.adjacent == pytest.approx(1.0)
    assert report.spread[0].spread == 1.0 and report.drift == {"Ana": [("Q3 week 1", pytest.approx(2 / 3, abs=1e-4))]}


def test_drift_across_sessions_and_consensus_without_gold(make_ws) -> None:
    ws = make_ws("lead")
    first = create_set(ws.db, "Week 1", [1, 2], "Lena")
    second = create_set(ws.db, "Week 2", [1, 2], "Lena")
    for cset, ben in ((first, 3), (second, 2)):
        for call in (1, 2):
            score(ws, call, "Ana", [1, 1, 1], cset)
            score(ws, call, "Ben", [ben, ben, ben], cset)
    drift = calibration_report(ws.db, second).drift
    # No gold: each is measured against the other (the consensus). Ben moved from +2 to +1.
    assert drift["Ben"] == [("Week 1", 2.0), ("Week 2", 1.0)] and drift["Ana"] == [("Week 1", -2.0), ("Week 2", -1.0)]
    assert [s.name for s in list_sets(ws.db)] == ["Week 1", "Week 2"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": " "}, "needs a name"),
        ({"lead": ""}, "who leads"),
        ({"call_ids": []}, "at least one call"),
        ({"call_ids": [9]}, "no call 9"),
    ],
)
def test_bad_sets_are_refused(make_ws, kwargs: dict, message: str) -> None:
    ws = make_ws("lead")
    args = {"name": "Set", "call_ids": [1], "lead": "Lena", **kwargs}
    with pytest.raises(CalibrationProblem, match=message):
        create_set(ws.db, args["name"], args["call_ids"], args["lead"])
    create_set(ws.db, "Set", [1], "Lena")
    with pytest.raises(CalibrationProblem, match="already a calibration set"):
        create_set(ws.db, "Set", [2], "Lena")
