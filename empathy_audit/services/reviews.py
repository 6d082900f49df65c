"""Reviews and rubrics: a reviewing session, a reviewer's reviews, the queue, the rubric in use."""

from __future__ import annotations

from pathlib import Path

from empathy_audit.changes import Area, Changes
from empathy_audit.reviewing.queue import QueueItem, build_queue
from empathy_audit.scoring.rubric import Rubric
from empathy_audit.services.review_session import ReviewSession
from empathy_audit.store import Workspace
from empathy_audit.store.calibration import CalibrationSet
from empathy_audit.store.reviews import Review, latest_review, list_reviews
from empathy_audit.store.rubrics import active_rubric, load_rubric_file, rubric_by_id, save_rubric


class ReviewsService:
    def __init__(self, store: Workspace) -> None:
        self._store = store

    def session(self, reviewer: str = "", sample_per_agent: int = 5) -> ReviewSession:
        """A reviewing session on this workspace (the Review screen and `empathy-audit review` drive one)."""
        return ReviewSession(self._store.db, reviewer, sample_per_agent)

    def latest(self, call_id: int, reviewer: str) -> Review | None:
        return latest_review(self._store.db, call_id, reviewer)

    def list(self, call_id: int | None = None, reviewer: str | None = None) -> list[Review]:
        """Every audit review version (of a call, by a reviewer), oldest first."""
        return list_reviews(self._store.db, call_id=call_id, reviewer=reviewer)

    def queue(self, reviewer: str, sample_per_agent: int = 5) -> list[QueueItem]:
        return build_queue(self._store.db, reviewer, sample_per_agent)


class RubricsService:
    def __init__(self, store: Workspace) -> None:
        self._store = store

    def active(self) -> Rubric:
        return active_rubric(self._store.db)

    def by_id(self, rubric_id: int) -> Rubric:
        return rubric_by_id(self._store.db, rubric_id)

    def load_file(self, path: Path) -> tuple[Rubric, Changes]:
        """Store a rubric file and use it for new reviews (RubricError says what is wrong and where)."""
        return load_rubric_file(self._store.db, path), Changes.of(Area.RUBRICS)

    def for_set(self, cset: CalibrationSet) -> Rubric:
        return rubric_by_id(self._store.db, cset.rubric_id)

    def save(self, text: str, source_name: str = "rubric") -> tuple[Rubric, Changes]:
        """Store a rubric (a new version when its text changed) and use it for new reviews."""
        rubric = save_rubric(self._store.db, text, source_name)
        return rubric, Changes.of(Area.RUBRICS)
