"""`empathy-audit clip create|list|show|update|delete|export` and `personal-data`."""

from __future__ import annotations

import argparse
from pathlib import Path

from empathy_audit.cli.output import EXIT_FAILED, EXIT_OK, ProgressBar, error, print_json
from empathy_audit.cli.workspace_arg import workspace_from
from empathy_audit.store.clips import ClipProblem
from empathy_audit.transcription.formats import format_duration
from empathy_audit.wording import plural


def register(sub: argparse._SubParsersAction, shared: argparse.ArgumentParser) -> None:
    clip = sub.add_parser("clip", parents=[shared], help="coaching clips: make, find, change and export them")
    actions = clip.add_subparsers(dest="clip_command", metavar="ACTION", required=True)

    create = actions.add_parser(
        "create",
        parents=[shared],
        help="save a moment of a transcribed call as a clip",
        description="The span snaps to whole words with a little padding (unless --exact).",
    )
    create.add_argument("call_id", type=int, metavar="CALL_ID")
    create.add_argument("--start", type=float, required=True, metavar="S", help="start, seconds into the call")
    create.add_argument("--end", type=float, required=True, metavar="E", help="end, seconds into the call")
    create.add_argument("--title", required=True)
    _content_options(create)
    create.add_argument("--exact", action="store_true", help="keep the span as given (no snapping, no padding)")
    create.set_defaults(handler=run_create)

    listing = actions.add_parser("list", parents=[shared], help="clips, newest first")
    listing.add_argument("--search", default="", help="words that must all appear (title, tags, transcript, note)")
    listing.add_argument("--call", type=int, dest="call_id", help="only this call's clips")
    listing.set_defaults(handler=run_list)

    show = actions.add_parser("show", parents=[shared], help="one clip with its transcript excerpt")
    show.add_argument("clip_id", type=int, metavar="CLIP_ID")
    show.set_defaults(handler=run_show)

    update = actions.add_parser("update", parents=[shared], help="change a clip's title, tags, note, criterion or span")
    update.add_argument("clip_id", type=int, metavar="CLIP_ID")
    update.add_argument("--title")
    update.add_argument("--start", type=float, metavar="S")
    update.add_argument("--end", type=float, metavar="E")
    _content_options(update, replacing=True)
    update.set_defaults(handler=run_update)

    delete = actions.add_parser("delete", parents=[shared], help="remove clips (the call and its review stay)")
    delete.add_argument("clip_ids", type=int, nargs="+", metavar="CLIP_ID")
    delete.set_defaults(handler=run_delete)

    export = actions.add_parser(
        "export",
        parents=[shared],
        help="cut clips to audio files with an index.html/index.md handout",
        description="Personal data is bleeped in the audio and shown as [redacted] in the text unless --no-redact.",
    )
    export.add_argument("clip_ids", type=int, nargs="+", metavar="CLIP_ID")
    export.add_argument("--out", required=True, metavar="DIR", help="folder for the audio files and the index")
    export.add_argument("--format", choices=["mp3", "wav", "ogg"], default="mp3")
    export.add_argument("--force", action="store_true", help="replace an earlier export's files in DIR")
    export.add_argument("--speaker", choices=["both", "agent", "customer"], default="both", help="default: both mixed")
    export.add_argument(
        "--redact",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="bleep personal data (default); --no-redact exports what was said, for internal use only",
    )
    export.set_defaults(handler=run_export)

    pii = sub.add_parser(
        "personal-data", parents=[shared], help="list the personal data found in a call's transcript (what is bleeped)"
    )
    pii.add_argument("call_id", type=int, metavar="CALL_ID")
    pii.set_defaults(handler=run_personal_data)


def _content_options(parser: argparse.ArgumentParser, replacing: bool = False) -> None:
    parser.add_argument(
        "--tag",
        action="append",
        default=None,
        dest="tags",
        metavar="TAG",
        help="e.g. acknowledgment-great (repeatable" + ("; replaces the clip's tags)" if replacing else ")"),
    )
    parser.add_argument("--note", help="what a trainee should notice")
    parser.add_argument("--criterion", metavar="KEY", help="the rubric criterion it illustrates, e.g. acknowledgment")


def _line(clip) -> str:
    tags = f"  [{', '.join(clip.tags)}]" if clip.tags else ""
    return f"{clip.id:>5}  {format_duration(clip.duration_s):>6}  {clip.title}{tags}  (call {clip.call_id})"


def _print_clip(args: argparse.Namespace, clip) -> None:
    if args.json:
        print_json(clip.as_json())
    else:
        print(_line(clip))
        print(f"       {clip.start_s:.2f}–{clip.end_s:.2f} s of {clip.call_name}")
        if clip.criterion_label:
            print(f"       illustrates {clip.criterion_label}")
        if clip.note:
            print(f"       note: {clip.note}")
        for line in clip.transcript_excerpt.splitlines():
            print(f"       {line}")


