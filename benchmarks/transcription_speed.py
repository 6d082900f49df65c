"""Transcription speed and memory, all measured in one run on the same dual-channel 8 kHz call.

    .venv/bin/python benchmarks/transcription_speed.py [--repeat N] [--skip-openai]

1. bare faster-whisper: WhisperModel.transcribe on each channel, same settings as the app
2. the app's pipeline (windows, guards, merge) in-process, with the engine already loaded
3. the app end to end: transcribe_calls (worker process spawn, model load, store writes)
4. openai-whisper on the same weights (converted from the bundled model), same settings

Targets: pipeline overhead <= 10% over bare faster-whisper; faster-whisper >= 4x faster
than openai-whisper; real-time factor < 0.1 on 2 cores with tiny.en; worker peak memory < 1 GB.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np

from empathy_audit.audio.decode import decode_window
from empathy_audit.audio.ffmpeg import ffmpeg_exe
from empathy_audit.importing.importer import import_paths
from empathy_audit.store import open_workspace
from empathy_audit.transcription.engine import DecodeOptions, load_engine
from empathy_audit.transcription.messages import TranscribeRequest
from empathy_audit.transcription.models import openai_checkpoint_for, resolve_model
from empathy_audit.transcription.pipeline import transcribe_request
from empathy_audit.transcription.runner import TranscribeSettings, transcribe_calls

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "long_call.opus.ogg"


def make_long_call(out: Path, repeat: int) -> float:
    """The varied benchmark call (see make_long_call.py) `repeat` times, as 8 kHz mu-law stereo."""
    raw = subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-i", str(FIXTURE), "-f", "s16le", "-ac", "2", "-ar", "8000", "-"],
        capture_output=True,
        check=True,
    ).stdout
    data = np.tile(np.frombuffer(raw, dtype="<i2"), repeat).tobytes()
    subprocess.run(
        [
            ffmpeg_exe(),
            "-v",
            "error",
            "-y",
            "-f",
            "s16le",
            "-ac",
            "2",
            "-ar",
            "8000",
            "-i",
            "-",
            "-c:a",
            "pcm_mulaw",
            str(out),
        ],
        input=data,
        check=True,
    )
    return len(data) / 4 / 8000


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--skip-openai", action="store_true")
    args = parser.parse_args()
    options = DecodeOptions(threads=args.threads)
    model = resolve_model(None)

    with tempfile.TemporaryDirectory() as tmp:
        call = Path(tmp, "long call.wav")
        duration = make_long_call(call, args.repeat)

        from faster_whisper import WhisperModel

        bare_model = WhisperModel(str(model.path), device="cpu", compute_type="int8", cpu_threads=args.threads)

        def bare() -> None:
            # Decoding is part of both sides: the bare call gets the same ffmpeg decode the app uses.
            for audio in (decode_window(call, channel=c) for c in (0, 1)):
                segments, _info = bare_model.transcribe(
                    audio,
                    language="en",
                    beam_size=options.beam_size,
                    temperature=list(options.temperatures),
                    condition_on_previous_text=False,
                    word_timestamps=True,
                    vad_filter=True,
                    vad_parameters={"min_silence_duration_ms": 500, "speech_pad_ms": 200},
                    hallucination_silence_threshold=options.hallucination_silence_threshold,
                )
                list(segments)

        engine = load_engine("faster-whisper", str(model.path), args.threads)
        request = TranscribeRequest(1, str(call), 2, "left", duration)

        def pipeline() -> None:
            transcribe_request(engine, request, options, lambda _m: None)

        bare()  # warm-up (first-call allocations)
        t_bare = min(timed(bare) for _ in range(2))
        t_pipeline = min(timed(pipeline) for _ in range(2))

        workspace = open_workspace(Path(tmp, "ws"))
        (imported,) = import_paths(workspace, [call]).imported
        t_app = timed(lambda: transcribe_calls(workspace, [imported.call_id], TranscribeSettings(options=options)))
        worker_peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

        t_openai = None
        if not args.skip_openai:
            checkpoint = openai_checkpoint_for(model)
            reference = load_engine("openai-whisper", str(checkpoint), args.threads)
            t_openai = timed(lambda: transcribe_request(reference, request, options, lambda _m: None))

    print(f"audio: dual-channel 8 kHz mu-law, {duration:.0f} s per channel, {args.threads} threads, tiny.en int8")
    print(f"bare faster-whisper (both channels):  {t_bare:6.2f} s")
    print(
        f"app pipeline, engine loaded:          {t_pipeline:6.2f} s   overhead {100 * (t_pipeline / t_bare - 1):+.1f}%"
        " (target <= +10%)"
    )
    print(f"app end to end (spawn, load, store):  {t_app:6.2f} s")
    print(f"real-time factor, pipeline:           {t_pipeline / duration:6.3f}   (target < 0.1)")
    print(f"real-time factor, end to end:         {t_app / duration:6.3f}")
    if t_openai is not None:
        print(
            f"openai-whisper, same weights:         {t_openai:6.2f} s   faster-whisper is "
            f"{t_openai / t_pipeline:.1f}x faster (target >= 4x)"
        )
    print(f"worker peak memory (max RSS):         {worker_peak_mb:6.0f} MB  (target < 1024 MB)")
    print(f"benchmark process peak memory:        {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:6.0f} MB")


if __name__ == "__main__":
    main()
