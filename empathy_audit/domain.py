"""Small domain types shared by the core, the CLI and the UI."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
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
    channel_layout: str | None = None  # audio/layout.py: mono | dual_mono | dual | dual_bleed
    layout_note: str | None = None
    layout_source: str = "detected"  # detected | set | assumed (calls imported before layouts were found)
    agent_side_source: str = "default"  # detected (from what is said) | default | set (by a person)
    language: str | None = None  # what the current transcript found ("en", "es"), None before one

    @property
    def layout(self) -> str:
        """The layout transcription follows (older calls: one side per channel when there are two)."""
        return self.channel_layout or ("dual" if self.channels == 2 else "mono")


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
class ConversationMetrics:
    agent_talk_s: float
    customer_talk_s: float
    mixed_talk_s: float
    agent_talk_ratio: float | None  # agent share of agent + customer talk
    longest_customer_monologue_s: float
    silence_total_s: float
    longest_silence_s: float
    overtalk_count: int
    overtalk_s: float

    def as_json(self) -> dict[str, float | int | None]:
        return asdict(self)