def run_create(args: argparse.Namespace) -> int:
    with workspace_from(args) as ws:
        try:
            clip = ws.clips.create(
                args.call_id,
                args.start,
                args.end,
                args.title,
                tags=args.tags or (),
                note=args.note or "",
                criterion_key=args.criterion,
                snap=not args.exact,
            ).clip
        except ClipProblem as exc:
            error(str(exc))
            return EXIT_FAILED
        _print_clip(args, clip)
    return EXIT_OK


def run_list(args: argparse.Namespace) -> int:
    with workspace_from(args) as ws:
        clips = ws.clips.list(args.search, args.call_id)
    if args.json:
        print_json([c.as_json() for c in clips])
    elif not clips:
        print("No clips" + (" match that search." if args.search else " yet; make one with `clip create`."))
    for clip in [] if args.json else clips:
        print(_line(clip))
    return EXIT_OK


def run_show(args: argparse.Namespace) -> int:
    with workspace_from(args) as ws:
        try:
            _print_clip(args, ws.clips.get(args.clip_id))
        except ClipProblem as exc:
            error(str(exc))
            return EXIT_FAILED
    return EXIT_OK


def run_update(args: argparse.Namespace) -> int:
    changes = {
        name: value
        for name, value in (
            ("title", args.title),
            ("note", args.note),
            ("criterion_key", args.criterion),
            ("tags", args.tags),
            ("start_s", args.start),
            ("end_s", args.end),
        )
        if value is not None
    }
    with workspace_from(args) as ws:
        try:
            clip = ws.clips.update(args.clip_id, **changes).clip
        except ClipProblem as exc:
            error(str(exc))
            return EXIT_FAILED
        _print_clip(args, clip)
    return EXIT_OK


def run_delete(args: argparse.Namespace) -> int:
    with workspace_from(args) as ws:
        missing = []
        for clip_id in args.clip_ids:
            try:
                ws.clips.get(clip_id)
            except ClipProblem as exc:
                missing.append(str(exc))
        deleted = ws.clips.delete(args.clip_ids).count
    for message in missing:
        error(message)
    if args.json:
        print_json({"deleted": deleted, "problems": missing})
    else:
        print(f"Deleted {plural(deleted, 'clip')}.")
    return EXIT_FAILED if missing else EXIT_OK


def run_export(args: argparse.Namespace) -> int:
    from empathy_audit.clips.export import ExportOptions  # pulls in numpy and pydub

    options = ExportOptions(format=args.format, speaker=args.speaker, redact=args.redact)
    if not args.redact:
        error("--no-redact: these files may contain card numbers, phone numbers and names; keep them internal")
    bar = ProgressBar(enabled=None if not args.json else False)
    with workspace_from(args) as ws:
        try:
            result = ws.clips.export(args.clip_ids, Path(args.out), options, report=bar, overwrite=args.force)
        finally:
            bar.close()
    for clip_id, message in result.failures:
        error(f"clip {clip_id}: {message}")
    if args.json:
        print_json(
            {
                "folder": str(result.folder),
                "redacted": args.redact,
                "index_html": str(result.index_html) if result.index_html else None,
                "index_md": str(result.index_md) if result.index_md else None,
                "exported": [
                    {"clip_id": e.clip_id, "path": str(e.path), "duration_s": e.duration_s, "bleeped": e.bleeped}
                    for e in result.exported
                ],
                "failures": [{"clip_id": c, "message": m} for c, m in result.failures],
            }
        )
    else:
        for e in result.exported:
            bleeps = f", {plural(len(e.bleeped), 'span')} bleeped" if e.bleeped else ""
            print(f"{e.path}  ({format_duration(e.duration_s)}{bleeps})")
        if result.index_html:
            print(f"Handout: {result.index_html}")
    return EXIT_FAILED if result.failures else EXIT_OK


def run_personal_data(args: argparse.Namespace) -> int:
    with workspace_from(args) as ws:
        call = ws.calls.get(args.call_id)
        findings = ws.transcripts.personal_data(call) if call and ws.transcripts.current(call.id) else None
    if findings is None:
        error(f"call {args.call_id} has no transcript (or does not exist); transcribe it first")
        return EXIT_FAILED
    spans = findings.spans
    if args.json:
        print_json([s.to_json() for s in spans])
    elif not spans:
        print("No personal data found.")
    for s in [] if args.json else spans:
        when = f"{format_duration(s.start_s)}–{format_duration(s.end_s)}"
        print(f"{when:<13} {s.kind:<13} {s.speaker:<9} {s.text}\n{'':<14}why: {s.why}")
    return EXIT_OK
