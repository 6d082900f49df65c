"""A call as streams the engine can decode side by side: one per channel of a two-sided call, and a long mono
call cut in two at a quiet moment near its middle.

Whisper's decoding leaves cores idle between its native steps (voice detection, features, word alignment run
in Python), so two streams on one thread each finish sooner than one stream on two threads: measured 0.44x
the time on two cores (benchmarks/transcription_speed.py). Each stream keeps its own checkpoints (its `key`),
so an interrupted call still resumes near where it stopped.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from empathy_audit.audio.decode import TRANSCRIBE_RATE, decode_window
from empathy_audit.domain import WindowCheckpoint
from empathy_audit.transcription.conversation import MIXED_CHANNEL, channel_plan
from empathy_audit.transcription.messages import TranscribeRequest

SECOND_HALF = -2  # checkpoint key of a mono call's second half (the first keeps MIXED_CHANNEL)
MIN_SPLIT_S = 60.0  # a shorter mono call is one stream: cutting it gains less than it risks at the cut
CUT_SEARCH_S = 10.0  # look this far back from a nominal cut for a quiet point
CUT_FRAME_S = 0.5


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


@dataclass(frozen=True)
class Stream:
    key: int  # how its checkpoints are keyed (a channel index, MIXED_CHANNEL or SECOND_HALF)
    channel: int | None  # the channel decoded; None: the mix of all
    speaker: str  # agent | customer | mixed
    start_s: float
    end_s: float

    @property
    def length_s(self) -> float:
        return max(0.0, self.end_s - self.start_s)


def _quiet_middle(path: Path, duration_s: float) -> float:
    """The middle of the quietest half-second in the CUT_SEARCH_S before the call's midpoint."""
    begin = duration_s / 2 - CUT_SEARCH_S
    samples = decode_window(path, channel=None, start_s=begin, duration_s=CUT_SEARCH_S)
    return round(begin + quiet_cut(samples) / TRANSCRIBE_RATE, 3)


def plan_streams(request: TranscribeRequest, lanes: int, done: list[WindowCheckpoint]) -> list[Stream]:
    """The streams of a call for an engine that decodes `lanes` streams at once; `done` are its checkpoints
    so far, and a split made by an earlier run is kept (or none made where an earlier run did not split)."""
    duration = request.duration_s
    plan = channel_plan(request.channels, request.agent_channel, request.layout)
    if plan != [(MIXED_CHANNEL, "mixed")]:
        return [Stream(channel, channel, speaker, 0.0, duration) for channel, speaker in plan]
    whole = [Stream(MIXED_CHANNEL, None, "mixed", 0.0, duration)]
    second = sorted(cp.start_s for cp in done if cp.channel == SECOND_HALF) if done else []
    if second:
        middle = second[0]
    elif lanes < 2 or duration < MIN_SPLIT_S:
        return whole
    else:
        middle = _quiet_middle(Path(request.audio_path), duration)
    if any(cp.channel == MIXED_CHANNEL and cp.end_s > middle + 0.01 for cp in done):
        return whole  # an earlier run went on past the middle in one stream: finish it that way
    return [
        Stream(MIXED_CHANNEL, None, "mixed", 0.0, middle),
        Stream(SECOND_HALF, None, "mixed", middle, duration),
    ]
