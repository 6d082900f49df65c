"""Scoring and comparing workspaces in calibration and pack tests."""

from __future__ import annotations

from empathy_audit.calibration.sets import open_calibration_review, set_rubric
from empathy_audit.store import Workspace
from empathy_audit.store.calibration import CalibrationSet
from empathy_audit.store.reviews import Review, open_review, revise, set_score, submit
from empathy_audit.store.rubrics import active_rubric


def score(
    ws: Workspace, call_id: int, reviewer: str, values: list[int | None], cset: CalibrationSet | None = None
) -> Review:
    """Score every criterion (in rubric order) and submit; a submitted review is revised first."""
    rubric = set_rubric(ws.db, cset) if cset else active_rubric(ws.db)
    review = (
        open_calibration_review(ws.db, cset, call_id, reviewer)
        if cset
        else open_review(ws.db, call_id, reviewer, rubric)
    )
    if review.submitted:
        review = revise(ws.db, review)
    for criterion, value in zip(rubric.criteria, values, strict=True):
        set_score(ws.db, review, rubric, criterion.key, value)
    submit(ws.db, review, rubric)
    return review


def state(ws: Workspace) -> dict:
    """What a merge must agree on: every review version with its scores, and what counts as latest."""
    from empathy_audit.store.audit import refresh_call_audit
    from empathy_audit.store.library import LibraryFilter, library_rows

    reviews = sorted(
        (r["uid"], r["reviewer"], r["call_sha256"], r["version_key"], r["calibration_uid"])
        for r in ws.db.query("SELECT * FROM reviews")
    )
    scores = sorted(
        ws.db.execute(
            "SELECT r.uid, s.criterion_key, s.score FROM review_scores s JOIN reviews r ON r.id = s.review_id"
        ).fetchall()
    )
    refresh_call_audit(ws.db)
    audit = sorted(
        ws.db.execute("SELECT c.sha256, a.score, a.reviewers FROM call_audit a JOIN calls c ON c.id = a.call_id")
    )
    library = sorted((r["original_name"], r["reviewer"], r["score"]) for r in library_rows(ws.db, LibraryFilter()))
    return {"reviews": reviews, "scores": scores, "audit": audit, "library": library}
