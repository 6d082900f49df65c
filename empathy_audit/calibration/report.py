"""The calibration report: agreement per criterion and overall, pairs, leniency/severity, spread per call,
and drift across sessions — all from the reviews the viewer may see."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from itertools import combinations
from typing import Any

import numpy as np
import sqlite_utils

from empathy_audit.calibration.agreement import krippendorff_alpha, pairwise_agreement, weighted_kappa
from empathy_audit.calibration.sets import set_rubric, visible_reviews
from empathy_audit.scoring.rubric import Rubric
from empathy_audit.store.calibration import CalibrationSet, SetCall, get_set, list_sets, set_calls
from empathy_audit.store.reviews import Review

OVERALL = "overall"


@dataclass
class AgreementRow:
    key: str  # a criterion key, or "overall" (every criterion's ratings pooled)
    label: str
    alpha: float | None
    n_units: int
    exact: float | None
    adjacent: float | None
    n_pairs: int


@dataclass
class PairRow:
    a: str
    b: str
    kappa: float | None
    n: int


@dataclass
class ReviewerBias:
    reviewer: str
    mean_difference: float | None  # > 0 lenient, < 0 severe
    n: int
    against: str  # "gold", "consensus" or "gold and consensus"


@dataclass
class SpreadRow:
    call_sha256: str
    call_id: int | None
    name: str
    spread: float  # largest max−min across reviewers on any criterion
    scores: dict[str, dict[str, int | None]]  # reviewer → criterion → score (None = N/A)
    evidence: dict[str, list[dict[str, Any]]]  # reviewer → evidence moments


@dataclass
class CalibrationReport:
    set_uid: str
    name: str
    instructions: str
    lead: str
    role: str
    viewer: str | None
    reviewers: list[str]
    calls: int
    hidden_calls: int  # calls whose other scores the viewer cannot see yet
    agreement: list[AgreementRow] = field(default_factory=list)
    pairs: list[PairRow] = field(default_factory=list)
    bias: list[ReviewerBias] = field(default_factory=list)
    spread: list[SpreadRow] = field(default_factory=list)
    drift: dict[str, list[tuple[str, float | None]]] = field(default_factory=dict)  # reviewer → (set, mean diff)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def _matrix(
    reviews: dict[tuple[str, str], Any], shas: list[str], raters: list[str], keys: list[str]
) -> dict[str, np.ndarray]:
    """Per criterion: a calls × raters matrix of scores (NaN where not rated or N/A)."""
    out = {}
    for key in keys:
        m = np.full((len(shas), len(raters)), np.nan)
        for i, sha in enumerate(shas):
            for j, rater in enumerate(raters):
                review = reviews.get((sha, rater))
                if review is not None and review.scores.get(key) is not None:
                    m[i, j] = review.scores[key]
        out[key] = m
    return out


@dataclass
class _Ratings:
    """The scores a viewer may see in one set, as calls × raters matrices per criterion."""

    cset: CalibrationSet
    rubric: Rubric
    reviews: dict[tuple[str, str], Review]
    hidden: set[str]
    calls: list[SetCall]
    raters: list[str]
    matrices: dict[str, np.ndarray]

    @property
    def pooled(self) -> np.ndarray:
        """Every criterion's ratings stacked: the units of the overall figures."""
        if not self.matrices:
            return np.zeros((0, len(self.raters)))
        return np.vstack(list(self.matrices.values()))


def _ratings(db: sqlite_utils.Database, cset: CalibrationSet, viewer: str | None) -> _Ratings:
    rubric = set_rubric(db, cset)
    reviews, hidden = visible_reviews(db, cset, viewer)
    calls = set_calls(db, cset)
    raters = sorted({reviewer for (_sha, reviewer) in reviews}, key=lambda r: (r != cset.lead, r.lower()))
    matrices = _matrix(reviews, [c.sha256 for c in calls], raters, [c.key for c in rubric.criteria])
    return _Ratings(cset, rubric, reviews, hidden, calls, raters, matrices)


def _bias(pooled: np.ndarray, raters: list[str], gold: str | None) -> list[ReviewerBias]:
    out = []
    g = raters.index(gold) if gold in raters else None
    for j, rater in enumerate(raters):
        if j == g:
            continue
        diffs, used = [], set()
        for row in pooled:
            if np.isnan(row[j]):
                continue
            if g is not None and not np.isnan(row[g]):
                diffs.append(row[j] - row[g])
                used.add("gold")
                continue
            others = np.delete(row, [j] + ([g] if g is not None else []))
            others = others[~np.isnan(others)]
            if others.size:
                diffs.append(row[j] - others.mean())
                used.add("consensus")
        against = " and ".join(sorted(used)) or "nothing yet"
        out.append(ReviewerBias(rater, round(float(np.mean(diffs)), 4) if diffs else None, len(diffs), against))
    return out


def calibration_report(
    db: sqlite_utils.Database, ref: int | str | CalibrationSet, viewer: str | None = None, with_drift: bool = True
) -> CalibrationReport:
    cset = ref if isinstance(ref, CalibrationSet) else get_set(db, ref)
    seen = _ratings(db, cset, viewer)
    rubric, reviews, calls, raters, matrices = seen.rubric, seen.reviews, seen.calls, seen.raters, seen.matrices
    pooled = seen.pooled
    report = CalibrationReport(
        cset.uid, cset.name, cset.instructions, cset.lead, cset.role, viewer, raters, len(calls), len(seen.hidden)
    )
    rows = [(c.key, c.label, matrices[c.key]) for c in rubric.criteria]
    rows.append((OVERALL, "Overall (all criteria)", pooled))
    for key, label, m in rows:
        alpha = krippendorff_alpha(m, "ordinal")
        pairs = pairwise_agreement(m)
        report.agreement.append(
            AgreementRow(key, label, alpha.value, alpha.n_units, pairs.exact, pairs.adjacent, pairs.n_pairs)
        )
    for (i, a), (j, b) in combinations(enumerate(raters), 2):
        kappa = weighted_kappa(pooled[:, i], pooled[:, j], rubric.max_score + 1)
        report.pairs.append(PairRow(a, b, kappa.value, kappa.n))
    report.bias = _bias(pooled, raters, cset.lead)
    for i, call in enumerate(calls):
        spread = 0.0
        for m in matrices.values():
            row = m[i][~np.isnan(m[i])]
            if row.size >= 2:
                spread = max(spread, float(row.max() - row.min()))
        scores = {r: dict(reviews[(call.sha256, r)].scores) for r in raters if (call.sha256, r) in reviews}
        evidence = {
            r: [
                {"criterion": e.criterion_key, "start_s": e.start_s, "end_s": e.end_s}
                for e in reviews[(call.sha256, r)].evidence
            ]
            for r in scores
        }
        report.spread.append(SpreadRow(call.sha256, call.call_id, call.name, spread, scores, evidence))
    report.spread.sort(key=lambda s: (-s.spread, s.name))
    if with_drift:
        report.drift = drift(db, viewer)
    return report


def drift(db: sqlite_utils.Database, viewer: str | None = None) -> dict[str, list[tuple[str, float | None]]]:
    """Each reviewer's mean difference from gold/consensus in every session, oldest session first."""
    out: dict[str, list[tuple[str, float | None]]] = {}
    for cset in list_sets(db):
        if cset.blind and not viewer:
            continue
        seen = _ratings(db, cset, viewer)  # only what leniency needs, not a whole report per session
        for bias in _bias(seen.pooled, seen.raters, cset.lead):
            out.setdefault(bias.reviewer, []).append((cset.name, bias.mean_difference))
    return out
