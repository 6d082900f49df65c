"""Agreement statistics against published worked examples (sources in each test)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from empathy_audit.calibration.agreement import krippendorff_alpha, pairwise_agreement, weighted_kappa

N = np.nan
# Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability. University of Pennsylvania,
# ScholarlyCommons (asc_papers/43), the worked example with 4 observers, 12 units, values 1-5 and missing
# data. Published results: nominal 0.743, ordinal 0.815, interval 0.849.
KRIPPENDORFF_2011 = np.array(
    [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],  # observer A
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],  # observer B
        [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],  # observer C
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],  # observer D
    ]
).T  # units × raters


@pytest.mark.parametrize(("level", "published"), [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849)])
def test_krippendorff_2011_worked_example(level: str, published: float) -> None:
    alpha = krippendorff_alpha(KRIPPENDORFF_2011, level)
    assert alpha.value == pytest.approx(published, abs=0.0005)
    assert alpha.n_units == 11 and alpha.n_pairable == 40  # unit 12 has one rating: not pairable


def test_alpha_edges() -> None:
    assert krippendorff_alpha(np.array([[1, 1], [2, 2], [3, 3.0]])).value == pytest.approx(1.0)
    assert krippendorff_alpha(np.array([[1, N], [N, 2.0]])).value is None  # nothing pairable
    assert krippendorff_alpha(np.array([[2, 2], [2, 2.0]])).value is None  # no variation at all
    with pytest.raises(ValueError, match="units × raters"):
        krippendorff_alpha(np.array([1.0, 2.0]))


def test_cohen_kappa_wikipedia_example() -> None:
    """Wikipedia, "Cohen's kappa", worked example: 50 grant proposals, readers A and B; yes/yes 20,
    A yes B no 5, A no B yes 10, no/no 15; kappa = 0.4. With two categories, quadratic weights are the
    unweighted kappa."""
    a = np.array([1] * 20 + [1] * 5 + [0] * 10 + [0] * 15)
    b = np.array([1] * 20 + [0] * 5 + [1] * 10 + [0] * 15)
    kappa = weighted_kappa(a, b, categories=2)
    assert kappa.value == pytest.approx(0.4) and kappa.n == 50


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), min_size=2, max_size=40))
def test_quadratic_kappa_equals_its_closed_form(pairs: list[tuple[int, int]]) -> None:
    """Schuster, C. (2004). A note on the interpretation of weighted kappa and its relations to other rater
    agreement statistics for metric scales. Educational and Psychological Measurement 64(2): quadratic-weighted
    kappa = 2·cov(x, y) / (var x + var y + (mean x − mean y)²), population moments."""
    x, y = np.array(pairs, dtype=float).T
    denominator = x.var() + y.var() + (x.mean() - y.mean()) ** 2
    kappa = weighted_kappa(x, y, categories=4).value
    if denominator == 0:
        assert kappa is None
    else:
        assert kappa == pytest.approx(2 * np.cov(x, y, bias=True)[0, 1] / denominator, abs=1e-9)


def test_kappa_skips_missing_and_counts_n() -> None:
    kappa = weighted_kappa(np.array([0, 1, 2, 3, N]), np.array([0, 1, 2, 3, 2]), categories=4)
    assert kappa.value == pytest.approx(1.0) and kappa.n == 4


def test_exact_and_adjacent_agreement_by_hand() -> None:
    # Unit 1: 2,2,3 → pairs (2,2) exact, (2,3) ×2 adjacent. Unit 2: 0,3 → neither. Unit 3: one rating.
    result = pairwise_agreement(np.array([[2, 2, 3], [0, N, 3], [1, N, N]]))
    assert (result.exact, result.adjacent, result.n_pairs) == (pytest.approx(1 / 4), pytest.approx(3 / 4), 4)
