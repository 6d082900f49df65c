"""Transcription speed against a bare sequential faster-whisper script, all in one run, at 2 and 4 threads.

    .venv/bin/python benchmarks/transcription_speed.py [--threads 2,4] [--calls 50] [--repeat 9] [--skip-openai]

Two workloads, both dual-channel 8 kHz mu-law:
- a shift recording: the varied benchmark call (make_long_call.py) repeated to ~20 minutes;
- a batch of short calls (20-60 s pieces of it, different starts and lengths).
For each, at each thread budget:
- bare: a script loading WhisperModel(cpu_threads=T) once, decoding each channel with the app's decoder and
  calling WhisperModel.transcribe on it, channel after channel, call after call, with the app's settings;
- app: the whole thing end to end as the CLI runs it (transcribe_calls: worker process start, model load,
  windows, guards, speakers, store writes), one worker kept warm for the batch.
Targets: shift recording <= 0.8x bare, batch <= 0.7x bare; WER of the app within 0.01 of bare's (shift
recording, against the script); openai-whisper slower than the app (>= 4x); worker peak memory < 1 GB.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from helpers import wer

from empathy_audit.audio.decode import decode_window
from empathy_audit.audio.ffmpeg import ffmpeg_exe
from empathy_audit.importing.importer import import_paths
from empathy_audit.store import open_workspace
from empathy_audit.store.transcripts import current_transcript
from empathy_audit.transcription.engine import DecodeOptions, load_engine
from empathy_audit.transcription.faster_engine import VAD
from empathy_audit.transcription.messages import TranscribeRequest
from empathy_audit.transcription.models import openai_checkpoint_for, resolve_model
from empathy_audit.transcription.pipeline import transcribe_request
from empathy_audit.transcription.runner import TranscribeSettings, transcribe_calls

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "long_call.opus.ogg"
RATE = 8000


def _fixture_pcm() -> np.ndarray:
    raw = subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-i", str(FIXTURE), "-f", "s16le", "-ac", "2", "-ar", str(RATE), "-"],
        capture_output=True,
        check=True,
    ).stdout
    return np.frombuffer(raw, dtype="<i2").reshape(-1, 2)


def _write_mulaw(pcm: np.ndarray, out: Path) -> None:
    subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-y", "-f", "s16le", "-ac", "2", "-ar", str(RATE), "-i", "-",
         "-c:a", "pcm_mulaw", str(out)],
        input=np.ascontiguousarray(pcm).tobytes(),
        check=True,
    )  # fmt: skip


def make_long_call(out: Path, repeat: int) -> float:
    """The varied benchmark call (see make_long_call.py) `repeat` times, as 8 kHz mu-law stereo."""
    pcm = np.tile(_fixture_pcm(), (repeat, 1))
    _write_mulaw(pcm, out)
    return len(pcm) / RATE


def make_short_calls(folder: Path, count: int) -> list[Path]:
    """`count` calls of 20-60 s, each a different piece of the benchmark call."""
    pcm = _fixture_pcm()
    rng = np.random.default_rng(7)
    paths = []
    for n in range(count):
        length = rng.uniform(20, 60)
        start = rng.uniform(0, len(pcm) / RATE - length)
        path = folder / f"short call {n:02d}.wav"
        _write_mulaw(pcm[int(start * RATE) : int((start + length) * RATE)], path)
        paths.append(path)
    return paths


def bare(paths: list[Path], model_path: str, threads: int, options: DecodeOptions) -> tuple[float, list[str]]:
    """A plain script: the model loaded once, each channel of each call decoded and transcribed in turn."""
    from faster_whisper import WhisperModel

    started = time.perf_counter()
    model = WhisperModel(model_path, device="cpu", compute_type="int8", cpu_threads=threads)
    texts = []
    for path in paths:
        for channel in (0, 1):
            segments, _info = model.transcribe(
                decode_window(path, channel=channel),
                language="en",
                beam_size=options.beam_size,
                temperature=list(options.temperatures),
                condition_on_previous_text=False,
                word_timestamps=True,
                vad_filter=True,
                vad_parameters=dict(VAD),
                hallucination_silence_threshold=options.hallucination_silence_threshold,
            )
            texts.append(" ".join(s.text.strip() for s in segments))
    return time.perf_counter() - started, texts


def app(paths: list[Path], workspace_dir: Path, options: DecodeOptions) -> tuple[float, list[str]]:
    """The app end to end, as `empathy-audit transcribe` runs it; returns the time and each call's sides."""
    workspace = open_workspace(workspace_dir)
    ids = [c.call_id for c in import_paths(workspace, paths).imported]
    started = time.perf_counter()
    summary = transcribe_calls(workspace, ids, TranscribeSettings(options=options))
    elapsed = time.perf_counter() - started
    assert all(o.status == "transcribed" for o in summary.outcomes), summary.outcomes
    texts = []
    for call_id in ids:
        _row, segments = current_transcript(workspace.db, call_id)
        texts += [" ".join(s.text for s in segments if s.speaker == side) for side in ("agent", "customer")]
    workspace.close()
    return elapsed, texts


