"""Audit analytics: per-call scores, per-group summaries, and how scores relate to CSAT and churn.

A call's audit score is its reviewers' latest submitted reviews averaged (each review's
weighted mean of criteria, 0-3, with N/A left out). Calls flagged as ones where empathy-first
does not apply are kept apart from every figure and counted separately.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

import numpy as np
import sqlite_utils

from empathy_audit.analytics.stats import Correlation, MeanCI, spearman, t_critical_95
from empathy_audit.reviewing.queue import quarter_of
from empathy_audit.store.database import write_transaction

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
    # Ordered by (customer_id, call_start) so the calls_customer_start index serves the window.
    rows = db.execute(
        "SELECT id FROM (SELECT id, julianday(call_start) AS t, "
        "LEAD(julianday(call_start)) OVER (PARTITION BY customer_id ORDER BY call_start, id) AS next_t "
        "FROM calls WHERE customer_id IS NOT NULL AND customer_id != '' AND call_start IS NOT NULL) "
        "WHERE next_t - t <= ?",
        [REPEAT_WINDOW.total_seconds() / 86400],
    ).fetchall()
    return {r[0] for r in rows}


def _chunked(db: sqlite_utils.Database, sql: str, ids: list[int]) -> list[tuple]:
    """Run `sql` (with one `{ids}` placeholder list) over ids in chunks under SQLite's parameter limit."""
    rows: list[tuple] = []
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        rows += db.execute(sql.format(ids=",".join("?" * len(chunk))), chunk).fetchall()
    return rows


def _review_scores(
    db: sqlite_utils.Database, only_calls: list[int] | None = None
) -> tuple[dict[int, tuple[float, list[str], bool]], dict[int, dict]]:
    """Per call: (audit score, reviewers, flagged) and per-criterion means, from each reviewer's latest
    submitted review. A review's score is score_summary()'s: the weighted mean of its scored criteria
    (N/A left out), 0 when a critical criterion is 0. Vectorised with numpy."""
    base = (
        "SELECT id, call_id, reviewer, rubric_id, COALESCE(context_flag, '') != '' FROM reviews "
        "WHERE state = 'submitted' AND call_id IS NOT NULL"
    )
    if only_calls is None:
        reviews = db.execute(base + " ORDER BY id").fetchall()
    else:
        reviews = sorted(_chunked(db, base + " AND call_id IN ({ids})", only_calls))
    latest: dict[tuple[int, str], tuple] = {}
    for row in reviews:  # ordered by id, so later reviews replace earlier ones
        latest[(row[1], row[2])] = row
    if not latest:
        return {}, {}
    kept = {row[0]: row for row in latest.values()}
    rubric_of = {row[0]: row[3] for row in kept.values()}
    weights = {
        (r, k): (w, c)
        for r, k, w, c in db.execute("SELECT rubric_id, key, weight, critical FROM rubric_criteria").fetchall()
    }
    score_sql = "SELECT review_id, criterion_key, score FROM review_scores WHERE scored = 1 AND score IS NOT NULL"
    if only_calls is None:
        rows = db.execute(score_sql).fetchall()
    else:
        rows = _chunked(db, score_sql + " AND review_id IN ({ids})", sorted(kept))
    keys = sorted({k for _r, k, _s in rows})
    key_index = {k: i for i, k in enumerate(keys)}
    review_ids = np.fromiter(kept.keys(), dtype=np.int64)
    position = {rid: i for i, rid in enumerate(review_ids.tolist())}
    pos, w, crit_zero, value, kidx = [], [], [], [], []
    for review_id, key, score in rows:
        i = position.get(review_id)
        if i is None:
            continue
        weight, critical = weights.get((rubric_of[review_id], key), (1.0, 0))
        pos.append(i)
        w.append(weight)
        value.append(score)
        crit_zero.append(1.0 if critical and score == 0 else 0.0)
        kidx.append(key_index[key])
    pos_a, w_a, v_a = np.array(pos, dtype=np.int64), np.array(w, dtype=float), np.array(value, dtype=float)
    count = len(review_ids)
    weight_sum = np.bincount(pos_a, weights=w_a, minlength=count)
    weighted = np.bincount(pos_a, weights=w_a * v_a, minlength=count)
    failed = np.bincount(pos_a, weights=np.array(crit_zero), minlength=count) > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        review_score = np.where(failed, 0.0, weighted / weight_sum)
    # Average the reviews of each call, all calls at once.
    scored = weight_sum > 0
    call_of = np.array([kept[rid][1] for rid in review_ids.tolist()], dtype=np.int64)[scored]
    call_ids, call_pos = np.unique(call_of, return_inverse=True)
    n_calls = len(call_ids)
    reviews_per_call = np.bincount(call_pos, minlength=n_calls)
    call_score = np.bincount(call_pos, weights=review_score[scored], minlength=n_calls) / reviews_per_call
    review_to_call = np.full(count, -1, dtype=np.int64)
    review_to_call[np.flatnonzero(scored)] = call_pos
    rows_call = review_to_call[pos_a]
    valid = rows_call >= 0
    key_means: dict[str, list[float | None]] = {}
    for k, key in enumerate(keys):
        mask = valid & (np.array(kidx, dtype=np.int64) == k)
        n = np.bincount(rows_call[mask], minlength=n_calls)
        total = np.bincount(rows_call[mask], weights=v_a[mask], minlength=n_calls)
        with np.errstate(invalid="ignore", divide="ignore"):
            key_means[key] = np.where(n > 0, total / np.maximum(n, 1), np.nan).tolist()
    reviewers: dict[int, set[str]] = defaultdict(set)
    flagged: dict[int, bool] = defaultdict(bool)
    for rid in review_ids[scored].tolist():
        row = kept[rid]
        reviewers[row[1]].add(row[2])
        flagged[row[1]] = flagged[row[1]] or bool(row[4])
    summary: dict[int, tuple[float, list[str], bool]] = {}
    criteria: dict[int, dict] = {}
    for i, call_id in enumerate(call_ids.tolist()):
        summary[call_id] = (float(call_score[i]), sorted(reviewers[call_id]), flagged[call_id])
        criteria[call_id] = {key: m[i] for key, m in key_means.items() if not math.isnan(m[i])}
    return summary, criteria


