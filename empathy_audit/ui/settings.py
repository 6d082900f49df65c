"""Every persistent setting in one registry, with its default and type."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QByteArray, QSettings


@dataclass(frozen=True)
class Key:
    name: str
    default: Any
    kind: type


GEOMETRY = Key("window/geometry", QByteArray(), QByteArray)
WINDOW_STATE = Key("window/state", QByteArray(), QByteArray)
SECTION = Key("window/section", 0, int)
REVIEWER = Key("review/reviewer", "", str)
HIDE_PERSONAL = Key("review/hide_personal_data", False, bool)
SAMPLE_PER_AGENT = Key("review/sample_per_agent", 5, int)
ENGINE = Key("transcription/engine", "faster-whisper", str)
MODEL = Key("transcription/model", "", str)  # "": the default model (models.default_model())
UNCERTAIN_BELOW = Key("review/uncertain_below", 0.5, float)  # word probability shown as uncertain
AUTO_TRANSCRIBE = Key("transcription/auto", True, bool)
AGENT_CHANNEL = Key("import/agent_channel", "left", str)
VOLUME = Key("player/volume", 80, int)
RATE = Key("player/rate", 1.0, float)
LIBRARY_COLUMNS = Key("library/columns", QByteArray(), QByteArray)  # shown columns, widths, sort

ALL_KEYS = [
    GEOMETRY,
    WINDOW_STATE,
    SECTION,
    REVIEWER,
    HIDE_PERSONAL,
    SAMPLE_PER_AGENT,
    ENGINE,
    MODEL,
    UNCERTAIN_BELOW,
    AUTO_TRANSCRIBE,
    AGENT_CHANNEL,
    VOLUME,
    RATE,
    LIBRARY_COLUMNS,
]


class Settings:
    """Typed access over QSettings; widgets get this object, never QSettings itself."""

    def __init__(self, store: QSettings | None = None) -> None:
        self._store = store or QSettings("EmpathyAudit", "Empathy Audit")

    def get(self, key: Key) -> Any:
        value = self._store.value(key.name, key.default)
        if key.kind is bool and isinstance(value, str):
            return value.lower() in ("true", "1")
        try:
            return key.kind(value) if value is not None else key.default
        except (TypeError, ValueError):
            return key.default

    def set(self, key: Key, value: Any) -> None:
        self._store.setValue(key.name, value)

    def sync(self) -> None:
        self._store.sync()