def script_sides(repeat: int) -> list[str]:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from make_long_call import LINES

    return [" ".join([" ".join(t for who, t in LINES if who == side)] * repeat) for side in ("agent", "customer")]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", default="2,4", help="comma-separated thread budgets")
    parser.add_argument("--calls", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=9, help="times the 136 s call is repeated (9: ~20 min)")
    parser.add_argument("--skip-openai", action="store_true")
    args = parser.parse_args()
    model = resolve_model(None)
    rows = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        long_call = tmp / "shift recording.wav"
        duration = make_long_call(long_call, args.repeat)
        short = make_short_calls(tmp, args.calls)
        short_seconds = sum(decode_window(p, channel=0, rate=RATE).size / RATE for p in short)
        reference = script_sides(args.repeat)
        for threads in (int(t) for t in args.threads.split(",")):
            options = DecodeOptions(threads=threads)
            t_bare, bare_text = bare([long_call], str(model.path), threads, options)
            t_app, app_text = app([long_call], tmp / f"ws-long-{threads}", options)
            wer_bare = np.mean([wer(r, h) for r, h in zip(reference, bare_text, strict=True)])
            wer_app = np.mean([wer(r, h) for r, h in zip(reference, app_text, strict=True)])
            b_bare, _ = bare(short, str(model.path), threads, options)
            b_app, _ = app(short, tmp / f"ws-short-{threads}", options)
            rows.append((threads, t_bare, t_app, wer_bare, wer_app, b_bare, b_app))
        t_openai = t_fast = None
        if not args.skip_openai:
            call = tmp / "one call.wav"
            one = make_long_call(call, 1)
            request = TranscribeRequest(1, str(call), 2, "left", one)
            options = DecodeOptions(threads=2)
            fast = load_engine("faster-whisper", str(model.path), 2)
            started = time.perf_counter()
            transcribe_request(fast, request, options, lambda _m: None)
            t_fast = time.perf_counter() - started
            reference_engine = load_engine("openai-whisper", str(openai_checkpoint_for(model)), 2)
            started = time.perf_counter()
            transcribe_request(reference_engine, request, options, lambda _m: None)
            t_openai = time.perf_counter() - started
    worker_peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"model {model.name} int8 on {os.cpu_count()} cores; shift recording {duration / 60:.1f} min "
          f"dual-channel 8 kHz; batch {args.calls} calls, {short_seconds:.0f} s in all")  # fmt: skip
    print(f"{'threads':>7} {'shift: bare':>11} {'app':>7} {'ratio':>6} {'WER bare':>8} {'app':>6}"
          f" {'batch: bare':>11} {'app':>7} {'ratio':>6}")  # fmt: skip
    for threads, t_bare, t_app, wer_bare, wer_app, b_bare, b_app in rows:
        print(f"{threads:>7} {t_bare:>10.1f}s {t_app:>6.1f}s {t_app / t_bare:>5.2f}x {wer_bare:>8.3f} {wer_app:>6.3f}"
              f" {b_bare:>10.1f}s {b_app:>6.1f}s {b_app / b_bare:>5.2f}x")  # fmt: skip
    print("targets: shift <= 0.80x, batch <= 0.70x, WER app - bare <= 0.01")
    if t_openai is not None and t_fast is not None:
        print(f"openai-whisper on the same weights, one 136 s call: {t_openai:.1f} s against the app's pipeline "
              f"{t_fast:.1f} s ({t_openai / t_fast:.1f}x; target >= 4x)")  # fmt: skip
    print(f"worker peak memory (max RSS): {worker_peak_mb:.0f} MB (target < 1024 MB)")


if __name__ == "__main__":
    main()
