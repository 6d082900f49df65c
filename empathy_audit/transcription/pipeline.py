"""One call through an engine: per channel, window by window, with guards and checkpoints.

Runs inside the worker process. Windows are at most WINDOW_S long and end in the
quietest half-second near their nominal end, so memory stays bounded on hour-long
calls, words are not cut in two, and a resumed call restarts at a window boundary.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np

from empathy_audit.audio.decode import TRANSCRIBE_RATE, decode_window
from empathy_audit.domain import Segment, Word
from empathy_audit.transcription.bleed import channel_energy, drop_bleed
from empathy_audit.transcription.conversation import MIXED_CHANNEL, channel_plan, merge_conversation
from empathy_audit.transcription.engine import DecodeOptions, Engine, RawSegment
from empathy_audit.transcription.guards import clean_segments
from empathy_audit.transcription.messages import Progress, TranscribeRequest, WindowCheckpoint, WindowDone
from empathy_audit.transcription.speakers import separate
from empathy_audit.wording import plural

WINDOW_S = 600.0
CUT_SEARCH_S = 10.0  # look this far back from a window's nominal end for a quiet cut point
CUT_FRAME_S = 0.5
RETRY_TEMPERATURES = (0.2, 0.4, 0.6, 0.8, 1.0)
PAUSE_SPLIT_S = 1.5
SPEAKER_RATE = 8000  # telling voices apart needs the telephone band only

Emit = Callable[[object], None]


def quiet_cut(samples: np.ndarray, rate: int = TRANSCRIBE_RATE) -> int:
    """Sample index at the middle of the quietest CUT_FRAME_S frame in the last CUT_SEARCH_S seconds."""
    frame = int(CUT_FRAME_S * rate)
    search = min(len(samples), int(CUT_SEARCH_S * rate))
    if search < 2 * frame:
        return len(samples)
    tail = samples[len(samples) - search :]
    usable = (len(tail) // frame) * frame
    energy = np.square(tail[len(tail) - usable :].reshape(-1, frame)).mean(axis=1)
    quietest = int(np.argmin(energy))
    return len(samples) - usable + quietest * frame + frame // 2


def _to_segment(raw: RawSegment, flags: list[str], offset: float, channel: int, speaker: str) -> Segment:
    words = [Word(round(w.start + offset, 3), round(w.end + offset, 3), w.word, w.probability) for w in raw.words]
    confidence = float(np.mean([w.probability for w in raw.words if w.probability is not None])) if raw.words else None
    return Segment(
        speaker=speaker,
        channel=None if channel == MIXED_CHANNEL else channel,
        # Word times are the accurate ones; segment times drift where VAD removed silence.
        start=round(words[0].start if words else raw.start + offset, 3),
        end=round(words[-1].end if words else raw.end + offset, 3),
        text=raw.text,
        confidence=round(confidence, 4) if confidence is not None else None,
        avg_logprob=raw.avg_logprob,
        no_speech_prob=raw.no_speech_prob,
        compression_ratio=raw.compression_ratio,
        flags=flags,
        words=words,
    )


def _regroup(seg: Segment, groups: list[list[Word]]) -> list[Segment]:
    """A segment as several, one per group of its words."""
    if len(groups) == 1:
        return [seg]
    return [
        replace(
            seg,
            start=group[0].start,
            end=group[-1].end,
            text="".join(w.word for w in group).strip(),
            words=group,
            confidence=round(float(np.mean([w.probability or 0.0 for w in group])), 4),
        )
        for group in groups
    ]


def split_at_pauses(seg: Segment, max_gap_s: float = PAUSE_SPLIT_S) -> list[Segment]:
    """Split a segment where its words pause for longer than `max_gap_s`.

    Whisper happily keeps two turns of one side in one segment across a long pause;
    in a conversation view each turn must start at its own time.
    """
    if len(seg.words) < 2:
        return [seg]
    groups: list[list[Word]] = [[seg.words[0]]]
    for prev, word in zip(seg.words, seg.words[1:], strict=False):
        if word.start - prev.end > max_gap_s:
            groups.append([])
        groups[-1].append(word)
    return _regroup(seg, groups)


SENTENCE_END = (".", "?", "!")


def split_at_sentences(seg: Segment) -> list[Segment]:
    """One turn per sentence, so an evidence moment is one sentence and not three joined by a short pause."""
    if len(seg.words) < 2:
        return [seg]
    groups: list[list[Word]] = [[]]
    for i, word in enumerate(seg.words):
        groups[-1].append(word)
        if word.word.strip().endswith(SENTENCE_END) and i + 1 < len(seg.words):
            groups.append([])
    return _regroup(seg, groups)


def who_speaks(
    request: TranscribeRequest, plan: list[tuple[int, str]], segments: list[Segment]
) -> tuple[list[Segment], str]:
    """The conversation with each word given to its side: a bleeding channel's echoes dropped, a mono call's
    two voices told apart (which is the agent is decided afterwards, by what each says)."""
    path = Path(request.audio_path)
    notes: list[str] = []
    if request.layout == "dual_bleed" and request.channels == 2:
        energy = {c: channel_energy(path, c, request.duration_s) for c in (0, 1)}
        segments, dropped = drop_bleed(segments, energy)
        heard = f"{plural(dropped, 'word')} heard again on the other channel dropped"
        notes.append(heard if dropped else "no echoes heard")
    if plan == [(MIXED_CHANNEL, "mixed")]:
        samples = decode_window(path, channel=None, rate=SPEAKER_RATE)
        segments, note = separate(segments, samples, SPEAKER_RATE)
        notes.append(note)
    return merge_conversation(segments), "; ".join(notes)


def _retry_span(
    engine: Engine, audio: np.ndarray, seg: RawSegment, options: DecodeOptions
) -> list[tuple[RawSegment, list[str]]] | None:
    """Re-decode just one looping segment's audio without conditioning and with sampling.

    Returns the replacement (times relative to the window), or None if it still loops.
    """
    begin = max(0.0, seg.start - 0.2)
    span = audio[int(begin * TRANSCRIBE_RATE) : int((seg.end + 0.2) * TRANSCRIBE_RATE)]
    if span.size < TRANSCRIBE_RATE // 2:
        return None
    retry_options = replace(options, condition_on_previous_text=False, temperatures=RETRY_TEMPERATURES)
    raw, _language = engine.transcribe(span, retry_options, lambda _s: None)
    retried = clean_segments(raw, retry_options)
    if any("suspect:repetition" in flags for _seg, flags in retried):
        return None
    return [(_shift(r, begin), flags) for r, flags in retried]


def _shift(seg: RawSegment, offset: float) -> RawSegment:
    words = [Word(w.start + offset, w.end + offset, w.word, w.probability) for w in seg.words]
    return replace(seg, start=seg.start + offset, end=seg.end + offset, words=words)


def _transcribe_window(
    engine: Engine, audio: np.ndarray, options: DecodeOptions, on_progress: Callable[[float], None]
) -> tuple[list[tuple[RawSegment, list[str]]], str]:
    raw, language = engine.transcribe(audio, options, on_progress)
    cleaned: list[tuple[RawSegment, list[str]]] = []
    for seg, flags in clean_segments(raw, options):
        replacement = _retry_span(engine, audio, seg, options) if "suspect:repetition" in flags else None
        cleaned.extend(replacement if replacement is not None else [(seg, flags)])
    return cleaned, language


def transcribe_request(
    engine: Engine, request: TranscribeRequest, options: DecodeOptions, emit: Emit, window_s: float = WINDOW_S
) -> tuple[list[Segment], str | None, str]:
    """Transcribe a call, resuming after the windows in `request.done`; returns the merged conversation, its
    language and a note on who speaks (echoes dropped, voices told apart)."""
    plan = channel_plan(request.channels, request.agent_channel, request.layout)
    duration = request.duration_s
    total_work = max(duration * len(plan), 1e-6)
    done_by_channel: dict[int, list[WindowCheckpoint]] = {}
    for cp in sorted(request.done, key=lambda c: (c.channel, c.index)):
        done_by_channel.setdefault(cp.channel, []).append(cp)
    segments: list[Segment] = []
    language: str | None = None
    finished_work = 0.0

    for channel, speaker in plan:
        done = done_by_channel.get(channel, [])
        for cp in done:
            segments.extend(cp.segments)
            language = language or cp.language
        if options.language is None and language:
            options = replace(options, language=language)  # resuming: the language found before holds
        start = done[-1].end_s if done else 0.0
        index = len(done)
        label = {"agent": "agent side", "customer": "customer side"}.get(speaker, "call")
        while duration - start > 0.05:
            final = start + window_s >= duration
            length = duration - start if final else window_s
            audio = decode_window(
                Path(request.audio_path),
                channel=None if channel == MIXED_CHANNEL else channel,
                start_s=start,
                duration_s=length,
            )
            if not final:
                audio = audio[: quiet_cut(audio)]
            if audio.size == 0:
                break
            end = start + audio.size / TRANSCRIBE_RATE
            window_base = finished_work + start

            def on_progress(seconds: float, _base: float = window_base, _label: str = label) -> None:
                fraction = min(1.0, (_base + seconds) / total_work)
                emit(Progress(request.call_id, fraction, f"Transcribing {_label}"))

            cleaned, window_language = _transcribe_window(engine, audio, options, on_progress)
            if options.language is None and window_language:
                # One language per call: the first window's (the agent's side first) holds for the rest,
                # so a short or quiet window is not detected as another language.
                options = replace(options, language=window_language)
            window_segments = [
                part
                for raw, flags in cleaned
                for pause_part in split_at_pauses(_to_segment(raw, flags, start, channel, speaker))
                for part in split_at_sentences(pause_part)
            ]
            checkpoint = WindowCheckpoint(
                channel, index, round(start, 3), round(end, 3), window_segments, window_language
            )
            emit(WindowDone(request.call_id, checkpoint))
            segments.extend(window_segments)
            language = language or window_language
            index += 1
            start = end
            emit(Progress(request.call_id, min(1.0, (finished_work + start) / total_work), f"Transcribing {label}"))
        finished_work += duration
    conversation, note = who_speaks(request, plan, segments)
    return conversation, language, note
