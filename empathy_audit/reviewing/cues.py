"""Evidence cues: rule-based, explainable pointers to candidate moments in a transcript.

The rules live in resources/cues/<language>.toml, one file per language a call can be in (the code
Whisper detects: en, es, ...). Each hit says which cue and which phrase matched, so a reviewer can see
why a moment was suggested. Cues never score anything. A call in a language without a file has no cues,
and says so (cue_note), rather than looking like a call where nothing was found.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from empathy_audit.languages import language_name
from empathy_audit.paths import resource_path

CUES_DIR = resource_path("cues")
DEFAULT_LANGUAGE = "en"  # calls transcribed before languages were stored were English (tiny.en)
CUES_FILE = CUES_DIR / f"{DEFAULT_LANGUAGE}.toml"


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


def cue_file(language: str | None) -> Path | None:
    """The rules file for a language code, None when there is none."""
    code = (language or DEFAULT_LANGUAGE).lower()
    path = CUES_DIR / f"{code}.toml"
    return path if code.isalpha() and path.is_file() else None


@cache
def _rules_in(path: Path) -> list[CueRule]:
    return load_cue_rules(path)


def cue_rules_for(language: str | None) -> list[CueRule] | None:
    """The language's cue rules; None when it has no rules file (not the same as a file with no hits)."""
    path = cue_file(language)
    return _rules_in(path) if path is not None else None


def cue_languages() -> list[str]:
    return sorted(p.stem for p in CUES_DIR.glob("*.toml"))


def cue_note(language: str | None, hits: int) -> str:
    """What the cue list says when it is empty: no rules for this language, or none found."""
    if hits:
        return ""
    if cue_file(language) is None:
        return (
            f"No cue rules for {language_name(language)} calls, so none are suggested. Rules exist for "
            f"{', '.join(language_name(c) for c in cue_languages())}; add resources/cues/{language}.toml for more."
        )
    return "No cue phrases found in this call."


def find_cues(segments: list, rules: list[CueRule] | None = None, language: str | None = None) -> list[CueHit]:
    """Cue hits in transcript order, by the rules given or else the call language's (none for a language
    without rules). `segments` need .speaker, .text, .start, .end."""
    rules = rules if rules is not None else (cue_rules_for(language) or [])
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
