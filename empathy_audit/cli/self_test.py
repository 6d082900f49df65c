"""`--self-test`: prove an installed copy works end to end, offline, without a window.

In a temporary workspace: import the bundled sample call, transcribe it with the bundled model (in the
worker process, as the app does), record a review, write the quarterly report, export a redacted clip,
and open the main window offscreen on the result. Exit 0 only if every step worked.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from empathy_audit.paths import resource_path
from empathy_audit.wording import plural

SAMPLE = ("samples", "sample_call.wav")
EXPECTED_WORDS = ("router", "friday")  # said in the sample call (tests/fixtures/speech.py CONVERSATION)


def _steps(root: Path, out: Path, with_window: bool) -> list[tuple[str, Callable[[], str]]]:
    """The steps, each through the workspace's services, as the app and the command line use them."""
    from empathy_audit.services import open_services

    state: dict[str, Any] = {}

    def open_store() -> str:
        state["ws"] = open_services(root)
        return str(root)

    def import_sample() -> str:
        from empathy_audit.importing.importer import ImportOptions

        options = ImportOptions(agent="Sample", team="Self-test")
        report = state["ws"].calls.import_paths([resource_path(*SAMPLE)], options)
        if len(report.imported) != 1:
            raise RuntimeError(f"import failed: {report.failed}")
        state["call_id"] = report.imported[0].call_id
        return f"{report.imported[0].duration_s:.1f} s, {plural(report.imported[0].channels, 'channel')}"

    def transcribe() -> str:
        summary = state["ws"].calls.transcribe([state["call_id"]])
        outcome = summary.outcomes[0]
        if outcome.status != "transcribed":
            raise RuntimeError(f"transcription ended as {outcome.status}: {getattr(outcome, 'error', '')}")
        segments = state["ws"].transcripts.segments(state["call_id"])
        text = " ".join(s.text for s in segments).lower()
        missing = [w for w in EXPECTED_WORDS if w not in text]
        if missing:
            raise RuntimeError(f"the transcript lacks {missing}: {text!r}")
        return f"{len(segments)} turns"

    def review() -> str:
        session = state["ws"].reviews.session("Self-test")
        session.open(state["call_id"])
        for criterion in session.rubric.criteria:
            session.score(criterion.key, 2)
        session.submit()
        return f"review #{session.review.id} submitted"

    def report() -> str:
        from empathy_audit.quarters import quarter_of

        call = state["ws"].calls.get(state["call_id"])
        quarter = quarter_of(call.call_start or call.imported_at) or ""
        result = state["ws"].audit.write_quarterly_report(quarter, out / "report", formats=("pdf", "png"))
        pdf = next(p for p in result.files if p.suffix == ".pdf")
        if not pdf.read_bytes().startswith(b"%PDF"):
            raise RuntimeError("the PDF is not a PDF")
        return f"{len(result.files)} files"

    def clip() -> str:
        from empathy_audit.clips.export import ExportOptions

        made = state["ws"].clips.create(state["call_id"], 15.5, 21.0, "Self-test clip").clip
        result = state["ws"].clips.export([made.id], out / "clips", ExportOptions(format="mp3"))
        if result.failures or not result.exported[0].path.stat().st_size:
            raise RuntimeError(f"clip export failed: {result.failures}")
        return f"{result.exported[0].duration_s:.1f} s mp3 and a handout"

    def window() -> str:
        from empathy_audit.ui.self_test_window import open_window_offscreen

        return open_window_offscreen(state["ws"], state["call_id"])

    steps = [
        ("workspace", open_store),
        ("import", import_sample),
        ("transcribe", transcribe),
        ("review", review),
        ("report", report),
        ("clip", clip),
    ]
    if with_window:
        steps.append(("window", window))
    steps.append(("close", lambda: state.pop("ws").close() or "closed"))
    return steps


def run_self_test(json_output: bool = False, with_window: bool = True) -> int:
    """Run every step, print one line (or a JSON object) per step; 0 only if all passed."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("QT_LOGGING_RULES", "qt.multimedia.*=false;qt.qpa.*=false")  # no backend chatter
    started = time.perf_counter()
    results = []
    with tempfile.TemporaryDirectory(prefix="empathy-audit-self-test-") as tmp:
        base = Path(tmp)
        os.environ.setdefault("EMPATHY_AUDIT_CACHE", str(base / "cache"))
        steps = _steps(base / "workspace", base / "out", with_window)
        for name, step in steps:
            t0 = time.perf_counter()
            try:
                detail, ok = step(), True
            except Exception as exc:  # a self-test reports every failure, whatever it is
                detail, ok = f"{type(exc).__name__}: {exc}", False
                if os.environ.get("EMPATHY_AUDIT_DEBUG"):
                    traceback.print_exc()
            results.append({"step": name, "ok": ok, "seconds": round(time.perf_counter() - t0, 2), "detail": detail})
            if not json_output:
                print(f"{'ok  ' if ok else 'FAIL'} {name:<11} {results[-1]['seconds']:>6.2f} s  {detail}", flush=True)
            if not ok:
                break
    passed = all(r["ok"] for r in results) and len(results) == len(steps)
    total = round(time.perf_counter() - started, 2)
    if json_output:
        print(json.dumps({"passed": passed, "seconds": total, "steps": results}, indent=2))
    else:
        print(
            f"Self-test {'passed' if passed else 'FAILED'} in {total:.1f} s",
            file=sys.stderr if not passed else sys.stdout,
        )
    return 0 if passed else 1
