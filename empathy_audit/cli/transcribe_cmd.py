"""`empathy-audit transcribe` and `empathy-audit transcript`."""

from __future__ import annotations

import argparse
import sys

from empathy_audit.cli.output import (
    EXIT_FAILED,
    EXIT_OK,
    ProgressBar,
    UsageProblem,
    error,
    print_event,
    print_json,
)
from empathy_audit.cli.workspace_arg import workspace_from
from empathy_audit.transcription.engine import DEFAULT_ENGINE, ENGINES, DecodeOptions
from empathy_audit.transcription.formats import FORMATTERS, as_json
from empathy_audit.transcription.runner import TranscribeSettings
from empathy_audit.wording import plural


def register(sub: argparse._SubParsersAction, shared: argparse.ArgumentParser) -> None:
    parser = sub.add_parser(
        "transcribe",
        parents=[shared],
        help="transcribe calls locally with Whisper",
        description="Transcribe calls in a worker process. With --all: every call not yet transcribed, "
        "including ones interrupted earlier (they resume where they stopped). With --json, progress "
        "events are printed one JSON object per line.",
    )
    parser.add_argument("call_ids", nargs="*", type=int, metavar="CALL_ID")
    parser.add_argument("--all", action="store_true", help="every pending or interrupted call")
    parser.add_argument(
        "--retry-failed", action="store_true", help="with --all: also the calls whose transcription failed before"
    )
    parser.add_argument("--engine", choices=list(ENGINES), default=DEFAULT_ENGINE)
    parser.add_argument(
        "--model",
        metavar="NAME|PATH",
        help="accurate (Whisper base, multilingual), fast (tiny.en, English), a downloaded model's name, or a "
        "model folder (default: $EMPATHY_AUDIT_MODEL, else fast)",
    )
    parser.add_argument("--no-vocabulary", action="store_true", help="do not give the engine the workspace vocabulary")
    parser.add_argument("--threads", type=int, default=0, help="CPU threads (default: all cores)")
    parser.add_argument("--language", help="spoken language code, e.g. es (default: detected; English for .en models)")
    parser.add_argument(
        "--hang-timeout",
        type=float,
        default=300.0,
        metavar="SECONDS",
        help="stop the engine if it makes no progress for this long (default: 300)",
    )
    parser.set_defaults(handler=run_transcribe)

    show = sub.add_parser("transcript", parents=[shared], help="print a call's transcript")
    show.add_argument("call_id", type=int, metavar="CALL_ID")
    show.add_argument("--format", choices=sorted(FORMATTERS), default="txt")
    show.set_defaults(handler=run_transcript)


def run_transcribe(args: argparse.Namespace) -> int:
    if args.all == bool(args.call_ids):
        raise UsageProblem("give call ids or --all (not both)")
    if args.retry_failed and not args.all:
        raise UsageProblem("--retry-failed goes with --all (call ids are transcribed whatever their state)")
    if args.threads < 0:
        raise UsageProblem("--threads must be 0 (all cores) or more")
    settings = TranscribeSettings(
        engine=args.engine,
        model=args.model,
        options=DecodeOptions(threads=args.threads, language=args.language),
        hang_timeout_s=args.hang_timeout,
        use_vocabulary=not args.no_vocabulary,
    )
    bar = ProgressBar(enabled=False if args.json else None)
    with workspace_from(args) as workspace:
        failed = workspace.calls.all(status="failed") if args.all else []
        ids = workspace.calls.pending_transcription() if args.all else list(args.call_ids)
        if args.retry_failed:
            ids += [c.id for c in failed if c.id not in ids]
        if not ids:
            if args.json:
                print_event({"event": "summary", "outcomes": [], "cancelled": False, "failed_before": len(failed)})
            elif failed:
                print(f"Nothing new to transcribe; {plural(len(failed), 'call')} failed before:")
                for call in failed:
                    print(f"  #{call.id} {call.original_name}: {call.error or 'unknown reason'}")
                print("Try them again with: empathy-audit transcribe --all --retry-failed")
            else:
                print("Nothing to transcribe: every call has a transcript.")
            return EXIT_FAILED if failed else EXIT_OK
        summary = workspace.calls.transcribe(
            ids,
            settings,
            report=bar,
            on_event=(lambda e: print_event(e.as_json())) if args.json else lambda e: None,
        )
        bar.close()
    outcomes = [vars(o) for o in summary.outcomes]
    if args.json:
        print_event(
            {
                "event": "summary",
                "outcomes": outcomes,
                "cancelled": summary.cancelled,
                "setup_error": summary.setup_error,
            }
        )
    else:
        for o in summary.outcomes:
            text = {
                "transcribed": f"transcribed ({o.segments} segments, {o.elapsed_s:.1f} s)",
                "no_speech": "no speech found",
                "cancelled": "cancelled; will resume next time",
            }.get(o.status, o.status)
            print(f"#{o.call_id}: {text}" + (f": {o.error}" if o.error else ""))
        left = [c for c in failed if c.id not in ids]
        if left:
            print(f"{plural(len(left), 'call')} that failed before were left alone; --retry-failed tries them again")
    if summary.setup_error:
        error(summary.setup_error)
        return EXIT_FAILED
    return EXIT_FAILED if summary.failed else EXIT_OK


def run_transcript(args: argparse.Namespace) -> int:
    with workspace_from(args) as workspace:
        call = workspace.calls.get(args.call_id)
        if call is None:
            error(f"there is no call #{args.call_id} (see: empathy-audit calls list)")
            return EXIT_FAILED
        found = workspace.transcripts.current(args.call_id)
    if found is None:
        error(
            f"call #{args.call_id} has no transcript yet (status: {call.status}); "
            f"run: empathy-audit transcribe {args.call_id}"
        )
        return EXIT_FAILED
    _transcript, segments = found
    if args.json:
        print_json(as_json(segments))
    else:
        sys.stdout.write(FORMATTERS[args.format](segments))
    return EXIT_OK
