"""What an operation changed, so every screen redraws from one value instead of being told by hand.

Every service method (services/) that changes data returns a `Changes` (or a result carrying one in `.changes`).
The app's one runner emits it as `workspace_changed(Changes)`; sections redraw what they show of it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Area(StrEnum):
    CALLS = "calls"  # calls added, removed, metadata or status changed
    TRANSCRIPTS = "transcripts"  # a transcript made, replaced or corrected
    REVIEWS = "reviews"  # a review scored, submitted, revised
    AUDIT = "audit"  # anything a call's audit score, the dashboard or the report reads
    OUTCOMES = "outcomes"  # CSAT, churn
    CLIPS = "clips"
    CALIBRATION = "calibration"  # calibration sets and their reviews
    RUBRICS = "rubrics"  # a rubric saved or chosen
    KEYS = "keys"  # keys trusted or forgotten
    VOCABULARY = "vocabulary"  # the workspace's names and terms for transcription
    COACHING = "coaching"  # acknowledgements, disputes, coaching sessions


# Which areas a change implies: the audit reads reviews, outcomes and call metadata.
_IMPLIES = {Area.REVIEWS: {Area.AUDIT}, Area.OUTCOMES: {Area.AUDIT}, Area.CALLS: {Area.AUDIT}}


@dataclass(frozen=True)
class Changes:
    areas: frozenset[Area] = frozenset()
    call_ids: frozenset[int] = frozenset()  # the calls concerned, when known (empty: any)

    @staticmethod
    def of(*areas: Area, calls: Iterable[int] = ()) -> Changes:
        full = set(areas)
        for area in areas:
            full |= _IMPLIES.get(area, set())
        return Changes(frozenset(full), frozenset(int(c) for c in calls))

    @staticmethod
    def everything() -> Changes:
        """Another process changed the workspace: what exactly is not known."""
        return Changes(frozenset(Area))

    def __or__(self, other: Changes) -> Changes:
        return Changes(self.areas | other.areas, self.call_ids | other.call_ids)

    def __bool__(self) -> bool:
        return bool(self.areas)

    def touches(self, *areas: Area) -> bool:
        return any(a in self.areas for a in areas)


NOTHING = Changes()


def changes_of(result: object) -> Changes:
    """The Changes an operation's result names (a Changes itself, or a result with `.changes`)."""
    if isinstance(result, Changes):
        return result
    found = getattr(result, "changes", None)
    return found if isinstance(found, Changes) else NOTHING
