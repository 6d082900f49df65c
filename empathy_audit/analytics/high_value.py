"""Churn among high-value customers, by audit band: the guide's "churn among high-value customers".

A call's customer value is the number an outcomes export gave (revenue, ARR…), or, when the export gave a
tier instead, the tier's rank in its order. "High value" is the top share of the reviewed calls with a
known value (a quarter by default: at or above the 75th percentile), or calls at or above a value the
user names. Ties at the threshold count as high value, so with tiers "top 25 %" means "this tier and
above" and the actual share is stated.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from empathy_audit.analytics.audit import BANDS, MIN_CALLS, band_index, band_label
from empathy_audit.analytics.facts import FactTable
from empathy_audit.analytics.outcome_stats import wilson

TOP_SHARES = (0.10, 0.25, 0.50)  # the dashboard's choices; 0.25 (the top quartile) by default
DEFAULT_TOP = 0.25


@dataclass
class ValueBand:
    band: str
    high_n: int  # high-value calls with churn known
    high_churned: int
    rate: float | None  # None: fewer than MIN_CALLS
    low: float | None
    high: float | None
    other_n: int  # the other calls with a known value and churn, for contrast
    other_churned: int
    other_rate: float | None


@dataclass
class HighValueChurn:
    kind: str  # "value" | "tier" | "": what the value is (none imported)
    top_share: float | None  # the share asked for, or None when a threshold value was given
    threshold: float | None
    threshold_text: str  # "customer value 12,400 or more (the top 25 %)", "tier Gold or above (…)"
    known: int  # reviewed calls with a known value
    high: int  # of them, high value
    bands: list[ValueBand] = field(default_factory=list)
    message: str | None = None  # why there is no figure

    @property
    def actual_share(self) -> float | None:
        return self.high / self.known if self.known else None


def _value_text(value: float, kind: str, tier_names: dict[int, str]) -> str:
    if kind == "tier":
        return f"tier {tier_names.get(int(value), f'rank {value:g}')} or above"
    return f"customer value {value:,.0f} or more" if value >= 100 else f"customer value {value:g} or more"


def high_value_churn(
    table: FactTable,
    top_share: float | None = DEFAULT_TOP,
    min_value: float | None = None,
    tier_names: dict[int, str] | None = None,
) -> HighValueChurn:
    """Churn by audit band for high-value customers alone (flagged calls left out, as in every figure)."""
    keep = ~table.flagged & ~np.isnan(table.value)
    values = table.value[keep]
    if not table.value_kind or not len(values):
        return HighValueChurn(
            table.value_kind, top_share, None, "", 0, 0,
            message="No customer values: import outcomes with a customer value or tier column (e.g. ARR, "
            "revenue, tier) to see churn among high-value customers.",
        )  # fmt: skip
    if min_value is None:
        share = DEFAULT_TOP if top_share is None else top_share
        top = max(1, math.ceil(share * len(values) - 1e-9))  # the top share's size, at least one call
        threshold = float(np.sort(values)[len(values) - top])
    else:
        share, threshold = None, float(min_value)
    is_high = values >= threshold
    text = _value_text(threshold, table.value_kind, tier_names or {})
    text += f" ({is_high.mean():.0%} of the {len(values)} calls with a known value" + (
        f"; top {share:.0%} asked)" if share is not None else ")"
    )
    result = HighValueChurn(table.value_kind, share, threshold, text, len(values), int(is_high.sum()))
    bands = band_index(table.score[keep], table.scale)
    churned = table.churned[keep]
    known_churn = ~np.isnan(churned)
    for b, (low, high, name) in enumerate(BANDS):
        mine = (bands == b) & known_churn
        top, rest = churned[mine & is_high], churned[mine & ~is_high]
        rate, ci_low, ci_high = wilson(int(top.sum()), len(top)) if len(top) >= MIN_CALLS else (None,) * 3
        other = float(rest.mean()) if len(rest) >= MIN_CALLS else None
        result.bands.append(
            ValueBand(band_label(low, high, name, table.scale), len(top), int(top.sum()), rate, ci_low, ci_high,
                      len(rest), int(rest.sum()), other)
        )  # fmt: skip
    with_churn = sum(b.high_n for b in result.bands)
    if with_churn < MIN_CALLS:
        result.message = (
            f"Too little data: {with_churn} high-value reviewed calls with churn known (at least {MIN_CALLS} needed)."
        )
    return result


def high_value_finding(h: HighValueChurn) -> str:
    """One sentence: how high-value customers churn in the lowest band that has a rate against the highest."""
    rated = [b for b in h.bands if b.rate is not None]
    if h.message or len(rated) < 2:
        return ""
    low, top = rated[0], rated[-1]
    return (
        f"High-value customers ({h.threshold_text.split(' (')[0]}) churned at {low.rate:.0%} after "
        f"{low.band.split(' ', 1)[-1]} calls against {top.rate:.0%} after {top.band.split(' ', 1)[-1]} ones."
    )
