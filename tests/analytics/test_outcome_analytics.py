"""Repeat contacts by band, speed vs empathy and experiments (compare), against hand-worked numbers."""

from __future__ import annotations

import math

import numpy as np
import pytest
from helpers import run_cli
from seed import Seeded, seed

from empathy_audit.analytics.compare import (
    CallSet,
    CompareProblem,
    compare,
    compare_values,
)
from empathy_audit.analytics.contacts import next_contact_gaps, repeat_within
from empathy_audit.analytics.facts import load_facts
from empathy_audit.analytics.outcome_stats import repeat_contacts, speed_vs_empathy, wilson
from empathy_audit.store import write_transaction


def _extra_call(db, call_id: int, customer: str | None, start: str) -> None:
    """A call nobody reviewed: it still counts as the customer contacting again."""
    with write_transaction(db):
        db.execute(
            "INSERT INTO calls (id, sha256, original_name, stored_path, size_bytes, duration_s, sample_rate, channels, "
            "codec, customer_id, call_start, status, imported_at, updated_at) VALUES (?, ?, ?, 'x', 1, 60, 8000, 1, "
            "'pcm', ?, ?, 'new', 'n', 'n')",
            [call_id, f"{call_id:064x}", f"extra-{call_id}.wav", customer, start],
        )


def test_wilson_interval_by_hand() -> None:
    # p = 0.2, z^2/n = 0.38415: centre 0.28326, half-width 0.22658.
    rate, low, high = wilson(2, 10)
    assert (rate, round(low, 4), round(high, 4)) == (0.2, 0.0567, 0.5098)
    assert [round(x, 4) for x in wilson(0, 10)] == [0.0, 0.0, 0.2775]
    assert wilson(0, 0) == (None, None, None)


def test_next_contact_of_the_same_customer(workspace) -> None:
    db = workspace.db
    ids = seed(
        db,
        [
            Seeded("Ana", "Billing", "2026-07-01T10:00:00", (3, 3, 3), customer="C1"),
            Seeded("Ana", "Billing", "2026-07-01T20:00:00", (3, 3, 3), customer="C1"),
            Seeded("Ana", "Billing", "2026-07-05T10:00:00", (3, 3, 3), customer="C1"),
            Seeded("Ana", "Billing", "2026-07-01T10:00:00", (3, 3, 3), customer="C2"),
            Seeded("Ana", "Billing", "2026-07-01T10:00:00", (3, 3, 3), customer=None),
        ],
    )
    _extra_call(db, 100, "C2", "2026-07-08T09:00:00")  # 167 h later: within 7 days
    gaps = next_contact_gaps(db, np.array(ids))
    # C1's last call (5 July 10:00) has no later call, and the newest call (8 July 09:00) is 71 h after it.
    assert list(np.round(gaps[:4], 3)) == [10.0, 86.0, -71.0, 167.0]
    assert math.isnan(gaps[4])
    day, week = repeat_within(gaps, 24.0), repeat_within(gaps, 168.0)
    assert list(day[:4]) == [1.0, 0.0, 0.0, 0.0] and math.isnan(day[4])
    # Within 7 days: the 5 July call cannot be known yet (only 71 h seen), not "no repeat".
    assert list(week[[0, 1, 3]]) == [1.0, 1.0, 1.0] and math.isnan(week[2]) and math.isnan(week[4])


