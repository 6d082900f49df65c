"""Calls: the Library's rows, one call, its metadata; importing recordings and transcribing them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from empathy_audit.audio.layout import LAYOUTS
from empathy_audit.changes import Area, Changes
from empathy_audit.domain import Call
from empathy_audit.importing.attach import AttachPlan, MetadataProblem, clean_fields, plan_attach
from empathy_audit.importing.importer import ImportOptions, ImportReport, import_paths
from empathy_audit.jobs import CancelToken, Report, no_report
from empathy_audit.store import Workspace
from empathy_audit.store.calls import (
    call_names,
    get_call,
    has_calls,
    list_calls,
    set_layout,
    status_counts,
    stored_paths,
    update_details,
)
from empathy_audit.store.cleanup import Cleaned, clean_interrupted_writes
from empathy_audit.store.database import WorkspaceReadOnly, is_read_only
from empathy_audit.store.library import LibraryFilter, filter_choices, library_rows
from empathy_audit.wording import plural

if TYPE_CHECKING:  # the transcription machinery loads on first use
    from empathy_audit.transcription.runner import CallEvent, TranscribeSettings, TranscribeSummary


class CallsService:
    def __init__(self, store: Workspace) -> None:
        self._store = store

    # -- reading ------------------------------------------------------------------------------
    def get(self, call_id: int) -> Call | None:
        return get_call(self._store.db, call_id)

    def all(self, status: str | None = None) -> list[Call]:
        return list_calls(self._store.db, status=status)

    def library_rows(
        self, flt: LibraryFilter | None = None, sort: str = "call_start", descending: bool = True
    ) -> list[dict[str, Any]]:
        return library_rows(self._store.db, flt, sort, descending)

    def filter_choices(self) -> dict[str, list[str]]:
        return filter_choices(self._store.db)

    def names(self) -> dict[int, str]:
        return call_names(self._store.db)

    def any(self) -> bool:
        return has_calls(self._store.db)

    def audio_path(self, call: Call) -> Path:
        return self._store.audio_path(call.stored_path)

    def status_counts(self) -> dict[str, int]:
        return status_counts(self._store.db)

    def missing_audio(self) -> list[str]:
        """Names of the calls whose recording is not where the workspace keeps it (a linked drive gone)."""
        return [name for name, stored in stored_paths(self._store.db) if not self._store.audio_path(stored).exists()]

    # -- details ------------------------------------------------------------------------------
    def update_details(self, call_ids: list[int], **values: str | None) -> Changes:
        """Set the same details on calls (agent, team, customer_id, external_id, call_start); None leaves a
        field as it is and '' clears it. MetadataProblem says what is wrong with a value."""
        fields = clean_fields(values)
        known = [i for i in call_ids if get_call(self._store.db, i) is not None]
        if len(known) != len(call_ids):
            missing = sorted(set(call_ids) - set(known))
            raise MetadataProblem(
                f"there is no call {', '.join(f'#{i}' for i in missing)} (see: empathy-audit calls list)"
            )
        update_details(self._store.db, [(i, fields) for i in known])
        return Changes.of(Area.CALLS, calls=known) if fields else Changes()

    def set_layout(self, call_ids: list[int], layout: str) -> Changes:
        """How the calls' channels are laid out (audio/layout.py), set by a person; a call transcribed already
        follows it when transcribed again. MetadataProblem says what does not fit."""
        if layout not in LAYOUTS:
            raise MetadataProblem(f"the layout is one of {', '.join(LAYOUTS)}, not {layout!r}")
        calls = [get_call(self._store.db, i) for i in call_ids]
        missing = [i for i, c in zip(call_ids, calls, strict=True) if c is None]
        if missing:
            raise MetadataProblem(
                f"there is no call {', '.join(f'#{i}' for i in missing)} (see: empathy-audit calls list)"
            )
        for call in calls:
            assert call is not None
            if (call.channels == 2) != (layout != "mono"):
                raise MetadataProblem(
                    f"call #{call.id} has {plural(call.channels, 'channel')}: "
                    + ("only 'mono' fits" if call.channels != 2 else "use dual_mono, dual or dual_bleed")
                )
        set_layout(self._store.db, call_ids, layout)
        return Changes.of(Area.CALLS, calls=call_ids)

    def plan_metadata(self, path: Path) -> AttachPlan:
        """A metadata CSV matched to the calls here, with every problem by line; nothing is written."""
        return plan_attach(path, self.all())

    def attach_metadata(self, plan: AttachPlan) -> tuple[int, Changes]:
        """Apply a plan's matches in one transaction; returns (calls changed, Changes)."""
        updates = [(m.call.id, m.changes) for m in plan.matches if m.changes]
        update_details(self._store.db, updates)
        return len(updates), Changes.of(Area.CALLS, calls=[i for i, _v in updates]) if updates else Changes()

    # -- importing ----------------------------------------------------------------------------
    def import_paths(
        self,
        paths: Iterable[Path | str],
        options: ImportOptions | None = None,
        report: Report = no_report,
        cancel: CancelToken | None = None,
    ) -> ImportReport:
        """Import files and folders (what an interrupted import left behind is cleaned first)."""
        if is_read_only(self._store.db):
            raise WorkspaceReadOnly(
                f"{self._store.root} is read-only (its files, folder or disk cannot be written): nothing can be "
                "imported into it; make it writable, or import into another workspace"
            )
        clean_interrupted_writes(self._store)
        return import_paths(self._store, paths, options, report=report, cancel=cancel)

    def clean_interrupted_writes(self) -> Cleaned:
        """Temporary copies and recordings no call refers to, left by a kill or a full disk (at start-up)."""
        return clean_interrupted_writes(self._store)

    # -- transcribing -------------------------------------------------------------------------
    def pending_transcription(self) -> list[int]:
        from empathy_audit.transcription.runner import pending_call_ids

        return pending_call_ids(self._store)

    def transcribe(
        self,
        call_ids: list[int],
        settings: TranscribeSettings | None = None,
        report: Report = no_report,
        cancel: CancelToken | None = None,
        on_event: Callable[[CallEvent], None] = lambda _e: None,
    ) -> TranscribeSummary:
        """Transcribe calls in a worker process (result.changes names the calls that changed)."""
        from empathy_audit.transcription.runner import transcribe_calls

        return transcribe_calls(self._store, call_ids, settings, report=report, cancel=cancel, on_event=on_event)

    @staticmethod
    def changed(*call_ids: int) -> Changes:
        return Changes.of(Area.CALLS, calls=call_ids)
