"""Words heard on both channels: on a recorder where each side leaks into the other (echo, crosstalk), Whisper
hears a faint copy of the agent on the customer's channel and the other way round. A word belongs to the
side whose channel is louder while it is said; its copy on the quieter channel is dropped."""

from __future__ import annotations

import itertools
from dataclasses import replace
from pathlib import Path

import numpy as np

from empathy_audit.audio.decode import decode_window
from empathy_audit.domain import Segment

RATE = 8000
FPS = 100  # energy frames per second
CHUNK_S = 600.0
QUIETER_DB = 6.0  # a word this much quieter on its own channel than on the other is the other side's echo


def channel_energy(path: Path, channel: int, duration_s: float) -> np.ndarray:
    """Energy per 10 ms of one channel (decoded in ten-minute pieces, so hour-long calls stay small)."""
    frame = RATE // FPS
    parts = []
    start = 0.0
    while start < duration_s:
        samples = decode_window(
            path, channel=channel, rate=RATE, start_s=start, duration_s=min(CHUNK_S, duration_s - start)
        )
        usable = len(samples) // frame * frame
        parts.append(np.square(samples[:usable].reshape(-1, frame)).mean(axis=1))
        start += CHUNK_S
    return np.concatenate(parts) if parts else np.zeros(0)


def _level(energy: np.ndarray, start: float, end: float) -> float:
    a, b = int(start * FPS), max(int(start * FPS) + 1, int(end * FPS))
    piece = energy[a:b]
    return float(piece.mean()) if piece.size else 0.0


def drop_bleed(segments: list[Segment], energy: dict[int, np.ndarray]) -> tuple[list[Segment], int]:
    """Segments without the words that are the other side's echo; returns them and how many words went."""
    ratio = 10 ** (QUIETER_DB / 10)
    out: list[Segment] = []
    dropped = 0
    for seg in segments:
        if seg.channel not in energy or not seg.words:
            out.append(seg)
            continue
        other = energy.get(1 - seg.channel)
        if other is None:
            out.append(seg)
            continue
        own = energy[seg.channel]
        kept = [w for w in seg.words if _level(own, w.start, w.end) * ratio >= _level(other, w.start, w.end)]
        dropped += len(seg.words) - len(kept)
        if not kept:
            continue
        if len(kept) == len(seg.words):
            out.append(seg)
            continue
        # What is left is said on this side: one segment per run of kept words.
        runs: list[list] = [[kept[0]]]
        for prev, word in itertools.pairwise(kept):
            if seg.words.index(word) != seg.words.index(prev) + 1:
                runs.append([])
            runs[-1].append(word)
        for run in runs:
            text = "".join(w.word for w in run).strip()
            out.append(replace(seg, start=run[0].start, end=run[-1].end, text=text, words=run))
    return out, dropped
