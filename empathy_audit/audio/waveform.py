"""Waveform overviews: one peak per 20 ms per channel, computed once per call and stored."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import sqlite_utils

from empathy_audit.audio.decode import decode_window
from empathy_audit.store.waveforms import store_peaks, stored_peaks

POINTS_PER_SECOND = 50
_RATE = 8000  # plenty for an overview, and cheap to decode


@dataclass
class Waveform:
    points_per_second: int
    peaks: np.ndarray  # shape (channels, points), uint8 0..255

    @property
    def duration_s(self) -> float:
        return self.peaks.shape[1] / self.points_per_second


def compute_waveform(path: Path, channels: int) -> Waveform:
    frame = _RATE // POINTS_PER_SECOND
    rows = []
    for channel in range(min(channels, 2)) if channels == 2 else [None]:
        samples = np.abs(decode_window(path, channel=channel, rate=_RATE))
        usable = len(samples) // frame * frame
        peaks = samples[:usable].reshape(-1, frame).max(axis=1) if usable else np.zeros(0, dtype=np.float32)
        rows.append(np.clip(peaks * 255, 0, 255).astype(np.uint8))
    width = min(len(r) for r in rows)
    return Waveform(POINTS_PER_SECOND, np.vstack([r[:width] for r in rows]))


def load_or_compute_waveform(db: sqlite_utils.Database, call_id: int, path: Path, channels: int) -> Waveform:
    stored = stored_peaks(db, call_id)
    if stored is not None:
        rate, count, peaks = stored
        return Waveform(rate, np.frombuffer(peaks, dtype=np.uint8).reshape(count, -1))
    waveform = compute_waveform(path, channels)
    store_peaks(db, call_id, waveform.points_per_second, waveform.peaks.shape[0], waveform.peaks.tobytes())
    return waveform
