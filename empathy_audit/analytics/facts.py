"""Reviewed calls as columns (numpy arrays), so analytics over tens of thousands of calls stay fast.

One row per call with at least one submitted, scored review: its audit score (0..max score), per-criterion
means, CSAT (normalised 0..1), churn, quarter, team and agent. `CallFact` objects are made only
for the few rows a person looks at (quiet churners, a hovered point, a table).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import sqlite_utils

from empathy_audit.analytics.contacts import WEEK_H, next_contact_gaps, repeat_within
from empathy_audit.store.audit import audit_reviewers, call_details, fact_rows
from empathy_audit.wording import csat_text


@dataclass
class CallFact:
    call_id: int
    name: str
    quarter: str | None
    team: str | None
    agent: str | None
    started: str | None
    score: float  # 0..scale (0 when a critical criterion failed)
    criteria: dict[str, float]
    reviewers: list[str]
    flagged: bool
    csat: float | None = None
    csat_raw: str | None = None
    csat_scale: str | None = None  # "1-5", "0-10", "percent"…: how the survey asked
    churned: bool | None = None
    repeat_contact: bool | None = None  # another call from the customer within 7 days (None: cannot tell yet)
    scale: float = 3.0  # the rubric's max_score: the scale travels with the score

    @property
    def csat_shown(self) -> str:
        """The CSAT on its own scale ('2 of 5'), as the customer gave it."""
        return csat_text(self.csat_raw, self.csat_scale, self.csat)

    @property
    def percent(self) -> float:
        return round(self.score / self.scale * 100, 1)


@dataclass
class AuditFilter:
    quarter_from: str | None = None
    quarter_to: str | None = None
    team: str | None = None
    agent: str | None = None


# The per-row columns of a FactTable, in order (take() and an empty table go through this list).
COLUMNS = (
    "call_id", "score", "csat", "churned", "flagged", "quarter", "team", "agent", "repeat", "gap_h", "handle_s",
    "handle_imported", "day", "queue", "value",
)  # fmt: skip


@dataclass
class FactTable:
    call_id: np.ndarray
    score: np.ndarray
    csat: np.ndarray  # NaN where unknown
    churned: np.ndarray  # 1.0, 0.0, NaN where unknown
    flagged: np.ndarray  # bool
    quarter: np.ndarray  # str ('' where unknown)
    team: np.ndarray
    agent: np.ndarray
    repeat: np.ndarray  # 7-day repeat contact: 1.0, 0.0, NaN where it cannot be told (contacts.repeat_within)
    gap_h: np.ndarray  # hours to the customer's next call (contacts.next_contact_gaps)
    handle_s: np.ndarray  # handle time: imported where given, else the recording's duration (NaN: unknown)
    handle_imported: np.ndarray  # bool: handle_s came from an outcomes export
    day: np.ndarray  # 'YYYY-MM-DD' of the call's start ('' when unknown)
    queue: np.ndarray  # the call's queue or topic from its metadata ('' when none)
    value: np.ndarray  # the customer's worth: imported value, else tier rank (NaN: unknown)
    criteria: dict[str, np.ndarray] = field(default_factory=dict)
    # call ids -> (name, raw CSAT, start, reviewers): read only for the rows someone looks at
    details: Callable[[list[int]], dict[int, tuple]] | None = None
    scale: float = 3.0  # every score in the table is on 0..scale (the rubric's max_score)
    value_kind: str = ""  # "value" | "tier" | "" (none imported): what `value` holds

    def __len__(self) -> int:
        return len(self.call_id)

    def take(self, mask: np.ndarray) -> FactTable:
        return FactTable(
            **{name: getattr(self, name)[mask] for name in COLUMNS},
            criteria={k: v[mask] for k, v in self.criteria.items()},
            details=self.details,
            scale=self.scale,
            value_kind=self.value_kind,
        )

    def filtered(self, flt: AuditFilter) -> FactTable:
        mask = np.ones(len(self), dtype=bool)
        if flt.team:
            mask &= self.team == flt.team
        if flt.agent:
            mask &= self.agent == flt.agent
        if flt.quarter_from:
            mask &= (self.quarter != "") & (self.quarter >= flt.quarter_from)
        if flt.quarter_to:
            mask &= (self.quarter != "") & (self.quarter <= flt.quarter_to)
        return self.take(mask)

    def facts(self, rows: np.ndarray | list[int] | None = None) -> list[CallFact]:
        """CallFact objects for some rows (all when None), in call-start order, with names and raw CSAT."""
        index = list(range(len(self))) if rows is None else [int(i) for i in rows]
        ids = [int(self.call_id[i]) for i in index]
        extra = self.details(ids) if ids and self.details is not None else {}
        out = []
        for i, call_id in zip(index, ids, strict=True):
            name, raw, started, reviewers, csat_scale = extra.get(call_id, (f"call {call_id}", None, None, "", None))
            csat, churned = float(self.csat[i]), float(self.churned[i])
            out.append(
                CallFact(
                    call_id=call_id,
                    name=name,
                    quarter=self.quarter[i] or None,
                    team=self.team[i] or None,
                    agent=self.agent[i] or None,
                    started=started,
                    score=float(self.score[i]),
                    criteria={k: float(v[i]) for k, v in self.criteria.items() if not np.isnan(v[i])},
                    reviewers=[r for r in (reviewers or "").split("\x1f") if r],
                    flagged=bool(self.flagged[i]),
                    csat=None if np.isnan(csat) else csat,
                    csat_raw=raw,
                    csat_scale=csat_scale,
                    churned=None if np.isnan(churned) else bool(churned),
                    repeat_contact=None if np.isnan(self.repeat[i]) else bool(self.repeat[i]),
                    scale=self.scale,
                )
            )
        return sorted(out, key=lambda f: (f.started or "", f.call_id))


def reviewers_for(db: sqlite_utils.Database, flt: AuditFilter) -> list[str]:
    """Who reviewed the calls a filter selects (latest submitted reviews)."""
    return audit_reviewers(db, flt.team, flt.agent, flt.quarter_from, flt.quarter_to)


def load_facts(db: sqlite_utils.Database) -> FactTable:
    """Every reviewed call as columns, in call-start order."""
    slots, rows = fact_rows(db)
    used = sorted(slots)
    details = lambda ids: call_details(db, ids)  # noqa: E731
    if not rows:
        kinds = {"call_id": np.int64, "flagged": bool, "handle_imported": bool}
        empty = {name: np.array([], dtype=kinds.get(name, float)) for name in COLUMNS}
        for name in ("quarter", "team", "agent", "day", "queue"):
            empty[name] = np.array([], dtype=object)
        return FactTable(**empty, details=details)
    cols = list(zip(*rows, strict=True))
    call_id = np.array(cols[0], dtype=np.int64)
    # One scale per table: the most common one; calls scored on another rubric scale are converted to it.
    scales = np.array(cols[8], dtype=float)
    values, counts = np.unique(scales, return_counts=True)
    scale = float(values[np.argmax(counts)])
    factor = scale / scales
    imported = np.array(cols[11], dtype=float)
    value, rank = np.array(cols[13], dtype=float), np.array(cols[14], dtype=float)
    kind = "value" if not np.isnan(value).all() else "tier" if not np.isnan(rank).all() else ""
    gap_h = next_contact_gaps(db, call_id)
    return FactTable(
        call_id=call_id,
        score=np.array(cols[1], dtype=float) * factor,
        csat=np.array(cols[6], dtype=float),  # None becomes NaN
        churned=np.array(cols[7], dtype=float),
        flagged=np.array(cols[2], dtype=bool),
        quarter=np.array([q or "" for q in cols[3]], dtype=object),
        team=np.array([t or "" for t in cols[4]], dtype=object),
        agent=np.array([a or "" for a in cols[5]], dtype=object),
        repeat=repeat_within(gap_h, WEEK_H),
        gap_h=gap_h,
        handle_s=np.where(np.isnan(imported), np.array(cols[10], dtype=float), imported),
        handle_imported=~np.isnan(imported),
        day=np.array(cols[9], dtype=object),
        queue=np.array([q or "" for q in cols[12]], dtype=object),
        value=value if kind == "value" else rank,
        criteria={slots[slot]: np.array(cols[15 + i], dtype=float) * factor for i, slot in enumerate(used)},
        details=details,
        scale=scale,
        value_kind=kind,
    )
