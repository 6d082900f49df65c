"""The installable app: build the Linux one-folder bundle with PyInstaller and run its --self-test from
the built folder with a clean environment (no venv, no PATH to our tools, an empty HOME).

Slow (about a minute and a half on 2 cores), so it can be skipped with --skip-bundle; CI runs it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.bundle, pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux bundle")]


def test_linux_bundle_builds_and_passes_its_self_test(tmp_path: Path) -> None:
    dist, work = tmp_path / "dist", tmp_path / "work"
    started = time.perf_counter()
    build = subprocess.run(
        [sys.executable, str(ROOT / "packaging" / "build.py"), "--dist", str(dist), "--work", str(work), "--no-check"],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    app = dist / "EmpathyAudit"
    exe = app / "EmpathyAudit"
    size_mb = sum(f.stat().st_size for f in app.rglob("*") if f.is_file() and not f.is_symlink()) / 1e6
    built_s = time.perf_counter() - started

    # What a user's machine has: system paths only, a fresh home, nothing from this checkout or its venv.
    home = tmp_path / "home"
    home.mkdir()
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8", "TMPDIR": str(tmp_path)}
    t0 = time.perf_counter()
    result = subprocess.run(
        [str(exe), "--self-test", "--json"], capture_output=True, text=True, env=env, cwd=home, timeout=300
    )
    self_test_s = time.perf_counter() - t0
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    report = json.loads(result.stdout)
    assert report["passed"] and [s["step"] for s in report["steps"]] == [
        "workspace", "import", "transcribe", "review", "report", "clip", "window", "close",
    ]  # fmt: skip
    # The bundle left PyTorch and the reference engine out, and ships the Linux desktop integration.
    internal = app / "_internal"
    assert not (internal / "torch").exists() and not (internal / "whisper").exists()
    for name in ("empathy-audit.desktop", "install.sh", "uninstall.sh", "empathy-audit.png"):
        assert (app / name).is_file()
    assert os.access(app / "install.sh", os.X_OK)
    version = subprocess.run([str(exe), "--version"], capture_output=True, text=True, env=env, timeout=60)
    assert version.returncode == 0 and version.stdout.startswith("empathy-audit ")
    print(f"\nbundle: {size_mb:.0f} MB, built in {built_s:.0f} s; self-test {self_test_s:.1f} s")
