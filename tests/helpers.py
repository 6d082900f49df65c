"""Small helpers shared by tests: word error rate, CLI runs, bad-audio makers."""

from __future__ import annotations

import json
import os
import re
import struct
import subprocess
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent


CONTRACTIONS = {
    "i'm": "i am",
    "it's": "it is",
    "don't": "do not",
    "can't": "cannot",
    "i'll": "i will",
    "you're": "you are",
    "that's": "that is",
    "what's": "what is",
    "we'll": "we will",
}


def words(text: str) -> list[str]:
    """Lower-case words with contractions expanded (as Whisper's own English normaliser does)."""
    tokens = re.findall(r"[^\W_]+(?:'[^\W_]+)*", text.lower().replace("’", "'"))  # letters of any language
    return " ".join(CONTRACTIONS.get(t, t) for t in tokens).split()


def wer(reference: str, hypothesis: str) -> float:
    """Word error rate: word-level edit distance over reference length."""
    ref, hyp = words(reference), words(hypothesis)
    d = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, start=1):
        prev, d[0] = d[0], i
        for j, h in enumerate(hyp, start=1):
            prev, d[j] = d[j], min(d[j] + 1, d[j - 1] + 1, prev + (r != h))
    return d[len(hyp)] / max(1, len(ref))


def run_cli(*args: str, data_dir: Path | None = None, check_json: bool = False, timeout: float = 300, cwd: Path = REPO):
    """Run `python -m empathy_audit` as a user would; returns CompletedProcess (stdout parsed if --json)."""
    cmd = [sys.executable, "-m", "empathy_audit", *args]
    if data_dir is not None:
        cmd += ["--data-dir", str(data_dir)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=cwd, env=os.environ.copy())
    if check_json:
        proc.json = json.loads(proc.stdout)  # type: ignore[attr-defined]
    return proc


def write_wav(path: Path, samples: np.ndarray, rate: int, channels: int = 1) -> Path:
    """16-bit PCM WAV from float samples in -1..1 (shape (n,) or (n, channels))."""
    data = (np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes()
    header = b"RIFF" + struct.pack("<I", 36 + len(data)) + b"WAVE"
    header += b"fmt " + struct.pack("<IHHIIHH", 16, 1, channels, rate, rate * channels * 2, channels * 2, 16)
    header += b"data" + struct.pack("<I", len(data))
    path.write_bytes(header + data)
    return path


def tone(seconds: float, rate: int = 16000, freq: float = 440.0, amplitude: float = 0.3) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return (amplitude * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def speech_onsets(path: Path, channel: int, rate: int = 8000, threshold: float = 0.02) -> list[float]:
    """Times where sound starts after at least 0.8 s of quiet in one channel of a fixture (for timing checks)."""
    from empathy_audit.audio.decode import decode_window

    samples = np.abs(decode_window(path, channel=channel, rate=rate))
    frame = rate // 50
    loud = samples[: len(samples) // frame * frame].reshape(-1, frame).max(axis=1) > threshold
    onsets, quiet = [], 999
    for i, is_loud in enumerate(loud):
        if is_loud and quiet >= 40:
            onsets.append(i * frame / rate)
        quiet = 0 if is_loud else quiet + 1
    return onsets


def transcribed_workspace(root: Path, metadata_csv: str, files: list[Path]) -> Path:
    """A workspace at `root` with `files` imported (with this metadata CSV) and transcribed, checkpointed so
    it can be copied file by file."""
    from empathy_audit.importing.importer import ImportOptions, import_paths
    from empathy_audit.importing.metadata import load_metadata
    from empathy_audit.store import open_workspace
    from empathy_audit.transcription.runner import pending_call_ids, transcribe_calls

    meta = root.parent / "meta.csv"
    meta.write_text(metadata_csv)
    with open_workspace(root) as ws:
        import_paths(ws, files, ImportOptions(metadata=load_metadata(meta)))
        summary = transcribe_calls(ws, pending_call_ids(ws))
        assert all(o.status == "transcribed" for o in summary.outcomes)
        ws.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return root


def voiced_extent(path: Path, channel: int, start_s: float, end_s: float, frame_s: float = 0.02) -> tuple[float, float]:
    """First and last moment in [start, end] where one channel has speech (frames within 30 dB of the loudest)."""
    from empathy_audit.audio.decode import decode_window

    rate = 16_000
    samples = decode_window(path, channel=channel, start_s=start_s, duration_s=end_s - start_s, rate=rate)
    n = int(frame_s * rate)
    frames = samples[: len(samples) // n * n].reshape(-1, n)
    rms = np.sqrt((frames.astype(np.float64) ** 2).mean(axis=1)) + 1e-12
    loud = np.flatnonzero(20 * np.log10(rms / rms.max()) > -30)
    return start_s + loud[0] * frame_s, start_s + (loud[-1] + 1) * frame_s


def covered(spans: list[tuple[float, float]], start_s: float, end_s: float) -> float:
    """Share of [start, end] inside the union of `spans`."""
    total = 0.0
    for a, b in spans:
        total += max(0.0, min(b, end_s) - max(a, start_s))
    return total / max(1e-9, end_s - start_s)


def number_runs_in(text: str) -> list[str]:
    """The digits of each spoken or written number of 4+ digits in `text`, however the engine wrote it
    ("four five three nine", "4539", "4 .5 .3 9"): for asserting on transcripts without exact words."""
    from empathy_audit.privacy.rules import number_runs
    from empathy_audit.privacy.spoken import norm

    tokens = text.split()
    words = [norm(t) for t in tokens]
    out = []
    for f in number_runs(tokens, words):
        digits = "".join(ch for t in tokens[f.first : f.last + 1] for ch in t if ch.isdigit())
        spoken = "".join(
            w
            for w in words[f.first : f.last + 1]
            if w in {"zero", "oh", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"}
        )
        out.append(digits + spoken)
    return out


def says_card_number(text: str) -> bool:
    """True when the text holds a long spoken or written number (the fixture's 16-digit card, give or take)."""
    return any(len(run) >= 12 for run in number_runs_in(text))
