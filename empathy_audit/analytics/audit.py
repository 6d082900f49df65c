"""Audit analytics: per-call scores, per-group summaries, and how scores relate to CSAT and churn.

A call's audit score is its reviewers' latest submitted reviews averaged (each review's
weighted mean of criteria, 0-3, with N/A left out). Calls flagged as ones where empathy-first
does not apply are kept apart from every figure and counted separately.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import sqlite_utils

from empathy_audit.analytics.stats import Correlation, MeanCI, mean_ci, spearman
from empathy_audit.reviewing.queue import quarter_of
from empathy_audit.reviewing.rubric import rubric_by_id, score_summary

MIN_CALLS = 10  # fewer reviewed calls than this: say so instead of drawing a figure
HIGH_CSAT = 0.75  # 4-5 on a 1-5 scale
HIGH_AUDIT = 2.0  # "genuine" or better on the 0-3 scale
REPEAT_WINDOW = timedelta(days=7)
BANDS = [
    (0.0, 1.0, "0–1 absent"),
    (1.0, 2.0, "1–2 scripted"),
    (2.0, 2.5, "2–2.5 genuine"),
    (2.5, 3.01, "2.5–3 exemplary"),
]


@dataclass
class CallFact:
    call_id: int
    name: str
    quarter: str | None
    team: str | None
    agent: str | None
    customer_id: str | None
    started: str | None
    score: float  # 0..3 (0 when a critical criterion failed)
    criteria: dict[str, float]
    reviewers: list[str]
    flagged: bool
    csat: float | None = None
    csat_raw: str | None = None
    churned: bool | None = None
    repeat_contact: bool = False

    @property
    def percent(self) -> float:
        return round(self.score / 3 * 100, 1)


@dataclass
class AuditFilter:
    quarter_from: str | None = None
    quarter_to: str | None = None
    team: str | None = None
    agent: str | None = None

    def accepts(self, fact: CallFact) -> bool:
        if self.team and fact.team != self.team:
            return False
        if self.agent and fact.agent != self.agent:
            return False
        if self.quarter_from and (fact.quarter or "") < self.quarter_from:
            return False
        return not (self.quarter_to and (fact.quarter or "9999") > self.quarter_to)


def _repeat_contacts(db: sqlite_utils.Database) -> set[int]:
    """Calls followed by another call from the same customer within REPEAT_WINDOW."""
    repeats: set[int] = set()
    last: dict[str, tuple[int, datetime]] = {}
    for call_id, customer, started in db.execute(
        "SELECT id, customer_id, COALESCE(call_start, imported_at) FROM calls WHERE customer_id IS NOT NULL "
        "AND customer_id != '' ORDER BY 3, id"
    ).fetchall():
        try:
            moment = datetime.fromisoformat(started).replace(tzinfo=None)
        except ValueError:
            continue
        previous = last.get(customer)
        if previous is not None and moment - previous[1] <= REPEAT_WINDOW:
            repeats.add(previous[0])
        last[customer] = (call_id, moment)
    return repeats


def call_facts(db: sqlite_utils.Database) -> list[CallFact]:
    """Every call with at least one submitted review, with its outcomes."""
    rows = db.execute(
        "SELECT r.id, r.call_id, r.reviewer, r.rubric_id, r.context_flag FROM reviews r JOIN ("
        "  SELECT MAX(id) AS id FROM reviews WHERE state = 'submitted' AND call_id IS NOT NULL "
        "  GROUP BY call_id, reviewer) latest ON latest.id = r.id"
    ).fetchall()
    scores: dict[int, dict[str, int | None]] = defaultdict(dict)
    review_ids = [r[0] for r in rows]
    for start in range(0, len(review_ids), 900):  # stay under SQLite's parameter limit
        chunk = review_ids[start : start + 900]
        marks = ",".join("?" * len(chunk))
        for review_id, key, score in db.execute(
            f"SELECT review_id, criterion_key, score FROM review_scores WHERE scored = 1 AND review_id IN ({marks})",
            chunk,
        ).fetchall():
            scores[review_id][key] = score
    rubrics: dict[int, Any] = {}
    per_call: dict[int, list[tuple[str, float, dict[str, int | None], bool]]] = defaultdict(list)
    for review_id, call_id, reviewer, rubric_id, flag in rows:
        if rubric_id not in rubrics:
            rubrics[rubric_id] = rubric_by_id(db, rubric_id)
        summary = score_summary(rubrics[rubric_id], scores[review_id])
        if summary.mean is None:
            continue
        per_call[call_id].append((reviewer, summary.mean, scores[review_id], bool(flag)))
    calls = {
        row[0]: row
        for row in db.execute(
            "SELECT c.id, c.original_name, COALESCE(c.call_start, c.imported_at), c.team, c.agent, c.customer_id, "
            "o.csat, o.csat_raw, o.churned FROM calls c LEFT JOIN outcomes o ON o.call_id = c.id"
        ).fetchall()
    }
    repeats = _repeat_contacts(db)
    facts = []
    for call_id, reviews in per_call.items():
        _id, name, started, team, agent, customer, csat, csat_raw, churned = calls[call_id]
        criteria: dict[str, list[float]] = defaultdict(list)
        for _reviewer, _mean, values, _flag in reviews:
            for key, value in values.items():
                if value is not None:
                    criteria[key].append(value)
        facts.append(
            CallFact(
                call_id=call_id,
                name=name,
                quarter=quarter_of(started),
                team=team,
                agent=agent,
                customer_id=customer,
                started=started,
                score=round(sum(r[1] for r in reviews) / len(reviews), 4),
                criteria={k: sum(v) / len(v) for k, v in criteria.items()},
                reviewers=sorted({r[0] for r in reviews}),
                flagged=any(r[3] for r in reviews),
                csat=csat,
                csat_raw=csat_raw,
                churned=None if churned is None else bool(churned),
                repeat_contact=call_id in repeats,
            )
        )
    return sorted(facts, key=lambda f: (f.started or "", f.call_id))


@dataclass
class GroupSummary:
    group: str  # e.g. "2026Q3", a team or an agent
    n: int
    score: MeanCI
    criteria: dict[str, MeanCI]
    csat_mean: float | None
    csat_n: int
    churn_rate: float | None
    churn_n: int
    repeat_rate: float | None


def _rate(values: list[bool]) -> float | None:
    return sum(values) / len(values) if values else None


def summarise(facts: list[CallFact], by: str) -> list[GroupSummary]:
    """Per quarter, team or agent: calls reviewed, means with 95% CIs, CSAT, churn and repeat-contact rates."""
    groups: dict[str, list[CallFact]] = defaultdict(list)
    for fact in facts:
        groups[getattr(fact, by) or "(none)"].append(fact)
    out = []
    for group, members in sorted(groups.items()):
        keys = sorted({k for f in members for k in f.criteria})
        csats = [f.csat for f in members if f.csat is not None]
        churns = [f.churned for f in members if f.churned is not None]
        out.append(
            GroupSummary(
                group=group,
                n=len(members),
                score=mean_ci([f.score for f in members]),
                criteria={k: mean_ci([f.criteria[k] for f in members if k in f.criteria]) for k in keys},
                csat_mean=sum(csats) / len(csats) if csats else None,
                csat_n=len(csats),
                churn_rate=_rate(churns),
                churn_n=len(churns),
                repeat_rate=_rate([f.repeat_contact for f in members]),
            )
        )
    return out


@dataclass
class BandRow:
    band: str
    n: int
    churned: int
    churn_rate: float | None


@dataclass
class QuadrantCell:
    csat: str  # "high" | "low"
    audit: str
    n: int
    churned: int
    churn_rate: float | None


@dataclass
class AuditReport:
    facts: list[CallFact]  # the calls analysed (flagged ones excluded)
    flagged: list[CallFact]
    by_quarter: list[GroupSummary]
    by_team: list[GroupSummary]
    by_agent: list[GroupSummary]
    correlation: Correlation
    bands: list[BandRow]
    quadrant: list[QuadrantCell]
    quiet_churners: list[CallFact]
    reviewers: list[str] = field(default_factory=list)

    @property
    def enough(self) -> bool:
        return len(self.facts) >= MIN_CALLS

    def too_little(self, count: int) -> str | None:
        """The plain sentence to show instead of a figure drawn from `count` calls, or None."""
        if count < MIN_CALLS:
            return f"Too little data: {count} reviewed call{'s' if count != 1 else ''} (at least {MIN_CALLS} needed)."
        return None


def build_report(db: sqlite_utils.Database, flt: AuditFilter | None = None) -> AuditReport:
    flt = flt or AuditFilter()
    selected = [f for f in call_facts(db) if flt.accepts(f)]
    facts = [f for f in selected if not f.flagged]
    with_csat = [f for f in facts if f.csat is not None]
    with_churn = [f for f in facts if f.churned is not None]
    bands = []
    for low, high, label in BANDS:
        members = [f for f in with_churn if low <= f.score < high]
        churned = sum(bool(f.churned) for f in members)
        bands.append(BandRow(label, len(members), churned, churned / len(members) if members else None))
    quadrant = []
    both = [f for f in facts if f.csat is not None and f.churned is not None]
    for csat_level in ("high", "low"):
        for audit_level in ("high", "low"):
            members = [
                f
                for f in both
                if (f.csat >= HIGH_CSAT) == (csat_level == "high")
                and (f.score >= HIGH_AUDIT) == (audit_level == "high")
            ]
            churned = sum(bool(f.churned) for f in members)
            quadrant.append(
                QuadrantCell(
                    csat_level, audit_level, len(members), churned, churned / len(members) if members else None
                )
            )
    return AuditReport(
        facts=facts,
        flagged=[f for f in selected if f.flagged],
        by_quarter=summarise(facts, "quarter"),
        by_team=summarise(facts, "team"),
        by_agent=summarise(facts, "agent"),
        correlation=spearman([f.score for f in with_csat], [f.csat for f in with_csat]),  # type: ignore[misc]
        bands=bands,
        quadrant=quadrant,
        quiet_churners=[f for f in facts if f.csat is not None and f.csat >= HIGH_CSAT and f.churned],
        reviewers=sorted({r for f in selected for r in f.reviewers}),
    )
