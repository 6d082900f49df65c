"""Dashboard speed on a generated workspace of 50,000 reviewed calls with outcomes.

    .venv/bin/python benchmarks/dashboard_speed.py [--calls 50000]

Times the dashboard opened (reading the calls, the analytics, building and drawing all seven charts with
Agg, as the dashboard's canvases do), the dashboard after a filter change (the app keeps the calls it read
until the workspace changes), and a compare of two teams, against a baseline in the same run: reading
every submitted review's scores with one query. Targets (issue 17): the whole dashboard in 0.5 s, a
compare in 0.3 s.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg

from empathy_audit.analytics.audit import AuditFilter, build_report
from empathy_audit.analytics.charts import all_charts
from empathy_audit.analytics.compare import CallSet, compare
from empathy_audit.analytics.facts import load_facts
from empathy_audit.store import open_workspace, write_transaction
from empathy_audit.store.audit import refresh_call_audit
from empathy_audit.store.rubrics import active_rubric

COMMENTS = [
    "She really listened and sorted it in one go, thank you.",
    "Felt like talking to a script. Nobody asked what actually happened.",
    "Quick, but I had to call back the next day because nothing changed.",
    "The agent apologised twice and then transferred me. Still not fixed.",
    "Took a while but he followed up by email as promised. Great service.",
    "Why do I have to explain my problem three times?",
]


def populate(db, count: int) -> None:
    """`count` reviewed calls with CSAT, churn, customer value, handle time, a queue and some comments."""
    rng = random.Random(11)
    rubric = active_rubric(db)
    calls, reviews, scores, outcomes = [], [], [], []
    for i in range(1, count + 1):
        month = rng.randint(1, 12)
        calls.append(
            (
                i,
                f"{i:064x}",
                f"call {i}.wav",
                rng.uniform(90, 900),
                f"Agent {i % 60}",
                f"Team {i % 8}",
                f"C{rng.randint(1, 20000)}",
                f"2026-{month:02d}-{rng.randint(1, 28):02d}T{rng.randint(8, 17):02d}:00:00",
                rng.choice(["Billing", "Cancellations", "Technical", "Orders"]),
            )
        )
        reviews.append((i, i, f"{i:064x}", rubric.id, rng.choice(["Ana", "Ben", "Cy"]), calls[-1][7],
                        rng.lognormvariate(5.5, 0.5)))  # fmt: skip
        values = [rng.randint(0, 3) for _ in rubric.criteria]
        scores += [(i, c.key, v) for c, v in zip(rubric.criteria, values, strict=True)]
        mean = sum(values) / len(values)
        comment = rng.choice(COMMENTS) if rng.random() < 0.15 else None
        outcomes.append(
            (i, min(1.0, max(0.0, mean / 3 + rng.uniform(-0.3, 0.3))), int(rng.random() < 0.4 - mean / 10),
             round(rng.lognormvariate(7, 1.2), 2), calls[-1][3] * rng.uniform(1.0, 1.3), comment)
        )  # fmt: skip
    with write_transaction(db):
        db.conn.executemany(
            "INSERT INTO calls (id, sha256, original_name, stored_path, size_bytes, duration_s, sample_rate, channels, "
            "codec, agent, team, customer_id, call_start, queue, status, imported_at, updated_at) "
            "VALUES (?, ?, ?, 'x', 1, ?, 8000, 2, 'pcm_mulaw', ?, ?, ?, ?, ?, 'transcribed', 'n', 'n')",
            calls,
        )
        db.conn.executemany(
            "INSERT INTO reviews (id, call_id, call_sha256, rubric_id, reviewer, state, created_at, updated_at, "
            "submitted_at, active_seconds) VALUES (?, ?, ?, ?, ?, 'submitted', 'n', 'n', datetime(?, '+2 days'), ?)",
            reviews,
        )
        db.conn.executemany("INSERT INTO review_scores (review_id, criterion_key, score) VALUES (?, ?, ?)", scores)
        db.conn.executemany(
            "INSERT INTO outcomes (call_id, csat, churned, customer_value, handle_s, comment, imported_at) "
            "VALUES (?, ?, ?, ?, ?, ?, 'n')",
            outcomes,
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=50_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        ws = open_workspace(Path(tmp))
        populate(ws.db, args.calls)
        started = time.perf_counter()
        ws.db.execute("SELECT review_id, criterion_key, score FROM review_scores").fetchall()
        baseline = time.perf_counter() - started

        started = time.perf_counter()
        refresh_call_audit(ws.db)  # once per workspace; afterwards only changed calls are recomputed
        first_refresh = time.perf_counter() - started

        def render(facts=None) -> tuple[float, float, float, float]:
            """(read the calls, + analytics, + build the figures, + draw every figure), cumulative seconds."""
            started = time.perf_counter()
            table = load_facts(ws.db) if facts is None else facts
            read = time.perf_counter() - started
            report = build_report(ws.db, AuditFilter(team="Team 3") if facts is not None else None, table)
            analysed = time.perf_counter() - started
            charts = all_charts(report)
            built = time.perf_counter() - started
            for chart in charts:
                FigureCanvasAgg(chart.figure).draw()
            return read, analysed, built, time.perf_counter() - started

        opened = min(render() for _ in range(3))
        facts = load_facts(ws.db)
        refiltered = min(render(facts) for _ in range(3))

        def compared(data) -> float:
            started = time.perf_counter()
            compare(data or load_facts(ws.db), CallSet.parse("team=Team 0"), CallSet.parse("team=Team 1"))
            return time.perf_counter() - started

        compare_loaded = min(compared(facts) for _ in range(3))
        compare_cli = min(compared(None) for _ in range(3))
        # A reviewer changes one score: the next render recomputes that call only.
        ws.db.execute("UPDATE review_scores SET score = 3 WHERE review_id = 1 AND criterion_key = 'care'")
        after_change = render()[-1]

    def line(name: str, seconds: float, target: float | None = None) -> str:
        verdict = "" if target is None else f"   (target <= {target} s: {'met' if seconds <= target else 'MISSED'})"
        return f"{name:<52}{seconds:6.2f} s   ratio {seconds / baseline:5.1f}{verdict}"

    print(f"{args.calls} reviewed calls, 7 charts; baseline (read every review's scores): {baseline:.2f} s")
    print(f"first scoring of every review (once per workspace): {first_refresh:.2f} s")
    print("Dashboard opened (the calls read from the workspace):")
    for name, value in zip(("read the calls", "+ analytics", "+ build the figures"), opened, strict=False):
        print("  " + line(name, value))
    print("  " + line("+ draw every figure: the whole dashboard", opened[3], 0.5))
    print("Dashboard after a filter change (the calls already read, as the app keeps them):")
    print("  " + line("analytics, figures and every figure drawn", refiltered[3], 0.5))
    print("  " + line("of which drawing", refiltered[3] - refiltered[2]))
    print(line("Compare view: two teams on the loaded calls", compare_loaded, 0.3))
    print(line("empathy-audit compare (reads the calls first)", compare_cli))
    print(line("after one score changed (dashboard opened again)", after_change))


if __name__ == "__main__":
    main()
