"""Where uncertain words sit in a turn's text, and which comes next (on engine-like word lists)."""

from __future__ import annotations

from empathy_audit.domain import Segment, Word
from empathy_audit.reviewing.uncertain import all_uncertain, next_uncertain, uncertain_words


def _turn(text: str, probabilities: list[float]) -> Segment:
    words = [
        Word(i, i + 0.5, " " + token, p) for i, (token, p) in enumerate(zip(text.split(), probabilities, strict=True))
    ]
    return Segment("agent", 0.0, len(words), text, words=words)


def test_spans_point_at_the_words_in_the_text_shown() -> None:
    turn = _turn("Die Straße Nummer zwölf", [0.9, 0.9, 0.2, 0.3])  # casefold would shift offsets after "ß"
    found = uncertain_words(0, turn, 0.5)
    assert [turn.text[w.start_char : w.end_char] for w in found] == ["Nummer", "zwölf"]
    assert [w.text for w in found] == ["Nummer", "zwölf"] and found[0].word == 2


def test_a_corrected_turn_has_no_marks_and_next_wraps_round() -> None:
    corrected = _turn("thanks for calling", [0.1, 0.1, 0.1])
    corrected.original_text = "tanks for calling"
    assert uncertain_words(0, corrected, 0.5) == []
    words = all_uncertain([_turn("a b", [0.1, 0.9]), _turn("c d", [0.2, 0.3])], 0.5)
    assert [(w.row, w.word) for w in words] == [(0, 0), (1, 0), (1, 1)]
    assert next_uncertain(words, None) is words[0] and next_uncertain(words, (1, 1)) is words[0]
    assert next_uncertain(words, (0, 0), -1) is words[-1] and next_uncertain([], None) is None
