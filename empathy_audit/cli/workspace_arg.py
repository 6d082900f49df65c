"""Opening the workspace a command names with --data-dir."""

from __future__ import annotations

import argparse

from empathy_audit.store import Workspace, open_workspace


def workspace_from(args: argparse.Namespace) -> Workspace:
    return open_workspace(getattr(args, "data_dir", None))
