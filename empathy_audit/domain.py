"""Small domain types shared by the core, the CLI and the UI."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class CallStatus(StrEnum):
    NEW = "new"  # imported, waiting for transcription
    TRANSCRIBING = "transcribing"
    TRANSCRIBED = "transcribed"
    NO_SPEECH = "no_speech"
    FAILED = "failed"


@dataclass(frozen=True)
class AudioInfo:
    """What really decoding a file told us about it."""

    duration_s: float
    sample_rate: int
    channels: int
    codec: str
    container: str


@dataclass
class Call:
    id: int
    sha256: str
    original_name: str
    stored_path: str
    linked: bool
    size_bytes: int
    duration_s: float
    sample_rate: int
    channels: int
    codec: str
    status: str
    agent_channel: str = "left"
    source_path: str | None = None
    container: str | None = None
    agent: str | None = None
    team: str | None = None
    customer_id: str | None = None
    external_id: str | None = None
    call_start: str | None = None
    queue: str | None = None
    error: str | None = None
    progress: float | None = None
    imported_at: str = ""
    updated_at: str = ""


@dataclass(frozen=True)
class Word:
    start: float
    end: float
    word: str
    probability: float | None = None


@dataclass
class Segment:
    speaker: str  # agent | customer | mixed
    start: float
    end: float
    text: str
    channel: int | None = None
    confidence: float | None = None
    avg_logprob: float | None = None
    no_speech_prob: float | None = None
    compression_ratio: float | None = None
    flags: list[str] = field(default_factory=list)
    words: list[Word] = field(default_factory=list)
    id: int | None = None  # set once stored
    original_text: str | None = None  # what the engine heard, when a reviewer corrected `text`

    @property
    def edited(self) -> bool:
        return self.original_text is not None
