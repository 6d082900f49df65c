"""What a pack's JSON must be, file by file: types, ranges and times, checked before anything is written."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from empathy_audit.packs.format import Pack, PackProblem

SHA = re.compile(r"^[0-9a-f]{64}$")
CLOCK_SKEW = timedelta(hours=1)  # laptops' clocks differ a little; a review "made" later than this is refused
REVIEW_KEYS = {"uid", "version_key", "reviewer", "call_sha256", "rubric", "scores", "created_at", "submitted_at"}


def check_structure(pack: Pack) -> tuple[list[dict], list[dict], list[dict], dict | None]:
    name = pack.path.name
    rubrics, calls, reviews = pack.json("rubrics.json", []), pack.json("calls.json", []), pack.json("reviews.json", [])
    calibration = pack.json("calibration.json")
    if not all(isinstance(x, list) for x in (rubrics, calls, reviews)):
        raise PackProblem(f"{name}: rubrics.json, calls.json and reviews.json must each hold a list")
    for i, rubric in enumerate(rubrics, 1):
        problem = rubric_entry_problem(rubric)
        if problem:
            raise PackProblem(f"{name}: rubric {i} in rubrics.json {problem}; the pack is refused")
    for call in calls:
        if not isinstance(call, dict) or not SHA.match(str(call.get("sha256", ""))):
            raise PackProblem(f"{name}: calls.json has a call without a valid sha256")
        problem = call_entry_problem(call)
        if problem:
            raise PackProblem(f"{name}: call {call['sha256'][:12]} in calls.json {problem}; the pack is refused")
        if call.get("audio") and not pack.has(call["audio"]):
            raise PackProblem(f"{name}: calls.json names {call['audio']}, which is not in the pack")
        if call.get("audio") and pack.audio.get(call["audio"]) != call["sha256"]:
            # A recording is known by its content hash: other bytes under a real recording's hash would
            # block that recording from ever being imported.
            raise PackProblem(f"{name}: {call['audio']} is not the recording calls.json says it is (sha256 differs)")
    known_shas = {c["sha256"] for c in calls}
    for i, review in enumerate(reviews, 1):
        missing = REVIEW_KEYS - set(review) if isinstance(review, dict) else REVIEW_KEYS
        if missing:
            raise PackProblem(f"{name}: review {i} in reviews.json lacks {', '.join(sorted(missing))}")
        if review["call_sha256"] not in known_shas:
            raise PackProblem(f"{name}: review {i} is of a call calls.json does not describe")
        problem = review_problem(review)
        if problem:
            raise PackProblem(f"{name}: review {i} in reviews.json {problem}; the pack is refused")
    if pack.kind == "calibration" and not isinstance(calibration, dict):
        raise PackProblem(f"{name}: a calibration pack needs calibration.json")
    if calibration is not None and (
        not isinstance(calibration, dict)
        or not all(isinstance(calibration.get(k), str) for k in ("uid", "name", "lead"))
        or not isinstance(calibration.get("calls"), list)
        or not all(isinstance(c, str) and SHA.match(c) for c in calibration["calls"])
        or not isinstance(calibration.get("rubric"), dict)
    ):
        raise PackProblem(f"{name}: calibration.json is not a calibration set (uid, name, lead, rubric and calls)")
    return rubrics, calls, reviews, calibration


def _time(value: Any) -> datetime | None:
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


CALL_TEXT = ("original_name", "agent", "team", "customer_id", "external_id", "call_start", "queue", "codec",
             "container", "agent_channel", "audio")  # fmt: skip
CALL_NUMBERS = {"duration_s": 1e7, "sample_rate": 1e6, "channels": 64, "size_bytes": 1e13}


def call_entry_problem(call: dict) -> str | None:
    """What is wrong with one entry of calls.json (type and range), or None."""
    for key in CALL_TEXT:
        if call.get(key) is not None and not isinstance(call[key], str):
            return f"has a {key} that is not text"
        if isinstance(call.get(key), str) and len(call[key]) > 4096:
            return f"has a {key} longer than any real one"
    for key, limit in CALL_NUMBERS.items():
        value = call.get(key)
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= limit
        ):
            return f"has an impossible {key} ({value!r})"
    return None


def rubric_entry_problem(entry: Any) -> str | None:
    """What is wrong with one entry of rubrics.json (type and range), or None."""
    if not isinstance(entry, dict):
        return "is not a rubric"
    if not isinstance(entry.get("name"), str) or not entry["name"].strip():
        return "has no name"
    if not isinstance(entry.get("version"), int) or isinstance(entry.get("version"), bool):
        return "has no version number"
    max_score = entry.get("max_score", 3)
    if not isinstance(max_score, int) or isinstance(max_score, bool) or not 1 <= max_score <= 10:
        return "has a scale that is not a whole number from 1 to 10"
    criteria = entry.get("criteria")
    if not isinstance(criteria, list) or not criteria or not all(isinstance(c, str) for c in criteria):
        return "lists no criteria"
    if entry.get("source_toml") is not None and not isinstance(entry["source_toml"], str):
        return "has a rubric text that is not text"
    return None


def review_problem(review: dict) -> str | None:
    """What is wrong with one review from a pack (type, range, time), or None."""
    for key in ("uid", "version_key", "reviewer"):
        if not isinstance(review.get(key), str) or not review[key].strip():
            return f"has no {key}"
    if not isinstance(review.get("rubric"), dict):
        return "names no rubric"
    scores = review.get("scores")
    if not isinstance(scores, dict) or not all(
        v is None or (isinstance(v, int) and not isinstance(v, bool)) for v in scores.values()
    ):
        return "has scores that are not whole numbers"
    comments = review.get("comments")
    if comments is not None and not (isinstance(comments, dict) and all(isinstance(v, str) for v in comments.values())):
        return "has comments that are not text"
    for key in ("overall_note", "data_missed", "emotional_context", "context_flag", "calibration_uid"):
        if review.get(key) is not None and not isinstance(review[key], str):
            return f"has a {key} that is not text"
    if review.get("rubric") is not None and not isinstance(review["rubric"].get("version"), int):
        return "names its rubric without a version number"
    evidence = review.get("evidence") or []
    if not isinstance(evidence, list):
        return "has evidence that is not a list of moments"
    for e in evidence:
        if not isinstance(e, dict) or not all(
            isinstance(e.get(k), int | float) and not isinstance(e.get(k), bool) and 0 <= e[k] < 1e6
            for k in ("start_s", "end_s")
        ):
            return "has an evidence moment at an impossible time"
        if not isinstance(e.get("criterion_key"), str) or not isinstance(e.get("note"), str | None):
            return "has an evidence moment without its criterion"
    latest = datetime.now(UTC) + CLOCK_SKEW
    for key in ("created_at", "submitted_at"):
        moment = _time(review.get(key))
        if moment is None:
            return f"has a {key} that is not a date and time ({review.get(key)!r})"
        if moment > latest:
            return f"was {key.split('_')[0]} in the future ({review[key]}); check the clock of the laptop it came from"
    version = _time(review["version_key"])
    if version is None:
        return f"has a version key that is not a time ({review['version_key']!r})"
    if version > latest:
        return f"claims a version from the future ({review['version_key']}), which would outrank every later one"
    return None
