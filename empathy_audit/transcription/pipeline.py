"""One call through an engine: per channel, window by window, with guards and checkpoints.

Runs inside the worker process. Windows are at most WINDOW_S long and end in the
quietest half-second near their nominal end, so memory stays bounded on hour-long
calls, words are not cut in two, and a resumed call restarts at a window boundary.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
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
from empathy_audit.transcription.streams import Stream, plan_streams, quiet_cut
from empathy_audit.wording import plural

# Five minutes: a window's features and buffers bound the worker's memory (peak 819 MB on a 20-minute call
# with two streams side by side; 1,075 MB with ten-minute windows), at the same speed.
WINDOW_S = 300.0
RETRY_TEMPERATURES = (0.2, 0.4, 0.6, 0.8, 1.0)
PAUSE_SPLIT_S = 1.5
SPEAKER_RATE = 8000  # telling voices apart needs the telephone band only

Emit = Callable[[object], None]


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


class _CallProgress:
    """Seconds done per stream, summed into one fraction of the call (streams may run side by side)."""

    def __init__(self, call_id: int, streams: list[Stream], send: Emit) -> None:
        self.call_id = call_id
        self.total = max(sum(s.length_s for s in streams), 1e-6)
        self.done = {s.key: 0.0 for s in streams}
        self.send = send
        self.label = "Transcribing both sides" if len(streams) == 2 and streams[0].channel is not None else ""
        # Streams report from their own threads: summing and sending under one lock keeps the fractions in
        # order (a sum taken before the other stream's update must not be sent after it).
        self._lock = threading.Lock()

    def __call__(self, stream: Stream, seconds: float) -> None:
        label = self.label or "Transcribing " + {"agent": "agent side", "customer": "customer side"}.get(
            stream.speaker, "call"
        )
        with self._lock:
            self.done[stream.key] = max(self.done[stream.key], min(stream.length_s, seconds))
            self.send(Progress(self.call_id, min(1.0, sum(self.done.values()) / self.total), label))


def _transcribe_stream(
    engine: Engine,
    request: TranscribeRequest,
    stream: Stream,
    done: list[WindowCheckpoint],
    options: DecodeOptions,
    send: Emit,
    window_s: float,
    progress: _CallProgress,
) -> tuple[list[Segment], str | None]:
    """One stream window by window after its checkpoints in `done`; returns its segments and language."""
    segments = [seg for cp in done for seg in cp.segments]
    language = next((cp.language for cp in done if cp.language), None)
    if options.language is None and language:
        options = replace(options, language=language)  # resuming: the language found before holds
    start = done[-1].end_s if done else stream.start_s
    index = len(done)
    channel = MIXED_CHANNEL if stream.channel is None else stream.channel
    while stream.end_s - start > 0.05:
        final = start + window_s >= stream.end_s
        length = stream.end_s - start if final else window_s
        audio = decode_window(Path(request.audio_path), channel=stream.channel, start_s=start, duration_s=length)
        if not final:
            audio = audio[: quiet_cut(audio)]
        if audio.size == 0:
            break
        end = start + audio.size / TRANSCRIBE_RATE
        offset = start - stream.start_s

        def on_progress(seconds: float, _offset: float = offset) -> None:
            progress(stream, _offset + seconds)

        cleaned, window_language = _transcribe_window(engine, audio, options, on_progress)
        if options.language is None and window_language:
            # One language per call: the first window's holds for the rest, so a short or quiet window is
            # not detected as another language.
            options = replace(options, language=window_language)
        window_segments = [
            part
            for raw, flags in cleaned
            for pause_part in split_at_pauses(_to_segment(raw, flags, start, channel, stream.speaker))
            for part in split_at_sentences(pause_part)
        ]
        send(
            WindowDone(
                request.call_id,
                WindowCheckpoint(stream.key, index, round(start, 3), round(end, 3), window_segments, window_language),
            )
        )
        segments.extend(window_segments)
        language = language or window_language
        index += 1
        start = end
        progress(stream, start - stream.start_s)
    return segments, language


LANGUAGE_PROBE_S = 120.0  # audio read to find a call's language before its streams start side by side


def _settle_language(
    engine: Engine, request: TranscribeRequest, stream: Stream, options: DecodeOptions
) -> DecodeOptions:
    """The call's language found once, on the first stream's opening, so streams decoded side by side agree."""
    detect = getattr(engine, "detect_language", None)
    if options.language is not None or detect is None:
        return options
    length = min(LANGUAGE_PROBE_S, stream.length_s)
    audio = decode_window(Path(request.audio_path), channel=stream.channel, start_s=stream.start_s, duration_s=length)
    language = detect(audio)
    return replace(options, language=language) if language else options


def transcribe_request(
    engine: Engine, request: TranscribeRequest, options: DecodeOptions, emit: Emit, window_s: float = WINDOW_S
) -> tuple[list[Segment], str | None, str]:
    """Transcribe a call, resuming after the windows in `request.done`; returns the merged conversation, its
    language and a note on who speaks (echoes dropped, voices told apart).

    An engine with `lanes` > 1 decodes the call's streams (its two sides, or a long mono call's two halves)
    side by side; messages are then sent from several threads, one at a time."""
    lanes = max(1, int(getattr(engine, "lanes", 1)))
    streams = plan_streams(request, lanes, request.done)
    done_by_key: dict[int, list[WindowCheckpoint]] = {}
    for cp in sorted(request.done, key=lambda c: (c.channel, c.index)):
        done_by_key.setdefault(cp.channel, []).append(cp)
    resumed = [cp.language for s in streams for cp in done_by_key.get(s.key, []) if cp.language]
    if options.language is None and resumed:
        options = replace(options, language=resumed[0])
    lock = threading.Lock()

    def send(message: object) -> None:
        with lock:  # one pipe, several streams
            emit(message)

    progress = _CallProgress(request.call_id, streams, send)

    def run(stream: Stream, opts: DecodeOptions) -> tuple[list[Segment], str | None]:
        return _transcribe_stream(
            engine, request, stream, done_by_key.get(stream.key, []), opts, send, window_s, progress
        )

    results: list[tuple[list[Segment], str | None]] = []
    if lanes > 1 and len(streams) > 1:
        options = _settle_language(engine, request, streams[0], options)
        with ThreadPoolExecutor(min(lanes, len(streams)), thread_name_prefix="stream") as pool:
            results = list(pool.map(run, streams, [options] * len(streams)))
    else:
        for stream in streams:
            results.append(run(stream, options))
            if options.language is None and results[-1][1]:
                options = replace(options, language=results[-1][1])  # the agent's side first: its language holds
    segments = [seg for stream_segments, _language in results for seg in stream_segments]
    language = next((lang for _segments, lang in results if lang), None)
    plan = channel_plan(request.channels, request.agent_channel, request.layout)
    conversation, note = who_speaks(request, plan, segments)
    return conversation, language, note
