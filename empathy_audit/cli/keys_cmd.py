"""`empathy-audit identity` and `keys list|forget`: who this workspace signs as, and whom it trusts."""

from __future__ import annotations

import argparse

from empathy_audit.cli.output import EXIT_FAILED, EXIT_OK, error, print_json
from empathy_audit.cli.workspace_arg import workspace_from
from empathy_audit.wording import plural


def register(sub: argparse._SubParsersAction, shared: argparse.ArgumentParser) -> None:
    identity = sub.add_parser(
        "identity",
        parents=[shared],
        help="this workspace's key fingerprint (read it out to whoever imports your packs)",
    )
    identity.set_defaults(handler=run_identity)
    keys = sub.add_parser("keys", parents=[shared], help="the keys this workspace trusts for each reviewer and lead")
    actions = keys.add_subparsers(dest="keys_command", metavar="ACTION", required=True)
    listing = actions.add_parser("list", parents=[shared], help="one line (or JSON object) per trusted key")
    listing.set_defaults(handler=run_list)
    forget = actions.add_parser("forget", parents=[shared], help="forget a name's keys (a new laptop): asked again")
    forget.add_argument("name")
    forget.set_defaults(handler=run_forget)


def run_identity(args: argparse.Namespace) -> int:
    with workspace_from(args) as ws:
        public, fingerprint = ws.keys.identity()
    if args.json:
        print_json({"key": public, "fingerprint": fingerprint})
    else:
        print(f"This workspace signs its reviews and packs with key {fingerprint}")
    return EXIT_OK


def run_list(args: argparse.Namespace) -> int:
    with workspace_from(args) as ws:
        keys = ws.keys.trusted()
    if args.json:
        print_json([vars(k) for k in keys])
    elif not keys:
        print("No keys trusted yet: they are learnt from the first pack of each reviewer or lead.")
    for k in [] if args.json else keys:
        print(f"{k.name:<24} {k.fingerprint}  trusted {k.trusted_at[:10]} from {k.first_seen_in}")
    return EXIT_OK


def run_forget(args: argparse.Namespace) -> int:
    with workspace_from(args) as ws:
        count, _changes = ws.keys.forget(args.name)
    if not count:
        error(f"no key is trusted for {args.name} (see: empathy-audit keys list)")
        return EXIT_FAILED
    print(f"Forgot {plural(count, 'key')} of {args.name}; their next pack asks to be trusted again.")
    return EXIT_OK
