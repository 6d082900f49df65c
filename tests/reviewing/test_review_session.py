"""ReviewSession: the one reviewing use case behind the Review screen and `empathy-audit review`."""

from __future__ import annotations

import pytest

from empathy_audit.services.review_session import NotEditable, ReviewSession
from empathy_audit.store.reviews import ReviewProblem, latest_review, list_reviews


def test_open_score_submit_revise(make_ws) -> None:
    ws = make_ws("ws")
    session = ReviewSession(ws.db, "Dana")
    call = session.open(1)
    assert call.id == 1 and session.segments and session.editable and session.review.state == "draft"
    session.score("acknowledgment", 3)
    session.score("investigation", None)  # N/A
    with pytest.raises(ReviewProblem, match="Action with care"):
        session.submit()  # every criterion scored or N/A first
    session.score("care", 1)
    session.comment("care", "No follow-up offered.")
    assert session.set_text("overall_note", "Warm, but left the customer to chase.")
    assert not session.set_text("overall_note", "Warm, but left the customer to chase.")  # unchanged: not saved
    session.add_evidence("acknowledgment", session.segments[0])
    session.submit()
    assert session.summary().mean == pytest.approx(2.0) and not session.editable
    with pytest.raises(NotEditable):
        session.score("care", 3)
    first = session.review.id
    session.revise()
    session.score("care", 3)
    session.submit()
    assert latest_review(ws.db, 1, "Dana").scores["care"] == 3 and session.review.id != first
    assert len(list_reviews(ws.db, call_id=1)) == 2  # the first submission stays as history
    # A fresh session (another window, the CLI) sees the same review.
    again = ReviewSession(ws.db, "Dana")
    again.open(1)
    assert again.review.id == session.review.id and again.summary().mean == pytest.approx(3.0)


def test_next_call_comes_from_the_queue_and_skips_the_open_one(make_ws) -> None:
    ws = make_ws("ws")
    session = ReviewSession(ws.db, "Dana")
    ids = [item.call_id for item in session.queue()]
    assert ids, "the personal-data workspace has transcribed calls to review"
    session.open(ids[0])
    assert session.next_call_id() != ids[0]


def test_a_missing_call_is_a_clear_problem(make_ws) -> None:
    session = ReviewSession(make_ws("ws").db, "Dana")
    with pytest.raises(ReviewProblem, match="there is no call #99"):
        session.open(99)
    assert session.call is None
