"""Importing recorded calls into a workspace: hash, copy, probe, record; one file never spoils a batch."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import sqlite3
import stat
import tempfile
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from empathy_audit.audio.layout import LayoutFinding, detect_layout
from empathy_audit.audio.probe import AudioProblem, probe_audio
from empathy_audit.changes import NOTHING, Area, Changes
from empathy_audit.domain import AudioInfo
from empathy_audit.importing.csv_reading import RowProblem
from empathy_audit.importing.metadata import CallMetadata
from empathy_audit.jobs import CancelToken, Report, no_report
from empathy_audit.store import Workspace
from empathy_audit.store.calls import call_by_sha256, insert_call

AUDIO_EXTENSIONS = {
    ".wav",
    ".wave",
    ".mp3",
    ".m4a",
    ".mp4",
    ".aac",
    ".flac",
    ".ogg",
    ".oga",
    ".opus",
    ".webm",
    ".wma",
    ".amr",
    ".au",
    ".gsm",
    ".aif",
    ".aiff",
    ".caf",
}
PROBE_WORKERS = 2
_READ_CHUNK = 1 << 20


@dataclass
class ImportOptions:
    agent: str | None = None
    team: str | None = None
    metadata: CallMetadata | None = None
    link: bool = False
    agent_channel: str = "left"  # the default side of the agent in two-channel calls
    agent_side: str = "auto"  # auto: found from what is said, else agent_channel | left | right (set)
    layout: str = "auto"  # auto: found by listening | mono | dual_mono | dual | dual_bleed (set)


@dataclass
class ImportedFile:
    path: str
    call_id: int
    original_name: str
    duration_s: float
    channels: int
    sample_rate: int
    codec: str
    metadata_line: int | None = None
    layout: str | None = None  # audio/layout.py
    layout_note: str | None = None


@dataclass
class DuplicateFile:
    path: str
    existing_call_id: int
    existing_name: str


@dataclass
class FailedFile:
    path: str
    error: str


@dataclass
class ImportReport:
    imported: list[ImportedFile] = field(default_factory=list)
    duplicates: list[DuplicateFile] = field(default_factory=list)
    failed: list[FailedFile] = field(default_factory=list)
    metadata_problems: list[RowProblem] = field(default_factory=list)
    metadata_unused: list[RowProblem] = field(default_factory=list)
    cancelled: bool = False

    @property
    def changes(self) -> Changes:
        return Changes.of(Area.CALLS, calls=[f.call_id for f in self.imported]) if self.imported else NOTHING

    def as_json(self) -> dict[str, Any]:
        return {
            "imported": [asdict(item) for item in self.imported],
            "duplicates": [asdict(item) for item in self.duplicates],
            "failed": [asdict(item) for item in self.failed],
            "metadata_problems": [p.as_json() for p in self.metadata_problems],
            "metadata_unused": [p.as_json() for p in self.metadata_unused],
            "cancelled": self.cancelled,
        }


def collect_audio_files(paths: Iterable[Path | str]) -> tuple[list[Path], list[FailedFile]]:
    """Expand folders (recursively, audio extensions only, hidden files skipped); keep named files as given."""
    files: list[Path] = []
    failures: list[FailedFile] = []
    seen: set[Path] = set()

    def add(path: Path) -> None:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            files.append(path)

    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            folder = path.resolve()
            for root, dirs, names in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(names):
                    candidate = Path(root, name)
                    if name.startswith(".") or candidate.suffix.lower() not in AUDIO_EXTENSIONS:
                        continue
                    skipped = _not_a_recording(candidate, folder)
                    if skipped:
                        failures.append(FailedFile(display_path(candidate), skipped))
                    else:
                        add(candidate)
        elif path.is_file() and not _not_a_recording(path, None):
            add(path)
        elif path.exists() or path.is_symlink():
            failures.append(FailedFile(display_path(path), _not_a_recording(path, None) or "is not a regular file"))
        else:
            failures.append(FailedFile(display_path(path), "does not exist"))
    return files, failures


def _not_a_recording(path: Path, folder: Path | None) -> str | None:
    """Why a file found while importing is skipped without being read, or None to import it.

    Reading a device (a link to /dev/zero) never ends and a FIFO blocks for ever, so neither is opened;
    a link out of an imported folder is not followed (the folder is what the user chose).
    """
    try:
        mode = path.stat().st_mode  # follows links: what would be read
    except OSError:
        return "is a broken link" if path.is_symlink() else "cannot be read"
    if not stat.S_ISREG(mode):
        kind = (
            "a pipe (FIFO)"
            if stat.S_ISFIFO(mode)
            else "a device"
            if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
            else "not a regular file"
        )
        return f"is {kind}, not a recording; skipped"
    if folder is not None and path.is_symlink():
        target = path.resolve()
        if not target.is_relative_to(folder):
            return f"is a link to {display_path(target)}, outside the imported folder; skipped"
    return None


def display_path(path: Path | str) -> str:
    """A path as text that can always be printed and stored (undecodable bytes shown as \ufffd)."""
    return safe_text(str(path))


def safe_text(text: str) -> str:
    """File-system text (which may hold undecodable bytes as surrogates) as valid UTF-8 text."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


