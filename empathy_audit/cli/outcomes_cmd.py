"""`empathy-audit outcomes import` and `empathy-audit report`."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from empathy_audit.cli.output import EXIT_FAILED, EXIT_OK, UsageProblem, error, print_json
from empathy_audit.cli.workspace_arg import workspace_from
from empathy_audit.outcomes.importer import FIELDS, SCALES, OutcomesProblem

FORMATS = ("png", "svg", "pdf", "csv")  # as analytics.report, which loads matplotlib: imported when used


def register(sub: argparse._SubParsersAction, shared: argparse.ArgumentParser) -> None:
    outcomes = sub.add_parser(
        "outcomes", parents=[shared], help="import CSAT, churn, customer value, handle time and comments"
    )
    outcomes_sub = outcomes.add_subparsers(dest="outcomes_command", metavar="ACTION", required=True)
    load = outcomes_sub.add_parser(
        "import",
        parents=[shared],
        help="check a CSAT/churn CSV and import its good rows",
        description="Every row is checked first; problems are listed with their line numbers. Without problems the "
        "rows are imported in one transaction. With problems nothing is imported unless --skip-bad-rows is given.",
    )
    load.add_argument("file")
    load.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="FIELD=COLUMN",
        help=f"which column holds a field ({', '.join(FIELDS)}); guessed from the headers otherwise",
    )
    load.add_argument("--csat-scale", choices=list(SCALES), help="CSAT scale (guessed from the values otherwise)")
    load.add_argument(
        "--tier-order",
        metavar="T1,T2,...",
        help="the tier column's names, most valuable first (known orders such as Platinum,Gold,Silver are "
        "recognised without it)",
    )
    load.add_argument("--skip-bad-rows", action="store_true", help="import the good rows even if some have problems")
    load.add_argument("--dry-run", action="store_true", help="check only; import nothing")
    load.set_defaults(handler=run_outcomes_import)

    report = sub.add_parser("report", parents=[shared], help="write the quarterly audit report")
    report.add_argument("--quarter", required=True, help="e.g. 2026Q3")
    report.add_argument("--team")
    report.add_argument("--agent", help="one agent's report (with --team, or alone)")
    report.add_argument(
        "--paper", choices=["a4", "letter"], help="the PDF's page size (default: the local paper, A4 or Letter)"
    )
    report.add_argument("--out", required=True, metavar="DIR")
    report.add_argument("--force", action="store_true", help="replace that quarter's report files in DIR")
    report.add_argument("--format", default="png,svg,pdf,csv", help="comma-separated: png, svg, pdf, csv")
    report.add_argument(
        "--per-agent", type=int, default=5, help="the sampling plan's calls per agent per quarter (methods page)"
    )
    report.add_argument(
        "--high-value-top",
        type=float,
        default=25.0,
        metavar="PERCENT",
        help="high-value customers: the top PERCENT of known customer values (default 25, the top quartile)",
    )
    report.add_argument("--compare-a", metavar="FILTER", help="add an experiment's comparison (compare.csv, a page)")
    report.add_argument("--compare-b", metavar="FILTER", help="the comparison's B (with --compare-a)")
    report.set_defaults(handler=run_report)


def run_outcomes_import(args: argparse.Namespace) -> int:
    overrides = {}
    for item in args.map:
        name, sep, column = item.partition("=")
        if not sep:
            raise UsageProblem(f"--map takes FIELD=COLUMN, got '{item}'")
        overrides[name.strip()] = column.strip()
    with workspace_from(args) as ws:
        try:
            tiers = [t.strip() for t in (args.tier_order or "").split(",") if t.strip()] or None
            plan = ws.outcomes.plan(Path(args.file), overrides, args.csat_scale, tiers)
        except OutcomesProblem as exc:
            error(str(exc))
            return EXIT_FAILED
        imported = 0
        accepted = not plan.problems or args.skip_bad_rows
        if accepted and not args.dry_run:
            imported = ws.outcomes.apply(plan).calls_updated
    if args.json:
        print_json({**plan.as_json(), "imported_calls": imported, "imported": accepted and not args.dry_run})
    else:
        mapped = ", ".join(f"{k}={v}" for k, v in plan.mapping.items() if v)
        print(f"columns: {mapped}; CSAT scale: {plan.scale or 'no CSAT column'}")
        for note in plan.notes:
            print(f"note: {note}")
        for problem in plan.problems:
            print(f"line {problem.line}: {problem.message}")
        print(
            f"{plan.total_rows} rows: {len(plan.rows)} good, {len(plan.problems)} with problems; "
            f"{plan.calls_matched} calls matched"
        )
        if args.dry_run:
            print("dry run: nothing imported")
        elif accepted:
            print(f"imported outcomes for {imported} calls")
        else:
            print("nothing imported: fix the rows above, or run again with --skip-bad-rows to import the good ones")
    return EXIT_OK if not plan.problems else EXIT_FAILED


def run_report(args: argparse.Namespace) -> int:
    if not re.fullmatch(r"\d{4}Q[1-4]", args.quarter):
        raise UsageProblem(f"--quarter looks like 2026Q3, got '{args.quarter}'")
    formats = tuple(f.strip().lower() for f in args.format.split(",") if f.strip())
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise UsageProblem(f"--format takes {', '.join(FORMATS)}; got {args.format}")
    if not 0 < args.high_value_top <= 100:
        raise UsageProblem(f"--high-value-top takes a percentage above 0 and at most 100, got {args.high_value_top:g}")
    compare = None
    if args.compare_a is not None or args.compare_b is not None:
        from empathy_audit.analytics.compare import CallSet

        if args.compare_a is None or args.compare_b is None:
            raise UsageProblem("--compare-a and --compare-b go together")
        compare = (CallSet.parse(args.compare_a), CallSet.parse(args.compare_b))  # CompareProblem: a clear message
    with workspace_from(args) as ws:
        result = ws.audit.write_quarterly_report(
            args.quarter,
            Path(args.out),
            team=args.team,
            formats=formats,
            per_agent=args.per_agent,
            overwrite=args.force,
            agent=args.agent,
            paper=args.paper,
            top_share=args.high_value_top / 100,
            compare=compare,
        )
    if args.json:
        print_json(
            {
                "quarter": args.quarter,
                "team": args.team,
                "agent": args.agent,
                "calls": result.calls,
                "reviewers": result.reviewers,
                "files": [str(p) for p in result.files],
            }
        )
    else:
        who = "".join(f" / {x}" for x in (args.team, args.agent) if x)
        print(f"{args.quarter}{who}: {result.calls} reviewed calls")
        for path in result.files:
            print(f"wrote {path}")
    return EXIT_OK
