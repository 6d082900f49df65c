"""`empathy-audit calibration create|list|report` and `pack export|import`."""

from __future__ import annotations

import argparse
from pathlib import Path

from empathy_audit.cli.output import EXIT_FAILED, EXIT_OK, UsageProblem, error, print_json
from empathy_audit.cli.workspace_arg import workspace_from
from empathy_audit.packs.format import PackProblem
from empathy_audit.store.calibration import CalibrationProblem
from empathy_audit.wording import plural


def register(sub: argparse._SubParsersAction, shared: argparse.ArgumentParser) -> None:
    cal = sub.add_parser("calibration", parents=[shared], help="calibration sets: reviewers score the same calls blind")
    actions = cal.add_subparsers(dest="calibration_command", metavar="ACTION", required=True)
    create = actions.add_parser("create", parents=[shared], help="a new set of calls (this workspace leads it)")
    create.add_argument("--name", required=True)
    create.add_argument("--lead", required=True, help="who leads it; their reviews in the set are the gold scores")
    create.add_argument("--call", type=int, action="append", dest="call_ids", required=True, metavar="CALL_ID")
    create.add_argument("--instructions", default="", help="what reviewers should know before scoring")
    create.set_defaults(handler=run_create)
    listing = actions.add_parser("list", parents=[shared], help="the sets, with who has scored what")
    listing.set_defaults(handler=run_list)
    report = actions.add_parser(
        "report",
        parents=[shared],
        help="agreement (Krippendorff's alpha, weighted kappa, exact/adjacent), leniency, spread and drift",
    )
    report.add_argument("set", metavar="SET", help="the set's id or name")
    report.add_argument("--as", dest="viewer", metavar="NAME", help="whose view (needed where the set is blind)")
    report.set_defaults(handler=run_report)

    pack = sub.add_parser("pack", parents=[shared], help="share reviews and calibration sets between workspaces")
    pack_actions = pack.add_subparsers(dest="pack_command", metavar="ACTION", required=True)
    export = pack_actions.add_parser(
        "export",
        parents=[shared],
        help="write a review pack (for your lead) or, with --calibration-set, a calibration pack (for reviewers)",
    )
    export.add_argument("--out", required=True, metavar="FILE", help="the pack file (.eapack is added if no suffix)")
    export.add_argument("--reviewer", help="only this reviewer's reviews (review packs)")
    export.add_argument(
        "--by", metavar="NAME", help="who makes the pack (signed with this workspace's key; default: --reviewer)"
    )
    export.add_argument("--calibration", metavar="SET", help="only the reviews made for this calibration set")
    export.add_argument("--calibration-set", metavar="SET", help="make a calibration pack of this set instead")
    export.add_argument("--transcripts", action="store_true", help="include transcripts (review packs)")
    export.add_argument("--force", action="store_true", help="replace FILE if it exists")
    export.add_argument(
        "--redact-transcripts",
        action="store_true",
        help="hide personal data in the transcripts ([redacted]), for packs sent outside the team",
    )
    export.add_argument(
        "--audio",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="include the recordings (default: yes for calibration packs, no for review packs)",
    )
    export.set_defaults(handler=run_pack_export)
    load = pack_actions.add_parser("import", parents=[shared], help="merge packs into this workspace")
    load.add_argument("files", nargs="+", metavar="FILE")
    load.add_argument(
        "--trust",
        action="store_true",
        help="trust the new keys the packs are signed with (check their fingerprints with their owners first)",
    )
    load.set_defaults(handler=run_pack_import)


def run_create(args: argparse.Namespace) -> int:
    with workspace_from(args) as ws:
        try:
            cset = ws.calibration.create(args.name, args.call_ids, args.lead, args.instructions).cset
        except CalibrationProblem as exc:
            error(str(exc))
            return EXIT_FAILED
    if args.json:
        print_json(vars(cset))
    else:
        print(f"Calibration set {cset.id} “{cset.name}”: {plural(len(cset.call_shas), 'call')}, led by {cset.lead}")
    return EXIT_OK


def run_list(args: argparse.Namespace) -> int:
    with workspace_from(args) as ws:
        rows = []
        for cset in ws.calibration.sets():
            calls = ws.calibration.calls(cset)
            done = ws.calibration.progress(cset)
            rows.append(
                {
                    **vars(cset),
                    "calls": [{"sha256": c.sha256, "call_id": c.call_id, "name": c.name} for c in calls],
                    "progress": {
                        reviewer: sum(state == "submitted" for state in states.values())
                        for reviewer, states in done.items()
                    },
                }
            )
    if args.json:
        print_json(rows)
        return EXIT_OK
    if not rows:
        print("No calibration sets yet; create one with `calibration create` or import a calibration pack.")
    for row in rows:
        blind = "  (blind here)" if row["role"] == "participant" else ""
        print(f"{row['id']:>4}  {row['name']}  — {plural(len(row['calls']), 'call')}, lead {row['lead']}{blind}")
        for reviewer, n in row["progress"].items():
            print(f"        {reviewer}: {n} of {len(row['calls'])} submitted")
    return EXIT_OK


