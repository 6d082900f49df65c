"""The application layer: the workspace's per-area services and the use cases that span core areas
(reviewing with calibration, …), shared by the app and the command line. Nothing below it (store,
reviewing, calibration, analytics, …) imports it."""

from empathy_audit.services.workspace_services import WorkspaceServices, open_services

__all__ = ["WorkspaceServices", "open_services"]
