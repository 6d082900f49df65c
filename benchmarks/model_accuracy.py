"""Word error rate and speed of each available model, in one run on the same 8 kHz calls.

    .venv/bin/python benchmarks/model_accuracy.py [--models accurate,fast] [--skip-speed]

The corpus: dual-channel 8 kHz mu-law calls made with espeak-ng from known scripts (several voices; needs
espeak-ng: apt-get install espeak-ng), and, where the machine has them, Debian's alsa-utils voice prompts
(a real person saying "Front Left"... in /usr/share/sounds/alsa; apt-get install alsa-utils), at 8 kHz.
Each model transcribes every call with the app's pipeline (same settings as the app: beam 5, VAD, word
timestamps, int8, 2 threads); WER is corpus-wide (all word errors over all reference words).

The end-to-end real-time factor is measured as the app does it (worker process started, model loaded and
checked, both channels transcribed, the transcript stored) on the 136 s dual-channel benchmark call.

Targets (issue 16): the default model at WER <= 0.20 with end-to-end real-time factor <= 0.1 on 2 cores.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "tests" / "fixtures"), str(ROOT / "benchmarks")]

from helpers import wer, words  # noqa: E402
from speech import CONVERSATION, TWO_VOICES_CALL  # noqa: E402
from transcription_speed import make_long_call  # noqa: E402

from empathy_audit.audio.ffmpeg import ffmpeg_exe  # noqa: E402
from empathy_audit.importing.importer import import_paths  # noqa: E402
from empathy_audit.store import open_workspace  # noqa: E402
from empathy_audit.transcription.engine import DecodeOptions, load_engine  # noqa: E402
from empathy_audit.transcription.messages import TranscribeRequest  # noqa: E402
from empathy_audit.transcription.models import ModelUnavailable, resolve_model  # noqa: E402
from empathy_audit.transcription.pipeline import transcribe_request  # noqa: E402
from empathy_audit.transcription.runner import TranscribeSettings, transcribe_calls  # noqa: E402

DELIVERY = [
    ("agent", 0.5, "Good morning, you are through to Brightline deliveries, this is Priya. How can I help?"),
    (
        "customer",
        6.0,
        "My parcel was meant to arrive on Monday and it still has not come. I took a day off work for it.",
    ),
    ("agent", 13.0, "I am really sorry, that is frustrating. What has your experience been with us so far?"),
    ("customer", 20.0, "Honestly, this is the second time it has happened this year."),
    (
        "agent",
        25.0,
        "I will send a replacement by express today, and I will call you tomorrow to make sure it arrived.",
    ),
]
UPGRADE = [
    ("agent", 0.5, "Thanks for calling Lumen broadband, my name is Chris."),
    ("customer", 4.0, "Hello, I would like to upgrade my plan, the internet is too slow in the evenings."),
    ("agent", 10.0, "Of course. Can you tell me what you mostly use it for, so I can find the right plan?"),
    ("customer", 16.5, "We stream films and my son plays games online."),
    ("agent", 20.5, "Then the fibre plan would suit you, and I can waive the setup fee for you today."),
]
# (name, script, agent voice, customer voice); espeak-ng applies "+variant" to en-us only.
CALLS = [
    ("router", CONVERSATION, "en-us", "en-gb"),
    ("billing", TWO_VOICES_CALL, "en-us", "en-us+f3"),
    ("delivery", DELIVERY, "en-us+f4", "en-gb"),
    ("router, other voices", CONVERSATION, "en-us+f2", "en-us+m3"),
    ("upgrade", UPGRADE, "en-gb", "en-us+f1"),
]
ALSA = Path("/usr/share/sounds/alsa")


def speak(text: str, voice: str, path: Path) -> float:
    subprocess.run(["espeak-ng", "-v", voice, "-s", "150", "-w", str(path), text], check=True)
    with wave.open(str(path)) as w:
        return w.getnframes() / w.getframerate()


def make_call(tmp: Path, name: str, script: list, agent: str, customer: str) -> tuple[Path, str, float]:
    """A dual-channel 8 kHz mu-law call (agent left); returns it, its text and its length."""
    inputs, filters, start = [], [], 0.5
    for i, (speaker, _nominal, text) in enumerate(script):
        line = tmp / f"{name}{i}.wav"
        seconds = speak(text, agent if speaker == "agent" else customer, line)
        inputs += ["-i", str(line)]
        filters.append(f"[{i}:a]aresample=8000,adelay={int(start * 1000)}[d{i}]")
        start += seconds + 0.8
    for side in ("agent", "customer"):
        mine = [f"[d{i}]" for i, (s, _n, _t) in enumerate(script) if s == side]
        filters.append(f"{''.join(mine)}amix=inputs={len(mine)}:normalize=0,apad=whole_dur={start:.2f}[{side}]")
    filters.append("[agent][customer]join=inputs=2:channel_layout=stereo[out]")
    out = tmp / f"{name}.wav"
    subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-y", *inputs, "-filter_complex", ";".join(filters), "-map", "[out]",
         "-ar", "8000", "-c:a", "pcm_mulaw", str(out)],
        check=True,
    )  # fmt: skip
    return out, " ".join(text for _s, _n, text in script), start


def alsa_prompts(tmp: Path) -> list[tuple[Path, str, float]]:
    """Debian's recorded voice prompts ("Front_Left.wav" says "front left"), each as an 8 kHz mono call."""
    out = []
    for path in sorted(ALSA.glob("*.wav")) if ALSA.is_dir() else []:
        target = tmp / f"alsa-{path.stem}.wav"
        subprocess.run([ffmpeg_exe(), "-v", "error", "-y", "-i", str(path), "-ac", "1", "-ar", "8000",
                        "-c:a", "pcm_mulaw", str(target)], check=True)  # fmt: skip
        with wave.open(str(path)) as w:
            out.append((target, path.stem.replace("_", " "), w.getnframes() / w.getframerate()))
    return out


