"""Typed messages between the transcription supervisor and its worker process (pickled over a Pipe)."""

from __future__ import annotations

from dataclasses import dataclass, field

from empathy_audit.domain import Segment, WindowCheckpoint

__all__ = ["WindowCheckpoint"]  # lives in domain, so the store need not import the worker's messages


@dataclass
class TranscribeRequest:
    call_id: int
    audio_path: str
    channels: int
    agent_channel: str
    duration_s: float
    done: list[WindowCheckpoint] = field(default_factory=list)
    layout: str = "dual"  # audio/layout.py: mono | dual_mono | dual | dual_bleed


@dataclass
class Shutdown:
    pass


@dataclass
class WorkerReady:
    engine: str
    engine_version: str
    model_name: str
    model_sha256: str


@dataclass
class WorkerFailed:
    error: str


@dataclass
class Progress:
    call_id: int
    fraction: float
    message: str


@dataclass
class WindowDone:
    call_id: int
    checkpoint: WindowCheckpoint


@dataclass
class CallDone:
    call_id: int
    segments: list[Segment]
    language: str | None
    note: str = ""  # what was done about who speaks (echoes dropped, voices told apart)


@dataclass
class CallFailed:
    call_id: int
    error: str
