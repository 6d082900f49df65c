"""The app bundle's build, started in the background by tests/conftest.py and awaited by
tests/packaging/test_bundle.py."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

BUNDLE_BUILD = pytest.StashKey[dict]()


def start_bundle_build(out: Path) -> dict:
    """Start packaging/build.py in the background, at low priority, logging to out/build.log."""
    log = open(out / "build.log", "w")  # noqa: SIM115 - closed when the build is collected
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "packaging" / "build.py"), "--dist", str(out / "dist"),
         "--work", str(out / "work"), "--no-check"],
        stdout=log,
        stderr=subprocess.STDOUT,
        preexec_fn=lambda: os.nice(10),  # the rest of the suite keeps the CPU first
    )  # fmt: skip
    return {"proc": proc, "out": out, "log": log, "started": time.perf_counter()}
