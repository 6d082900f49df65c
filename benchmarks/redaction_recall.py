"""Redaction measured on audio: is every personal-data phrase a tone in the exported clip?

    .venv/bin/python benchmarks/redaction_recall.py [--corpus DIR] [--model NAME] [--save-outputs DIR]

Builds the evaluation set (benchmarks/privacy_corpus.py: needs espeak-ng), imports and transcribes it
with the app's own pipeline, exports each whole call as a redacted WAV clip through the same code
the app uses, and finds the tone in the exported audio. Prints, per call and in total:
- recall: personal-data phrases with >= 80 % of their spoken span bleeped (target 100 %);
- over-bleeping: share of ordinary speech (every other line, both sides) bleeped (target <= 10 %).
`--save-outputs` writes each call's transcript (text and word times) with its known line spans as
JSON, the form tests/privacy/engine_outputs/ holds so the detector is tested on real engine output.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from privacy_corpus import build_all

from empathy_audit.audio.decode import decode_window
from empathy_audit.clips.export import TONE_HZ, ExportOptions, export_clips
from empathy_audit.clips.library import create_clip
from empathy_audit.importing.importer import ImportOptions, import_paths
from empathy_audit.privacy import find_in_call
from empathy_audit.store import open_workspace
from empathy_audit.store.transcripts import current_transcript, segment_to_json
from empathy_audit.transcription.engine import DEFAULT_ENGINE, ENGINES, DecodeOptions
from empathy_audit.transcription.runner import TranscribeSettings, transcribe_calls

RECALL_SHARE = 0.8
FRAME_S = 0.02


def tone_frames(path: Path, rate: int = 16_000) -> np.ndarray:
    """Per 20 ms frame: True where the exported audio is the bleep tone."""
    samples = decode_window(path, channel=None, rate=rate).astype(np.float64)
    n = int(FRAME_S * rate)
    frames = samples[: len(samples) // n * n].reshape(-1, n)
    spectrum = np.abs(np.fft.rfft(frames * np.hanning(n), axis=1)) ** 2
    freqs = np.fft.rfftfreq(n, 1 / rate)
    band = (freqs > TONE_HZ - 120) & (freqs < TONE_HZ + 120)
    total = spectrum.sum(axis=1) + 1e-12
    return (spectrum[:, band].sum(axis=1) / total > 0.9) & (np.sqrt((frames**2).mean(axis=1)) > 0.01)


def share_toned(toned: np.ndarray, start: float, end: float) -> float:
    a, b = int(start / FRAME_S), max(int(start / FRAME_S) + 1, int(end / FRAME_S))
    return float(toned[a:b].mean()) if b <= len(toned) else float(toned[a:].mean())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, help="build the evaluation set here (default: a temporary folder)")
    parser.add_argument("--model", help="Whisper model name or path (default: the bundled model)")
    parser.add_argument("--engine", default=DEFAULT_ENGINE, choices=sorted(ENGINES))
    parser.add_argument("--beam", type=int, default=DecodeOptions().beam_size, help="beam size (1: greedy)")
    parser.add_argument("--language", default="en", choices=["en", "es"], help="the English or the Spanish calls")
    parser.add_argument("--save-outputs", type=Path, help="write each call's transcript and line spans as JSON here")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        corpus = args.corpus or Path(tmp) / "corpus"
        wavs = build_all(corpus, args.language)
        ws = open_workspace(Path(tmp) / "ws")
        import_paths(ws, wavs, ImportOptions())
        ids = [row["id"] for row in ws.db.query("SELECT id FROM calls ORDER BY id")]
        began = time.perf_counter()
        settings = TranscribeSettings(args.engine, args.model, DecodeOptions(beam_size=args.beam))
        transcribe_calls(ws, ids, settings)
        elapsed = time.perf_counter() - began
        hits = phrases = 0
        ordinary = ordinary_toned = 0.0
        misses: list[str] = []
        for call_id, wav in zip(ids, wavs, strict=True):
            truth = json.loads(wav.with_suffix(".json").read_text())
            row, segments = current_transcript(ws.db, call_id)
            if args.save_outputs:
                args.save_outputs.mkdir(parents=True, exist_ok=True)
                (args.save_outputs / f"{truth['call']}.json").write_text(json.dumps({
                    "call": truth["call"], "engine": row["engine"], "model": row["model_name"], "beam": args.beam,
                    "machine": f"{platform.machine()} {platform.processor() or ''}".strip(),
                    "language": args.language, "lines": truth["lines"],
                    "segments": [segment_to_json(s) for s in segments],
                }, indent=1))  # fmt: skip
            clip = create_clip(ws.db, call_id, 0.0, truth["duration_s"] - 0.01, truth["call"], snap=False)
            out = Path(tmp) / "out" / truth["call"]
            result = export_clips(ws, [clip.id], out, ExportOptions(format="wav", fade_ms=0))
            toned = tone_frames(result.exported[0].path)
            found = find_in_call(segments, args.language)
            call_hits = call_phrases = 0
            for line in truth["lines"]:
                share = share_toned(toned, line["start"], line["end"])
                if line["kind"]:
                    call_phrases += 1
                    if share >= RECALL_SHARE:
                        call_hits += 1
                    else:
                        misses.append(f"  {truth['call']}: {line['kind']} “{line['text']}” {share:.0%} bleeped")
                else:
                    ordinary += line["end"] - line["start"]
                    ordinary_toned += share * (line["end"] - line["start"])
            hits, phrases = hits + call_hits, phrases + call_phrases
            print(f"{truth['call']:<12} {call_hits}/{call_phrases} phrases bleeped, {len(found.spans)} finding(s)")
        ws.close()
        audio_s = sum(json.loads(w.with_suffix(".json").read_text())["duration_s"] for w in wavs)
    print(f"\nRecall: {hits}/{phrases} personal-data phrases = {hits / phrases:.1%} (target 100 %)")
    print(f"Over-bleeping: {ordinary_toned:.1f} s of {ordinary:.1f} s ordinary speech = "
          f"{ordinary_toned / ordinary:.1%} (target <= 10 %)")  # fmt: skip
    print(f"Transcription: {audio_s:.0f} s of audio in {elapsed:.0f} s (real-time factor {elapsed / audio_s:.3f})")
    if misses:
        print("Missed:\n" + "\n".join(misses))


if __name__ == "__main__":
    main()
