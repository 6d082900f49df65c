"""Small statistics without SciPy: means with t confidence intervals, Spearman's rank correlation
with its p-value (t distribution through the regularised incomplete beta function)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

# Two-sided 95% critical values of Student's t, df 1..30, then a few larger df.
_T95 = [
    12.706,
    4.303,
    3.182,
    2.776,
    2.571,
    2.447,
    2.365,
    2.306,
    2.262,
    2.228,
    2.201,
    2.179,
    2.160,
    2.145,
    2.131,
    2.120,
    2.110,
    2.101,
    2.093,
    2.086,
    2.080,
    2.074,
    2.069,
    2.064,
    2.060,
    2.056,
    2.052,
    2.048,
    2.045,
    2.042,
]
_T95_LARGE = [(40, 2.021), (60, 2.000), (120, 1.980)]


def t_critical_95(df: int) -> float:
    if df < 1:
        return math.nan
    if df <= 30:
        return _T95[df - 1]
    previous = (30, _T95[-1])
    for d, value in _T95_LARGE:
        if df <= d:  # linear in 1/df between table points
            x0, x1, x = 1 / previous[0], 1 / d, 1 / df
            return previous[1] + (value - previous[1]) * (x - x0) / (x1 - x0)
        previous = (d, value)
    return 1.960 + (1.980 - 1.960) * (120 / df)


@dataclass(frozen=True)
class MeanCI:
    n: int
    mean: float | None
    low: float | None
    high: float | None


def mean_ci(values: Sequence[float]) -> MeanCI:
    """Mean with a 95% t confidence interval (no interval for fewer than 2 values)."""
    n = len(values)
    if n == 0:
        return MeanCI(0, None, None, None)
    mean = sum(values) / n
    if n < 2:
        return MeanCI(n, mean, None, None)
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1))
    half = t_critical_95(n - 1) * sd / math.sqrt(n)
    return MeanCI(n, mean, mean - half, mean + half)


def average_ranks(values: Sequence[float]) -> list[float]:
    """Ranks 1..n, ties sharing their average rank."""
    return _ranks(np.asarray(values, dtype=float)).tolist()


def _ranks(values: np.ndarray) -> np.ndarray:
    unique, inverse, counts = np.unique(values, return_inverse=True, return_counts=True)
    ends = np.cumsum(counts)
    average = ends - (counts - 1) / 2  # mean of the positions each tied value spans
    del unique
    return average[inverse]


def _pearson(x: np.ndarray, y: np.ndarray) -> float:
    dx, dy = x - x.mean(), y - y.mean()
    sxx, syy = float(dx @ dx), float(dy @ dy)
    if sxx == 0 or syy == 0:
        return math.nan
    return float(dx @ dy) / math.sqrt(sxx * syy)


def _betacf(a: float, b: float, x: float) -> float:
    # Continued fraction for the incomplete beta function (Numerical Recipes, 6.4).
    tiny, eps = 1e-300, 3e-16
    qab, qap, qam = a + b, a + 1, a - 1
    c, d = 1.0, 1 - qab * x / qap
    d = 1 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 300):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1 + aa * d
        d = 1 / (d if abs(d) > tiny else tiny)
        c = 1 + aa / (c if abs(c) > tiny else tiny)
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1 + aa * d
        d = 1 / (d if abs(d) > tiny else tiny)
        c = 1 + aa / (c if abs(c) > tiny else tiny)
        delta = d * c
        h *= delta
        if abs(delta - 1) < eps:
            break
    return h


def betainc(a: float, b: float, x: float) -> float:
    """Regularised incomplete beta I_x(a, b)."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    front = math.exp(math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x))
    if x < (a + 1) / (a + b + 2):
        return front * _betacf(a, b, x) / a
    return 1 - front * _betacf(b, a, 1 - x) / b


def t_two_sided_p(t: float, df: int) -> float:
    return betainc(df / 2, 0.5, df / (df + t * t))


@dataclass(frozen=True)
class Correlation:
    n: int
    rho: float | None
    p_value: float | None


def spearman(x: Sequence[float], y: Sequence[float]) -> Correlation:
    """Spearman's rho with the two-sided p-value from the t approximation (as SciPy's spearmanr)."""
    n = len(x)
    if n < 3:
        return Correlation(n, None, None)
    rho = _pearson(_ranks(np.asarray(x, dtype=float)), _ranks(np.asarray(y, dtype=float)))
    if math.isnan(rho):
        return Correlation(n, None, None)
    if abs(rho) >= 1:
        return Correlation(n, rho, 0.0)
    t = rho * math.sqrt((n - 2) / (1 - rho * rho))
    return Correlation(n, rho, t_two_sided_p(t, n - 2))
