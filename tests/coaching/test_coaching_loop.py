"""The coaching loop: disputes change the audit only when accepted (history kept), acknowledgements, the
graders' figures by hand, and an agent's feedback page that holds only that agent's data."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import run_cli
from seed import Seeded, seed

from empathy_audit.coaching.disputes import DisputeProblem, open_dispute, resolve_dispute
from empathy_audit.coaching.feedback import FeedbackProblem
from empathy_audit.coaching.graders import reviewer_stats
from empathy_audit.services import WorkspaceServices
from empathy_audit.store import write_transaction
from empathy_audit.store.audit import call_scores
from empathy_audit.store.coaching import acknowledgements, list_disputes
from empathy_audit.store.reviews import add_active_time


def _calls(db) -> list[int]:
    # Bo's call reviewed by Cy: 1, 1, 1 (score 1.0); Di's call by Cy: 3, 3, 3.
    return seed(
        db,
        [Seeded("Bo", "Blue", "2026-07-01T10:00:00", (1, 1, 1), reviewer="Cy"),
         Seeded("Di", "Blue", "2026-07-02T10:00:00", (3, 3, 3), reviewer="Cy")],
    )  # fmt: skip


def _submitted(db, when: str = "2026-07-03T10:00:00") -> None:
    with write_transaction(db):
        db.execute("UPDATE reviews SET submitted_at = ?", [when])


def test_a_dispute_round_trip_changes_the_score_only_when_accepted(workspace) -> None:
    db = workspace.db
    bo, _di = _calls(db)
    _submitted(db)
    root = workspace.root
    assert call_scores(db)[bo][0] == 1.0
    opened = run_cli(
        "dispute", "open", "1", "--criterion", "care", "--proposed", "3", "--reason", "I booked the engineer at 2:10",
        "--by", "Bo", "--json", data_dir=root, check_json=True,
    )  # fmt: skip
    assert opened.returncode == 0, opened.stderr
    assert (opened.json["state"], opened.json["original_score"], opened.json["proposed_score"]) == ("open", 1, 3)
    assert call_scores(db)[bo][0] == 1.0  # an open dispute changes nothing
    assert resolve_dispute(db, 1, "reject", "Cy").state == "rejected"
    assert call_scores(db)[bo][0] == 1.0

    # Investigation: escalated by the reviewer, then decided by an arbitrator who is not the reviewer.
    second = open_dispute(db, 1, "investigation", 3, "I asked what happened so far", "bo")  # names match loosely
    resolve_dispute(db, second.id, "escalate", "Cy", comment="Not sure")
    with pytest.raises(DisputeProblem, match="arbitrator other than the original reviewer"):
        resolve_dispute(db, second.id, "accept", "Cy")
    with pytest.raises(DisputeProblem, match="between the original 1 and the proposed 3"):
        resolve_dispute(db, second.id, "partial", "Lee", score=3)
    decided = run_cli(
        "dispute", "resolve", str(second.id), "--decision", "partial", "--score", "2", "--by", "Lee", "--comment",
        "Asked once, well", "--json", data_dir=root, check_json=True,
    )  # fmt: skip
    assert decided.returncode == 0 and decided.json["state"] == "partly_accepted"
    new_id = decided.json["new_review_id"]
    # The audit counts the new version: (1 + 2 + 1) / 3; the history shows both versions.
    assert call_scores(db)[bo][0] == pytest.approx(4 / 3)
    versions = run_cli("reviews", "list", "--call", str(bo), "--json", data_dir=root, check_json=True).json
    assert [v["id"] for v in versions] == [1, new_id]
    assert versions[0]["scores"]["investigation"] == 1 and versions[1]["scores"]["investigation"] == 2
    assert versions[1]["amended_by_dispute"] == second.uid and versions[1]["reviewer"] == "Cy"
    assert "Changed from 1 to 2 by dispute (Lee)" in versions[1]["comments"]["investigation"]
    assert [d.state for d in list_disputes(db)] == ["rejected", "partly_accepted"]
    # The old version can no longer be disputed: the new one counts.
    with pytest.raises(DisputeProblem, match="newer version"):
        open_dispute(db, 1, "care", 2, "again", "Bo")


def test_two_disputes_of_one_review_both_count_when_accepted(workspace) -> None:
    db = workspace.db
    bo, _di = _calls(db)
    _submitted(db)
    care = open_dispute(db, 1, "care", 3, "I booked the engineer", "Bo")
    ack = open_dispute(db, 1, "acknowledgment", 2, "I said I was sorry", "Bo")
    with pytest.raises(DisputeProblem, match="already disputed"):
        open_dispute(db, 1, "care", 2, "again", "Bo")
    resolve_dispute(db, care.id, "accept", "Lee")  # makes version 2 (care 3)
    decided = resolve_dispute(db, ack.id, "accept", "Lee")  # goes on top of it: version 3 (care 3, ack 2)
    assert decided.state == "accepted" and call_scores(db)[bo][0] == pytest.approx((2 + 1 + 3) / 3)
    with pytest.raises(DisputeProblem, match="already accepted"):
        resolve_dispute(db, ack.id, "reject", "Lee")
    with pytest.raises(DisputeProblem, match="say who decides"):
        resolve_dispute(db, open_dispute(db, decided.new_review_id, "investigation", 2, "r", "Bo").id, "reject", " ")


def test_dispute_rules_say_what_is_wrong(workspace) -> None:
    db = workspace.db
    _calls(db)
    _submitted(db)
    with pytest.raises(DisputeProblem, match=r"only the call's agent \(Bo\)"):
        open_dispute(db, 1, "care", 3, "x", "Di")
    with pytest.raises(DisputeProblem, match="no criterion “warmth”"):
        open_dispute(db, 1, "warmth", 3, "x", "Bo")
    with pytest.raises(DisputeProblem, match="outside the rubric's 0–3"):
        open_dispute(db, 1, "care", 4, "x", "Bo")
    with pytest.raises(DisputeProblem, match="already scored 1"):
        open_dispute(db, 1, "care", 1, "x", "Bo")
    with pytest.raises(DisputeProblem, match="give a reason"):
        open_dispute(db, 1, "care", 3, "  ", "Bo")
    dispute = open_dispute(db, 1, "care", 3, "reason", "Bo")
    with pytest.raises(DisputeProblem, match="already disputed"):
        open_dispute(db, 1, "care", 2, "reason", "Bo")
    with pytest.raises(DisputeProblem, match="someone else decides"):
        resolve_dispute(db, dispute.id, "accept", "Bo")
    window = run_cli("disputes", "window", "30", data_dir=workspace.root)
    assert window.returncode == 0 and "30 days" in window.stdout
    with pytest.raises(DisputeProblem, match="allows disputes for 30 days after submission"):
        open_dispute(db, 1, "investigation", 3, "late", "Bo")  # submitted 3 July 2026: long past
    refused = run_cli("acknowledge", "99", "--by", "Bo", data_dir=workspace.root)
    assert refused.returncode == 1 and "no review 99" in refused.stderr
    assert acknowledgements(db, [1]) == {}
    WorkspaceServices(workspace).coaching.acknowledge(1, "Bo", "Fair")  # not closed: the fixture closes the store
    assert acknowledgements(db, [1])[1][:2] == ("Bo", "Fair")


def test_graders_figures_by_hand(workspace) -> None:
    db = workspace.db
    calls = [Seeded("Bo", "Blue", f"2026-07-0{d}T10:00:00", (1, 1, 1), reviewer="Cy") for d in range(1, 5)]
    calls += [Seeded("Di", "Blue", "2026-07-05T10:00:00", (2, 2, 2), reviewer="Ann")]
    seed(db, calls)
    with write_transaction(db):  # Cy: two reviews in ISO week 27, two in week 28; Ann one in week 28
        for review_id, day in ((1, "2026-07-01"), (2, "2026-07-02"), (3, "2026-07-07"), (4, "2026-07-08"),
                               (5, "2026-07-09")):  # fmt: skip
            db.execute("UPDATE reviews SET submitted_at = ? WHERE id = ?", [f"{day}T12:00:00", review_id])
    for review_id, seconds in ((1, 240), (2, 360), (3, 600)):  # review 4 has no time recorded
        add_active_time(db, review_id, seconds)
    add_active_time(db, 1, 60)  # a second sitting on the same review adds up: 300 s
    a = open_dispute(db, 1, "care", 3, "r", "Bo")
    b = open_dispute(db, 2, "care", 2, "r", "Bo")
    c = open_dispute(db, 2, "investigation", 2, "r", "Bo")
    resolve_dispute(db, a.id, "accept", "Lee")
    resolve_dispute(db, b.id, "reject", "Lee")
    # Asked by thousands of review ids (a quarter's), in chunks under SQLite's parameter limit.
    assert [d.id for d in list_disputes(db, review_ids=list(range(1, 2501)))] == [a.id, b.id, c.id]
    stats = {s.reviewer: s for s in reviewer_stats(db, "2026Q3")}
    cy = stats["Cy"]
    # The version made by accepting dispute a is not Cy's work: still 4 reviews.
    assert (cy.reviews, cy.per_week) == (4, {"2026-W27": 2, "2026-W28": 2})
    assert cy.median_minutes == 6.0 and cy.timed == 3  # median of 5, 6 and 10 minutes
    assert (cy.disputed, cy.dispute_rate, cy.decided, cy.overturned, cy.overturn_rate) == (2, 0.5, 2, 1, 0.5)
    care = next(x for x in cy.criteria if x.criterion == "care")
    assert (care.disputed, care.decided, care.overturned) == (2, 2, 1)
    assert stats["Ann"].dispute_rate == 0.0 and stats["Ann"].overturn_rate is None
    proc = run_cli("reviewers", "--quarter", "2026Q3", "--json", data_dir=workspace.root, check_json=True)
    assert proc.returncode == 0 and [r["reviewer"] for r in proc.json] == ["Ann", "Cy"]
    from empathy_audit.analytics.report import write_report

    out = workspace.root.parent / "report"
    write_report(db, "2026Q3", out, formats=("csv",))
    graders = (out / "empathy-audit-2026Q3-graders.csv").read_text(encoding="utf-8-sig").splitlines()
    from empathy_audit.coaching.graders import weeks_so_far

    per_week = round(4 / weeks_so_far("2026Q3"), 1)  # 4 reviews over the quarter's weeks so far (13 once over)
    assert graders[2].startswith(f"Cy,4,{per_week},6.0,50%,2,50%,,care")


def test_feedback_page_holds_only_its_agents_data(workspace, audio_dir: Path, tmp_path: Path) -> None:
    from empathy_audit.importing.importer import ImportOptions, import_paths

    db = workspace.db
    imported = import_paths(workspace, [audio_dir / "mono_16k.wav"], ImportOptions(agent="Bo", team="Blue"))
    bo_call = imported.imported[0].call_id
    seed(db, [Seeded("Di", "Blue", "2026-07-02T10:00:00", (3, 3, 3), reviewer="Cy")])
    with write_transaction(db):
        db.execute("UPDATE calls SET call_start = '2026-07-01T10:00:00' WHERE id = ?", [bo_call])
        db.execute(
            "INSERT INTO reviews (id, call_id, call_sha256, rubric_id, reviewer, state, overall_note, created_at, "
            "updated_at, submitted_at, uid, version_key) SELECT 50, id, sha256, 1, 'Cy', 'submitted', "
            "'Warm opening, rushed close', 'n', 'n', '2026-07-03', 'u50', 'v50' FROM calls WHERE id = ?",
            [bo_call],
        )
        for key, score, comment in (("acknowledgment", 3, "Named the frustration"), ("investigation", 2, None),
                                    ("care", 1, "No follow-up offered")):  # fmt: skip
            db.execute(
                "INSERT INTO review_scores (review_id, criterion_key, score, comment, scored) VALUES (50, ?, ?, ?, 1)",
                [key, score, comment],
            )
        db.execute(
            "INSERT INTO evidence (review_id, criterion_key, start_s, end_s) VALUES (50, 'acknowledgment', 0.2, 1.4)"
        )
        db.execute("INSERT INTO transcripts (id, call_id, is_current, engine, created_at) VALUES (70, ?, 1, 'e', 'n')",
                   [bo_call])  # fmt: skip
        db.execute(
            "INSERT INTO segments (transcript_id, seq, speaker, start_s, end_s, text) VALUES (70, 0, 'agent', 0, 2, "
            "'I understand how frustrating that is, call me on 07700 900123')"
        )
        db.execute("UPDATE review_scores SET comment = 'Di was superb' WHERE review_id = 1")  # Di's review
    services = WorkspaceServices(workspace)  # over the test's store, which the fixture closes
    result = services.coaching.feedback("Bo", "2026Q3", tmp_path / "fb")
    page = result.html_path.read_text()
    assert "Feedback for Bo — 2026Q3" in page and "Named the frustration" in page and "Warm opening" in page
    assert "I understand how frustrating that is" in page and "07700" not in page and "[redacted]" in page
    assert '<audio controls preload="none" src="audio-bo-2026Q3/r50-01.mp3">' in page
    assert (tmp_path / "fb" / "audio-bo-2026Q3" / "r50-01.mp3").stat().st_size > 1000
    # The team appears only as a median: Di's name, calls and comments are nowhere.
    for other in ("Di", "call-1.wav", "superb"):
        assert other not in page
    # One colleague only: a median would be Di's own mean, so none is shown.
    assert result.team_median == {} and result.pdf_path.read_bytes().startswith(b"%PDF")
    again = run_cli("feedback", "Bo", "--quarter", "2026Q3", "--out", str(tmp_path / "fb"), data_dir=workspace.root)
    assert again.returncode == 1 and "already holds" in again.stderr
    with (
        WorkspaceServices(workspace) as services,
        pytest.raises(FeedbackProblem, match="no reviewed calls for agent “Zed”"),
    ):
        services.coaching.feedback("Zed", "2026Q3", tmp_path / "z")


def test_a_session_shows_the_calls_one_audit_score_for_each_of_its_reviews(workspace) -> None:
    from empathy_audit.coaching.sessions import agent_review_list
    from empathy_audit.store.reviews import open_review, set_score, submit
    from empathy_audit.store.rubrics import active_rubric

    db = workspace.db
    (bo, _di) = _calls(db)  # Cy scored Bo's call 1, 1, 1
    rubric = active_rubric(db)
    second = open_review(db, bo, "Ann", rubric)
    for key in ("acknowledgment", "investigation", "care"):
        set_score(db, second, rubric, key, 3)
    submit(db, second, rubric)
    rows = agent_review_list(db, "Bo", "2026Q3")
    # Two reviews of one call: both show the call's audit score (the mean of 1.0 and 3.0), as the Library does.
    assert [r.review.reviewer for r in rows] == ["Cy", "Ann"] and [r.score for r in rows] == [2.0, 2.0]
    assert call_scores(db)[bo][0] == 2.0
