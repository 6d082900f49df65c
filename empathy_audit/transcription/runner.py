"""Running transcription jobs: a supervised worker process per batch, checkpoints, and recovery.

A native crash, a hang past the timeout, or a cancel kills only the worker. The call
is then marked failed (with the reason) or put back to pending, and its finished
windows stay as checkpoints so the next run resumes near where it stopped.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from empathy_audit.changes import NOTHING, Area, Changes
from empathy_audit.domain import Call, CallStatus
from empathy_audit.jobs import CancelToken, Report, no_report
from empathy_audit.store import Workspace
from empathy_audit.store.calls import (
    claim_for_transcription,
    get_call,
    list_calls,
    release_from_transcription,
    set_agent_side,
    transcription_heartbeat,
    transcription_lease,
)
from empathy_audit.store.transcripts import Provenance, load_checkpoints, save_checkpoint, save_transcript
from empathy_audit.store.vocabulary import list_terms
from empathy_audit.transcription.conversation import compute_metrics
from empathy_audit.transcription.engine import DEFAULT_ENGINE, DecodeOptions
from empathy_audit.transcription.messages import (
    CallDone,
    CallFailed,
    Progress,
    TranscribeRequest,
    WindowDone,
    WorkerFailed,
    WorkerReady,
)
from empathy_audit.transcription.pipeline import WINDOW_S
from empathy_audit.transcription.sides import decide_sides
from empathy_audit.transcription.worker import WorkerConfig
from empathy_audit.transcription.worker_process import WorkerDied, WorkerProcess

STALE_LEASE_S = 60.0  # a 'transcribing' call whose heartbeat is older than this was interrupted
HEARTBEAT_S = 5.0
LOAD_TIMEOUT_S = 600.0


@dataclass(frozen=True)
class CallEvent:
    """What happened to one call during a run; `as_json()` is the CLI's JSON-lines form."""

    kind: str  # started | progress | finished | failed | cancelled
    call_id: int
    name: str | None = None  # started
    fraction: float | None = None  # progress: this call
    batch_fraction: float | None = None  # progress: the whole run
    status: str | None = None  # finished: transcribed | no_speech
    segments: int | None = None  # finished
    elapsed_s: float | None = None  # finished
    error: str | None = None  # failed

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"event": self.kind, "call_id": self.call_id}
        data.update({k: v for k, v in asdict(self).items() if v is not None and k not in ("kind", "call_id")})
        return data


Event = CallEvent


@dataclass
class TranscribeSettings:
    engine: str = DEFAULT_ENGINE
    model: str | None = None  # choice (fast, accurate), name or path; None: models.default_model()
    options: DecodeOptions = field(default_factory=DecodeOptions)
    window_s: float = WINDOW_S
    hang_timeout_s: float = 300.0  # no message from the worker for this long: it is stuck
    use_vocabulary: bool = True  # give the engine the workspace's vocabulary (store/vocabulary.py)


@dataclass
class CallOutcome:
    call_id: int
    status: str  # transcribed | no_speech | failed | cancelled | skipped
    error: str | None = None
    segments: int = 0
    elapsed_s: float = 0.0


