"""The engine interface: one window of 16 kHz mono audio in, timed segments with words out.

Engines are imported lazily (only inside the worker process), so opening the app or
running a CLI listing never loads CTranslate2 or PyTorch.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

import numpy as np

from empathy_audit.domain import Word

SAMPLE_RATE = 16_000
ENGINES = {
    "faster-whisper": "empathy_audit.transcription.faster_engine:FasterWhisperEngine",
    "openai-whisper": "empathy_audit.transcription.openai_engine:OpenAIWhisperEngine",
}
DEFAULT_ENGINE = "faster-whisper"


class EngineUnavailable(RuntimeError):
    """The engine cannot run here (e.g. its optional packages are missing)."""


@dataclass
class DecodeOptions:
    """Decoding settings; recorded with every transcript as its provenance."""

    language: str | None = None  # None: English for .en models, else detected
    beam_size: int = 5
    threads: int = 0  # 0: all cores
    vad: bool = True
    condition_on_previous_text: bool = False  # conditioning feeds repetition loops on long calls
    temperatures: tuple[float, ...] = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
    compression_ratio_threshold: float = 2.4
    log_prob_threshold: float = -1.0
    no_speech_threshold: float = 0.6
    hallucination_silence_threshold: float | None = 2.0
    vocabulary: tuple[str, ...] = ()  # the workspace's names and terms, given to the engine as hints

    @property
    def hint(self) -> str | None:
        """The vocabulary as one hint text ("Quillfeather, Lumiqo Plus"), or None."""
        return ", ".join(self.vocabulary) or None

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["temperatures"] = list(self.temperatures)
        data["vocabulary"] = list(self.vocabulary)
        return data


@dataclass
class RawSegment:
    """A segment as an engine returns it, times relative to the window given."""

    start: float
    end: float
    text: str
    avg_logprob: float | None = None
    no_speech_prob: float | None = None
    compression_ratio: float | None = None
    words: list[Word] = field(default_factory=list)


# on_progress(seconds of this window done)
WindowProgress = Callable[[float], None]


class Engine(Protocol):
    name: str

    def version(self) -> str: ...

    def transcribe(
        self, audio: np.ndarray, options: DecodeOptions, on_progress: WindowProgress
    ) -> tuple[list[RawSegment], str]:
        """Transcribe float32 16 kHz mono samples; returns (segments, language)."""
        ...


def load_engine(name: str, model_path: str, threads: int) -> Engine:
    """Create an engine by name, or by 'package.module:Class' (how tests plug in fault-injecting engines)."""
    target = ENGINES.get(name, name)
    if ":" not in target:
        raise EngineUnavailable(f"Unknown engine '{name}'. Choose one of: {', '.join(ENGINES)}.")
    module_name, class_name = target.split(":", 1)
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        if name == "openai-whisper":
            raise EngineUnavailable(
                "The openai-whisper engine is not installed. Install it with "
                "`pip install 'empathy-audit[openai-whisper]' -c packaging/constraints.txt`, "
                "or use the default faster-whisper engine."
            ) from exc
        raise EngineUnavailable(f"Engine '{name}' cannot be loaded: {exc}") from exc
    engine: Engine = getattr(module, class_name)(model_path=model_path, threads=threads)
    return engine
