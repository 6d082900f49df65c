"""Personal data across one word-timed call: what to bleep in audio, what to hide in text, and why.

Two kinds of evidence are combined. The word rules (`rules.py`) find data that still looks like data
in the transcript; the question rule (`answers.py`) hides the customer's whole answer when the agent
asked for personal data, because the engine's text of that answer is often unrecognisable.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from empathy_audit.domain import Segment
from empathy_audit.privacy.answers import TimedWord, answers
from empathy_audit.privacy.finding import Finding
from empathy_audit.privacy.lexicon import using
from empathy_audit.privacy.people import names_in
from empathy_audit.privacy.rules import find_personal_data

REDACTED = "[redacted]"
STREAM_GAP_S = 3.0  # words said more than this far apart are not one number or one name
AUDIO_PAD_S = 0.2  # word timestamps are approximate; bleep a little either side


@dataclass(frozen=True)
class PersonalDataSpan:
    """One finding in a call, with its time on the recording and the reason it was found."""

    kind: str
    start_s: float
    end_s: float
    speaker: str
    text: str
    why: str = ""

    def to_json(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "speaker": self.speaker,
            "start": self.start_s,
            "end": self.end_s,
            "text": self.text,
            "why": self.why,
        }


@dataclass
class CallFindings:
    """Personal data found across one call: word positions to hide in text, and spans to bleep in audio."""

    spans: list[PersonalDataSpan]
    words: set[tuple[int, int]]  # (segment index, word index)
    names: set[str]
    whole_segments: set[int] = field(default_factory=set)  # corrected turns that answer a personal-data question
    language: str | None = None  # whose words found them: text redacted later uses the same

    def audio_spans(self, pad_s: float = AUDIO_PAD_S) -> list[tuple[float, float]]:
        """Merged (start, end) seconds to replace with a tone."""
        ranges = sorted((max(0.0, s.start_s - pad_s), s.end_s + pad_s) for s in self.spans)
        merged: list[tuple[float, float]] = []
        for start, end in ranges:
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], end))
            else:
                merged.append((start, end))
        return merged

    def spans_between(self, start_s: float, end_s: float) -> list[PersonalDataSpan]:
        return [s for s in self.spans if s.end_s > start_s and s.start_s < end_s]


def redact_tokens(tokens: Sequence[str], findings: Iterable[Finding]) -> list[str]:
    """Tokens with each finding replaced by one `[redacted]`, keeping the finding's closing punctuation."""
    out = list(tokens)
    for f in sorted(findings, key=lambda f: f.first, reverse=True):
        tail = tokens[f.last].rstrip()
        punct = tail[len(tail.rstrip(",.?!;:")) :]
        out[f.first : f.last + 1] = [REDACTED + punct]
    return out


def redact_text(text: str, known_names: Iterable[str] = (), language: str | None = None) -> str:
    with using(language):
        return _redact_text(text, known_names)


def _redact_text(text: str, known_names: Iterable[str]) -> str:
    tokens = text.split()
    names = set(known_names)
    names |= names_in(tokens, find_personal_data(tokens))
    return " ".join(redact_tokens(tokens, find_personal_data(tokens, names)))


def hidden_runs(hidden: Sequence[bool]) -> list[Finding]:
    """Each run of consecutive hidden words as one finding, so it reads as a single `[redacted]`."""
    runs: list[Finding] = []
    for i, hide in enumerate(hidden):
        if not hide:
            continue
        if runs and runs[-1].last == i - 1:
            runs[-1] = Finding("hidden", runs[-1].first, i)
        else:
            runs.append(Finding("hidden", i, i))
    return runs


def redacted_segment_text(si: int, seg: Segment, findings: CallFindings) -> str:
    """A turn's text as it may be shown with personal data hidden."""
    if si in findings.whole_segments:
        return REDACTED
    if seg.original_text is not None or not seg.words:
        return redact_text(seg.text.strip(), findings.names, findings.language)
    tokens = [w.word.strip() for w in seg.words]
    return " ".join(redact_tokens(tokens, hidden_runs([(si, wi) in findings.words for wi in range(len(tokens))])))