@dataclass
class TranscribeSummary:
    outcomes: list[CallOutcome] = field(default_factory=list)
    cancelled: bool = False
    setup_error: str | None = None  # the engine or model could not start; nothing was transcribed

    @property
    def failed(self) -> list[CallOutcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    @property
    def changes(self) -> Changes:
        ids = [o.call_id for o in self.outcomes if o.status != "skipped"]
        return Changes.of(Area.CALLS, Area.TRANSCRIPTS, calls=ids) if ids else NOTHING


class WorkerHung(RuntimeError):
    pass


def _pid_alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def lease_is_live(call: Call, worker_pid: int | None, heartbeat: str | None) -> bool:
    """Is another live process transcribing this call right now?"""
    if call.status != CallStatus.TRANSCRIBING or not heartbeat:
        return False
    age = datetime.now(UTC) - datetime.fromisoformat(heartbeat)
    return age < timedelta(seconds=STALE_LEASE_S) and _pid_alive(worker_pid)


def _lease(workspace: Workspace, call_id: int) -> tuple[int | None, str | None]:
    return transcription_lease(workspace.db, call_id)


def pending_call_ids(workspace: Workspace) -> list[int]:
    """Calls waiting for a transcript: new ones, and ones whose transcription was interrupted."""
    out = []
    for call in list_calls(workspace.db):
        if call.status == CallStatus.NEW or (
            call.status == CallStatus.TRANSCRIBING and not lease_is_live(call, *_lease(workspace, call.id))
        ):
            out.append(call.id)
    return out


def job_key(ready: WorkerReady, settings: TranscribeSettings) -> str:
    """Names engine, model and settings, so a resume never mixes windows from different runs."""
    spec = {
        "engine": ready.engine,
        "model": ready.model_sha256,
        "options": settings.options.as_json(),
        "window_s": settings.window_s,
    }
    return hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()[:16]


class _Batch:
    """State of one transcribe_calls run."""

    def __init__(
        self,
        workspace: Workspace,
        settings: TranscribeSettings,
        report: Report,
        cancel: CancelToken,
        on_event: Callable[[Event], None],
    ) -> None:
        self.ws = workspace
        self.settings = settings
        self.report = report
        self.cancel = cancel
        self.on_event = on_event
        self.worker: WorkerProcess | None = None
        self.done_seconds = 0.0
        self.position = ""  # "2 of 5": which call of the run this is
        self.total_seconds = 1e-6

    # -- worker lifecycle -------------------------------------------------
    def ensure_worker(self) -> WorkerProcess:
        if self.worker is not None and self.worker.process.is_alive():
            return self.worker
        worker = WorkerProcess(
            WorkerConfig(self.settings.engine, self.settings.model, self.settings.options, self.settings.window_s)
        )
        self.worker = worker
        deadline = time.monotonic() + LOAD_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.cancel.cancelled:
                raise _CancelledNow()
            try:
                message = worker.receive(0.2)
            except WorkerDied as exc:
                self.worker = None
                raise _SetupFailed(f"the transcription engine could not start: {exc}") from exc
            if isinstance(message, WorkerReady):
                worker.ready = message
                return worker
            if isinstance(message, WorkerFailed):
                worker.kill()
                self.worker = None
                raise _SetupFailed(message.error)
        worker.kill()
        self.worker = None
        raise _SetupFailed(f"the transcription engine did not start within {LOAD_TIMEOUT_S:.0f} s")

    def drop_worker(self) -> None:
        if self.worker is not None:
            self.worker.kill()
            self.worker = None

    # -- call state -------------------------------------------------------
    def claim(self, call: Call) -> None:
        claim_for_transcription(self.ws.db, call.id, os.getpid())

    def heartbeat(self, call_id: int, fraction: float) -> None:
        transcription_heartbeat(self.ws.db, call_id, fraction)

    def release(self, call_id: int, status: CallStatus | None, error: str | None) -> None:
        """End a call's run without a new transcript: back to pending, or failed with a reason."""
        release_from_transcription(self.ws.db, call_id, status, error)

    def emit(self, event: Event) -> None:
        self.on_event(event)

    def batch_fraction(self, call: Call, fraction: float) -> float:
        return min(1.0, (self.done_seconds + fraction * call.duration_s) / self.total_seconds)

    # -- one call ---------------------------------------------------------
    def run_call(self, call: Call) -> CallOutcome:
        started = time.monotonic()
        self.claim(call)
        self.emit(CallEvent("started", call.id, name=call.original_name))
        try:
            worker = self.ensure_worker()
            assert worker.ready is not None
            key = job_key(worker.ready, self.settings)
            request = TranscribeRequest(
                call_id=call.id,
                audio_path=str(self.ws.audio_path(call.stored_path)),
                channels=call.channels,
                agent_channel=call.agent_channel,
                duration_s=call.duration_s,
                done=load_checkpoints(self.ws.db, call.id, key),
                layout=call.layout,
            )
            if not Path(request.audio_path).exists():
                raise _CallFailedNow(f"the audio file is missing: {request.audio_path}")
            worker.send(request)
            return self._follow(call, worker, key, started)
        except _CancelledNow:
            self.drop_worker()
            self.release(call.id, None, None)
            self.emit(CallEvent("cancelled", call.id))
            return CallOutcome(call.id, "cancelled", elapsed_s=time.monotonic() - started)
        except _SetupFailed:
            # The engine or model cannot run at all: not this call's fault, so it stays pending.
            self.release(call.id, None, None)
            raise
        except (_CallFailedNow, WorkerDied, WorkerHung) as exc:
            if isinstance(exc, (WorkerDied, WorkerHung)):
                self.drop_worker()
            reason = str(exc)
            self.release(call.id, CallStatus.FAILED, reason)
            self.emit(CallEvent("failed", call.id, error=reason))
            return CallOutcome(call.id, "failed", reason, elapsed_s=time.monotonic() - started)
        except BaseException:
            # KeyboardInterrupt or a bug: never leave the call looking busy.
            self.drop_worker()
            self.release(call.id, None, None)
            raise

    def _follow(self, call: Call, worker: WorkerProcess, key: str, started: float) -> CallOutcome:
        assert worker.ready is not None
        last_message = time.monotonic()
        last_beat = 0.0
        fraction = 0.0
        while True:
            if self.cancel.cancelled:
                raise _CancelledNow()
            message = worker.receive(0.2)
            now = time.monotonic()
            if message is None:
                if now - last_message > self.settings.hang_timeout_s:
                    raise WorkerHung(
                        f"the transcription engine made no progress for {self.settings.hang_timeout_s:.0f} s "
                        "and was stopped"
                    )
                continue
            last_message = now
            if isinstance(message, Progress):
                fraction = message.fraction
                if now - last_beat >= HEARTBEAT_S:
                    self.heartbeat(call.id, fraction)
                    last_beat = now
                batch = self.batch_fraction(call, fraction)
                # One percentage on screen: the whole run's, in the status bar; each call's is in its Library row.
                self.report(batch, f"Transcribing {call.original_name} ({self.position})")
                self.emit(CallEvent("progress", call.id, fraction=round(fraction, 4), batch_fraction=round(batch, 4)))
            elif isinstance(message, WindowDone):
                save_checkpoint(self.ws.db, call.id, key, message.checkpoint)
            elif isinstance(message, CallFailed):
                raise _CallFailedNow(message.error)
            elif isinstance(message, CallDone):
                return self._finish(call, worker.ready, message, started)

    def _finish(self, call: Call, ready: WorkerReady, done: CallDone, started: float) -> CallOutcome:
        elapsed = time.monotonic() - started
        sides = decide_sides(call.layout, call.agent_channel, call.agent_side_source, done.segments)
        status = CallStatus.TRANSCRIBED if sides.segments else CallStatus.NO_SPEECH
        provenance = Provenance(
            engine=ready.engine,
            engine_version=ready.engine_version,
            model_name=ready.model_name,
            model_sha256=ready.model_sha256,
            settings={
                **self.settings.options.as_json(),
                "window_s": self.settings.window_s,
                "speakers": "; ".join(n for n in (done.note, sides.note) if n),
            },
            language=done.language,
            duration_s=call.duration_s,
            elapsed_s=elapsed,
        )
        metrics = compute_metrics(sides.segments, call.duration_s)
        set_agent_side(self.ws.db, call.id, sides.agent_channel, sides.source)
        save_transcript(self.ws.db, call.id, provenance, sides.segments, metrics, status.value)
        self.emit(
            CallEvent(
                "finished", call.id, status=status.value, segments=len(sides.segments), elapsed_s=round(elapsed, 3)
            )
        )
        return CallOutcome(call.id, status.value, segments=len(sides.segments), elapsed_s=elapsed)


class _CancelledNow(Exception):
    pass


class _SetupFailed(Exception):
    pass


class _CallFailedNow(Exception):
    pass


def transcribe_calls(
    workspace: Workspace,
    call_ids: list[int],
    settings: TranscribeSettings | None = None,
    report: Report = no_report,
    cancel: CancelToken | None = None,
    on_event: Callable[[Event], None] = lambda _e: None,
) -> TranscribeSummary:
    """Transcribe calls one after another in a worker process. Cancel leaves the rest pending."""
    settings = settings or TranscribeSettings()
    if settings.use_vocabulary and not settings.options.vocabulary:
        terms = tuple(list_terms(workspace.db))  # read once per run: calls in one run get the same hints
        settings = replace(settings, options=replace(settings.options, vocabulary=terms))
    cancel = cancel or CancelToken()
    batch = _Batch(workspace, settings, report, cancel, on_event)
    summary = TranscribeSummary()
    calls: list[Call] = []
    for call_id in call_ids:
        call = get_call(workspace.db, call_id)
        if call is None:
            summary.outcomes.append(CallOutcome(call_id, "failed", f"there is no call #{call_id}"))
        elif lease_is_live(call, *_lease(workspace, call_id)):
            summary.outcomes.append(CallOutcome(call_id, "skipped", "another window or command is transcribing it"))
        else:
            calls.append(call)
    batch.total_seconds = max(1e-6, sum(c.duration_s for c in calls))
    try:
        for number, call in enumerate(calls, 1):
            batch.position = f"{number} of {len(calls)}"
            if cancel.cancelled:
                summary.cancelled = True
                break
            try:
                outcome = batch.run_call(call)
            except _SetupFailed as exc:
                summary.setup_error = str(exc)
                break
            summary.outcomes.append(outcome)
            batch.done_seconds += call.duration_s
            if outcome.status == "cancelled":
                summary.cancelled = True
                break
            report(batch.batch_fraction(call, 0.0), f"{call.original_name}: {outcome.status.replace('_', ' ')}")
    finally:
        if batch.worker is not None:
            batch.worker.stop()
    return summary
