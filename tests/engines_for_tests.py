"""Fault-injecting engines, loaded by the worker process as 'engines_for_tests:Name'.

A real native crash or hang cannot be provoked on demand in faster-whisper, so these
stand in for one (SIGSEGV, a frozen decoder); everything else about the run is real.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import numpy as np

from empathy_audit.transcription.engine import DecodeOptions, RawSegment, WindowProgress
from empathy_audit.transcription.faster_engine import FasterWhisperEngine


class CrashingEngine(FasterWhisperEngine):
    """Dies with SIGSEGV, like a native library fault, on its first window."""

    def transcribe(self, audio: np.ndarray, options: DecodeOptions, on_progress: WindowProgress):
        os.kill(os.getpid(), signal.SIGSEGV)
        raise AssertionError("unreachable")


class HangingEngine(FasterWhisperEngine):
    """Never returns from its first window."""

    def transcribe(self, audio: np.ndarray, options: DecodeOptions, on_progress: WindowProgress):
        while True:
            time.sleep(1)


class RecordingEngine(FasterWhisperEngine):
    """The real engine, logging each window's length to $EA_TEST_LOG; crashes after $EA_CRASH_AFTER windows."""

    def transcribe(
        self, audio: np.ndarray, options: DecodeOptions, on_progress: WindowProgress
    ) -> tuple[list[RawSegment], str]:
        log = Path(os.environ["EA_TEST_LOG"])
        done = len(log.read_text().splitlines()) if log.exists() else 0
        crash_after = int(os.environ.get("EA_CRASH_AFTER", "-1"))
        if done == crash_after:
            os.kill(os.getpid(), signal.SIGKILL)
        with log.open("a") as f:
            f.write(f"{len(audio) / 16000:.3f}\n")
        return super().transcribe(audio, options, on_progress)


class SlowEngine(FasterWhisperEngine):
    """The real engine, slowed so a test can cancel or kill mid-call."""

    def transcribe(self, audio: np.ndarray, options: DecodeOptions, on_progress: WindowProgress):
        for second in range(int(len(audio) / 16000)):
            on_progress(float(second))
            time.sleep(0.5)
        return super().transcribe(audio, options, on_progress)
