"""The one shape of long work: a plain function taking a progress callback and a cancel token."""

from __future__ import annotations

import threading
from collections.abc import Callable

# report(fraction 0..1, message)
Report = Callable[[float, str], None]


def no_report(fraction: float, message: str) -> None:
    """A report callback that ignores progress."""


class Cancelled(Exception):
    """Raised inside a job when its token was cancelled; a state, not a failure."""


class CancelToken:
    """Thread-safe cancel flag shared between the caller and a running job."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()
