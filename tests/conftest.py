"""Suite-wide setup: offscreen Qt, an isolated data/cache folder, and no network."""

from __future__ import annotations

import os
import socket
import sys
import tempfile
from pathlib import Path

import pytest

# Set before anything imports Qt or the app, and inherited by spawned worker processes.
os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ["HF_HUB_OFFLINE"] = "1"  # faster-whisper must never reach for the hub in tests
os.environ.setdefault("EMPATHY_AUDIT_CACHE", str(Path(tempfile.gettempdir()) / "empathy-audit-test-cache"))
_SESSION_HOME = tempfile.mkdtemp(prefix="empathy-audit-test-home-")
os.environ["EMPATHY_AUDIT_HOME"] = _SESSION_HOME

TESTS = Path(__file__).resolve().parent
FIXTURES = TESTS / "fixtures"
AUDIO = FIXTURES / "audio"
sys.path.insert(0, str(FIXTURES))
sys.path.insert(0, str(TESTS))

_real_connect = socket.socket.connect


def _guarded_connect(self: socket.socket, address: object) -> object:
    """Tests may talk to this machine only; anything else is a bug in the test or the app."""
    if self.family in (socket.AF_INET, socket.AF_INET6):
        host = address[0] if isinstance(address, tuple) else str(address)
        if host not in ("127.0.0.1", "::1", "localhost"):
            raise OSError(f"network access in tests is not allowed (tried {address!r})")
    return _real_connect(self, address)


socket.socket.connect = _guarded_connect  # type: ignore[method-assign]


@pytest.fixture
def workspace(tmp_path: Path):
    from empathy_audit.store import open_workspace

    ws = open_workspace(tmp_path / "workspace")
    yield ws
    ws.close()


@pytest.fixture
def audio_dir() -> Path:
    return AUDIO
