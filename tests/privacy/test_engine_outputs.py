"""The detector on recorded engine output: what Whisper really wrote for calls whose personal-data
phrases have known spans (benchmarks/privacy_corpus.py; captured with benchmarks/redaction_recall.py
--save-outputs, and the committed fixture call). The same text on every CPU, so these hold everywhere.

Each file keeps its machine and settings in its name: CALL.ENGINE-MODEL-SETTINGS.MACHINE.json. Add the
outputs of another machine or model by saving them there; the targets apply to every set.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
from scoring import Score, score_output

OUTPUTS = sorted((Path(__file__).resolve().parent / "engine_outputs").glob("*.json"))
TARGET_OVER_BLEEPING = 0.10


def run_of(path: Path) -> str:
    return path.name.split(".", 1)[1].removesuffix(".json")


@pytest.mark.parametrize("path", OUTPUTS, ids=lambda p: p.name)
def test_every_personal_data_phrase_is_bleeped(path: Path) -> None:
    score = score_output(path)
    assert score.phrases > 0
    assert score.misses == [], score.misses


@pytest.mark.parametrize("run", sorted({run_of(p) for p in OUTPUTS}))
def test_ordinary_speech_is_mostly_left_alone(run: str) -> None:
    total = Score()
    for path in OUTPUTS:
        if run_of(path) == run:
            total.add(score_output(path))
    assert total.over_bleeping <= TARGET_OVER_BLEEPING, total.over


def test_there_are_enough_phrases_and_runs() -> None:
    phrases: dict[str, int] = defaultdict(int)
    for path in OUTPUTS:
        phrases[run_of(path)] += score_output(path).phrases
    assert len(phrases) >= 2 and all(n >= 30 for n in phrases.values()), phrases
