"""Experiments: two sets of reviewed calls (A and B, each chosen by a filter) compared on audit score,
CSAT, repeat-contact rate, churn rate and handle time, with the difference, its 95 % interval and a
p-value per metric, and a verdict in words that says when there are too few calls to tell.

The statistics, chosen by size and named in every result:
- small groups (at most 200,000 ways to split them): an exact permutation test, and a bootstrap
  percentile interval (2,000 resamples, fixed seed, so a result can be repeated);
- mid-sized (up to 4,000 calls in all): a permutation test of 2,000 shuffles and the same bootstrap;
- larger: Welch's normal approximation for the interval and the p-value (the permutation and
  bootstrap distributions are normal to within rounding there, and it answers in milliseconds).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np

from empathy_audit.analytics.audit import MIN_CALLS
from empathy_audit.analytics.facts import FactTable
from empathy_audit.analytics.outcome_stats import Z95

EXACT_LIMIT = 200_000  # ways to split A and B: two groups of 10 are 184,756
SHUFFLES = 2_000
RESAMPLES = 2_000
STEP_VALUES = 200_000  # values per NumPy call in the resampling (see _rows)
RESAMPLE_LIMIT = 4_000
FILTER_KEYS = ("team", "agent", "queue", "tag", "quarter", "from", "to", "context", "criterion")


class CompareProblem(ValueError):
    """A filter that cannot be read; the message says which part and what is expected."""


@dataclass
class CallSet:
    """A filter: every field given must hold. `criterion` is (key, level)."""

    team: str | None = None
    agent: str | None = None
    queue: str | None = None  # the call's queue or topic (its metadata's tag); `tag=` means the same
    quarter: str | None = None
    date_from: str | None = None  # YYYY-MM-DD, inclusive
    date_to: str | None = None
    context: str | None = None  # "applies" (empathy-first applies) | "flagged"
    criterion: tuple[str, float] | None = None
    text: str = ""

    @classmethod
    def parse(cls, text: str) -> CallSet:
        """'team=Billing,quarter=2026Q3', 'agent=Ana,from=2026-07-01,to=2026-09-30', 'criterion=care:3',
        'queue=Cancellations' (or 'tag=Cancellations')."""
        found = cls(text=text.strip())
        for part in [p.strip() for p in text.split(",") if p.strip()]:
            key, sep, value = part.partition("=")
            key, value = key.strip().lower(), value.strip()
            if not sep or not value:
                raise CompareProblem(f"“{part}” is not KEY=VALUE (keys: {', '.join(FILTER_KEYS)})")
            if key in ("team", "agent", "quarter", "queue", "tag"):
                if key == "quarter" and not re.fullmatch(r"\d{4}[qQ][1-4]", value):
                    raise CompareProblem(f"quarter={value}: give a quarter as YYYYQn, e.g. 2026Q3")
                setattr(found, "queue" if key == "tag" else key, value.upper() if key == "quarter" else value)
            elif key in ("from", "to"):
                if len(value) != 10 or value[4] != "-" or value[7] != "-":
                    raise CompareProblem(f"{key}={value}: give a date as YYYY-MM-DD")
                setattr(found, "date_from" if key == "from" else "date_to", value)
            elif key == "context":
                if value not in ("applies", "flagged"):
                    raise CompareProblem(f"context={value}: use context=applies or context=flagged")
                found.context = value
            elif key == "criterion":
                name, _colon, level = value.partition(":")
                try:  # without a colon the level is empty, which float() refuses too
                    found.criterion = (name.strip(), float(level))
                except ValueError:
                    raise CompareProblem(f"criterion={value}: give KEY:LEVEL, e.g. criterion=care:3") from None
            else:
                raise CompareProblem(f"unknown filter “{key}” (keys: {', '.join(FILTER_KEYS)})")
        return found


@dataclass
class MetricResult:
    metric: str
    unit: str  # how the means read: "score", "share", "seconds"
    n_a: int
    n_b: int
    mean_a: float | None
    mean_b: float | None
    difference: float | None  # B - A
    low: float | None
    high: float | None
    p_value: float | None
    method: str
    verdict: str


@dataclass
class Comparison:
    a: str
    b: str
    calls_a: int
    calls_b: int
    metrics: list[MetricResult] = field(default_factory=list)
    shared: int = 0  # calls in both A and B
    warning: str = ""


def mask_for(t: FactTable, chosen: CallSet) -> np.ndarray:
    mask = np.ones(len(t), dtype=bool)
    for name in ("team", "agent", "queue", "quarter"):
        value = getattr(chosen, name)
        if value:
            mask &= getattr(t, name) == value
    if chosen.date_from:
        mask &= (t.day != "") & (t.day >= chosen.date_from)
    if chosen.date_to:
        mask &= (t.day != "") & (t.day <= chosen.date_to)
    # As in every audit figure, calls where empathy-first does not apply are kept apart unless asked for.
    mask &= t.flagged if chosen.context == "flagged" else ~t.flagged
    if chosen.criterion:
        key, level = chosen.criterion
        levels = t.criteria  # the call's level: its reviewers' mean (NaN where N/A)
        if key not in levels:
            raise CompareProblem(f"no criterion “{key}” in the reviews (criteria: {', '.join(sorted(levels))})")
        mask &= np.isclose(levels[key], level)
    return mask


def _exact_p(a: np.ndarray, b: np.ndarray) -> float:
    """Two-sided: the share of all ways to split the pooled calls whose difference is as large."""
    pooled = np.concatenate([a, b])
    total, observed = pooled.sum(), abs(b.mean() - a.mean())
    picks = np.fromiter((i for pick in combinations(range(len(pooled)), len(a)) for i in pick), dtype=np.int64).reshape(
        -1, len(a)
    )
    sa = pooled[picks].sum(axis=1)
    diffs = np.abs((total - sa) / len(b) - sa / len(a))
    return float(np.mean(diffs >= observed - 1e-9))


def _rows(total: int, width: int) -> list[int]:
    """`total` rows of `width` values cut into steps of at most STEP_VALUES: one NumPy call over millions of
    values holds the GIL for 100 ms and more, which stalls the window while a comparison runs behind it. The
    random draws come in the same order either way."""
    per = max(1, STEP_VALUES // max(1, width))
    return [min(per, total - start) for start in range(0, total, per)]


def _shuffled_p(a: np.ndarray, b: np.ndarray, rng: np.random.Generator) -> float:
    pooled = np.concatenate([a, b])
    observed = abs(b.mean() - a.mean())
    diffs = np.concatenate([
        np.abs(perms[:, len(a) :].mean(axis=1) - perms[:, : len(a)].mean(axis=1))
        for perms in (rng.permuted(np.tile(pooled, (rows, 1)), axis=1) for rows in _rows(SHUFFLES, len(pooled)))
    ])  # fmt: skip
    return float((np.sum(diffs >= observed - 1e-12) + 1) / (SHUFFLES + 1))


def _bootstrap(a: np.ndarray, b: np.ndarray, rng: np.random.Generator) -> tuple[float, float]:
    ra = np.concatenate([a[rng.integers(0, len(a), (rows, len(a)))].mean(axis=1) for rows in _rows(RESAMPLES, len(a))])
    rb = np.concatenate([b[rng.integers(0, len(b), (rows, len(b)))].mean(axis=1) for rows in _rows(RESAMPLES, len(b))])
    low, high = np.percentile(rb - ra, [2.5, 97.5])
    return float(low), float(high)


def _normal(a: np.ndarray, b: np.ndarray) -> tuple[float, float, float]:
    diff = b.mean() - a.mean()
    se = math.sqrt(a.var(ddof=1) / len(a) + b.var(ddof=1) / len(b))
    if se == 0:
        return diff, diff, 1.0 if diff == 0 else 0.0
    p = math.erfc(abs(diff) / se / math.sqrt(2))
    return diff - Z95 * se, diff + Z95 * se, p


def compare_values(metric: str, unit: str, a: np.ndarray, b: np.ndarray, seed: int = 0) -> MetricResult:
    """One metric, A against B (NaN = unknown, left out)."""
    a, b = a[~np.isnan(a)], b[~np.isnan(b)]
    na, nb = len(a), len(b)
    mean_a = float(a.mean()) if na else None
    mean_b = float(b.mean()) if nb else None
    if na < MIN_CALLS or nb < MIN_CALLS:
        verdict = f"Too few calls to tell: {na} in A and {nb} in B with a known {metric}; at least {MIN_CALLS} each."
        diff = None if mean_a is None or mean_b is None else mean_b - mean_a
        return MetricResult(metric, unit, na, nb, mean_a, mean_b, diff, None, None, None, "none", verdict)
    rng = np.random.default_rng(seed)
    diff = float(b.mean() - a.mean())
    if math.comb(na + nb, na) <= EXACT_LIMIT:
        p, (low, high) = _exact_p(a, b), _bootstrap(a, b, rng)
        method = "exact permutation test; bootstrap interval (2,000 resamples)"
    elif na + nb <= RESAMPLE_LIMIT:
        p, (low, high) = _shuffled_p(a, b, rng), _bootstrap(a, b, rng)
        method = "permutation test (2,000 shuffles); bootstrap interval (2,000 resamples)"
    else:
        low, high, p = _normal(a, b)
        method = "Welch normal approximation (large samples)"
    return MetricResult(
        metric, unit, na, nb, mean_a, mean_b, diff, low, high, p, method, _verdict(metric, unit, diff, low, high, p)
    )


def shown(value: float | None, unit: str, missing: str = "") -> str:
    """A mean or rate as a person reads it: 60.0% (a share), 145 s (seconds), 2.13 (a score)."""
    if value is None:
        return missing
    return f"{value:.1%}" if unit == "share" else f"{value:.0f} s" if unit == "seconds" else f"{value:.2f}"


def _amount(value: float, unit: str) -> str:
    if unit == "share":
        return f"{abs(value) * 100:.1f} points"
    if unit == "seconds":
        return f"{abs(value):.0f} s"
    return f"{abs(value):.2f}"


def _verdict(metric: str, unit: str, diff: float, low: float, high: float, p: float) -> str:
    interval = f"95 % interval {_signed(low, unit)} to {_signed(high, unit)}"
    if p < 0.05 and (low > 0 or high < 0):
        way = "higher" if diff > 0 else "lower"
        return f"B's {metric} is {way} than A's by {_amount(diff, unit)} ({interval}; p = {p:.3g})."
    return (
        f"No clear difference in {metric}: B − A = {_signed(diff, unit)} ({interval}; p = {p:.3g}); "
        "more calls would be needed to tell a difference this small."
    )


def _signed(value: float, unit: str) -> str:
    amount = _amount(value, unit)  # a difference that rounds to nothing is +0, never −0.00
    return ("−" if value < 0 and any(c in "123456789" for c in amount) else "+") + amount


def compare(t: FactTable, a: CallSet, b: CallSet, seed: int = 0) -> Comparison:
    """A against B on the five outcome metrics."""
    ma, mb = mask_for(t, a), mask_for(t, b)
    metrics = [
        ("audit score", "score", t.score),
        ("CSAT", "share", t.csat),
        ("repeat-contact rate (7 days)", "share", t.repeat),
        ("churn rate", "share", t.churned),
        ("handle time", "seconds", t.handle_s),
    ]
    out = Comparison(a.text or "all reviewed calls", b.text or "all reviewed calls", int(ma.sum()), int(mb.sum()))
    out.shared = int((ma & mb).sum())
    if out.shared:
        out.warning = (
            f"{out.shared} calls are in both A and B, so the two sets are not independent and the p-values and "
            "intervals overstate the uncertainty; choose filters that do not overlap (e.g. add the opposite "
            "team, dates or level to A)."
        )
    for i, (name, unit, values) in enumerate(metrics):
        out.metrics.append(compare_values(name, unit, values[ma], values[mb], seed + i))
    return out
