"""Files an interrupted write leaves in a workspace (a kill -9, a power cut, a full disk), cleaned later.

Temporary copies (`.import-*`, `*.part`) and recordings in media/ that no call refers to are removed once
they are older than an hour: a younger one may belong to an import still running in another process.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass
from pathlib import Path

from empathy_audit.store.calls import stored_paths
from empathy_audit.store.database import is_read_only
from empathy_audit.store.workspace import Workspace

GRACE_S = 3600.0


@dataclass(frozen=True)
class Cleaned:
    temporary: int = 0
    orphans: int = 0


def _old(path: Path, cutoff: float) -> bool:
    try:
        return path.stat().st_mtime < cutoff
    except OSError:
        return False


def leftovers(ws: Workspace, older_than_s: float = GRACE_S) -> tuple[list[Path], list[Path]]:
    """(temporary files, recordings no call refers to) older than `older_than_s`."""
    cutoff = time.time() - older_than_s
    media = ws.media_dir
    temporary = [p for p in [*media.rglob(".import-*"), *media.rglob(".*.part")] if p.is_file() and _old(p, cutoff)]
    known = {ws.audio_path(stored).resolve() for _name, stored in stored_paths(ws.db)}
    orphans = [
        p
        for p in media.rglob("*")
        if p.is_file() and not p.name.startswith(".") and p.resolve() not in known and _old(p, cutoff)
    ]
    return temporary, orphans


def clean_interrupted_writes(ws: Workspace, older_than_s: float = GRACE_S) -> Cleaned:
    """Remove what interrupted writes left behind; nothing in a read-only workspace."""
    if is_read_only(ws.db):
        return Cleaned()
    temporary, orphans = leftovers(ws, older_than_s)
    removed = [0, 0]
    for kind, paths in enumerate((temporary, orphans)):
        for path in paths:
            with contextlib.suppress(OSError):
                path.unlink()
                removed[kind] += 1
    return Cleaned(*removed)
