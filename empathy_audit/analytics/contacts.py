"""Repeat contacts: for each call, the hours until the same customer's next call, counting every call in the
workspace (a repeat contact need not be reviewed).

A call without a customer id or a start time cannot say (NaN). A call with no later call from its
customer gets minus the hours the workspace's calls run on after it (the newest call's start minus its
own): a customer seen 30 hours ago may still call again within 7 days, so that call says "no repeat
within 24 hours" but nothing yet about 7 days (repeat_within).
"""

from __future__ import annotations

import numpy as np
import sqlite_utils

from empathy_audit.store.contacts import contact_rows

DAY_H, WEEK_H = 24.0, 7 * 24.0


def next_contact_gaps(db: sqlite_utils.Database, call_ids: np.ndarray) -> np.ndarray:
    """Hours to the same customer's next call for each call id (see the module's note for the signs)."""
    rows = contact_rows(db)
    out = np.full(len(call_ids), np.nan)
    if not rows:
        return out
    cols = list(zip(*rows, strict=True))
    ids = np.array(cols[0], dtype=np.int64)
    customer = np.array(cols[1], dtype=str)
    hours = np.array(cols[2], dtype=float)  # None becomes NaN
    gap = np.full(len(rows), np.nan)
    order = np.flatnonzero((customer != "") & ~np.isnan(hours))
    if len(order):
        order = order[np.lexsort((hours[order], customer[order]))]
        same_next = customer[order][1:] == customer[order][:-1]
        seen = -(np.nanmax(hours) - hours[order])  # no later call: how long the data runs on, negated (-0.0 at most)
        following = seen.copy()
        following[:-1] = np.where(same_next, hours[order][1:] - hours[order][:-1], seen[:-1])
        gap[order] = following
    at = np.clip(np.searchsorted(ids, call_ids), 0, len(ids) - 1)  # ids are sorted (ORDER BY id)
    found = ids[at] == call_ids
    out[found] = gap[at[found]]
    return out


def repeat_within(gap_h: np.ndarray, window_h: float) -> np.ndarray:
    """1.0 where the customer called again within the window, 0.0 where not, NaN where it cannot be known
    (no customer or start, or too little time seen after the call)."""
    later = ~np.signbit(gap_h)  # a real gap is +0.0 or more; "no later call" is negative, -0.0 for the newest
    again = later & (gap_h <= window_h)
    known = ~np.isnan(gap_h) & (later | (gap_h <= -window_h))
    return np.where(known, again.astype(float), np.nan)
