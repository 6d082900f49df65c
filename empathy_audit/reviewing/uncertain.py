"""Words Whisper was unsure of: where they sit in a turn's text (to mark them on screen) and which one
comes next (the Review key that jumps to it), so a reviewer checks them against the audio."""

from __future__ import annotations

import re
from dataclasses import dataclass

from empathy_audit.domain import Segment

DEFAULT_THRESHOLD = 0.5  # Whisper's word probability below which a word is shown as uncertain
THRESHOLD_RANGE = (0.05, 0.95)


@dataclass(frozen=True)
class UncertainWord:
    row: int  # the turn
    word: int  # index in the turn's words
    start_char: int  # where it is in the turn's text
    end_char: int
    start: float  # seconds
    end: float
    text: str
    probability: float


def uncertain_words(row: int, segment: Segment, threshold: float) -> list[UncertainWord]:
    """The turn's uncertain words, placed in its text. None once a reviewer corrected the text: what is
    shown then is the reviewer's, not Whisper's."""
    if segment.original_text is not None or not segment.words:
        return []
    found: list[UncertainWord] = []
    cursor = 0
    text = segment.text
    for i, word in enumerate(segment.words):
        token = word.word.strip()
        if not token:
            continue
        found_at = re.compile(re.escape(token), re.IGNORECASE).search(text, cursor)  # offsets in `text` itself
        if found_at is None:
            continue  # the text was cleaned after decoding (a guard dropped a repeat): skip, keep place
        at, cursor = found_at.start(), found_at.end()
        if word.probability is not None and word.probability < threshold:
            found.append(UncertainWord(row, i, at, cursor, word.start, word.end, text[at:cursor], word.probability))
    return found


def all_uncertain(segments: list[Segment], threshold: float) -> list[UncertainWord]:
    return [w for row, seg in enumerate(segments) for w in uncertain_words(row, seg, threshold)]


def next_uncertain(words: list[UncertainWord], after: tuple[int, int] | None, step: int = 1) -> UncertainWord | None:
    """The uncertain word after (row, word) — or before, with step -1; wraps round. None when there is none."""
    if not words:
        return None
    if after is None:
        return words[0] if step > 0 else words[-1]
    keys = [(w.row, w.word) for w in words]
    if step > 0:
        later = [w for w, k in zip(words, keys, strict=True) if k > after]
        return later[0] if later else words[0]
    earlier = [w for w, k in zip(words, keys, strict=True) if k < after]
    return earlier[-1] if earlier else words[-1]
