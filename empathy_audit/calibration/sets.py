"""Calibration sets: chosen calls that several reviewers score blind, optionally with the lead's gold scores.

The lead's own reviews in a set are its gold scores. In a lead's workspace (role 'lead') everything is
visible; in a participant's workspace (the set came in a pack) other reviewers' and gold scores of a
call stay hidden from a reviewer until they have submitted their own review of that call.
"""

from __future__ import annotations

import sqlite_utils

from empathy_audit.scoring.rubric import Rubric
from empathy_audit.store.calibration import (
    CalibrationProblem,
    CalibrationSet,
    call_sha,
    latest_submitted,
    progress,
    set_calls,
)
from empathy_audit.store.reviews import Review, open_review
from empathy_audit.store.rubrics import rubric_by_id


def set_rubric(db: sqlite_utils.Database, cset: CalibrationSet) -> Rubric:
    return rubric_by_id(db, cset.rubric_id)


def open_calibration_review(db: sqlite_utils.Database, cset: CalibrationSet, call_id: int, reviewer: str) -> Review:
    sha = call_sha(db, call_id)
    if sha is None or sha not in cset.call_shas:
        raise CalibrationProblem(f"call {call_id} is not part of the calibration set “{cset.name}”")
    return open_review(db, call_id, reviewer, set_rubric(db, cset), calibration_uid=cset.uid)


def visible_reviews(
    db: sqlite_utils.Database, cset: CalibrationSet, viewer: str | None
) -> tuple[dict[tuple[str, str], Review], set[str]]:
    """The submitted reviews `viewer` may see, and the calls whose other scores are hidden from them.

    Blindness is enforced here, in the core, so the app, the CLI and reports all obey it.
    """
    latest = latest_submitted(db, cset)
    if not cset.blind:
        return latest, set()
    if not viewer:
        raise CalibrationProblem(
            f"“{cset.name}” is scored blind in this workspace: say whose view this is (--as NAME), and only "
            "the calls they have submitted show other reviewers' scores"
        )
    done = {sha for (sha, reviewer) in latest if reviewer == viewer}
    hidden = set(cset.call_shas) - done
    return {k: v for k, v in latest.items() if k[0] in done or k[1] == viewer}, hidden


def calls_to_score(db: sqlite_utils.Database, cset: CalibrationSet, reviewer: str) -> list[int]:
    """The set's calls (in order) that are here and that `reviewer` has not submitted yet."""
    done = {sha for sha, state in progress(db, cset).get(reviewer, {}).items() if state == "submitted"}
    return [c.call_id for c in set_calls(db, cset) if c.call_id is not None and c.sha256 not in done]