def _fmt(value: float | None, pct: bool = False) -> str:
    if value is None:
        return "—"
    return f"{value * 100:.0f}%" if pct else f"{value:.2f}"


def run_report(args: argparse.Namespace) -> int:
    with workspace_from(args) as ws:
        try:
            report = ws.calibration.report(args.set, args.viewer)
        except CalibrationProblem as exc:
            error(str(exc))
            return EXIT_FAILED
    if args.json:
        print_json(report.as_json())
        return EXIT_OK
    print(f"{report.name} — {plural(report.calls, 'call')}, reviewers: {', '.join(report.reviewers) or 'none yet'}")
    if report.hidden_calls:
        print(f"{plural(report.hidden_calls, 'call')} hidden from {report.viewer} until they submit their own review")
    print(f"{'':<26}{'alpha':>7}{'units':>7}{'exact':>7}{'±1':>7}{'pairs':>7}")
    for row in report.agreement:
        print(
            f"{row.label[:25]:<26}{_fmt(row.alpha):>7}{row.n_units:>7}{_fmt(row.exact, True):>7}"
            f"{_fmt(row.adjacent, True):>7}{row.n_pairs:>7}"
        )
    print("alpha: 0.80 or more reliable, 0.667-0.80 tentative, below that reviewers do not agree enough yet")
    for pair in report.pairs:
        print(f"kappa (quadratic) {pair.a} / {pair.b}: {_fmt(pair.kappa)} (n={pair.n})")
    for bias in report.bias:
        lean = "" if not bias.mean_difference else (" lenient" if bias.mean_difference > 0 else " severe")
        print(f"{bias.reviewer}: {_fmt(bias.mean_difference)} vs {bias.against} (n={bias.n}){lean}")
    return EXIT_OK


def run_pack_export(args: argparse.Namespace) -> int:
    if args.calibration_set and (args.reviewer or args.calibration):
        raise UsageProblem(
            "--calibration-set makes a calibration pack; --reviewer and --calibration are for review packs"
        )
    with workspace_from(args) as ws:
        try:
            if args.calibration_set:
                result = ws.packs.export_calibration(
                    args.calibration_set,
                    Path(args.out),
                    include_audio=args.audio is not False,
                    redact_transcripts=args.redact_transcripts,
                    overwrite=args.force,
                )
            else:
                result = ws.packs.export_reviews(
                    Path(args.out),
                    reviewer=args.reviewer,
                    calibration=args.calibration,
                    include_transcripts=args.transcripts or args.redact_transcripts,
                    include_audio=bool(args.audio),
                    redact_transcripts=args.redact_transcripts,
                    overwrite=args.force,
                    made_by=args.by,
                )
        except (PackProblem, CalibrationProblem) as exc:
            error(str(exc))
            return EXIT_FAILED
    if result.transcripts_redacted and result.audio_files:
        error(
            "warning: transcripts are redacted, but the recordings in the pack are not; leave them out with --no-audio"
        )
    if args.json:
        print_json({**vars(result), "path": str(result.path)})
    else:
        print(
            f"{result.path}: {result.kind} pack, {plural(result.reviews, 'review')}, {plural(result.calls, 'call')}, "
            f"{plural(result.transcripts, 'transcript')}"
            f"{' (personal data hidden)' if result.transcripts_redacted else ''}, "
            f"{plural(result.audio_files, 'recording')}, {result.size_bytes / 1e6:.1f} MB"
        )
    return EXIT_OK


def run_pack_import(args: argparse.Namespace) -> int:
    with workspace_from(args) as ws:
        results = ws.packs.import_packs([Path(f) for f in args.files], trust_new=args.trust).results
    failed = [r for r in results if isinstance(r, PackProblem)]
    for problem in failed:
        error(f"{problem} — nothing from it was imported")
    done = [r for r in results if not isinstance(r, PackProblem)]
    if args.json:
        print_json({"imported": [r.as_json() for r in done], "failed": [str(p) for p in failed]})
    for r in [] if args.json else done:
        for who in r.trusted:
            print(f"trusted from now on: {who}")
        waiting = f", {plural(len(r.calls_waiting), 'call')} waiting for audio" if r.calls_waiting else ""
        cal = f", calibration set “{r.calibration_set}”" if r.calibration_set else ""
        print(
            f"{r.file}: {plural(r.reviews_added, 'review')} added, {r.reviews_known} already here, "
            f"{plural(r.calls_added, 'call')} added{waiting}{cal}"
        )
    return EXIT_FAILED if failed else EXIT_OK
