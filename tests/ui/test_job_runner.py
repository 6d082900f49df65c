"""A failed job: its message reaches the window; stderr gets one line for the app's own errors, which
already say what is wrong, and a traceback only for anything else (a bug to report)."""

from __future__ import annotations

import pytest

from empathy_audit.audio.decode import DecodeError
from empathy_audit.transcription.engine import EngineUnavailable
from empathy_audit.ui.job_runner import JobRunner


def _fail_with(qtbot, exc: Exception) -> str:
    runner = JobRunner(max_threads=1)

    def fn(_report, _cancel, _emit):
        raise exc

    with qtbot.waitSignal(runner.signals.failed, timeout=10000) as failed:
        handle = runner.start("Failing", fn)
    assert failed.args == [handle.id, str(exc) or type(exc).__name__]
    assert runner.wait(10000)
    return failed.args[1]


def _caused() -> Exception:
    """An own error raised because of another (a native library that did not load): that one is the diagnosis."""
    try:
        try:
            raise ImportError("libctranslate2.so: cannot open shared object file")
        except ImportError as exc:
            raise EngineUnavailable("faster-whisper could not be loaded") from exc
    except EngineUnavailable as exc:
        return exc


@pytest.mark.parametrize(
    ("exc", "traceback_expected"),
    [
        (DecodeError("x.wav: could not be decoded (no such file)"), False),
        (KeyError("speaker"), True),
        (_caused(), True),
    ],
)
def test_failed_jobs_say_what_failed(qtbot, capfd, exc: Exception, traceback_expected: bool) -> None:
    _fail_with(qtbot, exc)
    err = capfd.readouterr().err
    assert f"{type(exc).__name__}: " in err
    assert ("Traceback (most recent call last)" in err) is traceback_expected