def refresh_call_audit(db: sqlite_utils.Database) -> int:
    """Bring the call_audit table up to date; returns how many calls were recomputed.

    Triggers on reviews and review_scores list the calls whose reviews changed
    (call_audit_dirty), so only those are recomputed: the dashboard pays for the whole
    workspace once, then for what changed.
    """
    # One write transaction from reading the dirty list to clearing it, so a review saved by
    # another process meanwhile waits and then stays dirty for the next refresh.
    with write_transaction(db):
        dirty = [r[0] for r in db.execute("SELECT call_id FROM call_audit_dirty").fetchall()]
        if not dirty:
            return 0
        everything = len(dirty) > 5000  # a full pass is cheaper than thousands of IN lists
        summary, criteria = _review_scores(db, None if everything else dirty)
        if everything:
            db.execute("DELETE FROM call_audit")
        else:
            _chunked_write(db, "DELETE FROM call_audit WHERE call_id IN ({ids})", dirty)
        db.conn.executemany(
            "INSERT OR REPLACE INTO call_audit (call_id, score, criteria_json, reviewers, flagged) "
            "VALUES (?, ?, ?, ?, ?)",
            [
                (cid, score, _pack(criteria[cid]), "\x1f".join(names), int(flag))
                for cid, (score, names, flag) in summary.items()
            ],
        )
        db.execute("DELETE FROM call_audit_dirty")
    return len(dirty)


def _pack(criteria: dict[str, float]) -> str:
    # "key=value;key=value": splits far faster than JSON parses, for every reviewed call on every view.
    return ";".join(f"{key}={float(value)!r}" for key, value in criteria.items())


def _unpack(text: str) -> dict[str, float]:
    if not text:
        return {}
    return {key: float(value) for key, value in (item.split("=", 1) for item in text.split(";"))}


def _chunked_write(db: sqlite_utils.Database, sql: str, ids: list[int]) -> None:
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        db.execute(sql.format(ids=",".join("?" * len(chunk))), chunk)


