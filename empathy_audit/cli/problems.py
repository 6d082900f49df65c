"""Plain sentences for what the operating system and SQLite say when a workspace cannot be used."""

from __future__ import annotations

import errno

from empathy_audit.store.database import BUSY_TIMEOUT_MS, DatabaseError


def describe_database_error(exc: DatabaseError, data_dir: str | None) -> str:
    where = f"the workspace at {data_dir}" if data_dir else "the workspace"
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return (
            f"{where} is busy: another window or command has been writing to it for {BUSY_TIMEOUT_MS // 1000} s. "
            "Try again when it has finished (nothing was changed)"
        )
    if "readonly" in text or "read-only" in text:
        return f"{where} cannot be written (read-only files, folder or disk); make it writable and try again"
    if "disk is full" in text or "database or disk is full" in text:
        return "the disk holding the workspace is full; free some space and try again (nothing half-written was kept)"
    if "unable to open" in text:
        return f"{where} cannot be opened (the folder is missing, or not yours to read); check --data-dir"
    if "malformed" in text or "not a database" in text:
        return f"{where} is damaged (its workspace.db cannot be read as a database); restore it from a backup"
    return f"{where} cannot be used: {exc}"


def describe_os_error(exc: OSError) -> str:
    name = exc.filename or "a file"
    if exc.errno == errno.ENOSPC:
        return f"the disk is full (writing {name}); free some space and try again (nothing half-written was kept)"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"{name}: no permission; choose a file or folder you can use"
    if exc.errno == errno.EROFS:
        return f"{name} is on a read-only disk; choose another place"
    if exc.errno == errno.ENOENT:
        return f"{name}: no such file or folder"
    if exc.errno == errno.EISDIR:
        return f"{name} is a folder; give a file name"
    if exc.errno == errno.ENOTDIR:
        return f"{name}: a part of that path is a file, not a folder"
    return f"{name}: {exc.strerror or exc}"
