"""Time from launching the app to its window being shown.

    .venv/bin/python benchmarks/startup_time.py [--runs 5]

Baseline, in the same run: a bare PySide6 script that shows an empty QMainWindow, timed the
same way (process start to window shown). Target: window shown in under 1.5 s, with no
Whisper, CTranslate2 or PyTorch import before it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

BARE = (
    "import sys\nfrom PySide6.QtCore import QTimer\nfrom PySide6.QtWidgets import QApplication, QMainWindow\n"
    "app = QApplication(sys.argv); w = QMainWindow(); w.resize(1280, 800); w.show()\n"
    "QTimer.singleShot(0, lambda: (print('window-shown-after 0 heavy-modules []', flush=True), app.quit()))\n"
    "app.exec()\n"
)


def measure(cmd: list[str], env: dict[str, str]) -> tuple[float, str]:
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("window-shown-after"):
            elapsed = time.perf_counter() - started
            proc.wait(30)
            return elapsed, line.split("heavy-modules", 1)[1].strip()
    raise RuntimeError("the window never reported being shown")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    env = dict(os.environ, EMPATHY_AUDIT_STARTUP_PROBE="1")
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory() as tmp:
        env["EMPATHY_AUDIT_HOME"] = tmp
        env["XDG_CONFIG_HOME"] = tmp  # fresh window settings: the Library section, as on a first run
        app_cmd = [sys.executable, "-m", "empathy_audit", "gui"]
        measure(app_cmd, env)  # first run creates the workspace and warms the disk cache
        app_times, heavy = zip(*(measure(app_cmd, env) for _ in range(args.runs)), strict=True)
        bare_times = [measure([sys.executable, "-c", BARE], env)[0] for _ in range(args.runs)]
    app_median, bare_median = statistics.median(app_times), statistics.median(bare_times)
    print(f"platform:                  {env['QT_QPA_PLATFORM']}, {args.runs} runs each, medians")
    print(
        f"app window shown after:    {app_median:.2f} s   (target < 1.5 s: {'met' if app_median < 1.5 else 'MISSED'})"
    )
    print(f"bare PySide6 window:       {bare_median:.2f} s")
    print(f"ratio app / bare:          {app_median / bare_median:.2f}")
    print(f"engines imported before the window: {heavy[0]}")


if __name__ == "__main__":
    main()