def test_repeat_contacts_per_band_with_wilson_intervals(workspace) -> None:
    db = workspace.db
    calls = [
        Seeded("Ana", "Billing", f"2026-07-{day:02d}T10:00:00", (3, 3, 3), customer=f"C{day}") for day in range(1, 11)
    ]
    calls += [
        Seeded("Bo", "Billing", f"2026-08-{day:02d}T10:00:00", (1, 1, 1), customer=f"D{day}") for day in range(1, 4)
    ]
    seed(db, calls)
    # Of the ten exemplary calls: customers C1-C3 call again 2 h later, C4-C7 three days later.
    for day in range(1, 8):
        later = f"2026-07-{day:02d}T12:00:00" if day <= 3 else f"2026-07-{day + 3:02d}T10:00:00"
        _extra_call(db, 200 + day, f"C{day}", later)
    bands = {b.band.split()[-1]: b for b in repeat_contacts(load_facts(db))}
    top = bands["exemplary"]
    assert (top.calls, top.known, top.within_day, top.within_week) == (10, 10, 3, 7)
    assert (round(top.day_rate, 2), round(top.day_low, 4), round(top.day_high, 4)) == (0.3, 0.1078, 0.6032)
    assert (round(top.week_rate, 2), round(top.week_low, 4), round(top.week_high, 4)) == (0.7, 0.3968, 0.8922)
    scripted = bands["scripted"]
    # The August calls are the newest: a week has not passed since any of them, so nothing is known yet.
    assert (scripted.calls, scripted.known, scripted.day_rate, scripted.week_rate) == (3, 0, None, None)


def test_speed_vs_empathy_in_one_sentence(workspace) -> None:
    db = workspace.db
    calls = [
        Seeded("Ana", "Billing", f"2026-07-{i + 1:02d}T10:00:00", (3, 3, 3), duration_s=100 + 10 * i, churned=i < 1)
        for i in range(10)
    ]  # median 145 s; 1 of 10 churned
    calls += [
        Seeded("Bo", "Billing", f"2026-08-{i + 1:02d}T10:00:00", (1, 1, 1), duration_s=60 + 10 * i, churned=i < 4)
        for i in range(10)
    ]  # median 105 s; 4 of 10 churned
    seed(db, calls)
    result = speed_vs_empathy(load_facts(db))
    assert (result.calls, result.high, result.high_median_s, result.other_median_s) == (20, 10, 145.0, 105.0)
    assert result.extra_s == 40.0 and (result.high_churn, result.other_churn) == (0.1, 0.4)
    assert "take a median 40 s longer than the others (145 s against 105 s)" in result.sentence
    assert "churn 10% against 40%" in result.sentence
    agents = {a.agent: (a.calls, a.median_handle_s, a.mean_score) for a in result.agents}
    assert agents == {"Ana": (10, 145.0, 3.0), "Bo": (10, 105.0, 1.0)}


def test_compare_two_teams_exactly(workspace) -> None:
    db = workspace.db
    calls = [Seeded("Ana", "Billing", "2026-07-01T10:00:00", (1, 1, 1), duration_s=60) for _ in range(10)]
    calls += [Seeded("Bo", "Support", "2026-08-01T10:00:00", (2, 2, 2), duration_s=120) for _ in range(10)]
    seed(db, calls)
    result = compare(load_facts(db), CallSet.parse("team=Billing"), CallSet.parse("team=Support"))
    assert (result.calls_a, result.calls_b) == (10, 10)
    metrics = {m.metric: m for m in result.metrics}
    handle = metrics["handle time"]
    # Only the two extreme splits of the 184,756 ways to split 20 calls in two tens differ by 60 s.
    assert handle.difference == 60.0 and handle.p_value == pytest.approx(2 / 184_756)
    assert (handle.low, handle.high) == (60.0, 60.0) and handle.method.startswith("exact permutation")
    assert handle.verdict.startswith("B's handle time is higher than A's by 60 s")
    score = metrics["audit score"]
    assert (score.mean_a, score.mean_b, score.difference) == (1.0, 2.0, 1.0)
    csat = metrics["CSAT"]
    assert csat.p_value is None and csat.verdict.startswith("Too few calls to tell: 0 in A and 0 in B")


