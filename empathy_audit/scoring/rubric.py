"""Rubrics as data: a readable TOML file validated with line-precise messages, and the one score formula
(weights, critical criteria, N/A). Pure: storing rubric versions lives in store/rubrics.py."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field

from empathy_audit.paths import resource_path

DEFAULT_RUBRIC = resource_path("rubrics", "default.toml")


class RubricError(ValueError):
    """An invalid rubric file; the message names the line and the field."""


@dataclass(frozen=True)
class Criterion:
    key: str
    label: str
    levels: tuple[str, ...]  # anchor text for 0..max_score
    question: str = ""
    weight: float = 1.0
    critical: bool = False
    allow_na: bool = True


@dataclass(frozen=True)
class Rubric:
    name: str
    criteria: tuple[Criterion, ...]
    max_score: int = 3
    description: str = ""
    context_flags: tuple[str, ...] = ()
    emotional_contexts: tuple[str, ...] = ()
    id: int | None = None
    version: int | None = None
    source: str = field(default="", compare=False, repr=False)

    def criterion(self, key: str) -> Criterion:
        for c in self.criteria:
            if c.key == key:
                return c
        raise KeyError(key)


@dataclass(frozen=True)
class ScoreSummary:
    mean: float | None  # weighted mean of scored criteria, 0..max_score (None: nothing scored)
    percent: float | None  # the same on 0..100
    failed_critical: tuple[str, ...]  # critical criteria scored 0: the call fails
    scored: int
    not_applicable: int


MAX_WEIGHT = 1000


def _line_of(text: str, criterion_index: int | None, field_name: str) -> int:
    """Best line number for a field: inside the n-th [[criteria]] block, or at top level."""
    lines = text.splitlines()
    start, end = 0, len(lines)
    if criterion_index is not None:
        headers = [i for i, line in enumerate(lines) if line.strip() == "[[criteria]]"]
        if criterion_index < len(headers):
            start = headers[criterion_index]
            end = headers[criterion_index + 1] if criterion_index + 1 < len(headers) else len(lines)
    pattern = re.compile(rf"^\s*{re.escape(field_name)}\s*=")
    for i in range(start, end):
        if pattern.match(lines[i]):
            return i + 1
    return start + 1


def parse_rubric(text: str, source_name: str = "rubric") -> Rubric:
    """Validate and parse rubric TOML text."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RubricError(f"{source_name}: not valid TOML: {exc}") from exc

    def fail(message: str, index: int | None, name: str) -> RubricError:
        return RubricError(f"{source_name}, line {_line_of(text, index, name)}: {message}")

    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise fail("'name' must be a non-empty text", None, "name")
    max_score = data.get("max_score", 3)
    if not isinstance(max_score, int) or not 1 <= max_score <= 10:
        raise fail("'max_score' must be a whole number from 1 to 10", None, "max_score")
    raw_criteria = data.get("criteria")
    if not isinstance(raw_criteria, list) or not raw_criteria:
        raise RubricError(f"{source_name}: needs at least one [[criteria]] block")
    criteria: list[Criterion] = []
    seen: set[str] = set()
    for i, item in enumerate(raw_criteria):
        if not isinstance(item, dict):
            raise fail("each criterion must be a [[criteria]] block with key, label and levels", None, "criteria")
        key = item.get("key")
        if not isinstance(key, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", key):
            raise fail("criterion 'key' must be lower-case letters, digits or _ (e.g. 'acknowledgment')", i, "key")
        if key in seen:
            raise fail(f"criterion key '{key}' is used twice", i, "key")
        seen.add(key)
        label = item.get("label")
        if not isinstance(label, str) or not label.strip():
            raise fail(f"criterion '{key}' needs a 'label'", i, "label")
        levels = item.get("levels")
        if not isinstance(levels, list) or len(levels) != max_score + 1 or not all(isinstance(x, str) for x in levels):
            raise fail(
                f"criterion '{key}': 'levels' must list {max_score + 1} anchor texts (for scores 0 to {max_score})",
                i,
                "levels",
            )
        weight = item.get("weight", 1.0)
        if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not 0 < weight <= MAX_WEIGHT:
            # inf or nan would make every score NaN and stop every report
            raise fail(f"criterion '{key}': 'weight' must be a number above 0 and at most {MAX_WEIGHT}", i, "weight")
        for flag in ("critical", "allow_na"):
            if flag in item and not isinstance(item[flag], bool):
                raise fail(f"criterion '{key}': '{flag}' must be true or false", i, flag)
        criteria.append(
            Criterion(
                key=key,
                label=label.strip(),
                levels=tuple(levels),
                question=str(item.get("question", "")),
                weight=float(weight),
                critical=bool(item.get("critical", False)),
                allow_na=bool(item.get("allow_na", True)),
            )
        )
    for list_name in ("context_flags", "emotional_contexts"):
        value = data.get(list_name, [])
        if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
            raise fail(f"'{list_name}' must be a list of texts", None, list_name)
    return Rubric(
        name=name.strip(),
        criteria=tuple(criteria),
        max_score=max_score,
        description=str(data.get("description", "")),
        context_flags=tuple(data.get("context_flags", [])),
        emotional_contexts=tuple(data.get("emotional_contexts", [])),
        source=text,
    )


def score_summary(rubric: Rubric, scores: dict[str, int | None]) -> ScoreSummary:
    """Weighted mean over scored criteria. N/A (None) is left out, never counted as 0.
    A critical criterion scored 0 fails the whole call (mean and percent become 0)."""
    total = weight_sum = 0.0
    scored = na = 0
    failed: list[str] = []
    for c in rubric.criteria:
        if c.key not in scores:
            continue
        value = scores[c.key]
        if value is None:
            na += 1
            continue
        scored += 1
        total += c.weight * value
        weight_sum += c.weight
        if c.critical and value == 0:
            failed.append(c.key)
    if weight_sum == 0:
        return ScoreSummary(None, None, tuple(failed), scored, na)
    mean = 0.0 if failed else total / weight_sum
    # Full precision: this is the one score formula, stored and averaged; screens round for display.
    return ScoreSummary(mean, 100 * mean / rubric.max_score, tuple(failed), scored, na)