@dataclass
class _Prepared:
    """A file hashed, copied to a temporary name in the workspace (unless linked) and probed."""

    path: Path
    sha256: str
    size: int
    info: AudioInfo
    temp_copy: Path | None
    layout: LayoutFinding | None = None


def _hash_and_copy(path: Path, temp_dir: Path | None) -> tuple[str, int, Path | None]:
    digest = hashlib.sha256()
    size = 0
    temp: Path | None = None
    with open(path, "rb") as source:
        out = None
        if temp_dir is not None:
            fd, name = tempfile.mkstemp(prefix=".import-", suffix=path.suffix.lower(), dir=temp_dir)
            out = os.fdopen(fd, "wb")
            temp = Path(name)
        try:
            while chunk := source.read(_READ_CHUNK):
                digest.update(chunk)
                size += len(chunk)
                if out is not None:
                    out.write(chunk)
        except BaseException:
            if out is not None:
                out.close()
            if temp is not None:
                temp.unlink(missing_ok=True)
            raise
        if out is not None:
            out.flush()
            os.fsync(out.fileno())
            out.close()
    return digest.hexdigest(), size, temp


def _prepare(path: Path, temp_dir: Path | None, find_layout: bool = True) -> _Prepared:
    sha, size, temp = _hash_and_copy(path, temp_dir)
    try:
        info = probe_audio(temp or path)
        layout = detect_layout(temp or path, info.channels, info.duration_s) if find_layout else None
    except BaseException:
        if temp is not None:
            temp.unlink(missing_ok=True)
        raise
    return _Prepared(path=path, sha256=sha, size=size, info=info, temp_copy=temp, layout=layout)


def _describe_os_error(exc: OSError) -> str:
    """Reading the file and copying it into the workspace fail differently; say which."""
    reason = exc.strerror or str(exc)
    if exc.errno == errno.ENOSPC:
        return "not imported: the disk holding the workspace is full; free some space and import it again"
    if exc.errno == errno.EROFS or (exc.errno in (errno.EACCES, errno.EPERM) and "media" in str(exc.filename or "")):
        return f"not imported: the workspace cannot be written ({reason})"
    return f"cannot be read ({reason})"


def import_paths(
    workspace: Workspace,
    paths: Iterable[Path | str],
    options: ImportOptions | None = None,
    report: Report = no_report,
    cancel: CancelToken | None = None,
) -> ImportReport:
    """Import audio files and folders into the workspace. Bad files are listed; the rest go on."""
    options = options or ImportOptions()
    cancel = cancel or CancelToken()
    files, failures = collect_audio_files(paths)
    result = ImportReport(failed=failures)
    if options.metadata is not None:
        result.metadata_problems = list(options.metadata.problems)
    total = max(1, len(files))
    temp_dir = None if options.link else workspace.media_dir

    with ThreadPoolExecutor(max_workers=PROBE_WORKERS, thread_name_prefix="import-probe") as pool:
        futures: list[tuple[Path, Future[_Prepared]]] = [
            (p, pool.submit(_prepare, p, temp_dir, options.layout == "auto")) for p in files
        ]
        for done, (path, future) in enumerate(futures, start=1):
            if cancel.cancelled:
                result.cancelled = True
                break
            try:
                prepared = future.result()
            except AudioProblem as exc:
                result.failed.append(FailedFile(display_path(path), str(exc)))
            except OSError as exc:
                result.failed.append(FailedFile(display_path(path), _describe_os_error(exc)))
            else:
                _record(workspace, prepared, options, result)
            report(done / total, f"Imported {done} of {len(files)}: {safe_text(path.name)}")
        if result.cancelled:
            for _path, future in futures:
                future.cancel()
            for _path, future in futures:
                # Finished-but-unrecorded copies must not linger in media/.
                if not future.cancelled() and future.exception() is None:
                    temp = future.result().temp_copy
                    if temp is not None:
                        temp.unlink(missing_ok=True)

    if options.metadata is not None and not result.cancelled:
        result.metadata_unused = [
            RowProblem(row.line, "no file in this import matches this row") for row in options.metadata.unused_rows()
        ]
    return result


