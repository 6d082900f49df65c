"""`empathy-audit compare --a FILTER --b FILTER`: two sets of reviewed calls compared on the outcomes, and
`empathy-audit outcomes-summary`: repeat contacts by audit band and speed vs empathy."""

from __future__ import annotations

import argparse
from dataclasses import asdict

from empathy_audit.analytics.compare import FILTER_KEYS, CallSet, CompareProblem, shown
from empathy_audit.cli.output import EXIT_FAILED, EXIT_OK, error, print_json
from empathy_audit.cli.workspace_arg import workspace_from

FILTER_HELP = (
    "KEY=VALUE pairs joined by commas, all of which must hold; keys: " + ", ".join(FILTER_KEYS) + " "
    "(from/to: YYYY-MM-DD; context=applies|flagged; criterion=KEY:LEVEL). Empty: every reviewed call."
)


def register(sub: argparse._SubParsersAction, shared: argparse.ArgumentParser) -> None:
    cmd = sub.add_parser(
        "compare",
        parents=[shared],
        help="compare two sets of reviewed calls (an experiment: before/after, scripted/unscripted)",
        description="For audit score, CSAT, 7-day repeat-contact rate, churn rate and handle time: n, mean or "
        "rate, the difference B - A with its 95 percent interval, a p-value (exact or shuffled permutation test with a "
        "bootstrap interval for small sets, Welch's normal approximation for large ones; each result names "
        "its method) and a verdict in words.",
    )
    cmd.add_argument("--a", required=True, metavar="FILTER", help=FILTER_HELP)
    cmd.add_argument("--b", required=True, metavar="FILTER", help="as --a")
    cmd.set_defaults(handler=run_compare)


def run_compare(args: argparse.Namespace) -> int:
    try:
        a, b = CallSet.parse(args.a), CallSet.parse(args.b)
    except CompareProblem as exc:
        error(f"{exc}; nothing was compared")
        return EXIT_FAILED
    with workspace_from(args) as ws:
        try:
            result = ws.audit.compare(a, b)
        except CompareProblem as exc:
            error(str(exc))
            return EXIT_FAILED
    if args.json:
        print_json(asdict(result))
        return EXIT_OK
    print(f"A: {result.a} ({result.calls_a} reviewed calls)\nB: {result.b} ({result.calls_b} reviewed calls)\n")
    if result.warning:
        print(f"Warning: {result.warning}\n")
    for m in result.metrics:
        a, b = (shown(v, m.unit, "-") for v in (m.mean_a, m.mean_b))
        print(f"{m.metric}: A {a} (n {m.n_a}), B {b} (n {m.n_b})")
        print(f"  {m.verdict}" + (f"  [{m.method}]" if m.p_value is not None else ""))
    return EXIT_OK
