"""`empathy-audit review`, `reviews list`, `queue` and `rubric`."""

from __future__ import annotations

import argparse
from pathlib import Path

from empathy_audit.cli.output import EXIT_FAILED, EXIT_OK, UsageProblem, error, print_json
from empathy_audit.cli.workspace_arg import workspace_from
from empathy_audit.scoring.rubric import RubricError, score_summary
from empathy_audit.store.calibration import CalibrationProblem
from empathy_audit.store.reviews import ReviewProblem


def register(sub: argparse._SubParsersAction, shared: argparse.ArgumentParser) -> None:
    review = sub.add_parser(
        "review",
        parents=[shared],
        help="record a review of a call (the same way the app does)",
        description="Score a call on the workspace's rubric and submit the review. Scores are KEY=0..3 or KEY=na.",
    )
    review.add_argument("call_id", type=int, metavar="CALL_ID")
    review.add_argument("--reviewer", required=True)
    review.add_argument("--score", action="append", default=[], metavar="KEY=VALUE", help="e.g. acknowledgment=2")
    review.add_argument("--comment", action="append", default=[], metavar="KEY=TEXT", help="comment on a criterion")
    review.add_argument("--note", help="overall note")
    review.add_argument("--data-missed", help="what did the data miss?")
    review.add_argument("--emotion", help="the customer's emotional context")
    review.add_argument("--context-flag", help="why empathy-first does not apply to this call")
    review.add_argument("--draft", action="store_true", help="save as a draft instead of submitting")
    review.add_argument(
        "--calibration",
        metavar="SET",
        help="score the call for a calibration set (id or name); the set's lead scoring it sets its gold scores",
    )
    review.set_defaults(handler=run_review)

    reviews = sub.add_parser("reviews", parents=[shared], help="list reviews")
    reviews_sub = reviews.add_subparsers(dest="reviews_command", metavar="ACTION", required=True)
    listing = reviews_sub.add_parser("list", parents=[shared], help="one line (or JSON object) per review")
    listing.add_argument("--call", type=int, dest="call_id")
    listing.add_argument("--reviewer")
    listing.set_defaults(handler=run_reviews_list)

    queue = sub.add_parser("queue", parents=[shared], help="the calls waiting for a reviewer, and why")
    queue.add_argument("--reviewer", required=True)
    queue.add_argument("--per-agent", type=int, default=5, help="quarterly sample size per agent (default 5)")
    queue.set_defaults(handler=run_queue)

    rubric = sub.add_parser("rubric", parents=[shared], help="show or load the workspace's rubric")
    rubric_sub = rubric.add_subparsers(dest="rubric_command", metavar="ACTION", required=True)
    show = rubric_sub.add_parser("show", parents=[shared], help="print the rubric in use")
    show.set_defaults(handler=run_rubric_show)
    load = rubric_sub.add_parser("import", parents=[shared], help="load a rubric TOML file (a new version)")
    load.add_argument("file")
    load.set_defaults(handler=run_rubric_import)


def _pairs(items: list[str], flag: str) -> list[tuple[str, str]]:
    out = []
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise UsageProblem(f"{flag} takes KEY=VALUE, got '{item}'")
        out.append((key.strip(), value.strip()))
    return out


