"""Customer value and tier, imported handle time and survey comments: parsed, stored, and used by the
high-value churn, speed and comments analytics (numbers worked by hand)."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import run_cli
from seed import Seeded, seed

from empathy_audit.analytics.audit import build_report
from empathy_audit.analytics.comments import KEPT_APART, NOT_REVIEWED, comments_by_band
from empathy_audit.analytics.facts import AuditFilter, load_facts
from empathy_audit.analytics.high_value import high_value_churn
from empathy_audit.outcomes.fields import clean_comment, parse_handle_time, parse_value, tier_ranks
from empathy_audit.outcomes.importer import OutcomesProblem, apply_outcomes, plan_outcomes


@pytest.mark.parametrize(
    ("text", "value"),
    [("1200", 1200.0), ("$1,234.50", 1234.5), ("1.234,50 €", 1234.5), ("€ 1 234", 1234.0), ("12k", 12000.0),
     ("1.5M", 1_500_000.0), ("1234,5", 1234.5), ("GBP 99", 99.0)],
)  # fmt: skip
def test_customer_values_as_crms_write_them(text: str, value: float) -> None:
    assert parse_value(text) == value


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("245", 245.0), ("245.5", 245.5), ("4:05", 245.0), ("1:02:03", 3723.0), ("4m 5s", 245.0), ("245 s", 245.0),
     ("PT4M5S", 245.0), ("2 min", 120.0), ("1,234", 1234.0), ("1,5", 1.5)],
)  # fmt: skip
def test_handle_times_as_contact_centres_write_them(text: str, seconds: float) -> None:
    assert parse_handle_time(text) == seconds


def test_unreadable_values_say_what_is_expected() -> None:
    for text in ("lots", "inf", "nan"):
        with pytest.raises(ValueError, match="not a number"):
            parse_value(text)
    with pytest.raises(ValueError, match="m:ss"):
        parse_handle_time("soon")
    with pytest.raises(ValueError, match="over 24 hours"):
        parse_handle_time("100000")


def test_tier_orders_known_numbered_and_given() -> None:
    assert tier_ranks(["Gold", "silver", "PLATINUM", "gold"]) == {"gold": 6, "silver": 5, "platinum": 7}
    assert tier_ranks(["Tier 1", "Tier 3"]) == {"tier 1": -1, "tier 3": -3}  # tier 1 is the top
    assert tier_ranks(["Hot", "Cold"], ["Hot", "Warm", "Cold"]) == {"hot": 3, "cold": 1}
    with pytest.raises(ValueError, match='--tier-order "cold,hot"'):
        tier_ranks(["Hot", "Cold"])


def test_comments_are_kept_readable() -> None:
    assert clean_comment("  Great\r\n   help,\tthanks\x00 ") == "Great help, thanks"
    assert len(clean_comment("x" * 10_000)) == 4000


def _import(db, tmp_path: Path, text: str, **kwargs) -> None:
    path = tmp_path / "outcomes.csv"
    path.write_text(text)
    plan = plan_outcomes(db, path, **kwargs)
    assert not plan.problems, plan.problems
    apply_outcomes(db, plan)


def test_import_stores_value_tier_handle_time_and_comment(workspace, tmp_path: Path) -> None:
    db = workspace.db
    seed(db, [Seeded("Ana", "Blue", "2026-07-01T10:00:00", (2, 2, 2)) for _ in range(2)])
    _import(
        db, tmp_path,
        'Call ID,CSAT,ARR,Tier,AHT,Verbatim\nEXT-1,5,"$12,000",Gold,4:05,"Sam was kind,\nand quick"\n'
        "EXT-2,2,800,Bronze,95,\n",
    )  # fmt: skip
    rows = db.execute(
        "SELECT call_id, customer_value, customer_tier, tier_rank, handle_s, comment FROM outcomes ORDER BY call_id"
    ).fetchall()
    assert rows == [(1, 12000.0, "Gold", 6, 245.0, "Sam was kind, and quick"), (2, 800.0, "Bronze", 4, 95.0, None)]
    # A later export with only comments leaves the values as they were.
    _import(db, tmp_path, "call_id,comment\nEXT-2,Waited too long\n")
    assert db.execute("SELECT customer_value, comment FROM outcomes WHERE call_id = 2").fetchone() == (
        800.0,
        "Waited too long",
    )
    table = load_facts(db)
    assert list(table.handle_s) == [245.0, 95.0] and list(table.handle_imported) == [True, True]
    assert table.value_kind == "value" and list(table.value) == [12000.0, 800.0]


def test_a_guessed_segment_column_without_an_order_does_not_stop_a_csat_import(workspace, tmp_path: Path) -> None:
    seed(workspace.db, [Seeded("Ana", "Blue", "2026-07-01T10:00:00", (2, 2, 2))])
    path = tmp_path / "o.csv"
    path.write_text("call_id,csat,segment\nEXT-1,4,SMB\n")
    plan = plan_outcomes(workspace.db, path)
    assert plan.rows and plan.mapping["tier"] is None and "not used as the customer tier" in plan.notes[0]


def test_unknown_tier_order_refuses_the_file_with_the_fix(workspace, tmp_path: Path) -> None:
    seed(workspace.db, [Seeded("Ana", "Blue", "2026-07-01T10:00:00", (2, 2, 2))])
    path = tmp_path / "o.csv"
    path.write_text("call_id,tier\nEXT-1,Hot\n")
    with pytest.raises(OutcomesProblem, match="--tier-order"):
        plan_outcomes(workspace.db, path, overrides={"tier": "tier"})  # asked for: the file is refused
    with pytest.raises(OutcomesProblem, match=r"no outcome column left.*--tier-order"):
        plan_outcomes(workspace.db, path)  # guessed, and nothing else to import: refused, saying why
    assert plan_outcomes(workspace.db, path, tier_order=["Hot", "Cold"]).rows[0].tier_rank == 2


def test_high_value_churn_by_hand(workspace, tmp_path: Path) -> None:
    db = workspace.db
    # 40 calls: values 1..40. The top quartile is value 31 or more (10 calls, all exemplary): 3 churned.
    # The 30 others: 10 exemplary (2 churned), 20 scripted (10 churned).
    calls = [Seeded("Ana", "Blue", "2026-07-01T10:00:00", (3, 3, 3), churned=i < 3) for i in range(10)]
    calls += [Seeded("Ana", "Blue", "2026-07-01T10:00:00", (3, 3, 3), churned=i < 2) for i in range(10)]
    calls += [Seeded("Bo", "Blue", "2026-07-01T10:00:00", (1, 1, 1), churned=i < 10) for i in range(20)]
    ids = seed(db, calls)
    values = {ids[i]: 31 + i for i in range(10)} | {ids[10 + i]: 21 + i for i in range(10)}
    values |= {ids[20 + i]: 1 + i for i in range(20)}
    _import(db, tmp_path, "call_id,customer_value\n" + "".join(f"EXT-{c},{v}\n" for c, v in values.items()))
    result = high_value_churn(load_facts(db))
    assert (result.threshold, result.known, result.high) == (31.0, 40, 10)
    assert result.threshold_text.startswith("customer value 31 or more (25% of the 40 calls")
    bands = {b.band.split()[-1]: b for b in result.bands}
    top = bands["exemplary"]
    assert (top.high_n, top.high_churned, top.rate) == (10, 3, 0.3)
    assert (round(top.low, 4), round(top.high, 4)) == (0.1078, 0.6032)  # Wilson, as in the repeat-contact test
    assert (top.other_n, top.other_rate) == (10, 0.2)
    assert (bands["scripted"].high_n, bands["scripted"].rate, bands["scripted"].other_rate) == (0, None, 0.5)
    # A threshold named in the view: value 21 or more (20 calls).
    named = high_value_churn(load_facts(db), min_value=21)
    assert named.high == 20 and named.bands[3].rate == 0.25
    report = build_report(db)
    assert report.high_value.high == 10


def test_high_value_by_tier_names_the_tier(workspace, tmp_path: Path) -> None:
    db = workspace.db
    ids = seed(db, [Seeded("Ana", "Blue", "2026-07-01T10:00:00", (3, 3, 3), churned=i % 2 == 0) for i in range(12)])
    tiers = ["Gold"] * 4 + ["Silver"] * 4 + ["Bronze"] * 4
    _import(db, tmp_path, "call_id,tier\n" + "".join(f"EXT-{c},{t}\n" for c, t in zip(ids, tiers, strict=True)))
    result = build_report(db).high_value
    assert result.threshold_text.startswith("tier Gold or above (33% of the 12 calls")
    assert result.high == 4 and result.message  # 4 high-value calls: too few for a rate


def test_comments_listed_by_band_and_searched(workspace, tmp_path: Path) -> None:
    db = workspace.db
    ids = seed(
        db,
        [Seeded("Ana", "Blue", "2026-07-01T10:00:00", (3, 3, 3)), Seeded("Bo", "Red", "2026-07-02T10:00:00", (1, 1, 1)),
         Seeded("Bo", "Red", "2026-07-03T10:00:00", (1, 1, 1), flag="Abusive customer")],
    )  # fmt: skip
    with db.conn:  # a call nobody reviewed yet
        db.execute(
            "INSERT INTO calls (id, sha256, original_name, stored_path, size_bytes, duration_s, sample_rate, channels, "
            "codec, external_id, imported_at, updated_at) VALUES (9, 'n9', 'new.wav', 'x', 1, 60, 8000, 1, 'pcm', "
            "'EXT-9', 'n', 'n')"
        )
    _import(
        db, tmp_path,
        f"call_id,comment\nEXT-{ids[0]},She really listened\nEXT-{ids[1]},Felt like a script. Call me on 07700 900123\n"
        f"EXT-{ids[2]},Rude agent\nEXT-9,Still waiting\n",
    )  # fmt: skip
    facts = load_facts(db)
    rows = comments_by_band(db, facts)
    assert [(r.call_id, r.band if r.band_order > 3 else r.band.split()[-1]) for r in rows] == [
        (ids[1], "scripted"), (ids[0], "exemplary"), (ids[2], KEPT_APART), (9, NOT_REVIEWED),
    ]  # fmt: skip
    assert [r.call_id for r in comments_by_band(db, facts, search="SCRIPT call")] == [ids[1]]
    assert [r.call_id for r in comments_by_band(db, facts, band="exemplary")] == [ids[0]]
    assert [r.call_id for r in comments_by_band(db, facts, flt=AuditFilter(team="Blue"))] == [ids[0]]
    assert len(comments_by_band(db, facts, flt=AuditFilter())) == 4  # "All" everywhere: unreviewed calls too
    assert "07700" not in rows[0].redacted() and "script" in rows[0].redacted()
    proc = run_cli("comments", "--search", "script", "--redact", "--json", data_dir=workspace.root, check_json=True)
    assert proc.returncode == 0 and [r["call_id"] for r in proc.json] == [ids[1]]
    assert "[redacted]" in proc.json[0]["comment"]


def test_report_carries_high_value_churn_comments_and_a_comparison(workspace, tmp_path: Path) -> None:
    import csv
    import re

    db = workspace.db
    calls = [Seeded("Ana", "Blue", f"2026-07-{1 + i % 28:02d}T10:00:00", (3, 3, 3), churned=i < 4) for i in range(20)]
    calls += [Seeded("Bo", "Red", f"2026-08-{1 + i % 28:02d}T10:00:00", (1, 1, 1), churned=i < 12) for i in range(20)]
    ids = seed(db, calls)
    lines = "".join(
        f"EXT-{c},{1000 + i * 10},{'=cmd|calc' if i == 0 else f'Call me on 07700 90012{i % 10}, thanks'}\n"
        for i, c in enumerate(ids)
    )
    _import(db, tmp_path, "call_id,customer_value,comment\n" + lines)
    out = tmp_path / "report"
    proc = run_cli(
        "report", "--quarter", "2026Q3", "--out", str(out), "--high-value-top", "50", "--compare-a", "team=Red",
        "--compare-b", "team=Blue", "--format", "pdf,csv", data_dir=workspace.root,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    with (out / "empathy-audit-2026Q3-high_value_churn.csv").open(encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    by_band = {row[0].split()[-1]: row for row in rows[1:]}
    # Top half by value: the 20 Red calls (values 1200..1390), 12 of them churned; the Blue ones are the rest.
    assert by_band["scripted"][1:4] == ["20", "12", "60%"] and by_band["exemplary"][5:] == ["20", "20%"]
    with (out / "empathy-audit-2026Q3-comments.csv").open(encoding="utf-8-sig") as f:
        comments = list(csv.reader(f))
    assert len(comments) == 41 and comments[1][0].endswith("scripted")  # lowest band first
    assert not any("07700" in row[8] for row in comments[1:])  # personal data hidden in the export
    assert any(row[8] == "'=cmd|calc" for row in comments[1:])  # formula-safe
    with (out / "empathy-audit-2026Q3-compare.csv").open(encoding="utf-8-sig") as f:
        compared = {row[0]: row for row in csv.reader(f)}
    assert compared["churn rate"][1:5] == ["20", "60.0%", "20", "20.0%"]
    assert compared["audit score"][5] == "+2.00" and compared["churn rate"][5] == "-40.0%"
    assert compared["churn rate"][6].startswith("[-") and "lower" in compared["churn rate"][9]
    pdf = (out / "empathy-audit-2026Q3.pdf").read_bytes()
    # cover; trend, churn by band, speed and high-value churn (no CSAT or customer ids for the other three);
    # summary, comments, experiment, methods
    assert re.findall(rb"/Count (\d+)", pdf) == [b"9"]
