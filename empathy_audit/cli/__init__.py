"""`empathy-audit`: every core job from the command line, with --json and --data-dir.

Exit codes: 0 success, 1 some inputs failed (the summary says which), 2 usage error.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import traceback
from collections.abc import Sequence

from empathy_audit import __version__
from empathy_audit.analytics.compare import CompareProblem
from empathy_audit.cli import (
    calibration_cmd,
    calls_cmd,
    clip_cmd,
    coaching_cmd,
    comments_cmd,
    compare_cmd,
    doctor_cmd,
    import_cmd,
    keys_cmd,
    outcomes_cmd,
    review_cmd,
    transcribe_cmd,
    vocabulary_cmd,
)
from empathy_audit.cli.output import EXIT_FAILED, EXIT_OK, EXIT_USAGE, PlainTextStream, UsageProblem, error
from empathy_audit.cli.problems import describe_database_error, describe_os_error
from empathy_audit.importing.csv_reading import CsvProblem
from empathy_audit.scoring.rubric import RubricError
from empathy_audit.store.database import DatabaseError, WorkspaceReadOnly, WorkspaceTooNew
from empathy_audit.store.keys import KeyProblem
from empathy_audit.store.workspace import OutputProblem

COMMAND_MODULES = [
    import_cmd,
    calls_cmd,
    transcribe_cmd,
    vocabulary_cmd,
    review_cmd,
    coaching_cmd,
    outcomes_cmd,
    compare_cmd,
    comments_cmd,
    clip_cmd,
    calibration_cmd,
    keys_cmd,
    doctor_cmd,
]


def common_options(*, suppress_defaults: bool) -> argparse.ArgumentParser:
    """--data-dir and --json, accepted before or after the command name."""
    default = argparse.SUPPRESS if suppress_defaults else None
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir",
        metavar="DIR",
        default=default,
        help="workspace folder (default: $EMPATHY_AUDIT_HOME, else the user data folder)",
    )
    common.add_argument(
        "--json",
        action="store_true",
        default=argparse.SUPPRESS if suppress_defaults else False,
        help="print machine-readable JSON on stdout",
    )
    return common


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="empathy-audit",
        description="Local-first empathy audits for contact-centre calls.",
        parents=[common_options(suppress_defaults=False)],
    )
    parser.add_argument("--version", action="version", version=f"empathy-audit {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    shared = common_options(suppress_defaults=True)
    for module in COMMAND_MODULES:
        module.register(sub, shared)
    gui = sub.add_parser("gui", parents=[shared], help="open the desktop app")
    gui.set_defaults(handler=_run_gui)
    return parser


def _run_gui(args: argparse.Namespace) -> int:
    from empathy_audit.ui.app import run_app  # Qt loads only when the window is wanted

    return int(run_app(args.data_dir))


def main(argv: Sequence[str] | None = None) -> int:
    multiprocessing.freeze_support()  # a frozen build re-enters here to start the transcription worker
    argv = list(sys.argv[1:] if argv is None else argv)
    if "--self-test" in argv:  # the installed app's check: `EmpathyAudit --self-test [--json]`
        argv = ["self-test", *(a for a in argv if a != "--self-test")]
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args(["gui", *argv])
    if not isinstance(sys.stdout, PlainTextStream):
        sys.stdout = PlainTextStream(sys.stdout)
    try:
        return int(args.handler(args))
    except BrokenPipeError:
        # The reader went away (`... --json | head`): stop quietly, and keep Python from
        # complaining when it flushes stdout on the way out.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.__stdout__.fileno())
        return EXIT_OK
    except UsageProblem as exc:
        error(str(exc))
        return EXIT_USAGE
    except (
        CsvProblem,
        WorkspaceTooNew,
        WorkspaceReadOnly,
        OutputProblem,
        KeyProblem,
        RubricError,
        CompareProblem,
    ) as exc:
        error(str(exc))
        return EXIT_FAILED
    except DatabaseError as exc:
        error(describe_database_error(exc, getattr(args, "data_dir", None)))
        return EXIT_FAILED
    except OSError as exc:
        error(describe_os_error(exc))
        return EXIT_FAILED
    except KeyboardInterrupt:
        error("interrupted; finished work is saved, and unfinished work resumes next time")
        return 130
    except Exception as exc:
        if os.environ.get("EMPATHY_AUDIT_DEBUG"):
            traceback.print_exc()
        error(
            f"unexpected problem: {type(exc).__name__}: {exc}. "
            "Run again with EMPATHY_AUDIT_DEBUG=1 for details, and please report it."
        )
        return EXIT_FAILED
