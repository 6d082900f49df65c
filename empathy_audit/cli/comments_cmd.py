"""`empathy-audit comments`: the customers' survey comments, by the audit band of their call, searchable."""

from __future__ import annotations

import argparse
import re

from empathy_audit.cli.output import EXIT_OK, UsageProblem, print_json
from empathy_audit.cli.workspace_arg import workspace_from


def register(sub: argparse._SubParsersAction, shared: argparse.ArgumentParser) -> None:
    cmd = sub.add_parser(
        "comments",
        parents=[shared],
        help="survey comments by the audit band of their call (search, filter)",
        description="Comments imported with outcomes (a 'comment' or 'verbatim' column), grouped by the audit band "
        "of the call (lowest first), newest first within a band. With --quarter/--team/--agent only reviewed calls "
        "are listed; without, calls not reviewed yet too. --redact hides personal data as the report does.",
    )
    cmd.add_argument("--search", default="", help="words that must all appear in the comment")
    cmd.add_argument("--band", help="one band: absent, scripted, genuine, exemplary (or 'not reviewed yet')")
    cmd.add_argument("--quarter", help="e.g. 2026Q3")
    cmd.add_argument("--team")
    cmd.add_argument("--agent")
    cmd.add_argument("--redact", action="store_true", help="hide personal data in the comments")
    cmd.set_defaults(handler=run_comments)


def run_comments(args: argparse.Namespace) -> int:
    from empathy_audit.analytics.facts import AuditFilter

    if args.quarter and not re.fullmatch(r"\d{4}Q[1-4]", args.quarter):
        raise UsageProblem(f"--quarter looks like 2026Q3, got '{args.quarter}'")
    flt = None
    if args.quarter or args.team or args.agent:
        flt = AuditFilter(args.quarter, args.quarter, args.team, args.agent)
    with workspace_from(args) as ws:
        rows = ws.audit.comments(args.search, args.band, flt)
    if args.json:
        print_json(
            [
                {
                    "call_id": r.call_id, "call": r.name, "agent": r.agent or None, "team": r.team or None,
                    "started": r.started or None, "band": r.band, "score": r.score, "csat": r.csat,
                    "churned": r.churned, "comment": r.redacted() if args.redact else r.comment,
                }
                for r in rows
            ]
        )  # fmt: skip
        return EXIT_OK
    band = None
    for r in rows:
        if r.band != band:
            band = r.band
            print(f"\n== {band} ==")
        score = "" if r.score is None else f" · audit {r.score:.2f}"
        print(f"[{r.call_id}] {r.name} · {r.agent or 'no agent'}{score}: {r.redacted() if args.redact else r.comment}")
    if not rows:
        print("no survey comments" + (f" with “{args.search}”" if args.search else ""))
    return EXIT_OK
