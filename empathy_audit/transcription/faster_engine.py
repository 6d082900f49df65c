"""The default engine: faster-whisper (CTranslate2), int8 on the CPU, with its built-in VAD."""

from __future__ import annotations

import os

import numpy as np

from empathy_audit.domain import Word
from empathy_audit.transcription.engine import DecodeOptions, RawSegment, WindowProgress

VAD = {"min_silence_duration_ms": 500, "speech_pad_ms": 200}


def lanes_for(threads: int, lanes: int | None = None) -> tuple[int, int]:
    """(streams decoded side by side, threads each) for a budget of `threads` (0: every core); `lanes` forces
    the number of streams (benchmarks compare one against two).

    Two streams on half the threads each beat one stream on all of them: much of a Whisper pass is
    single-threaded Python between native steps (benchmarks/transcription_speed.py, 2 and 4 threads)."""
    budget = threads if threads > 0 else (os.cpu_count() or 1)
    lanes = lanes or (2 if budget >= 2 else 1)
    return lanes, max(1, budget // lanes)


class FasterWhisperEngine:
    name = "faster-whisper"

    def __init__(self, model_path: str, threads: int = 0, lanes: int | None = None) -> None:
        from faster_whisper import WhisperModel

        self.lanes, per_lane = lanes_for(threads, lanes)
        # num_workers: CTranslate2 runs this many transcribe() calls from Python threads truly in parallel.
        self._model = WhisperModel(
            model_path, device="cpu", compute_type="int8", cpu_threads=per_lane, num_workers=self.lanes
        )

    def version(self) -> str:
        import faster_whisper

        return str(faster_whisper.__version__)

    @property
    def multilingual(self) -> bool:
        return bool(self._model.model.is_multilingual)

    def detect_language(self, audio: np.ndarray) -> str | None:
        """The language of the speech in `audio` (its first 30 s of speech), None when it holds none."""
        if not self.multilingual:
            return "en"
        from faster_whisper.vad import VadOptions

        try:
            language, _probability, _all = self._model.detect_language(
                audio, vad_filter=True, vad_parameters=VadOptions(**VAD)
            )
        except ValueError:  # no speech found: nothing to concatenate
            return None
        return str(language)

    def transcribe(
        self, audio: np.ndarray, options: DecodeOptions, on_progress: WindowProgress
    ) -> tuple[list[RawSegment], str]:
        language = options.language or (None if self.multilingual else "en")
        segments, info = self._model.transcribe(
            audio,
            language=language,
            beam_size=options.beam_size,
            temperature=list(options.temperatures),
            compression_ratio_threshold=options.compression_ratio_threshold,
            log_prob_threshold=options.log_prob_threshold,
            no_speech_threshold=options.no_speech_threshold,
            condition_on_previous_text=options.condition_on_previous_text,
            word_timestamps=True,
            vad_filter=options.vad,
            vad_parameters=dict(VAD),
            hallucination_silence_threshold=options.hallucination_silence_threshold,
            hotwords=options.hint,  # faster-whisper puts them in the prompt of every window it decodes
        )
        out: list[RawSegment] = []
        for seg in segments:  # a generator: decoding happens as we iterate
            words = [Word(float(w.start), float(w.end), w.word, float(w.probability)) for w in seg.words or []]
            out.append(
                RawSegment(
                    start=float(seg.start),
                    end=float(seg.end),
                    text=seg.text.strip(),
                    avg_logprob=float(seg.avg_logprob),
                    no_speech_prob=float(seg.no_speech_prob),
                    compression_ratio=float(seg.compression_ratio),
                    words=words,
                )
            )
            on_progress(float(seg.end))
        return out, info.language
