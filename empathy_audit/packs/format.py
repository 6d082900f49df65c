"""The pack file: a zip holding `manifest.json` plus JSON files and optional audio, each with its sha256.

    manifest.json   {"format": "empathy-audit-pack", "format_version": 1, "kind": "review" | "calibration",
                     "created_at", "app_version", "made_by", "files": {name: {"sha256", "size"}}}
    rubrics.json    the rubric versions the reviews were made with (name, version, TOML source, criteria)
    calls.json      per call: sha256, original name, agent, team, customer, date, duration, audio file if any
    reviews.json    submitted reviews: uid, version_key, reviewer, call sha256, rubric, scores, comments,
                    notes, evidence moments, calibration set uid
    transcripts/<sha256>.json   optional: the call's current transcript (segments with words)
    audio/<sha256>.<ext>        optional: the recording, byte for byte
    calibration.json            calibration packs only: the set (uid, name, instructions, lead, calls)

A pack is checked whole before anything is written: unknown format, a missing, extra, truncated or
altered file (sha256 per file) refuses it with a message naming the file.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from empathy_audit import __version__
from empathy_audit.store.database import utc_now

FORMAT = "empathy-audit-pack"
FORMAT_VERSION = 1
KINDS = ("review", "calibration")
SUFFIX = ".eapack"


class PackProblem(ValueError):
    """A pack cannot be read or trusted; nothing was changed."""


@dataclass
class Pack:
    path: Path
    manifest: dict[str, Any]
    files: dict[str, bytes]

    @property
    def kind(self) -> str:
        return str(self.manifest["kind"])

    def json(self, name: str, default: Any = None) -> Any:
        if name not in self.files:
            return default
        try:
            return json.loads(self.files[name].decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise PackProblem(f"{self.path.name}: {name} is not valid JSON ({exc})") from None


def write_pack(path: Path, kind: str, files: dict[str, bytes], made_by: str = "") -> Path:
    """Write atomically (a half-written pack never has the final name)."""
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "kind": kind,
        "created_at": utc_now(),
        "app_version": __version__,
        "made_by": made_by,
        "files": {
            name: {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
            for name, data in sorted(files.items())
        },
    }
    partial = path.with_name(f".{path.name}.part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_zip(partial, path, manifest, files)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise PackProblem(f"{path}: cannot be written ({reason}); choose a folder you can write to") from None
    finally:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
    return path


def _write_zip(partial: Path, path: Path, manifest: dict, files: dict[str, bytes]) -> None:
    with zipfile.ZipFile(partial, "w") as zf:
        zf.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False), zipfile.ZIP_DEFLATED)
        for name, data in sorted(files.items()):
            # Audio is compressed already; JSON shrinks a lot.
            method = zipfile.ZIP_STORED if name.startswith("audio/") else zipfile.ZIP_DEFLATED
            zf.writestr(name, data, method)
    os.replace(partial, path)


def read_pack(path: Path) -> Pack:
    """Read and check a pack; raises PackProblem (naming the file at fault) instead of returning a doubtful one."""
    name = path.name
    if not path.is_file():
        raise PackProblem(f"{path}: no such file")
    try:
        with zipfile.ZipFile(path) as zf:
            try:
                manifest = json.loads(zf.read("manifest.json").decode("utf-8"))
            except KeyError:
                raise PackProblem(f"{name}: not an Empathy Audit pack (no manifest.json inside)") from None
            files = {info.filename: zf.read(info) for info in zf.infolist() if info.filename != "manifest.json"}
    except zipfile.BadZipFile:
        raise PackProblem(f"{name}: not a pack, or cut short (the zip cannot be read); copy it again") from None
    except (zipfile.LargeZipFile, OSError, EOFError, ValueError) as exc:
        raise PackProblem(f"{name}: cannot be read ({exc}); copy it again") from None
    except Exception as exc:  # zlib.error and friends: damaged compressed data
        raise PackProblem(f"{name}: damaged ({type(exc).__name__}: {exc}); copy it again") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise PackProblem(f"{name}: not an Empathy Audit pack (its manifest says another format)")
    version = manifest.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise PackProblem(
            f"{name}: pack format {version} is newer than this app reads ({FORMAT_VERSION}); update Empathy Audit"
        )
    if manifest.get("kind") not in KINDS:
        raise PackProblem(f"{name}: unknown pack kind {manifest.get('kind')!r}")
    listed = manifest.get("files")
    if not isinstance(listed, dict):
        raise PackProblem(f"{name}: the manifest lists no files")
    for member in sorted(set(files) - set(listed)):
        raise PackProblem(f"{name}: {member} is not in the manifest (the pack was changed after it was made)")
    for member, meta in sorted(listed.items()):
        if member not in files:
            raise PackProblem(f"{name}: {member} is missing")
        data = files[member]
        if len(data) != meta.get("size") or hashlib.sha256(data).hexdigest() != meta.get("sha256"):
            raise PackProblem(f"{name}: {member} does not match its checksum (the pack was damaged or changed)")
    return Pack(path, manifest, files)
