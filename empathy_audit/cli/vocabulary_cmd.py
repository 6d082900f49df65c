"""`empathy-audit vocabulary add|remove|list`: names and terms Whisper is told to expect."""

from __future__ import annotations

import argparse

from empathy_audit.cli.output import EXIT_FAILED, EXIT_OK, error, print_json
from empathy_audit.cli.workspace_arg import workspace_from
from empathy_audit.services.vocabulary import VocabularyProblem
from empathy_audit.wording import plural


def register(sub: argparse._SubParsersAction, shared: argparse.ArgumentParser) -> None:
    vocabulary = sub.add_parser(
        "vocabulary",
        parents=[shared],
        help="product, plan, company and agent names for transcription",
        description="Terms given to the engine with every call transcribed afterwards (and when a call is "
        "transcribed again; its old transcript stays current until the new one is complete).",
    )
    actions = vocabulary.add_subparsers(dest="vocabulary_command", metavar="ACTION", required=True)
    add = actions.add_parser("add", parents=[shared], help="add terms (quote one of several words)")
    add.add_argument("terms", nargs="+", metavar="TERM")
    add.set_defaults(handler=run_add)
    remove = actions.add_parser("remove", parents=[shared], help="remove terms")
    remove.add_argument("terms", nargs="+", metavar="TERM")
    remove.set_defaults(handler=run_remove)
    listing = actions.add_parser("list", parents=[shared], help="one term per line (or a JSON list)")
    listing.set_defaults(handler=run_list)


def run_add(args: argparse.Namespace) -> int:
    with workspace_from(args) as ws:
        try:
            added, _changes = ws.vocabulary.add(list(args.terms))
        except VocabularyProblem as exc:
            error(f"{exc}; nothing was added")
            return EXIT_FAILED
        terms = ws.vocabulary.terms()
    if args.json:
        print_json({"added": added, "terms": terms})
    else:
        print(f"added {plural(added, 'term')}; the vocabulary has {plural(len(terms), 'term')}")
    return EXIT_OK


def run_remove(args: argparse.Namespace) -> int:
    with workspace_from(args) as ws:
        removed, _changes = ws.vocabulary.remove(list(args.terms))
        terms = ws.vocabulary.terms()
    if args.json:
        print_json({"removed": removed, "terms": terms})
    else:
        print(f"removed {plural(removed, 'term')}; the vocabulary has {plural(len(terms), 'term')}")
    return EXIT_OK if removed == len(set(args.terms)) else EXIT_FAILED


def run_list(args: argparse.Namespace) -> int:
    with workspace_from(args) as ws:
        terms = ws.vocabulary.terms()
    if args.json:
        print_json(terms)
    elif not terms:
        print("The vocabulary is empty. Add names Whisper gets wrong with: empathy-audit vocabulary add TERM...")
    for term in [] if args.json else terms:
        print(term)
    return EXIT_OK
