"""Build the one-folder app with PyInstaller and check it (standard library only).

    python packaging/build.py [--dist DIR] [--work DIR] [--no-check]

Needs the packaging extra: `pip install -e ".[packaging]"` (PyInstaller). The result is
DIR/EmpathyAudit/ (on macOS also "DIR/Empathy Audit.app"); `EmpathyAudit --self-test` checks it.
On Linux the folder also gets the .desktop file and install/uninstall scripts.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "packaging" / "empathy_audit.spec"


def folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def build(dist: Path, work: Path) -> Path:
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        sys.exit('build: PyInstaller is not installed; run: pip install -e ".[packaging]"')
    cmd = [sys.executable, "-m", "PyInstaller", str(SPEC), "--noconfirm", "--log-level", "WARN"]
    cmd += ["--distpath", str(dist), "--workpath", str(work)]
    subprocess.run(cmd, check=True, cwd=ROOT)
    app = dist / "EmpathyAudit"
    if sys.platform.startswith("linux"):
        for name in ("empathy-audit.desktop", "install.sh", "uninstall.sh"):
            shutil.copy2(ROOT / "packaging" / "linux" / name, app / name)
        shutil.copy2(ROOT / "resources" / "icons" / "empathy-audit.png", app / "empathy-audit.png")
    return app


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--work", type=Path, default=ROOT / "build")
    parser.add_argument("--no-check", action="store_true", help="skip running --self-test on the result")
    args = parser.parse_args()
    started = time.perf_counter()
    app = build(args.dist.resolve(), args.work.resolve())
    built = time.perf_counter() - started
    print(f"Built {app} ({folder_size(app) / 1e6:.0f} MB) in {built:.0f} s")
    if args.no_check:
        return 0
    exe = app / ("EmpathyAudit.exe" if os.name == "nt" else "EmpathyAudit")
    return subprocess.run([str(exe), "--self-test"]).returncode


if __name__ == "__main__":
    sys.exit(main())
