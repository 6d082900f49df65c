"""Outcomes: CSAT and churn exports matched to calls, previewed, then applied in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from empathy_audit.changes import Area, Changes
from empathy_audit.outcomes.importer import OutcomePlan, apply_outcomes, plan_outcomes
from empathy_audit.store import Workspace


@dataclass(frozen=True)
class OutcomesApplied:
    calls_updated: int
    changes: Changes


class OutcomesService:
    def __init__(self, store: Workspace) -> None:
        self._store = store

    def plan(
        self,
        path: Path,
        overrides: dict[str, str] | None = None,
        scale: str | None = None,
        tier_order: list[str] | None = None,
    ) -> OutcomePlan:
        """Read an export and match it to calls; nothing is written."""
        return plan_outcomes(self._store.db, path, overrides, scale, tier_order)

    def apply(self, plan: OutcomePlan) -> OutcomesApplied:
        count = apply_outcomes(self._store.db, plan)
        ids = [call_id for row in plan.rows for call_id in row.call_ids]
        return OutcomesApplied(count, Changes.of(Area.OUTCOMES, calls=ids))