def _record(workspace: Workspace, prepared: _Prepared, options: ImportOptions, result: ImportReport) -> None:
    existing = call_by_sha256(workspace.db, prepared.sha256)
    if existing is not None:
        if prepared.temp_copy is not None:
            prepared.temp_copy.unlink(missing_ok=True)
        result.duplicates.append(DuplicateFile(display_path(prepared.path), existing.id, existing.original_name))
        return

    stored_path, final = _place_media(workspace, prepared)
    values: dict[str, Any] = {
        "sha256": prepared.sha256,
        "original_name": safe_text(prepared.path.name),
        "source_path": safe_text(str(prepared.path.resolve())),
        "stored_path": stored_path,
        "linked": int(options.link),
        "size_bytes": prepared.size,
        "duration_s": prepared.info.duration_s,
        "sample_rate": prepared.info.sample_rate,
        "channels": prepared.info.channels,
        "codec": prepared.info.codec,
        "container": prepared.info.container,
        "agent": options.agent,
        "team": options.team,
        "agent_channel": options.agent_side if options.agent_side in ("left", "right") else options.agent_channel,
        "agent_side_source": "set" if options.agent_side in ("left", "right") else "default",
        **_layout_values(prepared, options),
    }
    row = options.metadata.lookup(prepared.path) if options.metadata else None
    if row is not None:
        values.update(row.values)  # per-file metadata beats the batch-wide --agent/--team
    try:
        call_id = insert_call(workspace.db, values)
    except sqlite3.IntegrityError:
        # Another process imported the same recording between our check and our insert.
        other = call_by_sha256(workspace.db, prepared.sha256)
        if final is not None and (other is None or other.stored_path != stored_path):
            final.unlink(missing_ok=True)
        if other is None:
            raise
        result.duplicates.append(DuplicateFile(display_path(prepared.path), other.id, other.original_name))
        return
    except BaseException:
        if final is not None and call_by_sha256(workspace.db, prepared.sha256) is None:
            final.unlink(missing_ok=True)
        raise
    info = prepared.info
    result.imported.append(
        ImportedFile(
            path=display_path(prepared.path),
            call_id=call_id,
            original_name=safe_text(prepared.path.name),
            duration_s=info.duration_s,
            channels=info.channels,
            sample_rate=info.sample_rate,
            codec=info.codec,
            metadata_line=row.line if row else None,
            layout=values["channel_layout"],
            layout_note=values["layout_note"],
        )
    )


def _layout_values(prepared: _Prepared, options: ImportOptions) -> dict[str, Any]:
    if options.layout != "auto":
        if prepared.info.channels != 2:  # one channel (or several mixed) can only be heard as mono
            return {"channel_layout": "mono", "layout_source": "detected", "layout_note": "one channel"}
        return {"channel_layout": options.layout, "layout_source": "set", "layout_note": "set at import"}
    found = prepared.layout or LayoutFinding("dual" if prepared.info.channels == 2 else "mono", "")
    return {"channel_layout": found.layout, "layout_source": "detected", "layout_note": found.detail}


def _place_media(workspace: Workspace, prepared: _Prepared) -> tuple[str, Path | None]:
    """Move the temporary copy to media/<aa>/<sha256><ext>; return (stored path, final file)."""
    if prepared.temp_copy is None:
        return str(prepared.path.resolve()), None
    relative = Path("media", prepared.sha256[:2], prepared.sha256 + prepared.path.suffix.lower())
    final = workspace.root / relative
    final.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileNotFoundError):
        if final.exists():
            prepared.temp_copy.unlink()  # same content already on disk from an earlier attempt
    if prepared.temp_copy.exists():
        os.replace(prepared.temp_copy, final)
    return relative.as_posix(), final


__all__ = [
    "AUDIO_EXTENSIONS",
    "DuplicateFile",
    "FailedFile",
    "ImportOptions",
    "ImportReport",
    "ImportedFile",
    "collect_audio_files",
    "import_paths",
]
