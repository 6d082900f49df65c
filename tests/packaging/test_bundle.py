"""The installable app: build the Linux one-folder bundle with PyInstaller and run its --self-test from
the built folder with a clean environment (no venv, no PATH to our tools, an empty HOME).

The build takes about a minute and a half, so it starts in the background as soon as the suite is
collected (tests/conftest.py) and this test, run last, waits for it. --skip-bundle skips both; CI runs it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bundle_build import BUNDLE_BUILD, start_bundle_build

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.bundle, pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux bundle")]


@pytest.fixture
def built_bundle(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, float]:
    """The bundle the session started building when collection ended (built here if run on its own)."""
    build = request.config.stash.get(BUNDLE_BUILD, None)
    if build is None:
        build = start_bundle_build(tmp_path)
        request.config.stash[BUNDLE_BUILD] = build
    returncode = build["proc"].wait(timeout=900)
    build["log"].flush()
    log = (build["out"] / "build.log").read_text(errors="replace")
    assert returncode == 0, log[-4000:]
    return build["out"] / "dist", time.perf_counter() - build["started"]


def test_linux_bundle_builds_and_passes_its_self_test(built_bundle: tuple[Path, float], tmp_path: Path) -> None:
    dist, built_s = built_bundle
    app = dist / "EmpathyAudit"
    exe = app / "EmpathyAudit"
    size_mb = sum(f.stat().st_size for f in app.rglob("*") if f.is_file() and not f.is_symlink()) / 1e6

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
    assert not (internal / "imageio_ffmpeg").exists()  # one FFmpeg: PyAV's libraries, no ffmpeg program
    for name in ("empathy-audit.desktop", "install.sh", "uninstall.sh", "empathy-audit.png"):
        assert (app / name).is_file()
    assert os.access(app / "install.sh", os.X_OK)
    # Both packaged models travel with it and pass their checksums (Accurate joined on first use).
    models = subprocess.run([str(exe), "models", "list", "--json"], capture_output=True, text=True, env=env, timeout=60)
    rows = {m["name"]: m for m in json.loads(models.stdout)}
    assert rows["fast"]["available"] and rows["fast"]["default"] and rows["accurate"]["available"], rows
    version = subprocess.run([str(exe), "--version"], capture_output=True, text=True, env=env, timeout=60)
    assert version.returncode == 0 and version.stdout.startswith("empathy-audit ")
    print(f"\nbundle: {size_mb:.0f} MB, ready {built_s:.0f} s after the build started; self-test {self_test_s:.1f} s")
