"""The review queue: the quarterly sample plus targeted triggers, each call with its reasons.

Sample: N random transcribed calls per agent per quarter, chosen with a seed made from the
agent and quarter so the queue is the same after a restart. Triggers: a second contact from
the same customer within 24 hours, CSAT of 2 or below, and CSAT of 4-5 from a customer who
churned. Calls the reviewer already submitted are left out.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlite_utils

from empathy_audit.quarters import quarter_of
from empathy_audit.store.calls import customer_contacts, queue_candidates

# CSAT is stored normalised to 0..1; on a 1-5 scale 2 is 0.25 and 4 is 0.75.
LOW_CSAT = 0.25
HIGH_CSAT = 0.75
REPEAT_WINDOW = timedelta(hours=24)

REASON_ORDER = ["Satisfied but churned", "Low CSAT", "Second contact within 24 h", "Quarterly sample"]


@dataclass
class QueueItem:
    call_id: int
    reasons: list[str] = field(default_factory=list)

    @property
    def priority(self) -> int:
        return min(REASON_ORDER.index(r.split(" (")[0]) for r in self.reasons)


def build_queue(db: sqlite_utils.Database, reviewer: str, per_agent_per_quarter: int = 5) -> list[QueueItem]:
    calls = queue_candidates(db, reviewer)
    items: dict[int, QueueItem] = {}

    def add(call_id: int, reason: str) -> None:
        items.setdefault(call_id, QueueItem(call_id)).reasons.append(reason)

    for row in calls:
        if row["csat"] is not None and row["churned"] and row["csat"] >= HIGH_CSAT:
            add(row["id"], "Satisfied but churned")
        elif row["csat"] is not None and row["csat"] <= LOW_CSAT:
            add(row["id"], "Low CSAT")

    # Repeat contacts look at every call of the customer, reviewed or not.
    waiting = {row["id"] for row in calls}
    previous: dict[str, datetime] = {}
    for row in customer_contacts(db):
        try:
            moment = datetime.fromisoformat(row["started"]).replace(tzinfo=None)
        except ValueError:
            continue
        before = previous.get(row["customer_id"])
        if before is not None and moment - before <= REPEAT_WINDOW and row["id"] in waiting:
            add(row["id"], "Second contact within 24 h")
        previous[row["customer_id"]] = moment

    groups: dict[tuple[str, str], list[int]] = {}
    for row in calls:
        quarter = quarter_of(row["started"])
        if quarter:
            groups.setdefault((row["agent"] or "no agent", quarter), []).append(row["id"])
    for (agent, quarter), ids in sorted(groups.items()):
        seed = int(hashlib.sha256(f"{agent}|{quarter}".encode()).hexdigest()[:12], 16)
        chosen = random.Random(seed).sample(ids, min(per_agent_per_quarter, len(ids)))
        for call_id in chosen:
            add(call_id, f"Quarterly sample ({agent}, {quarter})")

    order = {row["id"]: i for i, row in enumerate(calls)}
    return sorted(items.values(), key=lambda item: (item.priority, order[item.call_id]))
