"""Finding personal data in what was said: spoken or written digit runs (cards, phones, account
numbers), e-mail addresses, names after "my name is", and addresses after "I live at".

The finder works on a list of word tokens, so the same rules serve word-timed transcripts (for
bleeping audio) and plain corrected text (for `[redacted]` in excerpts). It errs on the side of
redacting: a trainer can always export without redaction after confirming.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from empathy_audit.domain import Segment

REDACTED = "[redacted]"

DIGIT_WORDS = {
    "zero": "0", "oh": "0", "o": "0", "nought": "0", "one": "1", "two": "2", "three": "3", "four": "4",
    "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9",
}  # fmt: skip
REPEATERS = {"double": 2, "triple": 3}
# Words that may sit between the groups of one spoken number ("four four, dash, one two").
NUMBER_JOINERS = {"-", "dash", "hyphen", "and", "space"}
MIN_DIGITS = 4
MONEY = re.compile(r"^[$£€]|[.,]\d\d$|^\d+(st|nd|rd|th)$")
DIGITS = re.compile(r"^\+?[\d\-/]*\d[\d\-/]*$")
DOMAIN = re.compile(r"^[\w.+-]+\.(com|net|org|io|co|uk|edu|gov|info|biz|me|de|fr|es|ie|nl|ca|au)$")
TLD_WORDS = {"com", "net", "org", "io", "uk", "edu", "gov", "info", "biz", "me", "de", "fr", "es", "ie", "ca"}
EMAIL_LEADS = {"is", "email", "e-mail", "mail", "address", "me", "to", "it's", "its"}
NAME_TRIGGERS = [
    ("my", "name", "is"), ("my", "name's"), ("name", "is"), ("surname", "is"), ("names", "is"),
    ("mr",), ("mrs",), ("ms",), ("miss",), ("mister",), ("called",), ("spelled",), ("spelt",),
]  # fmt: skip
ADDRESS_TRIGGERS = [
    ("i", "live", "at"), ("address", "is"), ("postcode", "is"), ("post", "code", "is"), ("zip", "code", "is"),
    ("zip", "is"), ("live", "on"),
]  # fmt: skip
NOT_NAMES = {
    "a", "an", "the", "and", "i", "i'm", "im", "from", "calling", "here", "with", "about", "not", "just", "so",
    "yes", "no", "um", "uh", "well", "actually", "it", "is", "that", "this", "my", "your", "you", "sorry",
    "thank", "thanks", "please", "ok", "okay", "right", "on", "in", "at", "for", "to", "of", "but", "because",
}  # fmt: skip
MAX_NAME_WORDS = 3
MAX_ADDRESS_WORDS = 8
STREAM_GAP_S = 3.0  # digits said more than this far apart are not one number
AUDIO_PAD_S = 0.12  # word timestamps are approximate; bleep a little either side


@dataclass(frozen=True)
class Finding:
    kind: str  # card | phone | number | email | name | address
    first: int  # token indexes, inclusive
    last: int


@dataclass(frozen=True)
class PersonalDataSpan:
    """One finding in a call, with its time on the recording."""

    kind: str
    start_s: float
    end_s: float
    speaker: str
    text: str


def norm(token: str) -> str:
    return token.strip().lower().strip(",.?!;:\"'()")


def _ends_phrase(token: str) -> bool:
    return token.rstrip().endswith((",", ".", "?", "!", ";", ":"))


def _digits_in(token: str) -> str | None:
    """The digits a token stands for, or None when it is not part of a spoken number."""
    word = norm(token)
    if word in DIGIT_WORDS:
        return DIGIT_WORDS[word]
    if DIGITS.match(word) and not MONEY.search(word):
        return re.sub(r"\D", "", word)
    return None


def luhn_ok(number: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _number_runs(tokens: Sequence[str]) -> list[Finding]:
    found: list[Finding] = []
    i = 0
    while i < len(tokens):
        if _digits_in(tokens[i]) is None and not (
            norm(tokens[i]) in REPEATERS and i + 1 < len(tokens) and _digits_in(tokens[i + 1])
        ):
            i += 1
            continue
        start, digits, j, last = i, "", i, i
        while j < len(tokens):
            word = norm(tokens[j])
            value = _digits_in(tokens[j])
            if value is not None:
                digits += value
                last = j
            elif word in REPEATERS and j + 1 < len(tokens) and (nxt := _digits_in(tokens[j + 1])):
                digits += nxt * (REPEATERS[word] - 1)
            elif word in NUMBER_JOINERS and j + 1 < len(tokens) and _digits_in(tokens[j + 1]) is not None:
                pass
            else:
                break
            j += 1
        plus = tokens[start].strip().startswith("+")
        year = last == start and len(digits) == 4 and 1900 <= int(digits) <= 2099
        if len(digits) >= MIN_DIGITS and not year:
            if 13 <= len(digits) <= 19 and luhn_ok(digits):
                kind = "card"
            elif plus or 10 <= len(digits) <= 12:
                kind = "phone"
            else:
                kind = "number"
            found.append(Finding(kind, start, last))
        i = max(j, i + 1)
    return found


def _emails(tokens: Sequence[str]) -> list[Finding]:
    found: list[Finding] = []
    words = [norm(t) for t in tokens]
    for i, word in enumerate(words):
        if "@" in word and len(word) > 2:
            found.append(Finding("email", i, i))
            continue
        if not (DOMAIN.match(word) or (word in TLD_WORDS and i >= 1 and words[i - 1] == "dot")):
            continue
        end = i
        start = max(0, end - 4)
        for back in range(end - 1, max(-1, end - 9), -1):
            if words[back] in EMAIL_LEADS:
                start = back + 1
                break
        found.append(Finding("email", min(start, end), end))
    return found


def _matches(words: Sequence[str], at: int, phrase: tuple[str, ...]) -> bool:
    return tuple(words[at : at + len(phrase)]) == phrase


def _after_triggers(
    tokens: Sequence[str], triggers: list[tuple[str, ...]], kind: str, limit: int, name_like: bool
) -> list[Finding]:
    found: list[Finding] = []
    words = [norm(t) for t in tokens]
    for i in range(len(words)):
        for phrase in triggers:
            if not _matches(words, i, phrase):
                continue
            first = i + len(phrase)
            last = first - 1
            # "called" or "Mr" alone name someone only when a capitalised word follows ("I called three times").
            if name_like and len(phrase) == 1 and not (first < len(tokens) and tokens[first].strip()[:1].isupper()):
                break
            for j in range(first, min(len(tokens), first + limit)):
                if name_like and (
                    words[j] in NOT_NAMES
                    or not words[j].replace("-", "").isalpha()
                    or (j > first and not tokens[j].strip()[:1].isupper())  # a surname is capitalised too
                ):
                    break
                last = j
                if _ends_phrase(tokens[j]):
                    break
            if last >= first:
                found.append(Finding(kind, first, last))
            break
    return found


def find_personal_data(tokens: Sequence[str], known_names: Iterable[str] = ()) -> list[Finding]:
    """Findings in a token list, sorted and not overlapping (overlaps merge into the earlier kind)."""
    names = {n for n in known_names if n}
    findings = (
        _number_runs(tokens)
        + _emails(tokens)
        + _after_triggers(tokens, NAME_TRIGGERS, "name", MAX_NAME_WORDS, name_like=True)
        + _after_triggers(tokens, ADDRESS_TRIGGERS, "address", MAX_ADDRESS_WORDS, name_like=False)
        + [Finding("name", i, i) for i, t in enumerate(tokens) if norm(t) in names]
    )
    findings.sort(key=lambda f: (f.first, -f.last))
    merged: list[Finding] = []
    for f in findings:
        if merged and f.first <= merged[-1].last + 1 and (f.first <= merged[-1].last or f.kind == merged[-1].kind):
            prev = merged[-1]
            merged[-1] = Finding(prev.kind, prev.first, max(prev.last, f.last))
        else:
            merged.append(f)
    return merged


def names_in(tokens: Sequence[str], findings: Iterable[Finding]) -> set[str]:
    """The words of found names, so the same name said elsewhere in the call is redacted too."""
    out: set[str] = set()
    for f in findings:
        if f.kind == "name":
            out.update(w for t in tokens[f.first : f.last + 1] if len(w := norm(t)) > 1 and w not in NOT_NAMES)
    return out


def redact_tokens(tokens: Sequence[str], findings: Iterable[Finding]) -> list[str]:
    """Tokens with each finding replaced by one `[redacted]`, keeping the finding's closing punctuation."""
    out = list(tokens)
    for f in sorted(findings, key=lambda f: f.first, reverse=True):
        tail = tokens[f.last].rstrip()
        punct = tail[len(tail.rstrip(",.?!;:")) :]
        out[f.first : f.last + 1] = [REDACTED + punct]
    return out


