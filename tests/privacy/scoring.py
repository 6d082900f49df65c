"""Scoring redaction on a recorded engine output whose phrase spans are known (see benchmarks/privacy_corpus.py)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from empathy_audit.privacy import find_in_call
from empathy_audit.store.transcripts import segment_from_json

RECALL_SHARE = 0.8


def covered(spans: list[tuple[float, float]], start_s: float, end_s: float) -> float:
    """Share of [start, end] inside the union of `spans` (merged, non-overlapping)."""
    total = sum(max(0.0, min(b, end_s) - max(a, start_s)) for a, b in spans)
    return total / max(1e-9, end_s - start_s)


@dataclass
class Score:
    phrases: int = 0
    bleeped: int = 0
    ordinary_s: float = 0.0
    ordinary_bleeped_s: float = 0.0
    misses: list[str] = field(default_factory=list)
    over: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.bleeped / max(1, self.phrases)

    @property
    def over_bleeping(self) -> float:
        return self.ordinary_bleeped_s / max(1e-9, self.ordinary_s)

    def add(self, other: Score) -> None:
        self.phrases += other.phrases
        self.bleeped += other.bleeped
        self.ordinary_s += other.ordinary_s
        self.ordinary_bleeped_s += other.ordinary_bleeped_s
        self.misses += other.misses
        self.over += other.over


def score_output(path: Path, language: str | None = None) -> Score:
    """How the detector's bleeps cover one recorded output's personal-data and ordinary phrases (read by
    the rules of its own language, or of `language`)."""
    data = json.loads(path.read_text())
    segments = [segment_from_json(s) for s in data["segments"]]
    spans = find_in_call(segments, language or data.get("language")).audio_spans()
    score = Score()
    for line in data["lines"]:
        share = covered(spans, line["start"], line["end"])
        if line["kind"]:
            score.phrases += 1
            if share >= RECALL_SHARE:
                score.bleeped += 1
            else:
                score.misses.append(f"{data['call']}: {line['kind']} “{line['text']}” {share:.0%}")
        else:
            length = line["end"] - line["start"]
            score.ordinary_s += length
            score.ordinary_bleeped_s += share * length
            if share > 0.05:
                score.over.append(f"{data['call']}: “{line['text']}” {share:.0%} of {length:.1f} s")
    return score
