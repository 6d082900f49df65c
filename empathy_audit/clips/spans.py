"""A clip's span on the recording: snapped to whole words, and the transcript it covers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from empathy_audit.domain import Segment, Word
from empathy_audit.privacy import REDACTED, CallFindings, hidden_runs, redact_text, redact_tokens
from empathy_audit.transcription.formats import SPEAKER_LABELS

PADDING_S = 0.25  # breathing room either side, so a clip never starts or ends mid-syllable
MIN_CLIP_S = 0.5
EDGE_S = 0.02  # word times are rounded to 10 ms; this much overlap still counts as touching
MAX_CLIP_S = 600.0  # clips are moments; a whole call is exported from the Library


class SpanProblem(ValueError):
    pass


@dataclass(frozen=True)
class ExcerptLine:
    speaker: str
    start_s: float
    text: str

    def render(self) -> str:
        return f"{SPEAKER_LABELS.get(self.speaker, self.speaker)}: {self.text}"


def _all_words(segments: Sequence[Segment]) -> list[Word]:
    return sorted((w for seg in segments for w in seg.words), key=lambda w: w.start)


def snap_span(
    segments: Sequence[Segment], start_s: float, end_s: float, duration_s: float, padding_s: float = PADDING_S
) -> tuple[float, float]:
    """Widen [start, end] to the words it cuts into, trim silence at its edges, then pad.

    A word counts as inside when any part of it is; a span with no words in it keeps its own edges.
    """
    if end_s <= start_s:
        raise SpanProblem(f"the clip ends ({end_s:.2f} s) before it starts ({start_s:.2f} s)")
    if start_s < 0 or start_s >= duration_s:
        raise SpanProblem(f"the clip starts at {start_s:.2f} s, outside the call (0–{duration_s:.2f} s)")
    end_s = min(end_s, duration_s)
    words = _all_words(segments)
    inside = [w for w in words if w.end > start_s and w.start < end_s]
    if inside:
        start_s = min(w.start for w in inside)
        end_s = max(w.end for w in inside)
    # Padding stops where a neighbouring word begins, so no clip opens or closes on half a word.
    before = max((w.end for w in words if w.start < start_s and w.end <= start_s + EDGE_S), default=0.0)
    after = min((w.start for w in words if w.end > end_s and w.start >= end_s - EDGE_S), default=duration_s)
    start = max(0.0, before if inside else 0.0, start_s - padding_s)
    end = min(duration_s, after if inside else duration_s, end_s + padding_s)
    if end - start < MIN_CLIP_S:
        end = min(duration_s, start + MIN_CLIP_S)
        start = max(0.0, end - MIN_CLIP_S)
    if end - start > MAX_CLIP_S:
        raise SpanProblem(
            f"the clip is {end - start:.0f} s long; clips are at most {MAX_CLIP_S / 60:.0f} minutes — "
            "choose a shorter moment"
        )
    return round(start, 3), round(end, 3)


def excerpt(
    segments: Sequence[Segment], start_s: float, end_s: float, findings: CallFindings | None = None
) -> list[ExcerptLine]:
    """The words said inside [start, end], one line per turn; with `findings`, personal data is redacted.

    A turn a reviewer corrected is quoted whole (its words' times belong to the engine's text).
    """
    lines: list[ExcerptLine] = []
    for si, seg in enumerate(segments):
        if seg.end <= start_s or seg.start >= end_s:
            continue
        if findings is not None and si in findings.whole_segments:
            text = REDACTED  # a corrected answer to a personal-data question
        elif seg.original_text is not None or not seg.words:
            text = seg.text.strip()
            if findings is not None:
                text = redact_text(text, findings.names, findings.language)
        else:
            chosen = [
                (wi, w) for wi, w in enumerate(seg.words) if w.start >= start_s - EDGE_S and w.end <= end_s + EDGE_S
            ]
            if not chosen:
                continue
            tokens = [w.word.strip() for _, w in chosen]
            if findings is not None:
                tokens = redact_tokens(tokens, hidden_runs([(si, wi) in findings.words for wi, _ in chosen]))
            text = " ".join(tokens)
        if text:
            lines.append(ExcerptLine(seg.speaker, seg.start, text))
    return lines


def render_excerpt(lines: Sequence[ExcerptLine]) -> str:
    return "\n".join(line.render() for line in lines)
