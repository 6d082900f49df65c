"""One score everywhere: for any rubric and any reviews, the Library, the audit table, `calls list --json`
and the report's calls.csv show the same number, the mean of score_summary over each reviewer's latest
submitted review."""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from review_helpers import score

from empathy_audit.analytics.report import write_report
from empathy_audit.importing.importer import ImportOptions, import_paths
from empathy_audit.scoring.rubric import Rubric, score_summary
from empathy_audit.store import open_workspace
from empathy_audit.store.audit import call_scores, refresh_call_audit
from empathy_audit.store.library import LibraryFilter, library_rows
from empathy_audit.store.rubrics import save_rubric

AUDIO = Path(__file__).resolve().parents[1] / "fixtures" / "audio"


def rubric_toml(max_score: int, criteria: list[tuple[float, bool, bool]]) -> str:
    lines = [f'name = "Generated"\nmax_score = {max_score}\n']
    for i, (weight, critical, allow_na) in enumerate(criteria):
        levels = ", ".join(f'"level {n}"' for n in range(max_score + 1))
        lines.append(
            f'[[criteria]]\nkey = "c{i}"\nlabel = "C{i}"\nquestion = "?"\nweight = {weight}\n'
            f"critical = {str(critical).lower()}\nallow_na = {str(allow_na).lower()}\nlevels = [{levels}]\n"
        )
    return "\n".join(lines)


@st.composite
def audits(draw):
    max_score = draw(st.sampled_from([3, 4, 5]))
    criteria = draw(
        st.lists(st.tuples(st.sampled_from([0.5, 1.0, 1.5, 3.0]), st.booleans(), st.booleans()), min_size=1, max_size=4)
    )
    value = st.integers(0, max_score)
    reviews = draw(
        st.lists(
            st.tuples(
                st.sampled_from(["ana", "bob", "cy"]),
                st.lists(st.one_of(value, st.none()), min_size=len(criteria), max_size=len(criteria)),
            ),
            min_size=1,
            max_size=5,
        )
    )
    # N/A only where the rubric allows it.
    reviews = [(who, [v if v is not None or c[2] else 0 for v, c in zip(vals, criteria, strict=True)])
               for who, vals in reviews]  # fmt: skip
    return max_score, criteria, reviews


@pytest.fixture(scope="module")
def call_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("one-score") / "ws"
    with open_workspace(root) as ws:
        import_paths(ws, [AUDIO / "mono_16k.wav"], ImportOptions())
        ws.db.execute("UPDATE calls SET call_start = '2026-08-05 09:30', team = 'Blue', agent = 'Ana'")
        ws.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return root


def expected(rubric: Rubric, reviews: list[tuple[str, list[int | None]]]) -> tuple[float | None, int]:
    """The mean over each reviewer's latest review that has a score (all N/A has none), and how many."""
    latest = {who: values for who, values in reviews}  # later revisions replace earlier ones
    means = [
        m
        for values in latest.values()
        if (m := score_summary(rubric, {c.key: v for c, v in zip(rubric.criteria, values, strict=True)}).mean)
        is not None
    ]
    return (sum(means) / len(means) if means else None), len(means)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(audit=audits())
def test_library_audit_table_cli_and_report_agree(call_template: Path, audit) -> None:
    import shutil

    max_score, criteria, reviews = audit
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "ws"
        shutil.copytree(call_template, root)
        with open_workspace(root) as ws:
            rubric = save_rubric(ws.db, rubric_toml(max_score, criteria))
            for who, values in reviews:
                score(ws, 1, who, values)
            want, reviewers = expected(rubric, reviews)
            (row,) = library_rows(ws.db, LibraryFilter())
            refresh_call_audit(ws.db)
            audit_row = ws.db.execute("SELECT score FROM call_audit WHERE call_id = 1").fetchone()
            scores = call_scores(ws.db)
            written = write_report(ws.db, "2026Q3", Path(tmp) / "report", formats=("csv",))
        calls_csv = next(p for p in written.files if p.name.endswith("-calls.csv"))
        csv_rows = list(csv.DictReader(calls_csv.open(encoding="utf-8-sig")))
        if want is None:  # every criterion N/A: no score anywhere
            assert row["score"] is None and audit_row is None and 1 not in scores and csv_rows == []
            return
        assert row["score"] == pytest.approx(want) and row["reviewers"] == reviewers
        assert audit_row[0] == pytest.approx(want)
        assert scores[1] == (pytest.approx(want), reviewers)
        (line,) = csv_rows
        assert float(line["score"]) == pytest.approx(want, abs=1e-4) and int(line["reviewers"]) == reviewers
