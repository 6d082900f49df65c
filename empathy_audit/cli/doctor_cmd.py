"""`empathy-audit doctor` and `empathy-audit models`."""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path
from typing import Any

from empathy_audit import __version__
from empathy_audit.cli.output import EXIT_FAILED, EXIT_OK, ProgressBar, print_json
from empathy_audit.cli.workspace_arg import workspace_from
from empathy_audit.transcription.models import ModelUnavailable, download_model, list_models, resolve_model


def register(sub: argparse._SubParsersAction, shared: argparse.ArgumentParser) -> None:
    doctor = sub.add_parser("doctor", parents=[shared], help="check the installation and the workspace")
    doctor.set_defaults(handler=run_doctor)
    models = sub.add_parser("models", parents=[shared], help="list or download Whisper models")
    models_sub = models.add_subparsers(dest="models_command", metavar="ACTION", required=True)
    listing = models_sub.add_parser("list", parents=[shared], help="models offered and whether they are here")
    listing.set_defaults(handler=run_models_list)
    download = models_sub.add_parser("download", parents=[shared], help="download a model (needs a network)")
    download.add_argument("name")
    download.set_defaults(handler=run_models_download)
    selftest = sub.add_parser(
        "self-test",
        parents=[shared],
        help="import, transcribe, review, report and clip a bundled sample call in a temporary workspace",
    )
    selftest.add_argument("--no-window", action="store_true", help="skip opening the main window offscreen")
    selftest.set_defaults(handler=run_self_test_command)


def run_self_test_command(args: argparse.Namespace) -> int:
    from empathy_audit.cli.self_test import run_self_test

    return run_self_test(json_output=args.json, with_window=not args.no_window)


def _engines() -> list[dict[str, Any]]:
    engines = [
        {"name": "faster-whisper", "installed": importlib.util.find_spec("faster_whisper") is not None, "default": True}
    ]
    has_whisper = importlib.util.find_spec("whisper") is not None and importlib.util.find_spec("torch") is not None
    engines.append({"name": "openai-whisper", "installed": has_whisper, "default": False})
    return engines


def collect(args: argparse.Namespace) -> dict[str, Any]:
    problems: list[dict[str, str]] = []
    report: dict[str, Any] = {"version": __version__, "python": sys.version.split()[0]}
    with workspace_from(args) as workspace:
        report["workspace"] = str(workspace.root)
        report["schema_version"] = workspace.schema_version()
        counts = workspace.calls.status_counts()
        report["calls"] = counts
        missing = workspace.calls.missing_audio()
        report["read_only"] = workspace.read_only
        if workspace.read_only:
            problems.append(
                {
                    "problem": "the workspace is read-only: it can be listed and reported on, not changed",
                    "fix": "make its folder and files writable, or copy it somewhere you can write",
                }
            )
        if missing:
            problems.append(
                {
                    "problem": f"calls without their audio file: {len(missing)} (e.g. {missing[0]})",
                    "fix": "reconnect the drive they were linked from, or import the files again",
                }
            )
    try:
        from empathy_audit.audio import av_io

        report["ffmpeg"] = {"path": str(Path(av_io.av.__file__).parent), "version": av_io.version(), "in_process": True}
    except ImportError as exc:
        report["ffmpeg"] = None
        problems.append({"problem": f"FFmpeg's libraries (PyAV) cannot be loaded: {exc}",
                         "fix": "reinstall Empathy Audit (PyAV ships with it)"})  # fmt: skip
    report["engines"] = _engines()
    if not report["engines"][1]["installed"]:
        problems.append(
            {
                "problem": "the openai-whisper engine is not installed (optional)",
                "fix": "pip install 'empathy-audit[openai-whisper]' -c packaging/constraints.txt",
            }
        )
    report["models"] = list_models()
    try:
        model = resolve_model(None)
        report["default_model"] = {"name": model.name, "sha256": model.sha256, "verified": True}
    except ModelUnavailable as exc:
        report["default_model"] = {"verified": False}
        problems.append({"problem": str(exc), "fix": "reinstall Empathy Audit"})
    report["problems"] = problems
    return report


def run_doctor(args: argparse.Namespace) -> int:
    report = collect(args)
    serious = [p for p in report["problems"] if "(optional)" not in p["problem"]]
    if args.json:
        print_json(report)
        return EXIT_FAILED if serious else EXIT_OK
    print(f"Empathy Audit {report['version']} (Python {report['python']})")
    print(f"workspace:      {report['workspace']} (schema version {report['schema_version']})")
    calls = report["calls"]
    print(
        f"calls:          {sum(calls.values())} "
        + (f"({', '.join(f'{v} {k}' for k, v in calls.items())})" if calls else "")
    )
    ff = report["ffmpeg"]
    print(
        f"ffmpeg:         FFmpeg {ff['version']} in process (PyAV, {ff['path']})" if ff else "ffmpeg:         missing"
    )
    for engine in report["engines"]:
        state = "installed" if engine["installed"] else "not installed"
        print(f"engine:         {engine['name']} ({state}{', default' if engine['default'] else ''})")
    for model in report["models"]:
        where = model["source"] if model["available"] else "not downloaded"
        print(f"model:          {model['name']} ({where})")
    dm = report["default_model"]
    print(f"default model:  {dm.get('name', '?')} ({'checksum verified' if dm['verified'] else 'NOT usable'})")
    for problem in report["problems"]:
        print(f"problem:        {problem['problem']}\n  fix:          {problem['fix']}")
    if not report["problems"]:
        print("No problems found.")
    return EXIT_FAILED if serious else EXIT_OK


def run_models_list(args: argparse.Namespace) -> int:
    rows = list_models()
    if args.json:
        print_json(rows)
    else:
        for row in rows:
            print(f"{row['name']:<18} {row['source'] if row['available'] else 'not downloaded'}")
    return EXIT_OK


def run_models_download(args: argparse.Namespace) -> int:
    bar = ProgressBar(enabled=False if args.json else None)
    try:
        ref = download_model(args.name, report=bar)
    except ModelUnavailable as exc:
        bar.close()
        if args.json:
            print_json({"name": args.name, "downloaded": False, "error": str(exc)})
        else:
            print(f"empathy-audit: {exc}", file=sys.stderr)
        return EXIT_FAILED
    bar.close()
    if args.json:
        print_json({"name": ref.name, "downloaded": True, "path": str(ref.path), "sha256": ref.sha256})
    else:
        print(f"Downloaded {ref.name} to {ref.path}")
    return EXIT_OK
