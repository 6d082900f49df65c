"""A varied two-minute dual-channel call, cut into windows: no invented or looping text, every turn found."""

from __future__ import annotations

import importlib.util
import subprocess
from pathlib import Path

import pytest
from helpers import wer

from empathy_audit.audio.ffmpeg import ffmpeg_exe
from empathy_audit.importing.importer import import_paths
from empathy_audit.store.transcripts import current_transcript
from empathy_audit.transcription.runner import TranscribeSettings, transcribe_calls

pytestmark = pytest.mark.slow
BENCH = Path(__file__).resolve().parents[2] / "benchmarks"


def _script() -> list[tuple[str, str]]:
    spec = importlib.util.spec_from_file_location("make_long_call", BENCH / "make_long_call.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module.LINES


def test_long_call_in_windows_has_every_turn_and_no_loops(workspace, tmp_path: Path) -> None:
    call = tmp_path / "long call.wav"
    subprocess.run(
        [
            ffmpeg_exe(),
            "-v",
            "error",
            "-i",
            str(BENCH / "fixtures" / "long_call.opus.ogg"),
            "-ar",
            "8000",
            "-c:a",
            "pcm_mulaw",
            str(call),
        ],
        check=True,
    )
    (call_id,) = [i.call_id for i in import_paths(workspace, [call]).imported]
    summary = transcribe_calls(workspace, [call_id], TranscribeSettings(window_s=45.0))
    assert summary.outcomes[0].status == "transcribed"
    _row, segments = current_transcript(workspace.db, call_id)
    assert not [s for s in segments if "suspect:repetition" in s.flags]
    texts = [s.text.lower() for s in segments]
    assert len(texts) == len(set(texts))  # no turn repeated at a window boundary
    for speaker in ("agent", "customer"):
        said = " ".join(text for who, text in _script() if who == speaker)
        heard = " ".join(s.text for s in segments if s.speaker == speaker)
        assert wer(said, heard) <= 0.3, (speaker, heard)
