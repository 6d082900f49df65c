"""The workspace store: one SQLite file per workspace, opened only through this package."""

from empathy_audit.store.database import (
    connect,
    migrate_to_latest,
    schema_version,
    utc_now,
    write_transaction,
)
from empathy_audit.store.workspace import Workspace, open_workspace

__all__ = [
    "Workspace",
    "connect",
    "migrate_to_latest",
    "open_workspace",
    "schema_version",
    "utc_now",
    "write_transaction",
]