def call_facts(db: sqlite_utils.Database) -> list[CallFact]:
    """Every call with at least one submitted, scored review, with its outcomes, in call-start order."""
    refresh_call_audit(db)
    repeats = _repeat_contacts(db)
    facts = []
    quarters: dict[str, str | None] = {}
    for row in db.execute(
        "SELECT c.id, c.original_name, COALESCE(c.call_start, c.imported_at) AS started, c.team, c.agent, "
        "c.customer_id, o.csat, o.csat_raw, o.churned, a.score, a.criteria_json, a.reviewers, a.flagged "
        "FROM call_audit a JOIN calls c ON c.id = a.call_id LEFT JOIN outcomes o ON o.call_id = c.id "
        "ORDER BY started, c.id"
    ).fetchall():
        call_id, name, started, team, agent, customer, csat, csat_raw, churned, score, crit, reviewers, flagged = row
        month = (started or "")[:7]
        if month not in quarters:
            quarters[month] = quarter_of(started)
        facts.append(
            CallFact(
                call_id=call_id,
                name=name,
                quarter=quarters[month],
                team=team,
                agent=agent,
                customer_id=customer,
                started=started,
                score=round(score, 4),
                criteria=_unpack(crit),
                reviewers=reviewers.split("\x1f"),
                flagged=bool(flagged),
                csat=csat,
                csat_raw=csat_raw,
                churned=None if churned is None else bool(churned),
                repeat_contact=call_id in repeats,
            )
        )
    return facts


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


def _group_stats(codes: np.ndarray, values: np.ndarray, groups: int) -> list[MeanCI]:
    """Mean and 95% CI of `values` (NaN = missing) per group code, all groups at once."""
    present = ~np.isnan(values)
    codes, values = codes[present], values[present]
    n = np.bincount(codes, minlength=groups)
    total = np.bincount(codes, weights=values, minlength=groups)
    squares = np.bincount(codes, weights=values * values, minlength=groups)
    out = []
    for g in range(groups):
        if n[g] == 0:
            out.append(MeanCI(0, None, None, None))
            continue
        mean = total[g] / n[g]
        if n[g] < 2:
            out.append(MeanCI(int(n[g]), float(mean), None, None))
            continue
        variance = max(0.0, (squares[g] - n[g] * mean * mean) / (n[g] - 1))
        half = t_critical_95(int(n[g]) - 1) * math.sqrt(variance / n[g])
        out.append(MeanCI(int(n[g]), float(mean), float(mean - half), float(mean + half)))
    return out


def summarise(facts: list[CallFact], by: str) -> list[GroupSummary]:
    """Per quarter, team or agent: calls reviewed, means with 95% CIs, CSAT, churn and repeat-contact rates."""
    if not facts:
        return []
    labels = [getattr(f, by) or "(none)" for f in facts]
    names, codes = np.unique(np.array(labels, dtype=object).astype(str), return_inverse=True)
    groups = len(names)
    keys = sorted({k for f in facts for k in f.criteria})
    nan = float("nan")
    scores = np.array([f.score for f in facts], dtype=float)
    csat = np.array([nan if f.csat is None else f.csat for f in facts], dtype=float)
    churn = np.array([nan if f.churned is None else float(f.churned) for f in facts], dtype=float)
    repeat = np.array([float(f.repeat_contact) for f in facts], dtype=float)
    score_stats = _group_stats(codes, scores, groups)
    criteria_stats = {
        k: _group_stats(codes, np.array([f.criteria.get(k, nan) for f in facts], dtype=float), groups) for k in keys
    }
    csat_stats, churn_stats, repeat_stats = (_group_stats(codes, v, groups) for v in (csat, churn, repeat))
    return [
        GroupSummary(
            group=str(names[g]),
            n=score_stats[g].n,
            score=score_stats[g],
            criteria={k: criteria_stats[k][g] for k in keys if criteria_stats[k][g].n},
            csat_mean=csat_stats[g].mean,
            csat_n=csat_stats[g].n,
            churn_rate=churn_stats[g].mean,
            churn_n=churn_stats[g].n,
            repeat_rate=repeat_stats[g].mean,
        )
        for g in range(groups)
    ]


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
