"""`empathy-audit calls list|update|attach-metadata`"""

from __future__ import annotations

import argparse
from pathlib import Path

from empathy_audit.audio.layout import LAYOUTS, describe_sides, short_sides
from empathy_audit.cli.output import EXIT_FAILED, EXIT_OK, UsageProblem, error, print_json
from empathy_audit.cli.workspace_arg import workspace_from
from empathy_audit.domain import CallStatus
from empathy_audit.importing.attach import MetadataProblem
from empathy_audit.services.transcripts import SidesProblem
from empathy_audit.store.calls import call_to_json
from empathy_audit.wording import plural


def register(sub: argparse._SubParsersAction, shared: argparse.ArgumentParser) -> None:
    calls = sub.add_parser("calls", parents=[shared], help="list the calls in the workspace")
    calls_sub = calls.add_subparsers(dest="calls_command", metavar="ACTION", required=True)
    listing = calls_sub.add_parser("list", parents=[shared], help="one line (or JSON object) per call")
    listing.add_argument("--status", choices=[s.value for s in CallStatus], help="only calls in this state")
    listing.add_argument("--language", metavar="CODE", help="only calls in this language, as detected (e.g. es)")
    listing.set_defaults(handler=run_list)
    update = calls_sub.add_parser(
        "update", parents=[shared], help="set a call's agent, team, customer, call id or start ('' clears one)"
    )
    update.add_argument("call_ids", type=int, nargs="+", metavar="CALL_ID")
    update.add_argument("--agent")
    update.add_argument("--team")
    update.add_argument("--customer", dest="customer_id", metavar="CUSTOMER_ID")
    update.add_argument("--external-id", metavar="ID", help="the call's id in your telephony or CRM system")
    update.add_argument(
        "--start", dest="call_start", metavar="DATE", help="when the call started, e.g. 2026-08-14 10:30"
    )
    update.add_argument(
        "--layout",
        choices=LAYOUTS,
        help="how the channels are laid out (dual_mono: one signal on both; dual_bleed: each side also faintly on "
        "the other); applies when the call is transcribed again",
    )
    update.add_argument(
        "--agent-side", choices=["left", "right"], help="the agent's channel; a transcript follows at once"
    )
    update.set_defaults(handler=run_update)
    swap = calls_sub.add_parser(
        "swap-sides", parents=[shared], help="agent and customer the other way round in a call (Review: A)"
    )
    swap.add_argument("call_ids", type=int, nargs="+", metavar="CALL_ID")
    swap.set_defaults(handler=run_swap)
    attach = calls_sub.add_parser(
        "attach-metadata",
        parents=[shared],
        help="set agents, teams, customers, ids and dates of calls already imported, from a CSV",
        description="Rows are matched by the call id column (against each call's id, then its file name) or by "
        "the file column (whole, without its extension, or before its first dot). Every problem is listed by line; "
        "nothing is changed unless every row is good, or --skip-bad-rows.",
    )
    attach.add_argument("file", metavar="FILE")
    attach.add_argument("--dry-run", action="store_true", help="show what would change; change nothing")
    attach.add_argument("--skip-bad-rows", action="store_true", help="apply the good rows even if others have problems")
    attach.set_defaults(handler=run_attach)


def run_list(args: argparse.Namespace) -> int:
    with workspace_from(args) as workspace:
        calls = workspace.calls.all(status=args.status)
        if args.language:
            calls = [c for c in calls if (c.language or "").lower() == args.language.lower()]
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
        sides = short_sides(call.layout, call.agent_channel)
        print(
            f"#{call.id:<5} {call.original_name:<40} {call.duration_s:7.1f} s  {sides:<19} {who:<24} {status}{scored}"
        )
    return EXIT_OK


def run_update(args: argparse.Namespace) -> int:
    values = {k: getattr(args, k) for k in ("agent", "team", "customer_id", "external_id", "call_start")}
    if all(v is None for v in values.values()) and args.layout is None and args.agent_side is None:
        raise UsageProblem(
            "say what to set: --agent, --team, --customer, --external-id, --start, --layout or --agent-side"
        )
    with workspace_from(args) as ws:
        try:
            if any(v is not None for v in values.values()):
                ws.calls.update_details(list(args.call_ids), **values)
            if args.layout is not None:
                ws.calls.set_layout(list(args.call_ids), args.layout)
            if args.agent_side is not None:
                for call_id in args.call_ids:
                    call = ws.calls.get(call_id)
                    if call is None:
                        raise MetadataProblem(f"there is no call #{call_id} (see: empathy-audit calls list)")
                    ws.transcripts.set_agent_side(call, args.agent_side)
        except (MetadataProblem, SidesProblem) as exc:
            error(str(exc))
            return EXIT_FAILED
        calls = [ws.calls.get(i) for i in args.call_ids]
    if args.layout is not None and not args.json:
        transcribed = [c.id for c in calls if c is not None and c.status == "transcribed"]
        if transcribed:
            print(
                "the new layout applies when transcribed again: empathy-audit transcribe "
                + " ".join(map(str, transcribed))
            )
    if args.json:
        print_json([call_to_json(c) for c in calls if c is not None])
    else:
        for c in calls:
            assert c is not None
            print(f"#{c.id} {c.original_name}: {c.agent or '-'} / {c.team or '-'}, customer {c.customer_id or '-'}, "
                  f"id {c.external_id or '-'}, started {c.call_start or '-'}, {describe_sides(c)}")  # fmt: skip
    return EXIT_OK


def run_swap(args: argparse.Namespace) -> int:
    failed = False
    with workspace_from(args) as ws:
        for call_id in args.call_ids:
            call = ws.calls.get(call_id)
            try:
                if call is None:
                    raise SidesProblem(f"there is no call #{call_id} (see: empathy-audit calls list)")
                ws.transcripts.swap_sides(call)
            except SidesProblem as exc:
                error(str(exc))
                failed = True
        calls = [c for c in (ws.calls.get(i) for i in args.call_ids) if c is not None]
    if args.json:
        print_json([call_to_json(c) for c in calls])
    else:
        for c in calls:
            print(f"#{c.id} {c.original_name}: {describe_sides(c)}")
    return EXIT_FAILED if failed else EXIT_OK


def run_attach(args: argparse.Namespace) -> int:
    with workspace_from(args) as ws:
        plan = ws.calls.plan_metadata(Path(args.file))
        apply = not args.dry_run and (not plan.problems or args.skip_bad_rows)
        changed = ws.calls.attach_metadata(plan)[0] if apply else 0
    if args.json:
        print_json({**plan.as_json(), "applied": apply, "changed": changed})
    else:
        for problem in plan.problems:
            print(f"line {problem.line}: {problem.message}")
        print(f"{plural(len(plan.matches), 'row')} matched a call, {plural(plan.calls_changed, 'call')} would change"
              f"{'' if plan.problems else ', no problems'}")  # fmt: skip
        if args.dry_run:
            print("dry run: nothing changed")
        elif apply:
            print(f"changed {plural(changed, 'call')}")
        else:
            print("nothing changed: fix the rows above, or run again with --skip-bad-rows to apply the good ones")
    return EXIT_OK if not plan.problems else EXIT_FAILED
