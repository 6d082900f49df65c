"""Seed a workspace with reviewed calls and outcomes directly (fast, exact numbers for analytics tests)."""

from __future__ import annotations

from dataclasses import dataclass

from empathy_audit.store import write_transaction
from empathy_audit.store.rubrics import active_rubric


@dataclass
class Seeded:
    agent: str
    team: str
    start: str
    scores: tuple[int | None, int | None, int | None]  # acknowledgment, investigation, care (None = N/A)
    csat: float | None = None  # normalised 0..1
    churned: bool | None = None
    customer: str | None = None
    flag: str | None = None
    reviewer: str = "Ana"
    duration_s: float = 60.0


def seed(db, calls: list[Seeded]) -> list[int]:
    rubric = active_rubric(db)
    ids = []
    with write_transaction(db):
        start_id = db.execute("SELECT COALESCE(MAX(id), 0) FROM calls").fetchone()[0]
        for i, c in enumerate(calls, start=start_id + 1):
            db.execute(
                "INSERT INTO calls (id, sha256, original_name, stored_path, size_bytes, duration_s, sample_rate, "
                "channels, codec, agent, team, customer_id, external_id, call_start, status, imported_at, updated_at) "
                "VALUES (?, ?, ?, 'x', 1, ?, 8000, 2, 'pcm_mulaw', ?, ?, ?, ?, ?, 'transcribed', 'n', 'n')",
                [i, f"{i:064x}", f"call-{i}.wav", c.duration_s, c.agent, c.team, c.customer, f"EXT-{i}", c.start],
            )
            review = db.execute(
                "INSERT INTO reviews (call_id, call_sha256, rubric_id, reviewer, state, context_flag, created_at, "
                "updated_at) VALUES (?, ?, ?, ?, 'submitted', ?, 'n', 'n')",
                [i, f"{i:064x}", rubric.id, c.reviewer, c.flag],
            ).lastrowid
            for key, score in zip(("acknowledgment", "investigation", "care"), c.scores, strict=True):
                db.execute(
                    "INSERT INTO review_scores (review_id, criterion_key, score, scored) VALUES (?, ?, ?, 1)",
                    [review, key, score],
                )
            if c.csat is not None or c.churned is not None:
                db.execute(
                    "INSERT INTO outcomes (call_id, csat, churned, imported_at) VALUES (?, ?, ?, 'n')",
                    [i, c.csat, None if c.churned is None else int(c.churned)],
                )
            ids.append(i)
    return ids