def redact_text(text: str, known_names: Iterable[str] = ()) -> str:
    tokens = text.split()
    names = set(known_names)
    names |= names_in(tokens, find_personal_data(tokens))
    return " ".join(redact_tokens(tokens, find_personal_data(tokens, names)))


@dataclass
class CallFindings:
    """Personal data found across one call: word positions to hide in text, and spans to bleep in audio."""

    spans: list[PersonalDataSpan]
    words: set[tuple[int, int]]  # (segment index, word index)
    names: set[str]

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


def _streams(segments: Sequence[Segment]) -> list[list[tuple[int, int]]]:
    """Each speaker's words in time order, cut where they paused long enough to start a new thought."""
    by_speaker: dict[str, list[tuple[int, int]]] = {}
    for si, seg in enumerate(segments):
        by_speaker.setdefault(seg.speaker, []).extend((si, wi) for wi in range(len(seg.words)))
    streams: list[list[tuple[int, int]]] = []
    for refs in by_speaker.values():
        refs.sort(key=lambda r: segments[r[0]].words[r[1]].start)
        current: list[tuple[int, int]] = []
        for ref in refs:
            word = segments[ref[0]].words[ref[1]]
            if current and word.start - segments[current[-1][0]].words[current[-1][1]].end > STREAM_GAP_S:
                streams.append(current)
                current = []
            current.append(ref)
        if current:
            streams.append(current)
    return streams


