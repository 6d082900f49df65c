"""`empathy-audit calls list`"""

from __future__ import annotations

import argparse

from empathy_audit.cli.output import EXIT_OK, print_json
from empathy_audit.cli.workspace_arg import workspace_from
from empathy_audit.domain import CallStatus
from empathy_audit.store.calls import call_to_json


def register(sub: argparse._SubParsersAction, shared: argparse.ArgumentParser) -> None:
    calls = sub.add_parser("calls", parents=[shared], help="list the calls in the workspace")
    calls_sub = calls.add_subparsers(dest="calls_command", metavar="ACTION", required=True)
    listing = calls_sub.add_parser("list", parents=[shared], help="one line (or JSON object) per call")
    listing.add_argument("--status", choices=[s.value for s in CallStatus], help="only calls in this state")
    listing.set_defaults(handler=run_list)


def run_list(args: argparse.Namespace) -> int:
    with workspace_from(args) as workspace:
        calls = workspace.calls.all(status=args.status)
        scores = workspace.audit.scores()
    if args.json:
        print_json(
            [
                {
                    **call_to_json(c),
                    "score": scores.get(c.id, (None, 0))[0],
                    "reviewers": scores.get(c.id, (None, 0))[1],
                }
                for c in calls
            ]
        )
        return EXIT_OK
    if not calls:
        print("No calls yet. Import some with: empathy-audit import PATH...")
        return EXIT_OK
    for call in calls:
        who = " / ".join(x for x in (call.agent, call.team) if x) or "-"
        status = call.status + (f" ({call.error})" if call.error else "")
        score, reviewers = scores.get(call.id, (None, 0))
        scored = (
            f"  score {score:.2f} ({reviewers} reviewer{'s' if reviewers != 1 else ''})" if score is not None else ""
        )
        print(
            f"#{call.id:<5} {call.original_name:<40} {call.duration_s:7.1f} s  {call.channels} ch  {who:<24} {status}"
            f"{scored}"
        )
    return EXIT_OK
