"""Two voices in a mono recording, told apart offline with no model to download.

Each turn Whisper heard (a sentence, or the words between pauses) is described by the cepstra of its loud
frames (19 coefficients of a 30-band log-mel spectrum over 100–3,800 Hz, the telephone band), modelled as one
Gaussian. Turns are merged bottom-up by the Bayesian information criterion (ΔBIC: would one voice explain the
two turns as well as two voices, allowing for the extra parameters?) until two groups remain, the classic
pre-neural diarization of LIUM and similar tools. If the last two groups are not clearly two voices (ΔBIC per
frame below MIN_DBIC), the call keeps one "mixed" speaker rather than an unreliable split. Which voice is the
agent is decided afterwards, by what each says (sides.py).

This tells apart voices of different pitch or timbre well (a man and a woman, two women, two men of different
pitch); two very alike voices stay "mixed". benchmarks/speaker_accuracy.py measures it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from empathy_audit.domain import Segment

BANDS, CEPSTRA = 30, 19
LOW_HZ, HIGH_HZ = 100.0, 3800.0
N_FFT, HOP = 256, 80  # 32 ms frames every 10 ms at 8 kHz
MIN_FRAMES = 20  # a turn with fewer loud frames is too short to model; it joins the voice it sounds like
MIN_DBIC = 0.6  # per frame; one voice measured ≤ 0.34, two clearly different voices ≥ 0.9 (see the benchmark)
PENALTY = 1.0  # the BIC's lambda


def _mel_filters(rate: int) -> np.ndarray:
    def mel(f: np.ndarray | float) -> np.ndarray:
        return 2595 * np.log10(1 + np.asarray(f) / 700)

    def hz(m: np.ndarray) -> np.ndarray:
        return 700 * (10 ** (m / 2595) - 1)

    edges = hz(np.linspace(mel(LOW_HZ), mel(min(HIGH_HZ, rate / 2 - 1)), BANDS + 2))
    freqs = np.fft.rfftfreq(N_FFT, 1 / rate)
    filters = np.zeros((BANDS, len(freqs)))
    for i in range(BANDS):
        lo, mid, hi = edges[i], edges[i + 1], edges[i + 2]
        filters[i] = np.clip(np.minimum((freqs - lo) / (mid - lo), (hi - freqs) / (hi - mid)), 0, None)
    return filters


def frame_cepstra(samples: np.ndarray, rate: int) -> tuple[np.ndarray, np.ndarray]:
    """Cepstra (frames × CEPSTRA, the call's mean taken out) and log energy per frame, every HOP samples."""
    if len(samples) < N_FFT:
        return np.zeros((0, CEPSTRA)), np.zeros(0)
    count = 1 + (len(samples) - N_FFT) // HOP
    index = np.arange(N_FFT)[None, :] + HOP * np.arange(count)[:, None]
    power = np.abs(np.fft.rfft(samples[index] * np.hamming(N_FFT), axis=1)) ** 2
    log_mel = np.log(power @ _mel_filters(rate).T + 1e-10)
    dct = np.cos(np.pi / BANDS * (np.arange(BANDS)[:, None] + 0.5) * np.arange(1, CEPSTRA + 1)[None, :])
    cepstra = log_mel @ dct
    return cepstra - cepstra.mean(axis=0), np.log(power.sum(axis=1) + 1e-10)


@dataclass
class Voice:
    """Sufficient statistics of a Gaussian over frames, so merging two is a sum."""

    n: int
    total: np.ndarray
    outer: np.ndarray

    @classmethod
    def of(cls, frames: np.ndarray) -> Voice:
        return cls(len(frames), frames.sum(axis=0), frames.T @ frames)

    def __add__(self, other: Voice) -> Voice:
        return Voice(self.n + other.n, self.total + other.total, self.outer + other.outer)

    def covariance(self) -> np.ndarray:
        mean = self.total / self.n
        return self.outer / self.n - np.outer(mean, mean) + 1e-6 * np.eye(len(mean))

    def log_det(self) -> float:
        return float(np.linalg.slogdet(self.covariance())[1])

    def log_likelihood(self, frames: np.ndarray) -> float:
        """Mean log-likelihood of the frames under this voice."""
        cov = self.covariance()
        diff = frames - self.total / self.n
        mahalanobis = np.einsum("ij,jk,ik->i", diff, np.linalg.inv(cov), diff)
        return float(-0.5 * (mahalanobis.mean() + np.linalg.slogdet(cov)[1]))


def delta_bic(a: Voice, b: Voice) -> float:
    """How much better two voices explain a and b than one (positive: two voices)."""
    merged = a + b
    d = len(a.total)
    penalty = PENALTY * 0.5 * (d + d * (d + 1) / 2) * np.log(merged.n)
    return 0.5 * (merged.n * merged.log_det() - a.n * a.log_det() - b.n * b.log_det()) - penalty


def two_groups(voices: list[Voice]) -> tuple[list[int], float]:
    """Each voice's group (0/1), merging the most alike pair until two remain; and the final ΔBIC per frame."""
    groups: list[list[int]] = [[i] for i in range(len(voices))]
    stats = list(voices)
    table = np.full((len(stats), len(stats)), np.inf)
    for i in range(len(stats)):
        for j in range(i + 1, len(stats)):
            table[i, j] = delta_bic(stats[i], stats[j])
    alive = list(range(len(stats)))
    while len(alive) > 2:
        sub = table[np.ix_(alive, alive)]
        i, j = np.unravel_index(int(np.argmin(sub)), sub.shape)
        a, b = alive[min(i, j)], alive[max(i, j)]
        stats[a], groups[a] = stats[a] + stats[b], groups[a] + groups[b]
        alive.remove(b)
        for k in alive:
            if k != a:
                lo, hi = min(a, k), max(a, k)
                table[lo, hi] = delta_bic(stats[lo], stats[hi])
    labels = [0] * len(voices)
    for group, index in enumerate(alive):
        for member in groups[index]:
            labels[member] = group
    final = delta_bic(stats[alive[0]], stats[alive[1]]) / (stats[alive[0]].n + stats[alive[1]].n)
    return labels, float(final)


def _turn_frames(seg: Segment, cepstra: np.ndarray, energy: np.ndarray, rate: int) -> np.ndarray:
    """The loud frames (top 60 % by energy) of a turn's span: its voice, not the pauses."""
    a, b = int(seg.start * rate / HOP), int(seg.end * rate / HOP)
    frames, loudness = cepstra[a:b], energy[a:b]
    if len(frames) < 3:
        return frames
    return frames[loudness >= np.percentile(loudness, 40)]


def separate(segments: list[Segment], samples: np.ndarray, rate: int) -> tuple[list[Segment], str]:
    """Give a mono call's turns to two voices: speakers 'agent' (who speaks first) and 'customer', to be
    checked against what each says. Returns the segments and a sentence saying what was done."""
    cepstra, energy = frame_cepstra(samples, rate)
    turns = [i for i, seg in enumerate(segments) if seg.words and seg.text.strip()]
    frames = {i: _turn_frames(segments[i], cepstra, energy, rate) for i in turns}
    anchored = [i for i in turns if len(frames[i]) >= MIN_FRAMES]
    if len(anchored) < 2:
        return segments, "too little speech to tell two voices apart"
    groups, separation = two_groups([Voice.of(frames[i]) for i in anchored])
    if separation < MIN_DBIC:
        return segments, f"one voice, or two too alike to tell apart (ΔBIC {separation:.2f} per frame)"
    voice_of = dict(zip(anchored, groups, strict=True))
    models = [sum((Voice.of(frames[i]) for i in anchored if voice_of[i] == g), Voice.of(np.zeros((0, CEPSTRA))))
              for g in (0, 1)]  # fmt: skip
    previous = groups[0]
    for i in turns:
        if i not in voice_of:  # a short turn: the voice it sounds like, or the one before it if it has no sound
            if len(frames[i]):
                voice_of[i] = int(np.argmax([m.log_likelihood(frames[i]) for m in models]))
            else:
                voice_of[i] = previous
        previous = voice_of[i]
    first = voice_of[turns[0]]
    names = {first: "agent", 1 - first: "customer"}
    out = [replace(seg, speaker=names[voice_of[i]]) if i in voice_of else seg for i, seg in enumerate(segments)]
    return out, f"two voices told apart (ΔBIC {separation:.2f} per frame)"
