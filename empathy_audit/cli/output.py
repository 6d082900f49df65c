"""Printing for the CLI: plain words on stderr, JSON on stdout, a progress bar on a terminal."""

from __future__ import annotations

import io
import json
import math
import re
import sys
import time
from typing import Any

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


class UsageProblem(Exception):
    """The command line itself is wrong (exit code 2)."""


# C0 controls (ESC included) and DEL: names and notes are printed as plain text, never as terminal codes.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def plain(text: str) -> str:
    """Text safe to print on a terminal: control characters (ANSI escapes among them) shown as '?'."""
    return CONTROL.sub("?", text)


class PlainTextStream(io.TextIOBase):
    """Wraps stdout so every line the CLI prints is plain text (JSON already escapes control characters)."""

    def __init__(self, target: Any) -> None:
        self.target = target

    def write(self, text: str) -> int:
        self.target.write(plain(text))
        return len(text)

    def flush(self) -> None:
        self.target.flush()

    def isatty(self) -> bool:
        return self.target.isatty()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self.target.encoding


def error(message: str) -> None:
    print(f"empathy-audit: {plain(message)}", file=sys.stderr)


def finite(data: Any) -> Any:
    """`data` with NaN and infinities as null, so --json is strict JSON that every parser accepts."""
    if isinstance(data, float):
        return data if math.isfinite(data) else None
    if isinstance(data, dict):
        return {k: finite(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [finite(v) for v in data]
    return data


def print_json(data: Any) -> None:
    json.dump(finite(data), sys.stdout, indent=2, ensure_ascii=False, default=str, allow_nan=False)
    sys.stdout.write("\n")
    sys.stdout.flush()


def print_event(event: dict[str, Any]) -> None:
    """One JSON object per line, for --json progress streams."""
    sys.stdout.write(json.dumps(event, ensure_ascii=False, default=str) + "\n")
    sys.stdout.flush()


class ProgressBar:
    """A one-line progress bar on stderr, drawn only on a terminal and at most 10 times a second."""

    def __init__(self, enabled: bool | None = None, width: int = 30) -> None:
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self.width = width
        self._last = 0.0

    def __call__(self, fraction: float, message: str) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._last < 0.1 and fraction < 1.0:
            return
        self._last = now
        filled = int(self.width * max(0.0, min(1.0, fraction)))
        bar = "#" * filled + "-" * (self.width - filled)
        sys.stderr.write(f"\r[{bar}] {fraction * 100:5.1f}% {message[:60]:<60}")
        sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\n")
            sys.stderr.flush()
