"""Hallucination and repetition guards on the engines' own signals and on the text."""

from __future__ import annotations

from empathy_audit.transcription.engine import DecodeOptions, RawSegment
from empathy_audit.transcription.guards import clean_segments, collapse_repetition, repetition_loop

OPTIONS = DecodeOptions()


def raw(text: str, *, no_speech: float = 0.05, logprob: float = -0.2, ratio: float = 1.4, start: float = 0.0):
    return RawSegment(start, start + 2, text, avg_logprob=logprob, no_speech_prob=no_speech, compression_ratio=ratio)


def test_repetition_loops_are_found() -> None:
    assert repetition_loop("I see I see I see I see what you mean") == (2, 4)
    assert repetition_loop("thank you thank you") is None
    assert repetition_loop("no, no, no, that's wrong") is None  # real speech
    assert repetition_loop("the the the the the") == (1, 5)


def test_collapse_keeps_one_copy() -> None:
    assert collapse_repetition("I see I see I see I see what you mean") == "I see what you mean"


def test_invented_text_over_silence_is_dropped() -> None:
    kept = clean_segments(
        [
            raw("Thank you.", no_speech=0.7, logprob=-1.2),  # Whisper's own rule
            raw("you", no_speech=0.4, logprob=-0.5),  # known silence phrase, doubtful
            raw("Thank you for calling, how can I help?"),
        ],
        OPTIONS,
    )
    assert [seg.text for seg, _ in kept] == ["Thank you for calling, how can I help?"]


def test_looping_segments_are_collapsed_and_flagged() -> None:
    kept = clean_segments(
        [raw("one moment one moment one moment one moment please", ratio=2.9)] + [raw("Okay, sure.")] * 4, OPTIONS
    )
    texts = [(seg.text, flags) for seg, flags in kept]
    assert texts[0] == ("one moment please", ["suspect:repetition"])
    # The same line four times in a row: the third and fourth copies are a loop.
    assert [t for t, _ in texts[1:]] == ["Okay, sure.", "Okay, sure."]


def test_low_confidence_is_flagged_not_dropped() -> None:
    ((_seg, flags),) = clean_segments([raw("my account number is", logprob=-1.3, no_speech=0.1)], OPTIONS)
    assert flags == ["suspect:low_confidence"]
