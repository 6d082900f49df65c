"""Library query speed on a generated workspace of 10,000 calls (with reviews, outcomes, transcripts).

    .venv/bin/python benchmarks/library_speed.py [--calls 10000]

Baseline, in the same run: reading every row of the calls table (`SELECT * FROM calls`).
Each sort, filter and word search of the library is timed and printed as a ratio to it,
and the Qt table model's refresh is timed too (offscreen).
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from pathlib import Path

from empathy_audit.store import open_workspace, write_transaction
from empathy_audit.store.library import COLUMN_KEYS, LibraryFilter, library_rows
from empathy_audit.store.rubrics import active_rubric

WORDS = [
    "router",
    "refund",
    "frustrated",
    "sorry",
    "account",
    "billing",
    "engineer",
    "evening",
    "internet",
    "password",
    "delivery",
]


def populate(db, count: int) -> None:
    rng = random.Random(7)
    rubric = active_rubric(db)
    with write_transaction(db):
        for i in range(1, count + 1):
            month = rng.randint(1, 12)
            db.execute(
                "INSERT INTO calls (id, sha256, original_name, stored_path, size_bytes, duration_s, sample_rate, "
                "channels, codec, agent, team, customer_id, call_start, status, imported_at, updated_at) "
                "VALUES (?, ?, ?, 'x', 1, ?, 8000, 2, 'pcm_mulaw', ?, ?, ?, ?, ?, 'n', 'n')",
                [
                    i,
                    f"{i:064x}",
                    f"call {i:05d}.wav",
                    rng.uniform(60, 900),
                    f"Agent {i % 40}",
                    f"Team {i % 6}",
                    f"C{rng.randint(1, 4000)}",
                    f"2026-{month:02d}-{rng.randint(1, 28):02d}T10:00:00",
                    rng.choice(["new", "transcribed", "transcribed", "failed"]),
                ],
            )
            db.execute(
                "INSERT INTO transcripts (id, call_id, is_current, engine, created_at) VALUES (?, ?, 1, 'e', 'n')",
                [i, i],
            )
            for seq in range(4):
                db.execute(
                    "INSERT INTO segments (transcript_id, seq, speaker, start_s, end_s, text) "
                    "VALUES (?, ?, 'agent', ?, ?, ?)",
                    [i, seq, seq * 5.0, seq * 5.0 + 4, " ".join(rng.sample(WORDS, 5))],
                )
            if i % 3 == 0:
                cursor = db.execute(
                    "INSERT INTO reviews (call_id, call_sha256, rubric_id, reviewer, state, created_at, updated_at) "
                    "VALUES (?, ?, ?, 'Ana', 'submitted', 'n', 'n')",
                    [i, f"{i:064x}", rubric.id],
                )
                for c in rubric.criteria:
                    db.execute(
                        "INSERT INTO review_scores (review_id, criterion_key, score) VALUES (?, ?, ?)",
                        [cursor.lastrowid, c.key, rng.randint(0, 3)],
                    )
            if i % 2 == 0:
                db.execute(
                    "INSERT INTO outcomes (call_id, csat, churned, imported_at) VALUES (?, ?, ?, 'n')",
                    [i, rng.random(), rng.random() < 0.2],
                )


def timed(fn, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        ws = open_workspace(Path(tmp))
        populate(ws.db, args.calls)
        baseline = timed(lambda: ws.db.execute("SELECT * FROM calls").fetchall())
        print(f"{args.calls} calls; baseline SELECT * FROM calls: {baseline * 1000:.0f} ms")
        cases = {f"sort by {key}": (LibraryFilter(), key) for key in COLUMN_KEYS}
        cases.update(
            {
                "filter status=transcribed": (LibraryFilter(status="transcribed"), "call_start"),
                "filter agent + quarter": (LibraryFilter(agent="Agent 7", quarter="2026Q3"), "call_start"),
                "filter not reviewed": (LibraryFilter(reviewed=False), "call_start"),
                "search 'refund engineer'": (LibraryFilter(search="refund engineer"), "call_start"),
            }
        )
        worst = 0.0
        for name, (flt, sort) in cases.items():
            seconds = timed(lambda flt=flt, sort=sort: library_rows(ws.db, flt, sort))
            worst = max(worst, seconds)
            print(f"  {name:<28} {seconds * 1000:6.0f} ms   ratio {seconds / baseline:5.1f}")
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from PySide6.QtWidgets import QApplication

        from empathy_audit.ui.library.call_table_model import CallTableModel

        app = QApplication.instance() or QApplication([])
        model = CallTableModel(ws.db)
        refresh = timed(model.refresh)
        print(f"  Qt model refresh (all rows)  {refresh * 1000:6.0f} ms   ratio {refresh / baseline:5.1f}")
        print(f"slowest query: {worst * 1000:.0f} ms (target: stays interactive, < 300 ms)")
        del app


if __name__ == "__main__":
    main()
