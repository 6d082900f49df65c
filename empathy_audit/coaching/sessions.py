"""What a coaching session walks through: an agent's reviewed calls of a quarter, each with its score,
evidence moments and where it stands (acknowledged, disputed)."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlite_utils

from empathy_audit.store.audit import call_scores
from empathy_audit.store.calls import get_call
from empathy_audit.store.coaching import Dispute, acknowledgements, agent_reviews, list_disputes
from empathy_audit.store.reviews import Review, get_review
from empathy_audit.store.rubrics import rubric_by_id


@dataclass
class AgentReview:
    review: Review
    call_name: str
    started: str
    score: float | None  # the call's audit score: the one the Library, dashboard and reports show
    max_score: int
    criteria: dict[str, str]  # key -> label, in the rubric's order
    acknowledged: tuple[str, str | None, str] | None  # (agent, comment, when)
    disputes: list[Dispute] = field(default_factory=list)

    @property
    def status(self) -> str:
        parts = [f"{self.criteria.get(d.criterion_key, d.criterion_key)} disputed: {d.state.replace('_', ' ')}"
                 for d in self.disputes]  # fmt: skip
        if self.acknowledged:
            parts.insert(0, f"acknowledged {self.acknowledged[2][:10]}")
        return "; ".join(parts) or "not acknowledged yet"


def agent_review_list(db: sqlite_utils.Database, agent: str, quarter: str) -> list[AgentReview]:
    """The agent's counted reviews of the quarter, oldest call first."""
    ids = agent_reviews(db, agent, quarter)
    acks = acknowledgements(db, ids)
    disputes = list_disputes(db, review_ids=ids) if ids else []
    reviews = [get_review(db, review_id) for review_id in ids]
    scores = call_scores(db, [r.call_id for r in reviews])
    out = []
    for review_id, review in zip(ids, reviews, strict=True):
        call = get_call(db, review.call_id)
        rubric = rubric_by_id(db, review.rubric_id)
        out.append(
            AgentReview(
                review, call.original_name if call else f"call {review.call_id}",
                ((call.call_start or call.imported_at) if call else "")[:16].replace("T", " "),
                scores.get(review.call_id, (None, 0))[0], rubric.max_score,
                {c.key: c.label for c in rubric.criteria}, acks.get(review_id),
                [d for d in disputes if d.review_id == review_id],
            )
        )  # fmt: skip
    return out
