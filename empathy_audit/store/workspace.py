"""A workspace is a folder holding `workspace.db` and a `media/` folder of imported audio."""

from __future__ import annotations

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

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_workspace(root: Path | str | None = None) -> Workspace:
    """Open the workspace at `root` (default: $EMPATHY_AUDIT_HOME or the user data dir)."""
    folder = Path(root).expanduser() if root is not None else default_workspace_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MEDIA_DIR).mkdir(exist_ok=True)
    return Workspace(root=folder.resolve(), db=connect(folder / DB_NAME))
