"""Opening the workspace a command names with --data-dir."""

from __future__ import annotations

import argparse

from empathy_audit.services import WorkspaceServices, open_services


def workspace_from(args: argparse.Namespace) -> WorkspaceServices:
    """The workspace's services (the command line reaches data only through them, as the app does)."""
    return open_services(getattr(args, "data_dir", None))