def _timed_words(segments: Sequence[Segment]) -> dict[str, list[TimedWord]]:
    by_speaker: dict[str, list[TimedWord]] = {}
    for si, seg in enumerate(segments):
        for wi, w in enumerate(seg.words):
            by_speaker.setdefault(seg.speaker, []).append(TimedWord((si, wi), seg.speaker, w.start, w.end, w.word))
    for words in by_speaker.values():
        words.sort(key=lambda w: w.start)
    return by_speaker


def _streams(by_speaker: dict[str, list[TimedWord]]) -> list[list[TimedWord]]:
    """Each speaker's words in time order, cut where they paused long enough to start a new thought or
    where someone else spoke in between (a card number and the expiry asked for after it are two things)."""
    streams: list[list[TimedWord]] = []
    for speaker, words in by_speaker.items():
        others = sorted(w.start for s, ws in by_speaker.items() if s != speaker for w in ws)
        current: list[TimedWord] = []
        for w in words:
            if current and (
                w.start - current[-1].end > STREAM_GAP_S
                or bisect_left(others, w.start) > bisect_right(others, current[-1].end)
            ):
                streams.append(current)
                current = []
            current.append(w)
        if current:
            streams.append(current)
    return streams


def _span(kind: str, words: Sequence[TimedWord], why: str) -> PersonalDataSpan:
    text = " ".join(w.token.strip() for w in words)
    return PersonalDataSpan(kind, round(words[0].start, 3), round(words[-1].end, 3), words[0].speaker, text, why)


def find_in_call(segments: Sequence[Segment], language: str | None = None) -> CallFindings:
    """Personal data in a word-timed transcript, by the rules of the call's language (privacy/lexicon.py;
    None is English). Names found anywhere are hidden everywhere in the call."""
    with using(language):
        found = _find_in_call(segments)
    found.language = language
    return found


def _find_in_call(segments: Sequence[Segment]) -> CallFindings:
    by_speaker = _timed_words(segments)
    streams = _streams(by_speaker)
    tokens_of = [[w.token for w in stream] for stream in streams]
    names: set[str] = set()
    for tokens in tokens_of:
        names |= names_in(tokens, find_personal_data(tokens))
    for seg in segments:  # corrected text may name someone the engine misheard
        if seg.original_text is not None:
            tokens = seg.text.split()
            names |= names_in(tokens, find_personal_data(tokens))

    replies = answers(by_speaker)
    spans: list[PersonalDataSpan] = []
    hidden: set[tuple[int, int]] = set()
    answered: dict[str, list[tuple[float, float]]] = {}
    for reply in replies:
        text = " ".join(w.token.strip() for w in reply.words) or "(nothing transcribed)"
        spans.append(
            PersonalDataSpan(reply.kind, round(reply.start, 3), round(reply.end, 3), reply.speaker, text, reply.why)
        )
        hidden.update(w.ref for w in reply.words)
        if reply.words:
            answered.setdefault(reply.speaker, []).append((reply.words[0].start, reply.words[-1].end))
    for stream, tokens in zip(streams, tokens_of, strict=True):
        for f in find_personal_data(tokens, names):
            chosen = stream[f.first : f.last + 1]
            hidden.update(w.ref for w in chosen)
            inside = any(a <= chosen[0].start and chosen[-1].end <= b for a, b in answered.get(chosen[0].speaker, []))
            if not inside:  # an answer already lists it, with the question as its reason
                spans.append(_span(f.kind, chosen, f.why))
    whole = {
        si
        for si, seg in enumerate(segments)
        if seg.original_text is not None
        and any(a < seg.end and seg.start < b for a, b in answered.get(seg.speaker, []))
    }
    spans.sort(key=lambda s: (s.start_s, s.end_s))
    return CallFindings(spans, hidden, names, whole)
