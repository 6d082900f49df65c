"""Calibration: sets of calls scored blind by several reviewers, their agreement and drift."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from empathy_audit.calibration.sets import calls_to_score
from empathy_audit.changes import Area, Changes
from empathy_audit.store import Workspace
from empathy_audit.store.calibration import (
    CalibrationSet,
    SetCall,
    create_set,
    get_set,
    list_sets,
    progress,
    set_calls,
    set_candidates,
    waiting_calls,
    waiting_review_count,
)

if TYPE_CHECKING:  # numpy loads with the first report, not with the window
    from empathy_audit.calibration.report import CalibrationReport


@dataclass(frozen=True)
class SetCreated:
    cset: CalibrationSet
    changes: Changes


class CalibrationService:
    def __init__(self, store: Workspace) -> None:
        self._store = store

    def sets(self) -> list[CalibrationSet]:
        return list_sets(self._store.db)

    def get(self, ref: int | str) -> CalibrationSet:
        return get_set(self._store.db, ref)

    def create(self, name: str, call_ids: Sequence[int], lead: str, instructions: str = "") -> SetCreated:
        cset = create_set(self._store.db, name, call_ids, lead, instructions)
        return SetCreated(cset, Changes.of(Area.CALIBRATION))

    def calls(self, cset: CalibrationSet) -> list[SetCall]:
        return set_calls(self._store.db, cset)

    def progress(self, cset: CalibrationSet) -> dict[str, dict[str, str]]:
        """reviewer -> call sha -> 'submitted' or 'draft' (never the scores)."""
        return progress(self._store.db, cset)

    def to_score(self, cset: CalibrationSet, reviewer: str) -> list[int]:
        return calls_to_score(self._store.db, cset, reviewer)

    def report(self, cset: CalibrationSet | int | str, viewer: str | None) -> CalibrationReport:
        """Agreement, leniency, disagreements and drift, as `viewer` may see them (blindness holds)."""
        from empathy_audit.calibration.report import calibration_report

        return calibration_report(self._store.db, cset, viewer=viewer)

    def candidates(self) -> list[tuple]:
        """(id, name, agent, start, duration) of the transcribed calls a set can hold."""
        return set_candidates(self._store.db)

    def waiting_reviews(self) -> int:
        return waiting_review_count(self._store.db)

    def waiting_calls(self) -> list[tuple]:
        """Calls reviews from packs wait for: (sha, name, agent, team, start, reviews, reviewers)."""
        return waiting_calls(self._store.db)
