"""The coaching loop: agents acknowledge or dispute reviews, leads coach, graders are graded (coaching/)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from empathy_audit.changes import Area, Changes
from empathy_audit.coaching.disputes import DisputeProblem, open_dispute, resolve_dispute
from empathy_audit.store import Workspace
from empathy_audit.store.coaching import (
    DISPUTE_DAYS_KEY,
    Dispute,
    add_todo,
    finish_todo,
    insert_acknowledgement,
    insert_session,
    list_disputes,
    open_todos,
    sessions,
    update_session,
)
from empathy_audit.store.reviews import add_active_time, get_review
from empathy_audit.store.settings import set_workspace_setting, workspace_setting

if TYPE_CHECKING:
    from empathy_audit.coaching.feedback import Feedback
    from empathy_audit.coaching.graders import ReviewerStats
    from empathy_audit.coaching.sessions import AgentReview


class CoachingService:
    def __init__(self, store: Workspace) -> None:
        self._store = store

    # -- acknowledgements and disputes ----------------------------------------------------------------
    def acknowledge(
        self, review_id: int, agent: str, comment: str | None = None, session_id: int | None = None
    ) -> Changes:
        try:
            review = get_review(self._store.db, review_id)
        except KeyError:
            raise DisputeProblem(f"no review {review_id}; `empathy-audit reviews list --json` lists them") from None
        if review.state != "submitted":
            raise DisputeProblem(f"review {review_id} is a draft; an agent acknowledges submitted reviews")
        insert_acknowledgement(self._store.db, review_id, agent, (comment or "").strip() or None, session_id)
        return Changes.of(Area.COACHING, calls=[review.call_id])

    def open_dispute(
        self, review_id: int, criterion: str, proposed: int, reason: str, by: str, session_id: int | None = None
    ) -> tuple[Dispute, Changes]:
        dispute = open_dispute(self._store.db, review_id, criterion, proposed, reason, by, session_id)
        return dispute, Changes.of(Area.COACHING, calls=[dispute.call_id])

    def resolve_dispute(
        self, dispute_id: int, decision: str, by: str, score: int | None = None, comment: str | None = None
    ) -> tuple[Dispute, Changes]:
        """A decision; an accepted one makes a new review version, so the audit changes too."""
        dispute = resolve_dispute(self._store.db, dispute_id, decision, by, score, comment)
        areas = (Area.COACHING, Area.REVIEWS) if dispute.new_review_id else (Area.COACHING,)
        return dispute, Changes.of(*areas, calls=[dispute.call_id])

    def disputes(self, state: str | None = None, agent: str | None = None) -> list[Dispute]:
        return list_disputes(self._store.db, state, agent)

    def dispute_days(self) -> float | None:
        value = workspace_setting(self._store.db, DISPUTE_DAYS_KEY)
        return float(value) if value else None

    def set_dispute_days(self, days: float | None) -> None:
        """How many days after submission a review can be disputed (None: no limit)."""
        if days is not None and days <= 0:
            raise DisputeProblem("the dispute window is a number of days above 0 (or none)")
        set_workspace_setting(self._store.db, DISPUTE_DAYS_KEY, None if days is None else f"{days:g}")

    # -- coaching sessions ----------------------------------------------------------------------------
    def agent_reviews(self, agent: str, quarter: str) -> list[AgentReview]:
        """The agent's reviewed calls of a quarter with their evidence and where each stands."""
        from empathy_audit.coaching.sessions import agent_review_list

        return agent_review_list(self._store.db, agent, quarter)

    def start_session(self, agent: str, lead: str, goals: str = "") -> int:
        """A new session; the agent's open to-dos from earlier sessions carry into it (open_todos)."""
        return insert_session(self._store.db, agent, lead, goals)

    def sessions(self, agent: str | None = None) -> list[dict]:
        return sessions(self._store.db, agent)

    def update_session(self, session_id: int, **fields: str) -> None:
        update_session(self._store.db, session_id, **fields)

    def add_todo(self, session_id: int, text: str) -> int:
        if not text.strip():
            raise DisputeProblem("a to-do needs some words")
        return add_todo(self._store.db, session_id, text.strip())

    def finish_todo(self, todo_id: int, in_session: int) -> None:
        finish_todo(self._store.db, todo_id, in_session)

    def open_todos(self, agent: str) -> list[dict]:
        return open_todos(self._store.db, agent)

    # -- review time and the graders ------------------------------------------------------------------
    def add_active_time(self, review_id: int, seconds: float) -> None:
        add_active_time(self._store.db, review_id, seconds)

    def reviewers(self, quarter: str) -> list[ReviewerStats]:
        from empathy_audit.coaching.graders import reviewer_stats

        return reviewer_stats(self._store.db, quarter)

    def feedback(
        self, agent: str, quarter: str, out_dir: Path, redact: bool = True, overwrite: bool = False
    ) -> Feedback:
        """The agent's feedback page (HTML with audio, and PDF) in out_dir (OutputProblem: the workspace's own
        folder, not writable, or already holding this agent's page for the quarter without `overwrite`)."""
        from empathy_audit.clips.export import slug
        from empathy_audit.coaching.feedback import write_feedback

        self._store.check_output_folder(out_dir, f"*-{slug(agent)}-{quarter}*", overwrite)
        return write_feedback(self._store, agent, quarter, out_dir, redact)
