"""Audit analytics on a small workspace, every figure worked out by hand in the comments."""

from __future__ import annotations

import pytest
from seed import Seeded, seed

from empathy_audit.analytics.audit import AuditFilter, build_report

CALLS = [
    # score 3.0, CSAT high, stayed
    Seeded("Ana", "Blue", "2026-07-01T10:00:00", (3, 3, 3), csat=1.0, churned=False, customer="A"),
    # score 2.0, CSAT high, churned: a quiet churner
    Seeded("Ana", "Blue", "2026-07-02T10:00:00", (2, 2, 2), csat=1.0, churned=True, customer="B"),
    # score 1.0, CSAT low, churned; the same customer calls again 2 days later: a repeat contact
    Seeded("Ben", "Blue", "2026-07-01T12:00:00", (1, 1, 1), csat=0.0, churned=True, customer="C"),
    # investigation N/A: score (0 + 0) / 2 = 0.0, CSAT 0.25, stayed
    Seeded("Ben", "Blue", "2026-07-03T12:00:00", (0, None, 0), csat=0.25, churned=False, customer="C"),
    # empathy-first did not apply: kept apart from every figure
    Seeded("Ben", "Blue", "2026-07-04T12:00:00", (3, 3, 3), csat=0.0, churned=True, flag="Abusive customer"),
]


@pytest.fixture
def report(workspace):
    seed(workspace.db, CALLS)
    return build_report(workspace.db)


def test_scores_and_flagged_calls(report) -> None:
    assert [f.score for f in report.facts] == [3.0, 1.0, 2.0, 0.0]  # in call-start order
    assert len(report.flagged) == 1 and report.flagged[0].flagged


def test_quarter_summary_by_hand(report) -> None:
    (q3,) = report.by_quarter
    assert (q3.group, q3.n) == ("2026Q3", 4)
    assert q3.score.mean == 1.5
    # acknowledgment 3, 2, 1, 0: mean 1.5, sd sqrt(5/3) = 1.2910, t(3) = 3.182 -> half-width 2.0540
    ack = q3.criteria["acknowledgment"]
    assert (ack.mean, ack.low, ack.high) == (1.5, pytest.approx(-0.554, abs=1e-3), pytest.approx(3.554, abs=1e-3))
    # investigation 3, 2, 1 (N/A left out): mean 2.0, half-width 4.303 / sqrt(3) = 2.4843
    inv = q3.criteria["investigation"]
    assert (inv.n, inv.mean, inv.high) == (3, 2.0, pytest.approx(4.4843, abs=1e-4))
    assert q3.csat_mean == pytest.approx((1 + 1 + 0 + 0.25) / 4)
    # Repeat contacts: only C's first call can tell (C called again 2 days later); the others have no customer
    # or are too recent to know (the workspace's newest call is less than 7 days after them).
    assert q3.churn_rate == 0.5 and q3.repeat_rate == 1.0


def test_relationships_by_hand(report) -> None:
    # Ranks of scores (3, 2, 1, 0) and of CSAT (1, 1, 0, 0.25) give rho = 3.5 / sqrt(22.5) = 0.73786;
    # with 2 degrees of freedom the two-sided p-value is exactly 1 - rho = 0.26214.
    c = report.correlation
    assert (c.n, c.rho, c.p_value) == (4, pytest.approx(0.737865, abs=1e-6), pytest.approx(0.262135, abs=1e-6))
    assert [(b.band, b.n, b.churned) for b in report.bands] == [
        ("0–1 absent", 1, 0),
        ("1–2 scripted", 1, 1),
        ("2–2.5 genuine", 1, 1),
        ("2.5–3 exemplary", 1, 0),
    ]
    cells = {(q.csat, q.audit): (q.n, q.churned, q.churn_rate) for q in report.quadrant}
    assert cells == {
        ("high", "high"): (2, 1, 0.5),
        ("high", "low"): (0, 0, None),
        ("low", "high"): (0, 0, None),
        ("low", "low"): (2, 1, 0.5),
    }
    assert [f.score for f in report.quiet_churners] == [2.0]


def test_too_little_data_is_said_plainly(report) -> None:
    assert not report.enough
    assert report.too_little(4) == "Too little data: 4 reviewed calls (at least 10 needed)."


def test_filters_by_team_agent_and_quarter(workspace) -> None:
    seed(workspace.db, [*CALLS, Seeded("Cy", "Red", "2026-10-05T09:00:00", (2, 2, 2))])
    assert len(build_report(workspace.db, AuditFilter(team="Red")).facts) == 1
    assert len(build_report(workspace.db, AuditFilter(agent="Ana")).facts) == 2
    assert len(build_report(workspace.db, AuditFilter(quarter_from="2026Q4")).facts) == 1
    assert len(build_report(workspace.db, AuditFilter(quarter_to="2026Q3")).facts) == 4


def test_cached_scores_follow_every_review_change(workspace) -> None:
    from empathy_audit.store.reviews import get_review, revise, set_score, submit
    from empathy_audit.store.rubrics import active_rubric

    ids = seed(workspace.db, CALLS[:2])
    assert [f.score for f in build_report(workspace.db).facts] == [3.0, 2.0]
    rubric = active_rubric(workspace.db)
    draft = revise(workspace.db, get_review(workspace.db, ids[1]))
    set_score(workspace.db, draft, rubric, "care", 0)
    assert [f.score for f in build_report(workspace.db).facts] == [3.0, 2.0]  # a draft does not count yet
    submit(workspace.db, draft, rubric)
    assert [f.score for f in build_report(workspace.db).facts] == [3.0, pytest.approx(4 / 3, abs=1e-4)]
    workspace.db.execute("DELETE FROM calls WHERE id = ?", [ids[0]])
    assert [f.call_id for f in build_report(workspace.db).facts] == [ids[1]]


def test_a_later_call_from_the_customer_makes_a_repeat_contact(workspace) -> None:
    from empathy_audit.store import write_transaction

    seed(workspace.db, [Seeded("Ana", "Blue", "2026-07-01T10:00:00", (2, 2, 2), customer="Z")])
    assert build_report(workspace.db).facts[0].repeat_contact is None  # too recent to tell: no call after it
    with write_transaction(workspace.db):  # an unreviewed call from the same customer three days later
        workspace.db.execute(
            "INSERT INTO calls (sha256, original_name, stored_path, size_bytes, duration_s, sample_rate, channels, "
            "codec, customer_id, call_start, imported_at, updated_at) VALUES ('zz', 'z.wav', 'x', 1, 60, 8000, 1, "
            "'pcm', 'Z', '2026-07-04T09:00:00', 'n', 'n')"
        )
    assert build_report(workspace.db).facts[0].repeat_contact is True


def test_a_workspace_without_reviews_gives_an_empty_report(workspace) -> None:
    audit = build_report(workspace.db, AuditFilter())
    assert len(audit.table.call_id) == 0 and audit.by_quarter == [] and audit.quiet_churners == []
