"""Typed messages between the transcription supervisor and its worker process (pickled over a Pipe)."""

from __future__ import annotations

from dataclasses import dataclass, field

from empathy_audit.domain import Segment


@dataclass
class WindowCheckpoint:
    """A finished window of one channel; stored so an interrupted call resumes after it."""

    channel: int
    index: int
    start_s: float
    end_s: float
    segments: list[Segment] = field(default_factory=list)
    language: str | None = None


@dataclass
class TranscribeRequest:
    call_id: int
    audio_path: str
    channels: int
    agent_channel: str
    duration_s: float
    done: list[WindowCheckpoint] = field(default_factory=list)


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


@dataclass
class CallFailed:
    call_id: int
    error: str
