"""Grading the graders: per reviewer, how many reviews a week, how long one takes (active time in Review),
how often their reviews are disputed and overturned (in all and per criterion), and their leniency as
calibration measures it (mean difference from gold or consensus in the latest calibration session).

A quarter's reviews are the audit review versions submitted in it; versions made by a dispute's decision
are not counted as the reviewer's work (they are the outcome of a dispute, not a review).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date

import sqlite_utils

from empathy_audit.store.coaching import grader_rows, list_disputes

OVERTURNED = ("accepted", "partly_accepted")


@dataclass
class CriterionDisputes:
    criterion: str
    disputed: int
    decided: int
    overturned: int

    @property
    def overturn_rate(self) -> float | None:
        return self.overturned / self.decided if self.decided else None


@dataclass
class ReviewerStats:
    reviewer: str
    reviews: int
    per_week: dict[str, int]  # ISO week ('2026-W27') -> reviews submitted
    median_minutes: float | None  # over reviews with active time recorded
    timed: int  # reviews with active time recorded (made in this version of the app)
    disputed: int  # reviews with at least one dispute
    decided: int  # disputes decided
    overturned: int  # ...accepted or partly accepted
    leniency: float | None  # > 0 lenient, < 0 severe (calibration); None: no calibration session
    criteria: list[CriterionDisputes] = field(default_factory=list)
    weeks: int = 13  # weeks of the quarter so far

    @property
    def weekly(self) -> float:
        """Reviews per week over the quarter so far (weeks without reviews count)."""
        return self.reviews / max(1, self.weeks)

    @property
    def dispute_rate(self) -> float | None:
        return self.disputed / self.reviews if self.reviews else None

    @property
    def overturn_rate(self) -> float | None:
        return self.overturned / self.decided if self.decided else None

    def as_json(self) -> dict:
        data = {k: v for k, v in self.__dict__.items() if k != "criteria"}
        data.update(dispute_rate=self.dispute_rate, overturn_rate=self.overturn_rate, per_week_mean=self.weekly)
        data["criteria"] = [{**c.__dict__, "overturn_rate": c.overturn_rate} for c in self.criteria]
        return data


def quarter_days(quarter: str) -> tuple[str, str]:
    """'2026Q3' -> ('2026-07-01', '2026-09-30')."""
    year, q = int(quarter[:4]), int(quarter[-1])
    first = date(year, 3 * q - 2, 1)
    last = date(year + (q == 4), 1 if q == 4 else 3 * q + 1, 1)
    return first.isoformat(), date.fromordinal(last.toordinal() - 1).isoformat()


def _week(day: str) -> str:
    year, week, _ = date.fromisoformat(day).isocalendar()
    return f"{year}-W{week:02d}"


def weeks_so_far(quarter: str, today: date | None = None) -> int:
    """Weeks of the quarter that have begun (all 13 once it is over)."""
    first, last = (date.fromisoformat(d) for d in quarter_days(quarter))
    end = min(last, today or date.today())
    return max(1, (end - first).days // 7 + 1) if end >= first else 1


def reviewer_stats(db: sqlite_utils.Database, quarter: str) -> list[ReviewerStats]:
    """Every reviewer who submitted audit reviews in the quarter, by name. A review is a reviewer's review of
    a call (its revisions are the same review; its active time is the sum over them); a version made by a
    dispute's decision is not the reviewer's work, but disputes of any version count against them."""
    from empathy_audit.calibration.report import drift

    first, last = quarter_days(quarter)
    every = grader_rows(db, first, last)
    disputes = list_disputes(db, review_ids=[r[0] for r in every]) if every else []
    leniency = {name: values[-1][1] for name, values in drift(db).items() if values}
    weeks_total = weeks_so_far(quarter)
    out = []
    for reviewer in sorted({r[1] for r in every}, key=str.casefold):
        versions = [r for r in every if r[1] == reviewer]
        own = [r for r in versions if not r[4]]
        if not own:
            continue
        calls: dict[int, float] = {}
        weeks: dict[str, int] = {}
        for _id, _name, day, seconds, _amended, call_id in own:
            if call_id not in calls:
                weeks[_week(day)] = weeks.get(_week(day), 0) + 1
            calls[call_id] = calls.get(call_id, 0.0) + (seconds or 0.0)
        timed = [seconds for seconds in calls.values() if seconds > 0]
        ids = {r[0] for r in versions}
        theirs = [d for d in disputes if d.review_id in ids]
        decided = [d for d in theirs if d.state in (*OVERTURNED, "rejected")]
        per_criterion = []
        for key in sorted({d.criterion_key for d in theirs}):
            these = [d for d in theirs if d.criterion_key == key]
            done = [d for d in these if d.state in (*OVERTURNED, "rejected")]
            per_criterion.append(
                CriterionDisputes(key, len(these), len(done), sum(d.state in OVERTURNED for d in done))
            )
        disputed_calls = {r[5] for r in versions if any(d.review_id == r[0] for d in theirs)}
        out.append(
            ReviewerStats(
                reviewer, len(calls), dict(sorted(weeks.items())),
                round(statistics.median(timed) / 60, 2) if timed else None, len(timed),
                len(disputed_calls), len(decided), sum(d.state in OVERTURNED for d in decided),
                leniency.get(reviewer), per_criterion, weeks_total,
            )
        )  # fmt: skip
    return out
