"""`empathy-audit import PATH...`"""

from __future__ import annotations

import argparse
from pathlib import Path

from empathy_audit.audio.layout import LAYOUT_NAMES, LAYOUTS
from empathy_audit.cli.output import EXIT_FAILED, EXIT_OK, ProgressBar, print_json
from empathy_audit.cli.workspace_arg import workspace_from
from empathy_audit.importing.importer import (
    ImportOptions,
    ImportReport,
)
from empathy_audit.importing.metadata import load_metadata
from empathy_audit.wording import plural


def register(sub: argparse._SubParsersAction, shared: argparse.ArgumentParser) -> None:
    parser = sub.add_parser(
        "import",
        parents=[shared],
        help="import recorded calls (files or folders)",
        description="Import recorded calls. Folders are searched recursively for audio files. "
        "Put '--' before file names that start with a dash.",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="audio files or folders")
    parser.add_argument("--agent", help="agent for every call in this batch")
    parser.add_argument("--team", help="team for every call in this batch")
    parser.add_argument(
        "--metadata",
        metavar="FILE.csv",
        help="CSV naming each call's file or id with agent, team, customer id, call start, queue "
        "(its values win over --agent/--team)",
    )
    parser.add_argument("--link", action="store_true", help="leave the audio where it is instead of copying it")
    parser.add_argument(
        "--agent-channel",
        choices=["left", "right"],
        default="left",
        help="for stereo recordings: the agent's channel when what is said does not tell (default: left)",
    )
    parser.add_argument(
        "--agent-side",
        choices=["auto", "left", "right"],
        default="auto",
        help="auto (default): found from what each side says, else --agent-channel; left/right: set, never guessed",
    )
    parser.add_argument(
        "--layout",
        choices=["auto", *LAYOUTS],
        default="auto",
        help="how the channels are laid out; auto (default): found by listening",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    metadata = load_metadata(Path(args.metadata)) if args.metadata else None
    options = ImportOptions(
        agent=args.agent,
        team=args.team,
        metadata=metadata,
        link=args.link,
        agent_channel=args.agent_channel,
        agent_side=args.agent_side,
        layout=args.layout,
    )
    with workspace_from(args) as workspace:
        bar = ProgressBar(enabled=None if not args.json else False)
        report = workspace.calls.import_paths(args.paths, options, report=bar)
        bar.close()
    if args.json:
        print_json(report.as_json())
    else:
        print_summary(report)
    return EXIT_FAILED if report.failed else EXIT_OK


def print_summary(report: ImportReport) -> None:
    for item in report.imported:
        channels = LAYOUT_NAMES.get(
            item.layout or "", {1: "mono", 2: "stereo"}.get(item.channels, f"{item.channels} channels")
        )
        print(
            f"imported  #{item.call_id}  {item.original_name}  ({item.duration_s:.1f} s, {channels}, "
            f"{item.sample_rate} Hz, {item.codec})"
        )
    for dup in report.duplicates:
        print(f"skipped   {dup.path}: same recording as call #{dup.existing_call_id} ({dup.existing_name})")
    for fail in report.failed:
        print(f"FAILED    {fail.path}: {fail.error}")
    for problem in report.metadata_problems:
        print(f"metadata  line {problem.line}: {problem.message}")
    for problem in report.metadata_unused:
        print(f"metadata  line {problem.line}: {problem.message}")
    print(
        f"{len(report.imported)} imported, {plural(len(report.duplicates), 'duplicate')} skipped, "
        f"{len(report.failed)} failed" + (" (cancelled)" if report.cancelled else "")
    )
