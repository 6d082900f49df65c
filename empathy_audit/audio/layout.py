"""How a recording's channels are laid out, found by listening to them.

    mono         one channel (or more than two, mixed down)
    dual_mono    two channels carrying the same signal (a mono call copied to both): transcribed once
    dual         one side per channel, each silent while the other speaks
    dual_bleed   one side per channel, each also carrying the other faintly (echo, crosstalk): a word heard
                 on both channels at once belongs to the side where it is louder

Found from the first minutes at 8 kHz: how alike the two channels are overall, and, in the moments where
one side clearly dominates, whether the quieter channel carries a faint copy of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from empathy_audit.audio.decode import decode_window

if TYPE_CHECKING:
    from empathy_audit.domain import Call

LAYOUTS = ("mono", "dual_mono", "dual", "dual_bleed")
LAYOUT_NAMES = {
    "mono": "mono",
    "dual_mono": "mono on both channels",
    "dual": "one side per channel",
    "dual_bleed": "one side per channel, with bleed",
}
SIDE_SOURCES = {"detected": "found from what is said", "default": "the workspace default", "set": "set by hand"}
RATE = 8000
LISTEN_S = 180.0  # enough of a call to tell; bounded, so long shift recordings stay quick
FRAME = RATE // 50  # 20 ms
SAME_CORRELATION = 0.97  # channels this alike (and as loud) are one signal copied
DOMINANT_DB = 6.0  # a frame where one channel is this much louder belongs to that side
BLEED_CORRELATION = 0.5  # the quiet channel follows the loud one this closely: it carries a copy
MAX_LAG = RATE // 20  # an echo up to 50 ms late


@dataclass(frozen=True)
class LayoutFinding:
    layout: str
    detail: str  # why, in numbers: for the Library's tooltip and the import report


def _frame_energy(samples: np.ndarray) -> np.ndarray:
    usable = len(samples) // FRAME * FRAME
    return np.square(samples[:usable].reshape(-1, FRAME)).mean(axis=1) + 1e-12


def _copy_strength(loud: np.ndarray, quiet: np.ndarray) -> float:
    """How closely `quiet` follows `loud` (best normalised correlation within ±50 ms), 0..1."""
    if len(loud) < FRAME * 10 or not np.any(quiet):
        return 0.0
    n = 1 << int(np.ceil(np.log2(2 * len(loud))))
    spectrum = np.fft.rfft(loud, n) * np.conj(np.fft.rfft(quiet, n))
    corr = np.fft.irfft(spectrum, n)
    window = np.concatenate([corr[: MAX_LAG + 1], corr[-MAX_LAG:]])
    norm = np.sqrt(np.dot(loud, loud) * np.dot(quiet, quiet))
    return float(np.max(np.abs(window)) / norm) if norm > 0 else 0.0


def _dominant(samples: np.ndarray, mask: np.ndarray) -> np.ndarray:
    return samples[: len(mask) * FRAME].reshape(-1, FRAME)[mask].ravel()


def classify(left: np.ndarray, right: np.ndarray) -> LayoutFinding:
    """The layout of a two-channel recording from its samples (8 kHz)."""
    length = min(len(left), len(right))
    left, right = left[:length].astype(np.float64), right[:length].astype(np.float64)
    if not np.any(left) or not np.any(right):
        return LayoutFinding("dual", "one channel is silent")
    whole = float(np.corrcoef(left, right)[0, 1]) if np.std(left) and np.std(right) else 0.0
    loudness_db = 10 * np.log10(np.mean(left**2) / np.mean(right**2))
    if whole >= SAME_CORRELATION and abs(loudness_db) < 3:
        return LayoutFinding("dual_mono", f"the channels are the same signal (correlation {whole:.2f})")
    e_left, e_right = _frame_energy(left), _frame_energy(right)
    frames = min(len(e_left), len(e_right))
    e_left, e_right = e_left[:frames], e_right[:frames]
    ratio_db = 10 * np.log10(e_left / e_right)
    floor = max(np.percentile(e_left, 20), np.percentile(e_right, 20))
    strengths = []
    for loud, quiet, mask in (
        (left, right, (ratio_db > DOMINANT_DB) & (e_left > floor * 10)),
        (right, left, (ratio_db < -DOMINANT_DB) & (e_right > floor * 10)),
    ):
        if mask.sum() >= 25:  # half a second of clearly one side
            strengths.append(_copy_strength(_dominant(loud, mask), _dominant(quiet, mask)))
    copy = max(strengths, default=0.0)
    if copy >= BLEED_CORRELATION:
        return LayoutFinding(
            "dual_bleed", f"each side is heard faintly on the other channel (follows it at {copy:.2f})"
        )
    return LayoutFinding("dual", f"one side per channel (crosstalk {copy:.2f}, correlation {whole:.2f})")


def detect_layout(path: Path, channels: int, duration_s: float) -> LayoutFinding:
    """Listen to (up to) the first few minutes of a recording and say how its channels are laid out."""
    if channels != 2:
        return LayoutFinding("mono", "one channel" if channels == 1 else f"{channels} channels, mixed")
    listen = min(duration_s, LISTEN_S)
    left = decode_window(path, channel=0, rate=RATE, start_s=0.0, duration_s=listen)
    right = decode_window(path, channel=1, rate=RATE, start_s=0.0, duration_s=listen)
    return classify(left, right)


def describe_sides(call: Call) -> str:
    """'one side per channel, agent on the right (found from what is said)', 'mono on both channels'..."""
    name = LAYOUT_NAMES.get(call.layout, call.layout)
    if call.layout in ("dual", "dual_bleed"):
        return f"{name}, agent on the {call.agent_channel} ({SIDE_SOURCES.get(call.agent_side_source, '')})"
    return name


def short_sides(layout: str, agent_channel: str) -> str:
    """The Library's and `calls list`'s short form: 'Mono', 'Mono ×2', 'Agent left', 'Agent right · bleed'."""
    if layout == "mono":
        return "Mono"
    if layout == "dual_mono":
        return "Mono ×2"
    return f"Agent {agent_channel}" + (" · bleed" if layout == "dual_bleed" else "")
