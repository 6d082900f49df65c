"""Audit analytics: per-group summaries, and how audit scores relate to CSAT and churn.

A call's audit score is its reviewers' latest submitted reviews averaged (each review's
weighted mean of criteria on the rubric's scale, with N/A left out; see call_audit.py). Calls flagged as ones
where empathy-first does not apply are kept apart from every figure and counted separately.
Everything works on columns (facts.py), so 50,000 reviewed calls stay quick.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import sqlite_utils

from empathy_audit.analytics.facts import AuditFilter, CallFact, FactTable, load_facts, reviewers_for
from empathy_audit.analytics.stats import Correlation, MeanCI, spearman, t_critical_95
from empathy_audit.store.outcomes import tier_names

MIN_CALLS = 10  # fewer reviewed calls than this: say so instead of drawing a figure
HIGH_CSAT = 0.75  # 4-5 on a 1-5 scale
HIGH_AUDIT = 2 / 3  # of the scale: "genuine" or better (2 on the default 0-3 rubric)
# Audit-score bands as shares of the scale (on 0-3: 0–1 absent, 1–2 scripted, 2–2.5 genuine, 2.5–3 exemplary).
BANDS = [(0.0, 1 / 3, "absent"), (1 / 3, 2 / 3, "scripted"), (2 / 3, 2.5 / 3, "genuine"), (2.5 / 3, 1.0, "exemplary")]


def band_label(low: float, high: float, name: str, scale: float) -> str:
    return f"{low * scale:.3g}–{high * scale:.3g} {name}"


def band_index(score: np.ndarray, scale: float) -> np.ndarray:
    """Which band (0..3) each score falls in, a band holding its lower edge; the top band holds the top of
    the scale. Every band chart classifies through this, so a call is in the same band in each."""
    edges = np.array([high for _low, high, _name in BANDS[:-1]])
    return np.searchsorted(edges, score / scale, side="right")


__all__ = ["AuditFilter", "AuditReport", "CallFact", "build_report", "summarise"]


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


def summarise(table: FactTable, by: str) -> list[GroupSummary]:
    """Per quarter, team or agent: calls reviewed, means with 95% CIs, CSAT, churn and repeat-contact rates."""
    if not len(table):
        return []
    labels = np.where(getattr(table, by) == "", "(none)", getattr(table, by)).astype(str)
    names, codes = np.unique(labels, return_inverse=True)
    groups = len(names)
    score = _group_stats(codes, table.score, groups)
    criteria = {k: _group_stats(codes, v, groups) for k, v in table.criteria.items()}
    csat, churn, repeat = (
        _group_stats(codes, v, groups) for v in (table.csat, table.churned, table.repeat.astype(float))
    )
    return [
        GroupSummary(
            group=str(names[g]),
            n=score[g].n,
            score=score[g],
            criteria={k: stats[g] for k, stats in sorted(criteria.items()) if stats[g].n},
            csat_mean=csat[g].mean,
            csat_n=csat[g].n,
            churn_rate=churn[g].mean,
            churn_n=churn[g].n,
            repeat_rate=repeat[g].mean,
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
    table: FactTable  # the calls analysed (flagged ones excluded)
    flagged_table: FactTable
    by_quarter: list[GroupSummary]
    by_team: list[GroupSummary]
    by_agent: list[GroupSummary]
    correlation: Correlation
    bands: list[BandRow]
    quadrant: list[QuadrantCell]
    quiet_rows: np.ndarray  # rows of `table` that are quiet churners (CSAT high, churned)
    reviewers: list[str] = field(default_factory=list)
    repeat_bands: list = field(default_factory=list)  # outcome_stats.RepeatBand per band
    speed: object = None  # outcome_stats.SpeedVsEmpathy
    high_value: object = None  # high_value.HighValueChurn

    @property
    def scale(self) -> float:
        """The top of the score scale (the rubric's max_score): 3 for the default rubric."""
        return self.table.scale

    @cached_property
    def overall(self) -> MeanCI:
        """Every analysed call's score: mean and 95% CI."""
        values = self.table.score
        if not len(values):
            return MeanCI(0, None, None, None)
        return _group_stats(np.zeros(len(values), dtype=np.int64), values, 1)[0]

    @property
    def high_audit(self) -> float:
        return HIGH_AUDIT * self.scale

    @cached_property
    def quiet_churners(self) -> list[CallFact]:
        """Satisfied (CSAT 4–5) but churned: made into CallFacts only when someone reads them."""
        return self.table.facts(self.quiet_rows)

    @cached_property
    def facts(self) -> list[CallFact]:
        return self.table.facts()

    @cached_property
    def flagged(self) -> list[CallFact]:
        return self.flagged_table.facts()

    @property
    def n(self) -> int:
        return len(self.table)

    @property
    def n_csat(self) -> int:
        return int((~np.isnan(self.table.csat)).sum())

    @property
    def n_churn(self) -> int:
        return int((~np.isnan(self.table.churned)).sum())

    @property
    def enough(self) -> bool:
        return self.n >= MIN_CALLS

    def too_little(self, count: int, what: str = "reviewed call", whats: str | None = None) -> str | None:
        """The plain sentence to show instead of a figure drawn from `count` calls, or None."""
        if count < MIN_CALLS:
            found = what if count == 1 else (whats or what + "s")
            return f"Too little data: {count} {found} (at least {MIN_CALLS} needed)."
        return None


def _rate(churned: np.ndarray) -> tuple[int, int, float | None]:
    n, hits = len(churned), int(churned.sum())
    return n, hits, (hits / n if n else None)


def build_report(
    db: sqlite_utils.Database,
    flt: AuditFilter | None = None,
    facts: FactTable | None = None,
    top_share: float | None = 0.25,
    min_value: float | None = None,
) -> AuditReport:
    """The audit's analytics over the calls a filter selects, from `facts` when already loaded. High-value
    customers are the top `top_share` of known values, or those at `min_value` or more."""
    selected = (facts if facts is not None else load_facts(db)).filtered(flt or AuditFilter())
    table, flagged = selected.take(~selected.flagged), selected.take(selected.flagged)
    known_csat, known_churn = ~np.isnan(table.csat), ~np.isnan(table.churned)
    bands = []
    scale = table.scale
    band_of = band_index(table.score, scale)
    for b, (low, high, name) in enumerate(BANDS):
        n, churned, rate = _rate(table.churned[known_churn & (band_of == b)])
        bands.append(BandRow(band_label(low, high, name, scale), n, churned, rate))
    both = known_csat & known_churn
    quadrant = []
    for csat_level in ("high", "low"):
        for audit_level in ("high", "low"):
            mask = both & ((table.csat >= HIGH_CSAT) == (csat_level == "high"))
            mask &= (table.score >= HIGH_AUDIT * scale) == (audit_level == "high")
            n, churned, rate = _rate(table.churned[mask])
            quadrant.append(QuadrantCell(csat_level, audit_level, n, churned, rate))
    quiet = np.flatnonzero(known_csat & (table.csat >= HIGH_CSAT) & (table.churned == 1.0))
    reviewers = reviewers_for(db, flt or AuditFilter())
    # Imported here: outcome_stats reads this module's bands, so a top-level import would be a cycle.
    from empathy_audit.analytics.high_value import high_value_churn
    from empathy_audit.analytics.outcome_stats import repeat_contacts, speed_vs_empathy

    return AuditReport(
        table=table,
        flagged_table=flagged,
        by_quarter=summarise(table, "quarter"),
        by_team=summarise(table, "team"),
        by_agent=summarise(table, "agent"),
        correlation=spearman(table.score[known_csat], table.csat[known_csat]),
        bands=bands,
        quadrant=quadrant,
        quiet_rows=quiet,
        reviewers=reviewers,
        repeat_bands=repeat_contacts(table),
        speed=speed_vs_empathy(table),
        high_value=high_value_churn(table, top_share, min_value, tier_names(db) if table.value_kind == "tier" else {}),
    )
