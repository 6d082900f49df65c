"""Statistics against published reference values."""

from __future__ import annotations

import pytest

from empathy_audit.analytics.stats import average_ranks, betainc, mean_ci, spearman, t_critical_95


def test_spearman_matches_scipys_documented_example() -> None:
    # scipy.stats.spearmanr([1, 2, 3, 4, 5], [5, 6, 7, 8, 7]) in SciPy's documentation:
    # statistic=0.8207826816681233, pvalue=0.08858700531354381
    result = spearman([1, 2, 3, 4, 5], [5, 6, 7, 8, 7])
    assert result.rho == pytest.approx(0.8207826816681233, abs=1e-12)
    assert result.p_value == pytest.approx(0.08858700531354381, abs=1e-9)
    assert result.n == 5


def test_perfect_and_undefined_correlations() -> None:
    assert spearman([1, 2, 3], [10, 20, 30]).rho == pytest.approx(1.0)
    assert spearman([1, 2, 3], [5, 5, 5]).rho is None  # no variation: no correlation to speak of
    assert spearman([1, 2], [1, 2]).rho is None  # fewer than 3 pairs


def test_ties_share_average_ranks() -> None:
    assert average_ranks([10, 20, 20, 5]) == [2.0, 3.5, 3.5, 1.0]


def test_incomplete_beta_known_values() -> None:
    assert betainc(1, 1, 0.3) == pytest.approx(0.3)  # uniform distribution
    assert betainc(2, 3, 0.4) == pytest.approx(0.5248, abs=1e-4)  # tables: I_0.4(2,3) = 0.5248


def test_t_critical_values_and_mean_ci_by_hand() -> None:
    assert t_critical_95(2) == 4.303 and t_critical_95(30) == 2.042
    assert 1.96 < t_critical_95(1000) < 1.97
    ci = mean_ci([2, 3, 4])  # sd 1, half-width 4.303 / sqrt(3) = 2.4843
    assert (ci.mean, ci.low, ci.high) == (3.0, pytest.approx(0.5157, abs=1e-4), pytest.approx(5.4843, abs=1e-4))
    assert mean_ci([2.5]).low is None and mean_ci([]).mean is None
