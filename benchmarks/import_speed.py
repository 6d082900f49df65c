"""Import speed: 1,000 short calls into a fresh workspace.

    .venv/bin/python benchmarks/import_speed.py [--calls 1000]

Baseline, in the same run: one bare ffmpeg decode per file (the least any real
probe must do). Prints the app's time, the baseline's, and their ratio.
Target: 1,000 short calls import in well under a minute on 2 cores.
"""

from __future__ import annotations

import argparse
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from empathy_audit.audio.ffmpeg import ffmpeg_exe
from empathy_audit.importing.importer import import_paths
from empathy_audit.store import open_workspace


def make_calls(folder: Path, count: int, seconds: float = 3.0, rate: int = 8000) -> list[Path]:
    rng = np.random.default_rng(0)
    paths = []
    for i in range(count):
        samples = (rng.standard_normal(int(seconds * rate)) * 3000).astype("<i2").tobytes()
        header = b"RIFF" + struct.pack("<I", 36 + len(samples)) + b"WAVE"
        header += b"fmt " + struct.pack("<IHHIIHH", 16, 1, 1, rate, rate * 2, 2, 16)
        header += b"data" + struct.pack("<I", len(samples))
        path = folder / f"call {i:05d}.wav"
        path.write_bytes(header + samples)
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp, "calls")
        source.mkdir()
        paths = make_calls(source, args.calls)

        started = time.perf_counter()
        for path in paths:
            subprocess.run([ffmpeg_exe(), "-v", "error", "-i", str(path), "-f", "null", "-"], check=True)
        baseline = time.perf_counter() - started

        workspace = open_workspace(Path(tmp, "ws"))
        started = time.perf_counter()
        report = import_paths(workspace, [source])
        app = time.perf_counter() - started
        assert len(report.imported) == args.calls and not report.failed

    print(f"calls imported:          {args.calls}")
    print(f"app import:              {app:6.1f} s  ({args.calls / app:5.0f} calls/s)")
    print(f"baseline (bare decode):  {baseline:6.1f} s")
    print(f"ratio app / baseline:    {app / baseline:6.2f}")
    print(f"target (< 60 s):         {'met' if app < 60 else 'MISSED'}")
    sys.exit(0)


if __name__ == "__main__":
    main()
