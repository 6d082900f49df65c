"""The pack file: a zip holding `manifest.json` plus JSON files and optional audio, each with its sha256.

    manifest.json   {"format": "empathy-audit-pack", "format_version": 2, "kind": "review" | "calibration",
                     "created_at", "app_version", "made_by", "files": {name: {"sha256", "size"}},
                     "signer": {"name", "key"}, "signature"}: the maker's Ed25519 signature of the rest
    rubrics.json    the rubric versions the reviews were made with (name, version, TOML source, criteria)
    calls.json      per call: sha256, original name, agent, team, customer, date, duration, audio file if any
    reviews.json    submitted reviews: uid, version_key, reviewer, call sha256, rubric, scores, comments,
                    notes, evidence moments, calibration set uid, and the author's signer_key and signature
    transcripts/<sha256>.json   optional: the call's current transcript (segments with words)
    audio/<sha256>.<ext>        optional: the recording, byte for byte
    calibration.json            calibration packs only: the set (uid, name, instructions, lead, calls),
                                signed by the lead (lead_key, signature)

A pack is checked whole before anything is written: unknown format, a missing, extra, truncated or
altered file (sha256 per file), or a manifest whose signature does not match refuses it with a message
naming the file. Who may sign for whom is checked by the importer (packs/authorship.py).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from empathy_audit import __version__
from empathy_audit.signing import SigningKey, verify
from empathy_audit.store.database import utc_now

FORMAT = "empathy-audit-pack"
FORMAT_VERSION = 2  # 2: signed by its maker; 1 (unsigned) is refused
KINDS = ("review", "calibration")
SUFFIX = ".eapack"


class PackProblem(ValueError):
    """A pack cannot be read or trusted; nothing was changed."""


# Every member a pack may hold; anything else (a path out of the pack, a link, a folder) refuses it.
MEMBER = re.compile(
    r"^(manifest|rubrics|calls|reviews|calibration)\.json$|^transcripts/[0-9a-f]{64}\.json$"
    r"|^audio/[0-9a-f]{64}\.[a-z0-9]{1,5}$"
)
MAX_MEMBERS = 20_000
MAX_MANIFEST = 1 << 20
MAX_JSON = 64 << 20  # one JSON member, uncompressed
MAX_AUDIO = 2 << 30  # one recording
MAX_RATIO = 200  # uncompressed / compressed: a "zip bomb" is refused before anything is inflated
CHUNK = 1 << 20


@dataclass
class Pack:
    path: Path
    manifest: dict[str, Any]
    files: dict[str, bytes]  # the JSON members, checked
    audio: dict[str, str] = field(default_factory=dict)  # audio member -> its sha256, checked, read on demand

    @property
    def kind(self) -> str:
        return str(self.manifest["kind"])

    @property
    def signer_name(self) -> str:
        return str(self.manifest["signer"].get("name") or "")

    @property
    def signer_key(self) -> str:
        return str(self.manifest["signer"]["key"])

    def has(self, member: str) -> bool:
        return member in self.files or member in self.audio

    def json(self, name: str, default: Any = None) -> Any:
        if name not in self.files:
            return default
        try:
            return strict_json(self.files[name].decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError, ValueError) as exc:
            raise PackProblem(f"{self.path.name}: {name} is not valid JSON ({exc})") from None

    def copy_audio(self, member: str, target: Path) -> None:
        """Stream an audio member to `target`, checking it again against its sha256 on the way."""
        digest = hashlib.sha256()
        with zipfile.ZipFile(self.path) as zf, zf.open(member) as source, target.open("wb") as out:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                out.write(chunk)
        if digest.hexdigest() != self.audio[member]:
            raise PackProblem(f"{self.path.name}: {member} changed while it was being read; copy the pack again")


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is too large a number")
    return value


def strict_json(text: str) -> Any:
    """JSON as the standard defines it: NaN, Infinity and overflowing numbers (1e999) are refused."""
    return json.loads(text, parse_constant=_refuse_constant, parse_float=_finite_float)


def _file_digest(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as source:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def write_pack(
    path: Path,
    kind: str,
    files: dict[str, bytes],
    made_by: str,
    key: SigningKey,
    audio: dict[str, Path] | None = None,
) -> Path:
    """Write atomically (a half-written pack never has the final name), signed with `key`.

    `audio` members are streamed from their files, never held in memory."""
    audio = audio or {}
    listed = {name: {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)} for name, data in files.items()}
    try:
        for name, source in audio.items():
            digest, size = _file_digest(source)
            listed[name] = {"sha256": digest, "size": size}
    except OSError as exc:
        raise PackProblem(f"{exc.filename}: cannot be read ({exc.strerror or exc})") from None
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "kind": kind,
        "created_at": utc_now(),
        "app_version": __version__,
        "made_by": made_by,
        "files": dict(sorted(listed.items())),
        "signer": {"name": made_by, "key": key.public},
    }
    manifest["signature"] = key.sign(manifest)
    partial = path.with_name(f".{path.name}.part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_zip(partial, path, manifest, files, audio)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise PackProblem(f"{path}: cannot be written ({reason}); choose a folder you can write to") from None
    finally:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
    return path


def _write_zip(partial: Path, path: Path, manifest: dict, files: dict[str, bytes], audio: dict[str, Path]) -> None:
    with zipfile.ZipFile(partial, "w") as zf:
        zf.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False), zipfile.ZIP_DEFLATED)
        for name, data in sorted(files.items()):
            zf.writestr(name, data, zipfile.ZIP_DEFLATED)  # JSON shrinks a lot
        for name, source in sorted(audio.items()):
            zf.write(source, name, zipfile.ZIP_STORED)  # audio is compressed already; streamed from disk
    os.replace(partial, path)


def _check_members(name: str, infos: list[zipfile.ZipInfo]) -> dict[str, zipfile.ZipInfo]:
    """Refuse a pack by its directory alone, before a byte is inflated."""
    if len(infos) > MAX_MEMBERS:
        raise PackProblem(f"{name}: holds {len(infos)} files, more than a pack can ({MAX_MEMBERS})")
    members: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        member = info.filename
        if info.filename in members:
            raise PackProblem(f"{name}: holds {member} twice (a pack is never made that way); it is refused")
        if (info.external_attr >> 16) & 0o170000 == 0o120000:
            raise PackProblem(f"{name}: {member} is a link; packs hold plain files only")
        if not MEMBER.match(member):
            raise PackProblem(f"{name}: holds “{member}”, which no pack holds (only its own JSON files and audio)")
        limit = MAX_MANIFEST if member == "manifest.json" else MAX_AUDIO if member.startswith("audio/") else MAX_JSON
        if info.file_size > limit:
            raise PackProblem(f"{name}: {member} would unpack to {info.file_size:,} bytes, more than a pack holds")
        if info.compress_type != zipfile.ZIP_STORED and info.file_size > MAX_RATIO * info.compress_size + (64 << 10):
            raise PackProblem(f"{name}: {member} is compressed {info.file_size // max(1, info.compress_size)}:1, "
                              "like a zip bomb; it is refused")  # fmt: skip
        members[member] = info
    return members


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, keep: bool) -> tuple[str, int, bytes]:
    """sha256, size and (if `keep`) the bytes of a member, read in chunks and never past its declared size."""
    digest, size, parts = hashlib.sha256(), 0, []
    with zf.open(info) as source:
        while chunk := source.read(CHUNK):
            size += len(chunk)
            if size > info.file_size:
                raise PackProblem(f"{info.filename} is longer than the pack's directory says")
            digest.update(chunk)
            if keep:
                parts.append(chunk)
    return digest.hexdigest(), size, b"".join(parts)


def read_pack(path: Path) -> Pack:
    """Read and check a pack; raises PackProblem (naming the file at fault) instead of returning a doubtful one.

    The zip's directory is checked first (names, links, duplicates, sizes, compression ratios); then each
    member is streamed through sha256 against the manifest. JSON is kept; audio is only hashed here.
    """
    name = path.name
    if not path.is_file():
        raise PackProblem(f"{path}: no such file")
    try:
        with zipfile.ZipFile(path) as zf:
            members = _check_members(name, zf.infolist())
            if "manifest.json" not in members:
                raise PackProblem(f"{name}: not an Empathy Audit pack (no manifest.json inside)")
            manifest = strict_json(_read_member(zf, members["manifest.json"], keep=True)[2].decode("utf-8"))
            listed = _check_manifest(name, manifest)
            for member in sorted(set(members) - set(listed) - {"manifest.json"}):
                raise PackProblem(f"{name}: {member} is not in the manifest (the pack was changed after it was made)")
            files: dict[str, bytes] = {}
            audio: dict[str, str] = {}
            for member, meta in sorted(listed.items()):
                if member not in members:
                    raise PackProblem(f"{name}: {member} is missing")
                is_audio = member.startswith("audio/")
                digest, size, data = _read_member(zf, members[member], keep=not is_audio)
                if size != meta.get("size") or digest != meta.get("sha256"):
                    raise PackProblem(f"{name}: {member} does not match its checksum (the pack was damaged or changed)")
                if is_audio:
                    audio[member] = digest
                else:
                    files[member] = data
    except PackProblem as exc:
        raise PackProblem(str(exc) if str(exc).startswith(name) else f"{name}: {exc}") from None
    except zipfile.BadZipFile:
        raise PackProblem(f"{name}: not a pack, or cut short (the zip cannot be read); copy it again") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PackProblem(f"{name}: its manifest is not valid JSON ({exc})") from None
    except (zipfile.LargeZipFile, OSError, EOFError, ValueError) as exc:
        raise PackProblem(f"{name}: cannot be read ({exc}); copy it again") from None
    except Exception as exc:  # zlib.error and friends: damaged compressed data
        raise PackProblem(f"{name}: damaged ({type(exc).__name__}: {exc}); copy it again") from None
    return Pack(path, manifest, files, audio)


def _check_manifest(name: str, manifest: Any) -> dict[str, dict]:
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise PackProblem(f"{name}: not an Empathy Audit pack (its manifest says another format)")
    version = manifest.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version > FORMAT_VERSION:
        raise PackProblem(
            f"{name}: pack format {version} is newer than this app reads ({FORMAT_VERSION}); update Empathy Audit"
        )
    if version < FORMAT_VERSION:
        raise PackProblem(
            f"{name}: made by an older Empathy Audit, before packs were signed by their makers, so who made it "
            "cannot be checked; ask its maker to export it again with this version"
        )
    signer = manifest.get("signer")
    if not (isinstance(signer, dict) and isinstance(signer.get("key"), str) and isinstance(signer.get("name"), str)):
        raise PackProblem(f"{name}: the manifest does not say who signed the pack")
    if not isinstance(manifest.get("signature"), str) or not verify(
        signer["key"], {k: v for k, v in manifest.items() if k != "signature"}, manifest["signature"]
    ):
        raise PackProblem(
            f"{name}: its signature does not match its contents (it was changed after it was made, or not made "
            "by Empathy Audit); ask its maker for a new copy"
        )
    if manifest.get("kind") not in KINDS:
        raise PackProblem(f"{name}: unknown pack kind {manifest.get('kind')!r}")
    listed = manifest.get("files")
    if not isinstance(listed, dict) or not all(isinstance(m, dict) for m in listed.values()):
        raise PackProblem(f"{name}: the manifest lists no files")
    return listed
