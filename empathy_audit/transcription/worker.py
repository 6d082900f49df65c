"""The transcription worker process: loads one engine, then transcribes calls on request.

It talks to its parent only through typed messages on a Pipe, and never touches the
workspace database; a native crash or a kill here cannot corrupt anything.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
import traceback
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from empathy_audit.transcription.engine import DecodeOptions


@dataclass
class WorkerConfig:
    engine: str
    model: str | None
    options: DecodeOptions
    window_s: float


def _load(config: WorkerConfig):  # -> (Engine, WorkerReady)
    from empathy_audit.transcription.engine import load_engine
    from empathy_audit.transcription.messages import WorkerReady
    from empathy_audit.transcription.models import file_sha256, openai_checkpoint_for, resolve_model

    if config.engine == "openai-whisper" and config.model and config.model.endswith(".pt"):
        checkpoint = Path(config.model)
        path, name, sha = str(checkpoint), checkpoint.name, file_sha256(checkpoint)
    else:
        model = resolve_model(config.model)
        name, sha = model.name, model.sha256
        path = str(openai_checkpoint_for(model)) if config.engine == "openai-whisper" else str(model.path)
    engine = load_engine(config.engine, path, config.options.threads)
    return engine, WorkerReady(engine.name, engine.version(), name, sha)


def _die_with_parent() -> None:
    """On Linux, have the kernel kill this worker if its parent is killed (even with kill -9)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(Exception):
            libc = ctypes.CDLL("libc.so.6", use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


BACKGROUND_NICE = 10  # as background indexers run: the window and the user's other programs come first


def worker_main(conn: Connection, config: WorkerConfig) -> None:
    """Entry point of the spawned process."""
    _die_with_parent()
    if hasattr(os, "nice"):  # the window's thread gets the CPU first: Whisper uses every core it is given
        os.nice(BACKGROUND_NICE)
    from empathy_audit.audio.decode import DecodeError
    from empathy_audit.transcription.messages import (
        CallDone,
        CallFailed,
        Shutdown,
        TranscribeRequest,
        WorkerFailed,
    )
    from empathy_audit.transcription.pipeline import transcribe_request

    try:
        engine, ready = _load(config)
    except Exception as exc:
        conn.send(WorkerFailed(str(exc) or type(exc).__name__))
        return
    conn.send(ready)
    while True:
        try:
            message = conn.recv()
        except EOFError:
            return  # the parent went away
        if isinstance(message, Shutdown):
            return
        assert isinstance(message, TranscribeRequest)
        try:
            segments, language, note = transcribe_request(engine, message, config.options, conn.send, config.window_s)
        except DecodeError as exc:
            conn.send(CallFailed(message.call_id, str(exc)))
        except Exception as exc:
            detail = traceback.format_exception_only(exc)[-1].strip()
            conn.send(CallFailed(message.call_id, f"transcription failed: {detail}"))
        else:
            conn.send(CallDone(message.call_id, segments, language, note))
