"""Snapping a chosen span to whole words, and the transcript excerpt it covers."""

from __future__ import annotations

import pytest

from empathy_audit.clips.spans import SpanProblem, excerpt, render_excerpt, snap_span
from empathy_audit.domain import Segment, Word
from empathy_audit.privacy import find_in_call


def seg(speaker: str, words: list[tuple[float, float, str]], edited: str | None = None) -> Segment:
    ws = [Word(a, b, f" {w}") for a, b, w in words]
    text = edited or " ".join(w for _, _, w in words)
    return Segment(speaker, ws[0].start, ws[-1].end, text, words=ws, original_text="x" if edited else None)


AGENT = seg("agent", [(1.0, 1.4, "Thank"), (1.4, 1.6, "you"), (1.6, 2.2, "Maria."), (3.0, 3.5, "Sorry.")])
CUSTOMER = seg("customer", [(4.0, 4.3, "My"), (4.3, 4.6, "card"), (4.6, 5.0, "is"), (5.0, 5.4, "4539"),
                            (5.4, 5.8, "1488"), (5.8, 6.2, "0343"), (6.2, 6.6, "6467.")])  # fmt: skip
SEGMENTS = [AGENT, CUSTOMER]


def test_a_span_cutting_into_words_widens_to_them_and_pads() -> None:
    # 1.5 is inside "you", 4.4 inside "card": both words are kept whole. Padding stops where the
    # neighbouring words ("Thank" until 1.4, "is" from 4.6) begin.
    assert snap_span(SEGMENTS, 1.5, 4.4, duration_s=10) == (1.4, 4.6)
    assert snap_span(SEGMENTS, 1.7, 2.0, duration_s=10) == (1.6, 2.45)  # "Maria." has a pause after it


def test_silence_at_the_edges_is_trimmed() -> None:
    assert snap_span(SEGMENTS, 2.4, 3.9, duration_s=10) == (2.75, 3.75)  # only "Sorry." is inside


def test_padding_stops_at_the_call_edges_and_short_spans_grow() -> None:
    assert snap_span(SEGMENTS, 0.0, 1.2, duration_s=10) == (0.75, 1.4)
    assert snap_span([], 9.9, 10.5, duration_s=10) == (9.5, 10.0)  # no words: its own edges, 0.5 s minimum


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [(5.0, 4.0, "ends"), (12.0, 13.0, "outside the call"), (0.0, 900.0, "at most 10 minutes")],
)
def test_impossible_spans_are_refused(start: float, end: float, message: str) -> None:
    with pytest.raises(SpanProblem, match=message):
        snap_span([], start, end, duration_s=1000 if end == 900 else 10)


def test_excerpt_quotes_whole_words_inside_the_span_per_turn() -> None:
    lines = excerpt(SEGMENTS, 1.35, 4.65)
    assert render_excerpt(lines) == "Agent: you Maria. Sorry.\nCustomer: My card"


def test_redacted_excerpt_hides_numbers_and_names_found_anywhere_in_the_call() -> None:
    named = seg("customer", [(7.0, 7.2, "my"), (7.2, 7.4, "name"), (7.4, 7.6, "is"), (7.6, 8.0, "Maria")])
    segments = [AGENT, CUSTOMER, named]
    found = find_in_call(segments)
    text = render_excerpt(excerpt(segments, 0, 10, found))
    assert (
        text == "Agent: Thank you [redacted]. Sorry.\nCustomer: My card is [redacted].\nCustomer: my name is [redacted]"
    )


def test_a_corrected_turn_is_quoted_whole_and_redacted_as_text() -> None:
    corrected = seg("customer", [(4.0, 4.5, "phone"), (4.5, 5.0, "it")], edited="Call 07700 900123 please")
    lines = excerpt([corrected], 4.6, 5.0, find_in_call([corrected]))
    assert render_excerpt(lines) == "Customer: Call [redacted] please"


def test_a_very_short_first_word_is_not_mistaken_for_a_neighbour() -> None:
    # Whisper gives some words 20 ms; the span must still open at the word, padded.
    quick = seg("agent", [(8.47, 8.49, "Thank"), (8.49, 8.71, "you")])
    assert snap_span([quick], 8.47, 8.71, duration_s=20) == (8.22, 8.96)
