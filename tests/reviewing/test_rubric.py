"""Rubric files: validation with line numbers, versioning, and the scoring rules."""

from __future__ import annotations

import pytest

from empathy_audit.scoring.rubric import DEFAULT_RUBRIC, RubricError, parse_rubric, score_summary
from empathy_audit.store.rubrics import active_rubric, rubric_by_id, save_rubric

WEIGHTED = """
name = "Weighted"
max_score = 3

[[criteria]]
key = "ack"
label = "Acknowledgment"
weight = 2.0
levels = ["a", "b", "c", "d"]

[[criteria]]
key = "inv"
label = "Investigation"
levels = ["a", "b", "c", "d"]

[[criteria]]
key = "compliance"
label = "Identity check"
critical = true
allow_na = false
levels = ["a", "b", "c", "d"]
"""


def test_default_rubric_has_the_three_levels() -> None:
    rubric = parse_rubric(DEFAULT_RUBRIC.read_text())
    assert [c.key for c in rubric.criteria] == ["acknowledgment", "investigation", "care"]
    assert all(len(c.levels) == 4 for c in rubric.criteria)
    assert "Abusive customer" in rubric.context_flags


def test_weighted_mean_and_na_is_left_out() -> None:
    rubric = parse_rubric(WEIGHTED)
    # (2*3 + 1*1 + 1*2) / 4 = 2.25
    assert score_summary(rubric, {"ack": 3, "inv": 1, "compliance": 2}).mean == 2.25
    # N/A leaves investigation out, never counted as 0: (2*3 + 2) / 3 = 2.6667
    summary = score_summary(rubric, {"ack": 3, "inv": None, "compliance": 2})
    assert summary.mean == pytest.approx(2.6667, abs=1e-4) and summary.not_applicable == 1
    assert summary.percent == pytest.approx(88.89, abs=0.01)


def test_critical_zero_fails_the_call() -> None:
    summary = score_summary(parse_rubric(WEIGHTED), {"ack": 3, "inv": 3, "compliance": 0})
    assert (summary.mean, summary.percent, summary.failed_critical) == (0.0, 0.0, ("compliance",))


@pytest.mark.parametrize(
    ("broken", "line", "words"),
    [
        (WEIGHTED.replace("weight = 2.0", "weight = -1"), 8, "'weight' must be a number above 0"),
        (
            WEIGHTED.replace(
                'levels = ["a", "b", "c", "d"]\n\n[[criteria]]\nkey = "compliance"',
                'levels = ["a", "b"]\n\n[[criteria]]\nkey = "compliance"',
            ),
            14,
            "must list 4 anchor texts",
        ),
        (WEIGHTED.replace('key = "inv"', 'key = "ack"'), 12, "used twice"),
        (WEIGHTED.replace("critical = true", 'critical = "yes"'), 19, "'critical' must be true or false"),
        (WEIGHTED.replace('name = "Weighted"', 'name = ""'), 2, "'name'"),
    ],
)
def test_invalid_files_name_the_line_and_field(broken: str, line: int, words: str) -> None:
    with pytest.raises(RubricError) as info:
        parse_rubric(broken, "mine.toml")
    assert f"mine.toml, line {line}:" in str(info.value) and words in str(info.value)


def test_toml_syntax_errors_keep_tomllibs_position() -> None:
    with pytest.raises(RubricError, match=r"line 2"):
        parse_rubric('name = "x"\nmax_score = = 3\n', "bad.toml")


def test_editing_creates_a_new_version_and_old_reviews_keep_theirs(workspace) -> None:
    first = active_rubric(workspace.db)
    assert first.version == 1
    again = save_rubric(workspace.db, DEFAULT_RUBRIC.read_text())
    assert again.id == first.id  # unchanged text: same version
    edited = save_rubric(workspace.db, DEFAULT_RUBRIC.read_text().replace("weight = 1.0", "weight = 2.0", 1))
    assert edited.version == 2 and active_rubric(workspace.db).id == edited.id
    assert rubric_by_id(workspace.db, first.id).criteria[0].weight == 1.0
