#!/usr/bin/env python3
"""Set up everything Empathy Audit needs, then launch the app or run the tests.

    python3 packaging/bootstrap.py app [ARGS...]   # set up, then launch (ARGS go to empathy-audit)
    python3 packaging/bootstrap.py test [PYTEST ARGS...]

Standard library only, so it runs on a fresh machine. It creates `.venv/` in the
repository, installs the project into it, and on Debian/Ubuntu installs the few
system libraries Qt needs when they are missing. A second run with nothing changed
skips the install (a stamp file records what was installed).
"""

from __future__ import annotations

import ctypes.util
import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
CONSTRAINTS = ROOT / "packaging" / "constraints.txt"
STAMP_VERSION = "2"

# Libraries Qt's wheels load but do not ship (Linux): name -> Debian package.
LINUX_LIBS = {
    "pulse": "libpulse0",  # QtMultimedia
    "xcb-icccm": "libxcb-icccm4",  # xcb platform plugin (a real window)
    "xcb-keysyms": "libxcb-keysyms1",
    "xcb-cursor": "libxcb-cursor0",
    "xkbcommon-x11": "libxkbcommon-x11-0",
    "EGL": "libegl1",
    "fontconfig": "libfontconfig1",
    "dbus-1": "libdbus-1-3",
}

PROFILES = {
    # The app needs only the default engine; tests also exercise the reference engine.
    "app": ".",
    "test": ".[dev,openai-whisper,packaging]",
}


def say(message: str) -> None:
    print(f"[bootstrap] {message}", flush=True)


def venv_python() -> Path:
    sub = "Scripts/python.exe" if os.name == "nt" else "bin/python"
    return VENV / sub


def ensure_system_libraries() -> None:
    if not sys.platform.startswith("linux"):
        return  # Qt's wheels for Windows and macOS are self-contained.
    missing = sorted({pkg for lib, pkg in LINUX_LIBS.items() if ctypes.util.find_library(lib) is None})
    if not missing:
        return
    apt = shutil.which("apt-get")
    is_root = hasattr(os, "geteuid") and os.geteuid() == 0
    sudo = [] if is_root else (["sudo", "-n"] if shutil.which("sudo") else None)
    if apt is None or sudo is None:
        say("Qt needs these system libraries, which are not installed: " + " ".join(missing))
        say("Install them with your package manager, then run this command again.")
        return
    say("installing system libraries Qt needs: " + " ".join(missing))
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    install = [*sudo, apt, "install", "-y", "-qq", "--no-install-recommends", *missing]
    if subprocess.run(install, env=env, stdout=subprocess.DEVNULL).returncode != 0:
        subprocess.run([*sudo, apt, "update", "-qq"], env=env, stdout=subprocess.DEVNULL)
        if subprocess.run(install, env=env, stdout=subprocess.DEVNULL).returncode != 0:
            say("could not install " + " ".join(missing) + "; the window or audio playback may not work.")


def stamp_for(profile: str) -> str:
    digest = hashlib.sha256()
    for part in (STAMP_VERSION, sys.version, PROFILES[profile]):
        digest.update(part.encode())
    for path in (ROOT / "pyproject.toml", CONSTRAINTS):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def ensure_venv(profile: str) -> Path:
    if sys.version_info < (3, 11):
        sys.exit(f"Empathy Audit needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    python = venv_python()
    if not python.exists():
        say(f"creating virtual environment in {VENV}")
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    stamp_file = VENV / f".installed-{profile}"
    wanted = stamp_for(profile)
    # The test profile is a superset of the app profile.
    satisfied = [stamp_file] + ([VENV / ".installed-test"] if profile == "app" else [])
    if any(p.exists() and p.read_text() == stamp_for(p.name.split("-", 1)[1]) for p in satisfied):
        return python
    say(f"installing Empathy Audit ({profile} profile); the first time takes a few minutes")
    # -qq: the machine-wide index settings make pip warn about every package; errors still show.
    cmd = [str(python), "-m", "pip", "install", "--disable-pip-version-check", "-qq"]
    cmd += ["-c", str(CONSTRAINTS), "-e", PROFILES[profile]]
    result = subprocess.run(cmd, cwd=ROOT)
    if result.returncode != 0:
        sys.exit("Installing the project's packages failed (see pip's message above).")
    stamp_file.write_text(wanted)
    return python


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in PROFILES:
        print(__doc__)
        return 2
    profile, rest = argv[0], argv[1:]
    ensure_system_libraries()
    python = ensure_venv(profile)
    os.chdir(ROOT)
    if profile == "app":
        cmd = [str(python), "-m", "empathy_audit", *(rest or ["gui"])]
    else:
        cmd = [str(python), "-m", "pytest", *rest]
    return subprocess.call(cmd)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
