"""Disputes: an agent questions one criterion's score with a proposed score and a reason.

States: open → accepted | partly_accepted | rejected, decided by anyone but the disputing agent; or
open → escalated → accepted | partly_accepted | rejected, decided by an arbitrator who is neither the
original reviewer nor the agent. Accepting (fully or partly) makes a new submitted version of the
reviewer's review with the agreed score, so the audit (which counts each reviewer's latest version)
changes then and only then; the disputed version stays as history. A workspace may set how many days
after a review's submission it can still be disputed.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlite_utils

from empathy_audit.store.calls import get_call
from empathy_audit.store.coaching import (
    DISPUTE_DAYS_KEY,
    Dispute,
    DisputeDecided,
    decide_dispute,
    escalate_dispute,
    get_dispute,
    insert_dispute,
    latest_version_id,
    only_dispute_versions_since,
    open_dispute_exists,
)
from empathy_audit.store.reviews import get_review
from empathy_audit.store.rubrics import rubric_by_id
from empathy_audit.store.settings import workspace_setting

DECISIONS = {"accept": "accepted", "partial": "partly_accepted", "reject": "rejected", "escalate": "escalated"}


class DisputeProblem(ValueError):
    """A dispute step the rules do not allow; the message says which rule and what to do."""


def _same(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def open_dispute(
    db: sqlite_utils.Database, review_id: int, criterion: str, proposed: int, reason: str, by: str,
    session_id: int | None = None,
) -> Dispute:  # fmt: skip
    """Open a dispute of one criterion of a submitted audit review, by the call's agent."""
    if not by.strip():
        raise DisputeProblem("say who opens the dispute (--by AGENT)")
    try:
        review = get_review(db, review_id)
    except (KeyError, ValueError, LookupError):
        raise DisputeProblem(f"no review {review_id}; `empathy-audit reviews list --json` lists them") from None
    if review.state != "submitted" or review.calibration_uid:
        raise DisputeProblem(f"review {review_id} is not a submitted audit review, so there is nothing to dispute")
    if latest_version_id(db, review.call_id, review.reviewer) != review.id:
        raise DisputeProblem(
            f"review {review_id} has a newer version ({latest_version_id(db, review.call_id, review.reviewer)}); "
            "dispute the version that counts"
        )
    call = get_call(db, review.call_id)
    agent = call.agent if call else None
    if not agent:
        raise DisputeProblem(f"the call of review {review_id} has no agent, so nobody can dispute it; set its agent "
                             "first (Edit Details, or `empathy-audit calls update`)")  # fmt: skip
    if not _same(agent, by):
        raise DisputeProblem(f"only the call's agent ({agent}) can dispute its review, not {by}")
    rubric = rubric_by_id(db, review.rubric_id)
    keys = {c.key: c for c in rubric.criteria}
    if criterion not in keys:
        raise DisputeProblem(f"no criterion “{criterion}” in this review's rubric (criteria: {', '.join(keys)})")
    if not 0 <= proposed <= rubric.max_score:
        raise DisputeProblem(f"proposed score {proposed} is outside the rubric's 0–{rubric.max_score}")
    current = review.scores.get(criterion)
    if current == proposed:
        raise DisputeProblem(f"{keys[criterion].label} is already scored {proposed}")
    if not reason.strip():
        raise DisputeProblem("give a reason: what in the call the score misses")
    if open_dispute_exists(db, review_id, criterion):
        raise DisputeProblem(f"{keys[criterion].label} of review {review_id} is already disputed and not decided yet")
    days = workspace_setting(db, DISPUTE_DAYS_KEY)
    due = None
    if days and review.submitted_at:
        submitted = datetime.fromisoformat(review.submitted_at.replace("Z", "+00:00"))
        limit = submitted + timedelta(days=float(days))
        if datetime.now(submitted.tzinfo) > limit:
            raise DisputeProblem(
                f"review {review_id} was submitted {review.submitted_at[:10]}; this workspace allows disputes for "
                f"{float(days):g} days after submission (until {limit.date().isoformat()})"
            )
        due = limit.isoformat(timespec="seconds")
    dispute_id = insert_dispute(db, review_id, criterion, current, proposed, reason.strip(), by, due, session_id)
    found = get_dispute(db, dispute_id)
    assert found is not None
    return found


def resolve_dispute(
    db: sqlite_utils.Database, dispute_id: int, decision: str, by: str, score: int | None = None,
    comment: str | None = None,
) -> Dispute:  # fmt: skip
    """accept | partial (with the agreed score) | reject | escalate. Returns the dispute as it now stands."""
    if not by.strip():
        raise DisputeProblem("say who decides (--by NAME, or set your reviewer name in the app)")
    dispute = get_dispute(db, dispute_id)
    if dispute is None:
        raise DisputeProblem(f"no dispute {dispute_id}; `empathy-audit disputes list` lists them")
    if decision not in DECISIONS:
        raise DisputeProblem(f"decision “{decision}”: use accept, partial, reject or escalate")
    if dispute.state not in ("open", "escalated"):
        raise DisputeProblem(f"dispute {dispute_id} is already {dispute.state.replace('_', ' ')}")
    if _same(by, dispute.opened_by):
        raise DisputeProblem(f"{by} opened dispute {dispute_id}, so someone else decides it")
    if decision == "escalate":
        if dispute.state == "escalated":
            raise DisputeProblem(f"dispute {dispute_id} is already escalated; its arbitrator decides it")
        escalate_dispute(db, dispute_id, by, comment)
        return get_dispute(db, dispute_id)  # type: ignore[return-value]
    if dispute.state == "escalated" and _same(by, dispute.reviewer):
        raise DisputeProblem(
            f"dispute {dispute_id} was escalated: an arbitrator other than the original reviewer ({dispute.reviewer}) "
            "decides it"
        )
    new_score = None
    if decision == "accept":
        new_score = dispute.proposed_score
    elif decision == "partial":
        low, high = sorted((dispute.original_score or 0, dispute.proposed_score))
        if score is None or not low < score < high:
            raise DisputeProblem(
                f"a partial acceptance needs --score between the original {dispute.original_score} and the proposed "
                f"{dispute.proposed_score} (exclusive)"
            )
        new_score = score
    elif score is not None:
        raise DisputeProblem("a rejected dispute keeps the score; leave --score out")
    base = latest_version_id(db, dispute.call_id, dispute.reviewer)
    if new_score is not None and base != dispute.review_id and not only_dispute_versions_since(db, dispute.review_id):
        raise DisputeProblem(
            f"the reviewer revised review {dispute.review_id} after the dispute was opened; reject this dispute and "
            "dispute the new version if it still applies"
        )
    try:  # a version made by another dispute's decision meanwhile: this decision goes on top of it
        decide_dispute(db, dispute, DECISIONS[decision], by, new_score, comment, base)
    except DisputeDecided as exc:
        raise DisputeProblem(str(exc)) from None
    return get_dispute(db, dispute_id)  # type: ignore[return-value]
