"""Inter-rater agreement: Krippendorff's alpha (many raters, missing ratings allowed), quadratic-weighted
Cohen's kappa (pairs), and exact / adjacent (±1) agreement — each with its n.

Ratings are a units × raters matrix of floats with NaN for "not rated" (or N/A).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np

LEVELS = ("nominal", "ordinal", "interval")


def _coincidences(ratings: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Krippendorff's coincidence matrix over the values that occur in pairable units, and those values."""
    data = np.asarray(ratings, dtype=float)
    pairable = [row[~np.isnan(row)] for row in data]
    pairable = [row for row in pairable if row.size >= 2]
    values = np.unique(np.concatenate(pairable)) if pairable else np.array([])
    index = {v: i for i, v in enumerate(values)}
    o = np.zeros((values.size, values.size))
    for row in pairable:
        m = row.size
        counts = np.zeros(values.size)
        for v in row:
            counts[index[v]] += 1
        # every ordered pair of different ratings within the unit, weighted 1/(m - 1)
        o += (np.outer(counts, counts) - np.diag(counts)) / (m - 1)
    return o, values


def _distance(level: str, values: np.ndarray, n_c: np.ndarray) -> np.ndarray:
    k = values.size
    if level == "nominal":
        return 1.0 - np.eye(k)
    if level == "interval":
        return (values[:, None] - values[None, :]) ** 2
    if level == "ordinal":
        cum = np.cumsum(n_c)
        delta = np.zeros((k, k))
        for c in range(k):
            for j in range(c, k):
                between = cum[j] - (cum[c - 1] if c > 0 else 0.0)  # n_g for g from c to j, inclusive
                delta[c, j] = delta[j, c] = (between - (n_c[c] + n_c[j]) / 2) ** 2
        return delta
    raise ValueError(f"unknown level of measurement '{level}'; use one of {', '.join(LEVELS)}")


@dataclass(frozen=True)
class Alpha:
    value: float | None  # None when it cannot be computed (fewer than 2 pairable ratings, or no variation)
    n_units: int  # units rated by at least two raters
    n_pairable: int  # ratings in those units


def krippendorff_alpha(ratings: np.ndarray, level: str = "ordinal") -> Alpha:
    """Krippendorff's alpha for a units × raters matrix (NaN = missing)."""
    data = np.asarray(ratings, dtype=float)
    if data.ndim != 2:
        raise ValueError("ratings must be a units × raters matrix")
    counts = (~np.isnan(data)).sum(axis=1)
    n_units, n_pairable = int((counts >= 2).sum()), int(counts[counts >= 2].sum())
    o, values = _coincidences(data)
    n_c = o.sum(axis=1)
    n = n_c.sum()
    if n < 2 or values.size < 2:
        return Alpha(None, n_units, n_pairable)
    delta = _distance(level, values, n_c)
    observed = (o * delta).sum()
    expected = (np.outer(n_c, n_c) * delta).sum()
    return Alpha(float(1.0 - (n - 1) * observed / expected), n_units, n_pairable)


@dataclass(frozen=True)
class Kappa:
    value: float | None
    n: int  # units both raters scored


def weighted_kappa(a: np.ndarray, b: np.ndarray, categories: int, weights: str = "quadratic") -> Kappa:
    """Cohen's weighted kappa for two raters over integer scores 0..categories-1 (NaN pairs are skipped)."""
    x, y = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    keep = ~(np.isnan(x) | np.isnan(y))
    x, y = x[keep].astype(int), y[keep].astype(int)
    n = int(x.size)
    if n == 0:
        return Kappa(None, 0)
    observed = np.zeros((categories, categories))
    np.add.at(observed, (x, y), 1.0)
    observed /= n
    expected = np.outer(observed.sum(axis=1), observed.sum(axis=0))
    i, j = np.indices((categories, categories))
    if weights == "quadratic":
        w = (i - j) ** 2 / max(1, (categories - 1) ** 2)
    elif weights == "linear":
        w = np.abs(i - j) / max(1, categories - 1)
    else:
        w = (i != j).astype(float)
    denominator = (w * expected).sum()
    if denominator == 0:
        return Kappa(None, n)  # both raters gave one and the same score throughout: chance explains it all
    return Kappa(float(1.0 - (w * observed).sum() / denominator), n)


@dataclass(frozen=True)
class PairAgreement:
    exact: float | None  # share of rater pairs on a unit that gave the same score
    adjacent: float | None  # ... within one point
    n_pairs: int


def pairwise_agreement(ratings: np.ndarray) -> PairAgreement:
    """Exact and ±1 agreement over every pair of raters on every unit both rated."""
    data = np.asarray(ratings, dtype=float)
    exact = adjacent = pairs = 0
    for row in data:
        scores = row[~np.isnan(row)]
        for p, q in combinations(scores, 2):
            pairs += 1
            exact += p == q
            adjacent += abs(p - q) <= 1
    if pairs == 0:
        return PairAgreement(None, None, 0)
    return PairAgreement(float(exact / pairs), float(adjacent / pairs), pairs)
