"""Packs: reviews and calibration sets exchanged between workspaces, checked whole before anything is written."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from empathy_audit.changes import NOTHING, Area, Changes
from empathy_audit.jobs import Report, no_report
from empathy_audit.packs.export import PackExport, export_calibration_pack, export_review_pack
from empathy_audit.packs.format import PackProblem
from empathy_audit.packs.importer import PackImport, import_packs
from empathy_audit.store import Workspace
from empathy_audit.store.calibration import CalibrationSet
from empathy_audit.store.keys import TrustedKey, forget_keys, trusted_keys, workspace_key


@dataclass
class PacksImported:
    results: list[PackImport | PackProblem] = field(default_factory=list)

    @property
    def changes(self) -> Changes:
        done = [r for r in self.results if isinstance(r, PackImport)]
        if not done:
            return NOTHING
        return Changes.of(Area.CALLS, Area.REVIEWS, Area.TRANSCRIPTS, Area.CALIBRATION, Area.RUBRICS, Area.KEYS)


class PacksService:
    def __init__(self, store: Workspace) -> None:
        self._store = store

    def import_packs(self, paths: Sequence[Path], report: Report = no_report, trust_new: bool = False) -> PacksImported:
        """Each pack whole or not at all; a bad one is reported and the rest go on. A pack signed by keys this
        workspace does not know yet is refused (UntrustedKeys) unless `trust_new`: the user checked them."""
        return PacksImported(import_packs(self._store, paths, report=report, trust_new=trust_new))

    def export_reviews(self, out: Path, **options: Any) -> PackExport:
        """A review pack (options: reviewer, calibration, include_transcripts, include_audio,
        redact_transcripts, overwrite)."""
        return export_review_pack(self._store, out, **options)

    def export_calibration(self, ref: int | str | CalibrationSet, out: Path, **options: Any) -> PackExport:
        """A calibration set with its calls and the lead's gold scores (options: include_audio,
        redact_transcripts, overwrite)."""
        return export_calibration_pack(self._store, ref, out, **options)


class KeysService:
    """This workspace's identity (the key its reviews and packs are signed with) and the keys it trusts."""

    def __init__(self, store: Workspace) -> None:
        self._store = store

    def identity(self) -> tuple[str, str]:
        """(public key, fingerprint) of this workspace, made on first use, to compare with those who import."""
        key = workspace_key(self._store.root)
        return key.public, key.fingerprint

    def trusted(self) -> list[TrustedKey]:
        return trusted_keys(self._store.db)

    def forget(self, name: str) -> tuple[int, Changes]:
        """Forget the keys trusted for `name` (they have a new laptop); their next pack asks again."""
        count = forget_keys(self._store.db, name)
        return count, Changes.of(Area.KEYS) if count else Changes()
