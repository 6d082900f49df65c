"""Evidence cues: rule-based, explainable pointers to candidate moments in a transcript.

The rules live in resources/cues.toml. Each hit says which cue and which phrase matched,
so a reviewer can see why a moment was suggested. Cues never score anything.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from empathy_audit.paths import resource_path

CUES_FILE = resource_path("cues.toml")


@dataclass(frozen=True)
class CueRule:
    key: str
    label: str
    patterns: tuple[re.Pattern[str], ...]
    speaker: str | None = None
    criterion: str | None = None


@dataclass(frozen=True)
class CueHit:
    segment_index: int
    key: str
    label: str
    criterion: str | None
    phrase: str  # the words that matched
    start_s: float
    end_s: float


def load_cue_rules(path: Path = CUES_FILE) -> list[CueRule]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    rules = []
    for item in data.get("cue", []):
        rules.append(
            CueRule(
                key=item["key"],
                label=item["label"],
                patterns=tuple(re.compile(p, re.IGNORECASE) for p in item["patterns"]),
                speaker=item.get("speaker"),
                criterion=item.get("criterion"),
            )
        )
    return rules


def find_cues(segments: list, rules: list[CueRule] | None = None) -> list[CueHit]:
    """Cue hits in transcript order. `segments` need .speaker, .text, .start, .end."""
    rules = rules if rules is not None else load_cue_rules()
    hits: list[CueHit] = []
    for index, seg in enumerate(segments):
        for rule in rules:
            if rule.speaker and seg.speaker not in (rule.speaker, "mixed"):
                continue
            for pattern in rule.patterns:
                match = pattern.search(seg.text)
                if match:
                    hits.append(CueHit(index, rule.key, rule.label, rule.criterion, match.group(0), seg.start, seg.end))
                    break
    return hits
