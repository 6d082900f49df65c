"""Reviews on a real workspace: autosaved drafts, N/A, evidence, submit, revise, queue, cues."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import run_cli

from empathy_audit.domain import Segment
from empathy_audit.importing.importer import ImportOptions, import_paths
from empathy_audit.importing.metadata import load_metadata
from empathy_audit.reviewing.cues import find_cues
from empathy_audit.reviewing.queue import build_queue
from empathy_audit.store import write_transaction
from empathy_audit.store.library import LibraryFilter, library_rows
from empathy_audit.store.reviews import (
    ReviewProblem,
    add_evidence,
    latest_review,
    open_review,
    revise,
    set_comment,
    set_score,
    set_text,
    submit,
)
from empathy_audit.store.rubrics import active_rubric


@pytest.fixture
def call_id(workspace, audio_dir: Path) -> int:
    return import_paths(workspace, [audio_dir / "mono_16k.wav"]).imported[0].call_id


def test_every_change_is_saved_and_reopens_exactly(workspace, call_id: int) -> None:
    rubric = active_rubric(workspace.db)
    review = open_review(workspace.db, call_id, "Ana", rubric)
    set_comment(workspace.db, review, "care", "offered a callback")  # a comment before a score is not a score
    set_score(workspace.db, review, rubric, "acknowledgment", 2)
    set_score(workspace.db, review, rubric, "investigation", None)  # N/A
    set_text(workspace.db, review, "data_missed", "CSAT 5 but the customer sounded resigned")
    evidence = add_evidence(workspace.db, review, "acknowledgment", 1.5, 3.0)

    reopened = latest_review(workspace.db, call_id, "Ana")
    assert reopened.id == review.id and reopened.state == "draft"
    assert reopened.scores == {"acknowledgment": 2, "investigation": None}
    assert reopened.comments == {"care": "offered a callback"}
    assert reopened.data_missed == "CSAT 5 but the customer sounded resigned"
    assert [(e.id, e.criterion_key, e.start_s) for e in reopened.evidence] == [(evidence.id, "acknowledgment", 1.5)]


def test_submit_needs_every_criterion_then_locks(workspace, call_id: int) -> None:
    rubric = active_rubric(workspace.db)
    review = open_review(workspace.db, call_id, "Ana", rubric)
    set_score(workspace.db, review, rubric, "acknowledgment", 3)
    with pytest.raises(ReviewProblem, match="Investigation, Action with care"):
        submit(workspace.db, review, rubric)
    set_score(workspace.db, review, rubric, "investigation", 1)
    set_score(workspace.db, review, rubric, "care", 2)
    submit(workspace.db, review, rubric)
    with pytest.raises(ReviewProblem, match="revise"):
        set_score(workspace.db, review, rubric, "care", 0)
    draft = revise(workspace.db, review)
    assert draft.id != review.id and draft.scores == review.scores and draft.state == "draft"


def test_out_of_range_and_forbidden_na_are_refused(workspace, call_id: int) -> None:
    rubric = active_rubric(workspace.db)
    review = open_review(workspace.db, call_id, "Ana", rubric)
    with pytest.raises(ReviewProblem, match="0 to 3"):
        set_score(workspace.db, review, rubric, "care", 4)


def test_library_shows_reviewer_score_and_finds_words(workspace, call_id: int) -> None:
    rubric = active_rubric(workspace.db)
    review = open_review(workspace.db, call_id, "Ana", rubric)
    for key, value in (("acknowledgment", 3), ("investigation", 2), ("care", None)):
        set_score(workspace.db, review, rubric, key, value)
    submit(workspace.db, review, rubric)
    with write_transaction(workspace.db):
        workspace.db.execute(
            "INSERT INTO transcripts (id, call_id, is_current, engine, created_at) VALUES (50, ?, 1, 'e', 'n')",
            [call_id],
        )
        workspace.db.execute(
            "INSERT INTO segments (transcript_id, seq, speaker, start_s, end_s, text) "
            "VALUES (50, 0, 'mixed', 0, 2, 'my router keeps dropping')"
        )
    (row,) = library_rows(workspace.db)
    assert (row["reviewer"], row["score"]) == ("Ana", 2.5)
    assert [r["id"] for r in library_rows(workspace.db, LibraryFilter(search="rout"))] == [call_id]
    assert library_rows(workspace.db, LibraryFilter(search="refund")) == []
    assert library_rows(workspace.db, LibraryFilter(reviewed=False)) == []


def test_queue_sample_and_triggers_with_reasons(workspace, audio_dir: Path, tmp_path: Path) -> None:
    names = ["mono_16k.wav", "mono.mp3", "mono.flac", "mono.m4a", "mono_8k_alaw.wav", "mono.opus.ogg"]
    csv = tmp_path / "meta.csv"
    csv.write_text(
        "file,agent,customer_id,call_start\n"
        "mono_16k.wav,Ana,C1,2026-07-01 09:00\n"
        "mono.mp3,Ana,C1,2026-07-01 15:00\n"  # same customer 6 h later: a repeat contact
        "mono.flac,Ana,C2,2026-08-01 10:00\n"
        "mono.m4a,Ana,C3,2026-08-02 10:00\n"
        "mono_8k_alaw.wav,Ben,C4,2026-08-03 10:00\n"
        "mono.opus.ogg,Ben,C5,2026-10-03 10:00\n"
    )
    report = import_paths(
        workspace,
        [audio_dir / n for n in names],
        ImportOptions(metadata=load_metadata(csv)),
    )
    ids = {i.original_name: i.call_id for i in report.imported}
    with write_transaction(workspace.db):
        workspace.db.execute("UPDATE calls SET status = 'transcribed'")
        workspace.db.execute(
            "INSERT INTO outcomes (call_id, csat, churned, imported_at) VALUES (?, 1.0, 1, 'n')", [ids["mono.flac"]]
        )
        workspace.db.execute(
            "INSERT INTO outcomes (call_id, csat, churned, imported_at) VALUES (?, 0.0, 0, 'n')", [ids["mono.m4a"]]
        )
    queue = build_queue(workspace.db, "Cy", per_agent_per_quarter=1)
    reasons = {item.call_id: item.reasons for item in queue}
    assert queue[0].call_id == ids["mono.flac"] and "Satisfied but churned" in reasons[ids["mono.flac"]]
    assert "Low CSAT" in reasons[ids["mono.m4a"]]
    assert "Second contact within 24 h" in reasons[ids["mono.mp3"]]
    samples = [r for rs in reasons.values() for r in rs if r.startswith("Quarterly sample")]
    assert sorted(samples) == [
        "Quarterly sample (Ana, 2026Q3)",
        "Quarterly sample (Ben, 2026Q3)",
        "Quarterly sample (Ben, 2026Q4)",
    ]
    assert build_queue(workspace.db, "Cy", per_agent_per_quarter=1) == queue  # stable across restarts


def test_cues_are_explainable() -> None:
    segments = [
        Segment("customer", 0, 3, "This is the third time I'm calling and I'm fed up."),
        Segment("agent", 3, 6, "I'm so sorry, that must be really frustrating. What has your experience been so far?"),
        Segment("agent", 6, 9, "I will call you on Friday to check it works."),
    ]
    hits = [(h.segment_index, h.key, h.phrase) for h in find_cues(segments)]
    assert (0, "repeat_contact", "third time") in hits
    assert (0, "frustration", "fed up") in hits
    assert (1, "acknowledgment", "I'm so sorry") in hits
    assert (1, "open_question", "What has your experience") in hits
    assert (2, "follow_up", "I will call") in hits
    assert not any(h[0] == 0 and h[1] == "acknowledgment" for h in hits)  # agent-only cue


def test_cli_review_and_list(tmp_path: Path, audio_dir: Path) -> None:
    ws = tmp_path / "ws"
    run_cli("import", str(audio_dir / "mono.mp3"), data_dir=ws)
    result = run_cli(
        "review",
        "1",
        "--reviewer",
        "Ana",
        "--score",
        "acknowledgment=2",
        "--score",
        "investigation=1",
        "--score",
        "care=na",
        "--note",
        "warm",
        "--json",
        data_dir=ws,
        check_json=True,
    )
    assert result.returncode == 0, result.stderr
    assert result.json["state"] == "submitted" and result.json["score"] == 1.5
    listed = run_cli("reviews", "list", "--json", data_dir=ws, check_json=True).json
    assert [(r["call_id"], r["reviewer"], r["scores"]["care"]) for r in listed] == [(1, "Ana", None)]
    bad = run_cli("review", "1", "--reviewer", "Ana", "--score", "empathy=2", data_dir=ws)
    assert bad.returncode == 2 and "not a criterion" in bad.stderr
