"""A workspace is a folder holding `workspace.db` and a `media/` folder of imported audio."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from empathy_audit.paths import default_workspace_dir
from empathy_audit.store.database import connect

DB_NAME = "workspace.db"


class OutputProblem(ValueError):
    """An export cannot be written where it was asked to go."""


MEDIA_DIR = "media"


@dataclass
class Workspace:
    root: Path
    db: sqlite_utils.Database

    @property
    def media_dir(self) -> Path:
        return self.root / MEDIA_DIR

    @property
    def db_path(self) -> Path:
        return self.root / DB_NAME

    def audio_path(self, stored_path: str) -> Path:
        """Absolute path of a call's audio (stored paths are relative for copies)."""
        path = Path(stored_path)
        return path if path.is_absolute() else self.root / path

    def owns(self, path: Path) -> bool:
        """True for the workspace's own files (its database and journal, its key, anything under media/)."""
        target = path.resolve()
        own_file = target.parent == self.root and (target.name.startswith(DB_NAME) or target.name == "identity.key")
        return own_file or target.is_relative_to(self.media_dir.resolve())

    def check_output_file(self, path: Path, overwrite: bool = False) -> Path:
        """`path` as a place to write an export, or OutputProblem saying why not and what to do."""
        if self.owns(path):
            raise OutputProblem(f"{path} is one of the workspace's own files; save the export somewhere else")
        if path.is_dir():
            raise OutputProblem(f"{path} is a folder; give a file name (for example {path / 'export.eapack'})")
        if path.exists() and not overwrite:
            raise OutputProblem(f"{path} already exists; choose another name, or replace it (--force)")
        return path

    def check_output_folder(self, folder: Path, clashes: str, overwrite: bool = False) -> Path:
        """`folder` as a place to write an export whose files match the glob `clashes`, or OutputProblem."""
        target = folder.expanduser()
        resolved = target.resolve()
        if resolved == self.root or self.owns(resolved):
            raise OutputProblem(f"{folder} is the workspace's own folder; save the export somewhere else")
        if target.exists() and not target.is_dir():
            raise OutputProblem(f"{folder} is a file, not a folder; give the folder the files should go in")
        existing = target if target.exists() else next((p for p in target.parents if p.exists()), None)
        if existing is not None and not os.access(existing, os.W_OK | os.X_OK):
            raise OutputProblem(
                f"{folder} cannot be written (no permission, or a read-only disk); choose another folder"
            )
        found = sorted(target.glob(clashes)) if target.is_dir() else []
        if found and not overwrite:
            names = ", ".join(p.name for p in found[:3]) + (" …" if len(found) > 3 else "")
            raise OutputProblem(f"{folder} already holds {names}; choose another folder, or replace them (--force)")
        return target

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_workspace(root: Path | str | None = None) -> Workspace:
    """Open the workspace at `root` (default: $EMPATHY_AUDIT_HOME or the user data dir)."""
    folder = Path(root).expanduser() if root is not None else default_workspace_dir()
    if not (folder / DB_NAME).exists():
        folder.mkdir(parents=True, exist_ok=True)
    if not (folder / MEDIA_DIR).is_dir():
        (folder / MEDIA_DIR).mkdir(exist_ok=True)
    return Workspace(root=folder.resolve(), db=connect(folder / DB_NAME))
