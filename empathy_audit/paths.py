"""Where things live: the workspace folder, the user cache, bundled resources."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "EmpathyAudit"
HOME_ENV = "EMPATHY_AUDIT_HOME"
CACHE_ENV = "EMPATHY_AUDIT_CACHE"


def default_workspace_dir() -> Path:
    """The workspace folder: $EMPATHY_AUDIT_HOME, else the platform's user data dir."""
    override = os.environ.get(HOME_ENV)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def cache_dir() -> Path:
    """Cache for converted models and downloads (safe to delete)."""
    override = os.environ.get(CACHE_ENV)
    base = Path(override).expanduser() if override else Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))
    base.mkdir(parents=True, exist_ok=True)
    return base


def resource_path(*parts: str) -> Path:
    """A file under resources/, in a source checkout or a frozen (PyInstaller) build."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root, "resources", *parts)
    return Path(__file__).resolve().parent.parent.joinpath("resources", *parts)