def find_in_call(segments: Sequence[Segment]) -> CallFindings:
    """Personal data in a word-timed transcript. Names found anywhere are hidden everywhere in the call."""
    streams = _streams(segments)
    tokens_of = [[segments[si].words[wi].word for si, wi in refs] for refs in streams]
    names: set[str] = set()
    for tokens in tokens_of:
        names |= names_in(tokens, find_personal_data(tokens))
    for seg in segments:  # corrected text may name someone the engine misheard
        if seg.original_text is not None:
            tokens = seg.text.split()
            names |= names_in(tokens, find_personal_data(tokens))
    spans: list[PersonalDataSpan] = []
    hidden: set[tuple[int, int]] = set()
    for refs, tokens in zip(streams, tokens_of, strict=True):
        for f in find_personal_data(tokens, names):
            chosen = refs[f.first : f.last + 1]
            hidden.update(chosen)
            first, last = segments[chosen[0][0]].words[chosen[0][1]], segments[chosen[-1][0]].words[chosen[-1][1]]
            spans.append(
                PersonalDataSpan(
                    f.kind,
                    round(first.start, 3),
                    round(last.end, 3),
                    segments[chosen[0][0]].speaker,
                    " ".join(t.strip() for t in tokens[f.first : f.last + 1]),
                )
            )
    spans.sort(key=lambda s: s.start_s)
    return CallFindings(spans, hidden, names)
