"""Guards against Whisper's known failure modes: text invented over silence, and repetition loops.

Uses the engines' own signals (no-speech probability, average log-probability,
compression ratio) plus a repeated n-gram check on the text.
"""

from __future__ import annotations

import re
from dataclasses import replace

from empathy_audit.transcription.engine import DecodeOptions, RawSegment

_WORD = re.compile(r"[\w']+")
# Phrases Whisper is known to invent over silence, music or tones.
KNOWN_SILENCE_PHRASES = {
    "you",
    "thank you",
    "thanks for watching",
    "thank you for watching",
    "bye",
    "so",
    "please subscribe",
    "thank you very much",
    "okay",
}


def words_of(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def repetition_loop(text: str, min_repeats: int = 4) -> tuple[int, int] | None:
    """Find an n-gram (n = 1..6) repeated back to back at least `min_repeats` times.

    Returns (n, repeats) of the worst loop, or None. Single words need one more
    repeat, since "no, no, no" is real speech.
    """
    tokens = words_of(text)
    worst: tuple[int, int] | None = None
    for n in range(1, 7):
        needed = min_repeats + 1 if n == 1 else min_repeats
        i = 0
        while i + n <= len(tokens):
            gram = tokens[i : i + n]
            repeats = 1
            j = i + n
            while tokens[j : j + n] == gram:
                repeats += 1
                j += n
            if repeats >= needed and (worst is None or repeats * n > worst[0] * worst[1]):
                worst = (n, repeats)
            i = j if repeats > 1 else i + 1
    return worst


def collapse_repetition(text: str) -> str:
    """Keep one copy of each back-to-back repeated phrase ("I see I see I see" -> "I see")."""
    result = text
    for n in range(6, 0, -1):
        pattern = re.compile(r"\b((?:[\w']+[\s,.!?]+){" + str(n) + r"})(?:\1){2,}", re.IGNORECASE)
        result = pattern.sub(r"\1", result + " ").strip()
    return result


def is_invented_silence(seg: RawSegment, options: DecodeOptions) -> bool:
    """Whisper's own rule for 'nothing was said here', plus known phrases it makes up over silence."""
    no_speech = seg.no_speech_prob or 0.0
    logprob = seg.avg_logprob if seg.avg_logprob is not None else 0.0
    if no_speech > options.no_speech_threshold and logprob < options.log_prob_threshold:
        return True
    normalised = " ".join(words_of(seg.text))
    if not normalised:
        return True
    return bool(normalised in KNOWN_SILENCE_PHRASES and (no_speech > 0.3 or logprob < -0.7))


def suspicion(seg: RawSegment, options: DecodeOptions) -> str | None:
    """Why a kept segment is still doubtful, or None."""
    if repetition_loop(seg.text):
        return "suspect:repetition"
    if seg.compression_ratio is not None and seg.compression_ratio > options.compression_ratio_threshold:
        return "suspect:repetition"
    if seg.avg_logprob is not None and seg.avg_logprob < options.log_prob_threshold:
        return "suspect:low_confidence"
    return None


def repeated_run_flags(segments: list[RawSegment]) -> list[str | None]:
    """Flag the 3rd and later copies of the same text in a row (a loop across segments)."""
    flags: list[str | None] = [None] * len(segments)
    run = 1
    for i in range(1, len(segments)):
        same = words_of(segments[i].text) == words_of(segments[i - 1].text) and bool(segments[i].text)
        run = run + 1 if same else 1
        if run >= 3:
            flags[i] = "drop:repeated_segment"
    return flags


def clean_segments(segments: list[RawSegment], options: DecodeOptions) -> list[tuple[RawSegment, list[str]]]:
    """Drop invented and looping segments; return the rest with flags for what is still doubtful."""
    kept: list[tuple[RawSegment, list[str]]] = []
    run_flags = repeated_run_flags(segments)
    for seg, run_flag in zip(segments, run_flags, strict=True):
        if run_flag or is_invented_silence(seg, options):
            continue
        flags: list[str] = []
        reason = suspicion(seg, options)
        if reason == "suspect:repetition":
            collapsed = collapse_repetition(seg.text)
            if collapsed != seg.text:
                kept_words = len(words_of(collapsed))
                seg = replace(seg, text=collapsed, words=seg.words[:kept_words])
            flags.append(reason)
        elif reason:
            flags.append(reason)
        kept.append((seg, flags))
    return kept
