"""Who said it in mono calls: the share of words given to the right speaker, and what telling them apart costs.

    .venv/bin/python benchmarks/speaker_accuracy.py      (needs espeak-ng: apt-get install espeak-ng)

Makes two-voice mono calls at 8 kHz (mu-law, as telephony exports them) from known scripts with pairs of
espeak-ng voices, transcribes each with the app's pipeline (bundled model) and checks every word against who
said the line it falls in, after the app has named the voices agent and customer from what they say. One-voice
calls are included too: they must stay one speaker ("mixed"), not be split.

Targets (issue 15): words attributed to the right speaker >= 90 %; separation at <= 0.05 x real time on 2 cores.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from empathy_audit.audio.decode import decode_window  # noqa: E402
from empathy_audit.audio.ffmpeg import ffmpeg_exe  # noqa: E402
from empathy_audit.transcription.engine import DecodeOptions, load_engine  # noqa: E402
from empathy_audit.transcription.messages import TranscribeRequest  # noqa: E402
from empathy_audit.transcription.models import resolve_model  # noqa: E402
from empathy_audit.transcription.pipeline import SPEAKER_RATE, transcribe_request  # noqa: E402
from empathy_audit.transcription.sides import decide_sides  # noqa: E402
from empathy_audit.transcription.speakers import separate  # noqa: E402
from tests.fixtures.speech import CONVERSATION, TWO_VOICES_CALL  # noqa: E402

SCRIPTS = {"billing": TWO_VOICES_CALL, "router": CONVERSATION}
# (agent voice, customer voice): a man and a woman, a woman and a man, two women, two men of different pitch,
# and two voices that differ only slightly in timbre (the same synthetic man with the formants moved a little).
# (espeak-ng applies "+variant" to en-us; "en-gb+f2" is plain en-gb.)
PAIRS = [
    ("en-us", "en-us+f3"),
    ("en-us+f2", "en-us"),
    ("en-us+f4", "en-us+f2"),
    ("en-us+david", "en-us+edward"),
    ("en-us", "en-us+m3"),
]
ONE_VOICE = ["en-us", "en-us+f2", "en-gb"]


def speak(text: str, voice: str, path: Path) -> float:
    subprocess.run(["espeak-ng", "-v", voice, "-s", "150", "-w", str(path), text], check=True)
    with wave.open(str(path)) as w:
        return w.getnframes() / w.getframerate()


def make_call(tmp: Path, name: str, script: list, voices: dict[str, str]) -> tuple[Path, list, float]:
    """A mono 8 kHz call; returns it, the truth (speaker, start, end) per line and its length."""
    inputs, filters, truth = [], [], []
    start = 0.5
    for i, (speaker, _nominal, text) in enumerate(script):
        line = tmp / f"{name}{i}.wav"
        seconds = speak(text, voices[speaker], line)
        truth.append((speaker, start, start + seconds))
        inputs += ["-i", str(line)]
        filters.append(f"[{i}:a]aresample=8000,adelay={int(start * 1000)}[d{i}]")
        start += seconds + 0.7  # a short turn gap, as on a real call
    mix = "".join(f"[d{i}]" for i in range(len(script)))
    filters.append(f"{mix}amix=inputs={len(script)}:normalize=0[out]")
    out = tmp / f"{name}.wav"
    subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-y", *inputs, "-filter_complex", ";".join(filters), "-map", "[out]",
         "-ac", "1", "-ar", "8000", "-c:a", "pcm_mulaw", str(out)],
        check=True,
    )  # fmt: skip
    return out, truth, start


def who_at(truth: list, t: float) -> str | None:
    for speaker, a, b in truth:
        if a - 0.2 <= t <= b + 0.2:
            return speaker
    return None


def main() -> None:
    model = resolve_model(None)
    engine = load_engine("faster-whisper", str(model.path), 2)
    options = DecodeOptions(threads=2)
    right = total = split_right = split_total = 0
    separate_seconds = audio_seconds = 0.0
    print(f"model {model.name}; 8 kHz mono mu-law calls\n")
    print(f"{'call':<34} {'words':>5} {'right':>6}  note")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        cases = [(f"{s}:{a}/{c}", SCRIPTS[s], {"agent": a, "customer": c}) for s in SCRIPTS for a, c in PAIRS]
        cases += [(f"one voice:{v}", TWO_VOICES_CALL, {"agent": v, "customer": v}) for v in ONE_VOICE]
        for n, (label, script, voices) in enumerate(cases):
            path, truth, seconds = make_call(tmp, f"call{n}", script, voices)
            request = TranscribeRequest(n, str(path), 1, "left", seconds, layout="mono")
            segments, _language, note = transcribe_request(engine, request, options, lambda _e: None)
            decision = decide_sides("mono", "left", "default", segments)
            # Time separation alone (the rest is transcription, measured by transcription_speed.py).
            samples = decode_window(path, channel=None, rate=SPEAKER_RATE)
            began = time.perf_counter()
            separate([s for s in segments], samples, SPEAKER_RATE)
            separate_seconds += time.perf_counter() - began
            audio_seconds += seconds
            words = [(w, seg.speaker) for seg in decision.segments for w in seg.words]
            if label.startswith("one voice"):
                speakers = {s for _w, s in words}
                print(f"{label:<34} {len(words):>5} {'kept' if speakers == {'mixed'} else 'SPLIT':>6}  {note}")
                continue
            good = sum(1 for w, s in words if who_at(truth, (w.start + w.end) / 2) == s)
            right += good
            total += len(words)
            if {s for _w, s in words} != {"mixed"}:
                split_right += good
                split_total += len(words)
            print(f"{label:<34} {len(words):>5} {good / max(1, len(words)):>6.1%}  {note}")
    print(
        f"\nwords attributed to the right speaker, all two-voice calls: {right / max(1, total):.1%}"
        " (a call kept as one voice counts as wrong; target >= 90 %)"
    )
    print(f"words attributed to the right speaker in the calls split: {split_right / max(1, split_total):.1%}")
    print(f"separation real-time factor: {separate_seconds / audio_seconds:.4f} (target <= 0.05)")


if __name__ == "__main__":
    main()