def test_no_clear_difference_and_the_large_sample_method() -> None:
    same = np.array([1.0, 2.0] * 5)
    result = compare_values("audit score", "score", same, same.copy())
    assert result.difference == 0.0 and result.p_value == 1.0 and result.verdict.startswith("No clear difference")
    a = np.array([0.0, 1.0] * 1500)
    b = a + 0.1
    large = compare_values("CSAT", "share", a, b)
    se = math.sqrt(2 * 0.25 * 3000 / 2999 / 3000)  # Welch: both variances 0.25 * n / (n - 1)
    assert large.method.startswith("Welch") and large.low == pytest.approx(0.1 - 1.959964 * se)
    assert large.p_value == pytest.approx(math.erfc(0.1 / se / math.sqrt(2)))
    assert "higher than A's by 10.0 points" in large.verdict


def test_filters_are_read_strictly() -> None:
    parsed = CallSet.parse("team=Billing, quarter=2026q3, from=2026-07-01, to=2026-09-30, criterion=care:3")
    assert (parsed.team, parsed.quarter, parsed.date_from, parsed.date_to, parsed.criterion) == (
        "Billing", "2026Q3", "2026-07-01", "2026-09-30", ("care", 3.0),
    )  # fmt: skip
    assert CallSet.parse("").team is None
    for bad, message in [
        ("team", "KEY=VALUE"),
        ("colour=red", "unknown filter"),
        ("from=July", "YYYY-MM-DD"),
        ("criterion=care", "KEY:LEVEL"),
        ("context=maybe", "context=applies"),
    ]:
        with pytest.raises(CompareProblem, match=message):
            CallSet.parse(bad)


def test_compare_on_the_command_line(workspace) -> None:
    calls = [Seeded("Ana", "Billing", "2026-07-01T10:00:00", (1, 2, 1)) for _ in range(10)]
    calls += [Seeded("Ana", "Billing", "2026-10-01T10:00:00", (3, 3, 2)) for _ in range(10)]
    seed(workspace.db, calls)
    root = workspace.root
    result = run_cli(
        "compare", "--a", "to=2026-08-31", "--b", "from=2026-09-01", "--json", data_dir=root, check_json=True
    )
    assert result.returncode == 0, result.stderr
    metrics = {m["metric"]: m for m in result.json["metrics"]}
    assert (result.json["calls_a"], result.json["calls_b"]) == (10, 10)
    assert metrics["audit score"]["difference"] > 0 and metrics["audit score"]["p_value"] < 0.001
    text = run_cli("compare", "--a", "team=Billing", "--b", "criterion=care:2", data_dir=root)
    assert text.returncode == 0 and "audit score: A" in text.stdout
    assert "Warning: 10 calls are in both A and B" in text.stdout  # every care:2 call is a Billing call
    bad = run_cli("compare", "--a", "colour=red", "--b", "", data_dir=root)
    assert bad.returncode == 1 and "unknown filter" in bad.stderr and "nothing was compared" in bad.stderr
    missing = run_cli("compare", "--a", "criterion=warmth:3", "--b", "", data_dir=root)
    assert missing.returncode == 1 and "no criterion “warmth”" in missing.stderr


def test_a_difference_that_rounds_to_nothing_is_never_minus_zero() -> None:
    from empathy_audit.analytics.compare import Comparison, MetricResult, _signed
    from empathy_audit.analytics.outcome_tables import compare_table

    assert [_signed(-0.001, "score"), _signed(-0.0004, "share"), _signed(-0.4, "seconds")] == [
        "+0.00", "+0.0 points", "+0 s",
    ]  # fmt: skip
    assert [_signed(-0.02, "share"), _signed(-3, "seconds")] == ["−2.0 points", "−3 s"]
    metric = MetricResult("audit score", "score", 10, 10, 2.0, 1.999, -0.001, -0.2, 0.2, 0.9, "exact", "no difference")
    row = compare_table(Comparison("team=A", "team=B", 10, 10, [metric])).rows[0]
    assert row[5] == "+0.00" and row[6] == "[-0.20, +0.20]"
