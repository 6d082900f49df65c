"""What empathy pays, in the guide's outcomes: repeat contacts by audit band, and handle time against
audit score (speed vs empathy). Columns in, small tables out, so 50,000 reviewed calls stay quick.

A repeat contact is another call from the same customer (the calls' customer id) that starts within
24 hours or 7 days after this one starts, counting every call in the workspace, reviewed or not
(contacts.py). A call without a customer id or a start time cannot say, and is left out of these rates
(and counted). Handle time is the one an outcomes export gives, else the recording's duration.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from empathy_audit.analytics.audit import BANDS, HIGH_AUDIT, MIN_CALLS, band_index, band_label
from empathy_audit.analytics.contacts import DAY_H, repeat_within
from empathy_audit.analytics.facts import FactTable

Z95 = 1.959964


def wilson(k: int, n: int) -> tuple[float | None, float | None, float | None]:
    """A rate with its 95 % Wilson score interval (sound for small n and for rates near 0 or 1)."""
    if n <= 0:
        return None, None, None
    p = k / n
    centre = (p + Z95 * Z95 / (2 * n)) / (1 + Z95 * Z95 / n)
    half = Z95 * math.sqrt(p * (1 - p) / n + Z95 * Z95 / (4 * n * n)) / (1 + Z95 * Z95 / n)
    return p, max(0.0, centre - half), min(1.0, centre + half)


@dataclass
class RepeatBand:
    band: str
    calls: int  # reviewed calls in the band
    known: int  # ...whose customer and start are known
    within_day: int
    within_week: int
    day_rate: float | None  # None: fewer than MIN_CALLS known
    day_low: float | None
    day_high: float | None
    week_rate: float | None
    week_low: float | None
    week_high: float | None


def repeat_contacts(table: FactTable) -> list[RepeatBand]:
    """Share of calls followed by another contact from the same customer within 24 h and 7 days, per
    audit band, with 95 % Wilson intervals. Calls where empathy-first does not apply are left out."""
    keep = ~table.flagged
    bands = band_index(table.score[keep], table.scale)
    by_day, by_week = repeat_within(table.gap_h[keep], DAY_H), table.repeat[keep]
    out = []
    for b, (low, high, name) in enumerate(BANDS):
        in_band = bands == b
        days, weeks = by_day[in_band & ~np.isnan(by_day)], by_week[in_band & ~np.isnan(by_week)]
        known_day, known = len(days), len(weeks)  # a week must have passed to say "no repeat within 7 days"
        day, week = int(days.sum()), int(weeks.sum())
        d = wilson(day, known_day) if known_day >= MIN_CALLS else (None,) * 3
        w = wilson(week, known) if known >= MIN_CALLS else (None,) * 3
        out.append(RepeatBand(band_label(low, high, name, table.scale), int(in_band.sum()), known, day, week, *d, *w))
    return out


@dataclass
class AgentPace:
    agent: str
    calls: int
    median_handle_s: float
    mean_score: float


@dataclass
class SpeedVsEmpathy:
    calls: int  # reviewed calls with a known handle time
    high: int  # of them, high-empathy (score at or above the 'genuine' threshold)
    high_median_s: float | None
    other_median_s: float | None
    extra_s: float | None  # how much longer high-empathy calls are (median against median)
    high_repeat: float | None  # 7-day repeat-contact rate, high-empathy calls
    other_repeat: float | None
    high_churn: float | None
    other_churn: float | None
    agents: list[AgentPace]
    sentence: str
    handle_s: np.ndarray | None = None  # every row's handle time (NaN: unknown), for the scatter
    imported: int = 0  # calls whose handle time came from an outcomes export (the rest: recording length)


def _rate(values: np.ndarray) -> float | None:
    present = values[~np.isnan(values)]
    return float(present.mean()) if len(present) >= MIN_CALLS else None


def speed_vs_empathy(table: FactTable) -> SpeedVsEmpathy:
    """Handle time against audit score: high-empathy calls against the rest (median handle time, 7-day
    repeat contacts, churn), and per agent the median handle time against the mean score."""
    keep = ~table.flagged & ~np.isnan(table.handle_s)
    score, handle, repeat, churn = table.score[keep], table.handle_s[keep], table.repeat[keep], table.churned[keep]
    high = score >= HIGH_AUDIT * table.scale - 1e-9

    def median(mask: np.ndarray) -> float | None:
        return float(np.median(handle[mask])) if mask.sum() >= MIN_CALLS else None

    high_s, other_s = median(high), median(~high)
    extra = None if high_s is None or other_s is None else high_s - other_s
    agents = []
    named = table.agent[keep] != ""
    names, codes = np.unique(table.agent[keep][named].astype(str), return_inverse=True)
    order = np.argsort(codes, kind="stable")  # each agent's calls side by side: one pass, not one per agent
    bounds = np.searchsorted(codes[order], np.arange(len(names) + 1))
    handle_named, score_named = handle[named][order], score[named][order]
    for g, agent in enumerate(names):
        part = slice(bounds[g], bounds[g + 1])
        agents.append(
            AgentPace(str(agent), int(bounds[g + 1] - bounds[g]), float(np.median(handle_named[part])),
                      float(score_named[part].mean()))
        )  # fmt: skip
    result = SpeedVsEmpathy(
        int(keep.sum()), int(high.sum()), high_s, other_s, extra, _rate(repeat[high]), _rate(repeat[~high]),
        _rate(churn[high]), _rate(churn[~high]), agents, "", table.handle_s, int(table.handle_imported[keep].sum()),
    )  # fmt: skip
    result.sentence = speed_sentence(result, HIGH_AUDIT * table.scale)
    return result


def _pct(rate: float | None) -> str:
    return "unknown" if rate is None else f"{rate:.0%}"


def speed_sentence(s: SpeedVsEmpathy, threshold: float) -> str:
    """The guide's question answered in one sentence: what empathy costs in seconds, and what it returns."""
    if s.extra_s is None:
        return (
            f"Too little data to compare handle times: at least {MIN_CALLS} reviewed calls with a known duration "
            f"are needed on each side of a score of {threshold:.3g} ({s.high} high-empathy, "
            f"{s.calls - s.high} other)."
        )
    longer = "longer" if s.extra_s >= 0 else "shorter"
    returns = []
    if s.high_repeat is not None and s.other_repeat is not None:
        returns.append(
            f"customers call again within 7 days after {_pct(s.high_repeat)} of them against {_pct(s.other_repeat)}"
        )
    if s.high_churn is not None and s.other_churn is not None:
        returns.append(f"churn {_pct(s.high_churn)} against {_pct(s.other_churn)}")
    tail = "; " + ", and ".join(returns) if returns else " (repeat contacts and churn: too few known to compare)"
    return (
        f"High-empathy calls (score {threshold:.3g} or more) take a median {abs(s.extra_s):.0f} s {longer} than "
        f"the others ({s.high_median_s:.0f} s against {s.other_median_s:.0f} s){tail}."
    )
