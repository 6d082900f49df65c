"""The reference engine: openai-whisper (PyTorch), on weights converted from the same CTranslate2 model."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from empathy_audit.domain import Word
from empathy_audit.transcription.engine import DecodeOptions, RawSegment, WindowProgress


class OpenAIWhisperEngine:
    name = "openai-whisper"

    def __init__(self, model_path: str, threads: int = 0) -> None:
        import torch
        import whisper

        if threads > 0:
            torch.set_num_threads(threads)
        checkpoint = Path(model_path)
        self._model = whisper.load_model(str(checkpoint), device="cpu")
        # load_model only knows alignment heads for the official names; ours travel in the checkpoint.
        heads = torch.load(str(checkpoint), map_location="cpu", weights_only=False).get("alignment_heads")
        if heads:
            dims = self._model.dims
            mask = torch.zeros(dims.n_text_layer, dims.n_text_head, dtype=torch.bool)
            for layer, head in heads:
                mask[layer, head] = True
            self._model.register_buffer("alignment_heads", mask.to_sparse(), persistent=False)

    def version(self) -> str:
        import whisper

        return str(whisper.__version__)

    def transcribe(
        self, audio: np.ndarray, options: DecodeOptions, on_progress: WindowProgress
    ) -> tuple[list[RawSegment], str]:
        language = options.language or (None if self._model.is_multilingual else "en")
        clips: list[float] | str = "0"
        if options.vad:
            # The same voice-activity detection faster-whisper uses (Silero, shipped with faster-whisper),
            # so both engines decode the same speech and silence costs nothing here either.
            from faster_whisper.vad import VadOptions, get_speech_timestamps

            speech = get_speech_timestamps(audio, VadOptions(min_silence_duration_ms=500, speech_pad_ms=200))
            if not speech:
                return [], language or ""
            clips = [t / 16000 for chunk in speech for t in (chunk["start"], chunk["end"])]
        result = self._model.transcribe(
            audio,
            language=language,
            beam_size=options.beam_size,
            temperature=options.temperatures,
            compression_ratio_threshold=options.compression_ratio_threshold,
            logprob_threshold=options.log_prob_threshold,
            no_speech_threshold=options.no_speech_threshold,
            condition_on_previous_text=options.condition_on_previous_text,
            word_timestamps=True,
            hallucination_silence_threshold=options.hallucination_silence_threshold,
            initial_prompt=options.hint,  # openai-whisper has no hotwords: the vocabulary opens the prompt
            fp16=False,
            verbose=None,
            clip_timestamps=clips,
        )
        out: list[RawSegment] = []
        for seg in result["segments"]:
            words = [
                Word(float(w["start"]), float(w["end"]), w["word"], float(w.get("probability", 0.0)))
                for w in seg.get("words", [])
            ]
            out.append(
                RawSegment(
                    start=float(seg["start"]),
                    end=float(seg["end"]),
                    text=seg["text"].strip(),
                    avg_logprob=float(seg["avg_logprob"]),
                    no_speech_prob=float(seg["no_speech_prob"]),
                    compression_ratio=float(seg["compression_ratio"]),
                    words=words,
                )
            )
            on_progress(float(seg["end"]))
        return out, str(result.get("language") or language or "")
