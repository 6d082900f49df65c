"""The coaching loop on the command line: `acknowledge`, `dispute open|resolve`, `disputes list`,
`disputes window`, `reviewers` and `feedback`."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from empathy_audit.cli.output import EXIT_FAILED, EXIT_OK, UsageProblem, error, print_json
from empathy_audit.cli.workspace_arg import workspace_from
from empathy_audit.coaching.disputes import DECISIONS, DisputeProblem

STATES = ("open", "accepted", "partly_accepted", "rejected", "escalated")


def _quarter(text: str) -> str:
    if not re.fullmatch(r"\d{4}Q[1-4]", text):
        raise UsageProblem(f"--quarter looks like 2026Q3, got '{text}'")
    return text


def register(sub: argparse._SubParsersAction, shared: argparse.ArgumentParser) -> None:
    ack = sub.add_parser("acknowledge", parents=[shared], help="record that the agent acknowledged a review")
    ack.add_argument("review_id", type=int)
    ack.add_argument("--by", required=True, metavar="AGENT")
    ack.add_argument("--comment")
    ack.set_defaults(handler=run_acknowledge)

    dispute = sub.add_parser("dispute", parents=[shared], help="open or decide a dispute of one criterion's score")
    dsub = dispute.add_subparsers(dest="dispute_command", metavar="ACTION", required=True)
    opening = dsub.add_parser("open", parents=[shared], help="the agent disputes one criterion of a review")
    opening.add_argument("review_id", type=int)
    opening.add_argument("--criterion", required=True, metavar="KEY")
    opening.add_argument("--proposed", required=True, type=int, metavar="N")
    opening.add_argument("--reason", required=True, metavar="TEXT")
    opening.add_argument("--by", required=True, metavar="AGENT")
    opening.set_defaults(handler=run_dispute_open)
    resolving = dsub.add_parser(
        "resolve",
        parents=[shared],
        help="accept, partly accept (--score), reject or escalate a dispute",
        description="accept and partial make a new version of the review with the agreed score (the audit then "
        "counts it; the disputed version stays as history). An escalated dispute is decided by an arbitrator who "
        "is not the original reviewer.",
    )
    resolving.add_argument("dispute_id", type=int)
    resolving.add_argument("--decision", required=True, choices=list(DECISIONS))
    resolving.add_argument("--score", type=int, help="the agreed score (partial)")
    resolving.add_argument("--by", required=True, metavar="NAME")
    resolving.add_argument("--comment")
    resolving.set_defaults(handler=run_dispute_resolve)

    disputes = sub.add_parser("disputes", parents=[shared], help="list disputes, or set the dispute window")
    lsub = disputes.add_subparsers(dest="disputes_command", metavar="ACTION", required=True)
    listing = lsub.add_parser("list", parents=[shared], help="every dispute, oldest first")
    listing.add_argument("--state", choices=STATES)
    listing.add_argument("--agent")
    listing.set_defaults(handler=run_disputes_list)
    window = lsub.add_parser("window", parents=[shared], help="days after submission a review can be disputed")
    window.add_argument("days", nargs="?", help="a number of days, or 'none' for no limit; empty: show it")
    window.set_defaults(handler=run_disputes_window)

    reviewers = sub.add_parser(
        "reviewers", parents=[shared], help="grading the graders: volume, time, disputes, overturns, leniency"
    )
    reviewers.add_argument("--quarter", required=True)
    reviewers.set_defaults(handler=run_reviewers)

    feedback = sub.add_parser(
        "feedback", parents=[shared], help="an agent's feedback page (HTML with audio moments, and PDF)"
    )
    feedback.add_argument("agent")
    feedback.add_argument("--quarter", required=True)
    feedback.add_argument("--out", required=True, metavar="DIR")
    feedback.add_argument("--force", action="store_true", help="replace this agent's page for the quarter in DIR")
    feedback.set_defaults(handler=run_feedback)


def _failed(exc: Exception) -> int:
    error(str(exc))
    return EXIT_FAILED


def run_acknowledge(args: argparse.Namespace) -> int:
    with workspace_from(args) as ws:
        try:
            ws.coaching.acknowledge(args.review_id, args.by, args.comment)
        except DisputeProblem as exc:
            return _failed(exc)
    if args.json:
        print_json({"review_id": args.review_id, "acknowledged_by": args.by, "comment": args.comment})
    else:
        print(f"review {args.review_id} acknowledged by {args.by}")
    return EXIT_OK


def run_dispute_open(args: argparse.Namespace) -> int:
    with workspace_from(args) as ws:
        try:
            dispute, _changes = ws.coaching.open_dispute(
                args.review_id, args.criterion, args.proposed, args.reason, args.by
            )
        except DisputeProblem as exc:
            return _failed(exc)
    if args.json:
        print_json(dispute.as_json())
    else:
        print(
            f"dispute {dispute.id} opened: {dispute.criterion_key} {dispute.original_score} -> {dispute.proposed_score}"
            + (f" (decide by {dispute.due_at[:10]})" if dispute.due_at else "")
        )
    return EXIT_OK


def run_dispute_resolve(args: argparse.Namespace) -> int:
    with workspace_from(args) as ws:
        try:
            dispute, _changes = ws.coaching.resolve_dispute(
                args.dispute_id, args.decision, args.by, args.score, args.comment
            )
        except DisputeProblem as exc:
            return _failed(exc)
    if args.json:
        print_json(dispute.as_json())
    else:
        made = f"; new review version {dispute.new_review_id}" if dispute.new_review_id else ""
        print(f"dispute {dispute.id} {dispute.state.replace('_', ' ')}{made}")
    return EXIT_OK


def run_disputes_list(args: argparse.Namespace) -> int:
    with workspace_from(args) as ws:
        found = ws.coaching.disputes(args.state, args.agent)
    if args.json:
        print_json([d.as_json() for d in found])
        return EXIT_OK
    if not found:
        print("No disputes.")
    for d in found:
        print(
            f"#{d.id:<4} {d.state:<16} review {d.review_id} ({d.call_name}, {d.agent or 'no agent'}, reviewer "
            f"{d.reviewer}): {d.criterion_key} {d.original_score} -> {d.proposed_score}: {d.reason}"
        )
    return EXIT_OK


def run_disputes_window(args: argparse.Namespace) -> int:
    with workspace_from(args) as ws:
        if args.days is not None:
            try:
                days = None if args.days.lower() == "none" else float(args.days)
            except ValueError:
                raise UsageProblem(f"give a number of days or 'none', got '{args.days}'") from None
            try:
                ws.coaching.set_dispute_days(days)
            except DisputeProblem as exc:
                return _failed(exc)
        days = ws.coaching.dispute_days()
    if args.json:
        print_json({"dispute_days": days})
    else:
        print(f"reviews can be disputed for {days:g} days after submission" if days else "no dispute window")
    return EXIT_OK


def run_reviewers(args: argparse.Namespace) -> int:
    quarter = _quarter(args.quarter)
    with workspace_from(args) as ws:
        stats = ws.coaching.reviewers(quarter)
    if args.json:
        print_json([s.as_json() for s in stats])
        return EXIT_OK
    if not stats:
        print(f"No audit reviews submitted in {quarter}.")
    for s in stats:
        minutes = "-" if s.median_minutes is None else f"{s.median_minutes:.1f} min"
        rate = "-" if s.dispute_rate is None else f"{s.dispute_rate:.0%}"
        over = "-" if s.overturn_rate is None else f"{s.overturn_rate:.0%}"
        lean = "-" if s.leniency is None else f"{s.leniency:+z.2f}"
        print(
            f"{s.reviewer:<20} {s.reviews:>4} reviews ({s.weekly:.1f}/week over {s.weeks} weeks), median {minutes}"
            f", disputed {rate}, overturned {over}, leniency {lean}"
        )
    return EXIT_OK


def run_feedback(args: argparse.Namespace) -> int:
    from empathy_audit.coaching.feedback import FeedbackProblem

    quarter = _quarter(args.quarter)
    with workspace_from(args) as ws:
        try:
            result = ws.coaching.feedback(args.agent, quarter, Path(args.out), overwrite=args.force)
        except FeedbackProblem as exc:
            return _failed(exc)
    if args.json:
        print_json({"agent": args.agent, "quarter": quarter, "calls": len(result.calls), "html": str(result.html_path),
                    "pdf": str(result.pdf_path)})  # fmt: skip
    else:
        print(f"{len(result.calls)} reviewed calls; wrote {result.html_path} and {result.pdf_path}")
    return EXIT_OK
