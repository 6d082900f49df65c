"""The one door into a workspace: small per-area services over one connection.

The app and the command line reach data only through these. Each background job opens its own
(SQLite connections stay on one thread); the window keeps one for what it shows.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from empathy_audit.services.audit import AuditService
from empathy_audit.services.calibration import CalibrationService
from empathy_audit.services.calls import CallsService
from empathy_audit.services.clips import ClipsService
from empathy_audit.services.coaching import CoachingService
from empathy_audit.services.outcomes import OutcomesService
from empathy_audit.services.packs import KeysService, PacksService
from empathy_audit.services.reviews import ReviewsService, RubricsService
from empathy_audit.services.transcripts import TranscriptsService
from empathy_audit.services.vocabulary import VocabularyService
from empathy_audit.store import Workspace, open_workspace
from empathy_audit.store.database import data_version, is_read_only, rows_written, schema_version


class WorkspaceServices:
    def __init__(self, store: Workspace) -> None:
        self._store = store
        self.root: Path = store.root
        self.calls = CallsService(store)
        self.transcripts = TranscriptsService(store)
        self.reviews = ReviewsService(store)
        self.rubrics = RubricsService(store)
        self.audit = AuditService(store)
        self.outcomes = OutcomesService(store)
        self.clips = ClipsService(store)
        self.calibration = CalibrationService(store)
        self.packs = PacksService(store)
        self.keys = KeysService(store)
        self.vocabulary = VocabularyService(store)
        self.coaching = CoachingService(store)

    @property
    def read_only(self) -> bool:
        """The workspace can only be read (read-only files, folder or disk)."""
        return is_read_only(self._store.db)

    def schema_version(self) -> int:
        return schema_version(self._store.db)

    def data_version(self) -> int | None:
        """Changes whenever another connection commits (the CLI, a second window, a background job);
        None once the workspace is closed."""
        try:
            return data_version(self._store.db)
        except sqlite3.Error:
            return None

    def rows_written(self) -> int:
        """Rows written through this connection so far (a job that only read wrote none)."""
        return rows_written(self._store.db)

    def close(self) -> None:
        self._store.close()

    def __enter__(self) -> WorkspaceServices:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_services(root: Path | str | None = None) -> WorkspaceServices:
    """Open the workspace at `root` (default: $EMPATHY_AUDIT_HOME or the user data folder)."""
    return WorkspaceServices(open_workspace(root))