def corpus_wer(references: list[str], hypotheses: list[str]) -> float:
    errors = sum(wer(r, h) * len(words(r)) for r, h in zip(references, hypotheses, strict=True))
    return errors / sum(len(words(r)) for r in references)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--models", default="accurate,fast", help="comma-separated choices, names or folders")
    parser.add_argument("--skip-speed", action="store_true")
    args = parser.parse_args()
    options = DecodeOptions(threads=2)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        calls = [make_call(tmp, *spec) for spec in CALLS]
        prompts = alsa_prompts(tmp)
        long_call = tmp / "long call.wav"
        long_seconds = make_long_call(long_call, 1)
        print(f"corpus: {len(calls)} espeak-ng calls ({sum(c[2] for c in calls):.0f} s, "
              f"{sum(len(words(c[1])) for c in calls)} words), {len(prompts)} prompts; 8 kHz, 2 threads\n")  # fmt: skip
        print(f"{'model':<22} {'WER calls':>9} {'WER prompts':>11} {'RTF pipeline':>12} {'RTF end to end':>14}")
        for wanted in args.models.split(","):
            try:
                model = resolve_model(wanted)
            except ModelUnavailable as exc:
                print(f"{wanted:<22} not available: {exc}")
                continue
            engine = load_engine("faster-whisper", str(model.path), 2)
            hypotheses, seconds, audio = [], 0.0, 0.0
            for n, (path, _text, length) in enumerate(calls):
                request = TranscribeRequest(n, str(path), 2, "left", length)
                began = time.perf_counter()
                segments, _language, _note = transcribe_request(engine, request, options, lambda _e: None)
                seconds += time.perf_counter() - began
                audio += length
                hypotheses.append(" ".join(s.text for s in sorted(segments, key=lambda s: s.start)))
            prompt_text = []
            for n, (path, _text, length) in enumerate(prompts):
                request = TranscribeRequest(100 + n, str(path), 1, "left", length, layout="mono")
                segments, _language, _note = transcribe_request(engine, request, options, lambda _e: None)
                prompt_text.append(" ".join(s.text for s in segments))
            calls_wer = corpus_wer([c[1] for c in calls], hypotheses)
            prompts_wer = corpus_wer([p[1] for p in prompts], prompt_text) if prompts else float("nan")
            end_to_end = float("nan")
            if not args.skip_speed:
                workspace = open_workspace(tmp / f"ws-{model.name}")
                (imported,) = import_paths(workspace, [long_call]).imported
                began = time.perf_counter()
                transcribe_calls(workspace, [imported.call_id], TranscribeSettings(model=wanted, options=options))
                end_to_end = (time.perf_counter() - began) / long_seconds
                workspace.close()
            label = f"{wanted} ({model.name})" if wanted != model.name else wanted
            print(f"{label:<22} {calls_wer:>9.3f} {prompts_wer:>11.3f} {seconds / audio:>12.3f} {end_to_end:>14.3f}")
    print("\ntargets: the default model WER <= 0.20, end-to-end real-time factor <= 0.1")


if __name__ == "__main__":
    main()