def run_review(args: argparse.Namespace) -> int:
    scores = _pairs(args.score, "--score")
    comments = _pairs(args.comment, "--comment")
    with workspace_from(args) as ws:
        if ws.calls.get(args.call_id) is None:
            error(f"there is no call #{args.call_id} (see: empathy-audit calls list)")
            return EXIT_FAILED
        cset = None
        if args.calibration:
            try:
                cset = ws.calibration.get(args.calibration)
            except CalibrationProblem as exc:
                error(str(exc))
                return EXIT_FAILED
        # Checked before anything is written: a typo in a key leaves no draft behind.
        keys = {c.key for c in (ws.rubrics.for_set(cset) if cset else ws.rubrics.active()).criteria}
        for key, _ in scores + comments:
            if key not in keys:
                raise UsageProblem(f"'{key}' is not a criterion of this rubric; use one of: {', '.join(sorted(keys))}")
        # The same use case as the Review screen: open, change step by step, submit.
        session = ws.reviews.session(args.reviewer)
        try:
            session.open(args.call_id, cset)
        except (CalibrationProblem, ReviewProblem) as exc:
            error(str(exc))
            return EXIT_FAILED
        if not session.editable:
            session.revise()
        rubric = session.rubric
        assert rubric is not None
        try:
            for key, value in scores:
                if value.lower() in ("na", "n/a"):
                    session.score(key, None)
                elif value.isdigit():
                    session.score(key, int(value))
                else:
                    raise UsageProblem(f"--score {key}={value}: use a whole number 0-{rubric.max_score} or 'na'")
            for key, text in comments:
                session.comment(key, text)
            for name, value in (
                ("overall_note", args.note),
                ("data_missed", args.data_missed),
                ("emotional_context", args.emotion),
                ("context_flag", args.context_flag),
            ):
                if value is not None:
                    session.set_text(name, value)
            if not args.draft:
                session.submit()
        except ReviewProblem as exc:
            error(f"{exc} (the review is kept as a draft)")
            return EXIT_FAILED
        review = session.review
        assert review is not None
    if args.json:
        print_json(review.as_json(rubric))
    else:
        summary = score_summary(rubric, review.scores)
        score = f"{summary.mean:.2f} / {rubric.max_score}" if summary.mean is not None else "no score"
        print(f"review #{review.id} of call #{review.call_id} by {review.reviewer}: {review.state}, {score}")
    return EXIT_OK


def run_reviews_list(args: argparse.Namespace) -> int:
    with workspace_from(args) as ws:
        reviews = ws.reviews.list(call_id=args.call_id, reviewer=args.reviewer)
        rubrics = {r.rubric_id: ws.rubrics.by_id(r.rubric_id) for r in reviews}
    if args.json:
        print_json([r.as_json(rubrics[r.rubric_id]) for r in reviews])
        return EXIT_OK
    if not reviews:
        print("No reviews yet.")
    for r in reviews:
        summary = score_summary(rubrics[r.rubric_id], r.scores)
        score = f"{summary.mean:.2f}" if summary.mean is not None else "-"
        print(f"#{r.id:<5} call #{r.call_id:<5} {r.reviewer:<20} {r.state:<10} score {score}")
    return EXIT_OK


def run_queue(args: argparse.Namespace) -> int:
    with workspace_from(args) as ws:
        items = ws.reviews.queue(args.reviewer, args.per_agent)
    if args.json:
        print_json([{"call_id": i.call_id, "reasons": i.reasons} for i in items])
    elif not items:
        print("The queue is empty: every transcribed call in the plan has been reviewed.")
    else:
        for item in items:
            print(f"#{item.call_id:<6} {'; '.join(item.reasons)}")
    return EXIT_OK


def run_rubric_show(args: argparse.Namespace) -> int:
    with workspace_from(args) as ws:
        rubric = ws.rubrics.active()
    if args.json:
        print_json(
            {
                "id": rubric.id,
                "name": rubric.name,
                "version": rubric.version,
                "max_score": rubric.max_score,
                "criteria": [c.__dict__ for c in rubric.criteria],
            }
        )
    else:
        print(f"{rubric.name} (version {rubric.version})")
        for c in rubric.criteria:
            extra = ", critical" if c.critical else ""
            print(f"  {c.key}: {c.label} (weight {c.weight:g}{extra}{'' if c.allow_na else ', N/A not allowed'})")
    return EXIT_OK


def run_rubric_import(args: argparse.Namespace) -> int:
    with workspace_from(args) as ws:
        try:
            rubric, _changes = ws.rubrics.load_file(Path(args.file))
        except RubricError as exc:
            error(str(exc))
            return EXIT_FAILED
    print(f"{rubric.name}: version {rubric.version} is now in use")
    return EXIT_OK
