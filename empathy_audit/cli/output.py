"""Printing for the CLI: plain words on stderr, JSON on stdout, a progress bar on a terminal."""

from __future__ import annotations

import json
import sys
import time
from typing import Any

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


class UsageProblem(Exception):
    """The command line itself is wrong (exit code 2)."""


def error(message: str) -> None:
    print(f"empathy-audit: {message}", file=sys.stderr)


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False, default=str)
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
