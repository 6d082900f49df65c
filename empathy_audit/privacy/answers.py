"""The question rule: when the agent asks for personal data, the customer's answer is hidden whole.

Whisper's text of a card number, an e-mail or a name said down a phone line is rarely clean ("It's in
4 .4 .1 too", "Yes, it is. And Kalki"), but the agent's question before it usually survives well
enough to recognise, even misheard. So the answer that follows such a question is hidden from its
first word to its end (the agent's next real turn, a long pause, or MAX_ANSWER_S), whatever it came
out as. Questions are matched loosely: a keyword (or a near miss of one) plus a sign of asking.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from empathy_audit.privacy.lexicon import current
from empathy_audit.privacy.spoken import norm

MAX_ANSWER_S = 20.0  # an answer is hidden for at most this long after its first word
ANSWER_WAIT_S = 10.0  # the answer must start within this long after the question ends
ANSWER_PAUSE_S = 5.0  # the customer's silence this long ends the answer
SENTENCE_GAP_S = 1.2  # a pause this long inside one speaker's words ends a sentence
TURN_WORDS = 3  # the agent taking the floor with this many words ends the answer ("mm-hmm" does not)
EARLY_S = 1.0  # customers start answering before the question is quite finished
LEAD_S, TAIL_S = 0.4, 0.3  # one channel: word times are coarse, so an answer's bleep is this much wider
# Two channels: the engine often drops words of a garbled answer, so its bleep runs from the question's
# end to the agent's next words (at most this far beyond the words heard). Only silence is added.
GAP_FILL_S = 3.0
AGENT_MARGIN_S = 0.5  # ...but not this close to the agent's words, whose engine times run early or late
MIN_UNHEARD_S = 0.4  # a pause this long after a question, with no words transcribed, may hide an answer
FOLLOW_UP_S = 10.0  # a short question this soon after a personal-data answer continues the same checks
FOLLOW_UP_WORDS = 10

# What the agent may ask for: kind -> phrases (one or more words). Single words of 5+ letters also
# match near misses ("adress", "birht"), because the question itself is often misheard.
ASKED_FOR: dict[str, tuple[str, ...]] = {
    "name": ("name", "surname", "names", "spell", "spelling", "who am i speaking", "who i'm speaking", "speaking with"),
    "address": ("address", "live", "street", "first line", "house number", "flat number"),
    "postcode": ("postcode", "post code", "postal code", "zip", "zip code", "eircode", "postcard"),
    "date of birth": ("date of birth", "birth", "born", "birthday", "dob", "d o b", "date a birth", "birthdate"),
    "card": ("card", "long number", "expiry", "expiration", "cvv", "cvc", "security code", "digits on the back"),
    "account": (
        "account", "sort code", "iban", "routing", "membership", "customer number", "reference", "policy number",
        "member number", "booking number", "order number",
    ),
    "pin": ("pin", "passcode", "pass code", "pin number"),
    "phone": (
        "phone", "mobile", "telephone", "contact number", "landline", "cell", "best number", "number to call",
        "reach you", "get hold of you",
    ),
    "email": ("email", "e-mail", "emails", "a mail", "e mail", "mail address"),
    "password": (
        "password", "memorable", "security question", "security answer", "maiden name", "first pet", "secret",
        "passphrase", "security word",
    ),
    "national ID": (
        "social security", "ssn", "national insurance", "insurance number", "passport", "driving licence",
        "driver's license", "drivers license", "licence number", "license number", "id number", "tax id",
    ),
    "number": ("number", "digits", "code", "codes"),
}  # fmt: skip
# How a short follow-up question opens ("And the postcode?", "What's the expiry?"), after fillers.
FILLERS = {"and", "so", "also", "okay", "ok", "right", "thanks", "great", "lovely", "perfect", "then", "now"}
OPENERS = {"and", "what", "what's", "whats", "which", "also", "plus", "may", "could", "can"}
# The open questions of a call ("How can I help?") are never a personal-data check.
OPEN_QUESTIONS = ("help", "do for you", "anything else", "today")
REQUESTS = {"please", "confirm", "verify", "spell", "tell", "give", "read", "need"}
# Courtesies that carry no question ("Please, thank you.", "And you...").
EMPTY = FILLERS | {"please", "thank", "you", "cheers", "sure", "yes", "yeah", "no", "oh", "ah", "um", "uh", "mm", "hmm"}
# Signs that a sentence asks for something, besides a question mark.
ASKING = {
    "can", "could", "may", "would", "what", "what's", "whats", "which", "confirm", "verify", "spell", "read",
    "provide", "need", "tell", "give", "please", "whose", "who",
}  # fmt: skip
FUZZY_MIN_LEN = 5
FUZZY_RATIO = 0.8
# Real words that are near misses of a keyword but ask for nothing ("Have you phoned before?").
NOT_KEYWORDS = {
    "phoned", "phoning", "named", "addressed", "addresses", "amount", "female", "carded", "nearly", "mail", "mails",
}  # fmt: skip


@dataclass(frozen=True)
class TimedWord:
    ref: tuple[int, int]  # (segment index, word index)
    speaker: str
    start: float
    end: float
    token: str


@dataclass(frozen=True)
class Question:
    kinds: tuple[str, ...]
    text: str
    start: float
    end: float
    speaker: str


@dataclass(frozen=True)
class Answer:
    question: Question
    speaker: str
    words: tuple[TimedWord, ...]
    start: float  # what to bleep: the words, widened a little (word times are coarse)
    end: float

    @property
    def kind(self) -> str:
        return self.question.kinds[0]

    @property
    def why(self) -> str:
        if not self.words:
            return f"no words transcribed after the question “{self.question.text}”; the pause is bleeped"
        if self.question.kinds == (FOLLOW_UP,):
            return f"answer to “{self.question.text}”, asked during personal-data questions"
        asked = " / ".join(self.question.kinds)
        return f"answer to the question “{self.question.text}” ({asked})"


FOLLOW_UP = "verification"


def _similar(word: str, keyword: str) -> bool:
    if word == keyword:
        return True
    if word in NOT_KEYWORDS or len(keyword) < FUZZY_MIN_LEN or abs(len(word) - len(keyword)) > 2:
        return False
    return SequenceMatcher(None, word, keyword).ratio() >= FUZZY_RATIO


def asked_kinds(words: Sequence[str]) -> tuple[str, ...]:
    """The kinds of personal data a sentence's words ask for, most specific first ("number" last)."""
    text = " " + " ".join(words) + " "
    kinds: list[str] = []
    for kind, phrases in current().asked_for.items():
        for phrase in phrases:
            if " " in phrase:
                hit = f" {phrase} " in text
            else:
                hit = any(_similar(w, phrase) and not _own(words, k) for k, w in enumerate(words))
            if hit:
                kinds.append(kind)
                break
    if len(kinds) > 1 and "number" in kinds:
        kinds.remove("number")
    return tuple(kinds)


def _own(words: Sequence[str], k: int) -> bool:
    """The agent's own name or number ("my name is Sam"), not a question about the customer's."""
    return k >= 1 and words[k - 1] in {"my", "our"} and k + 1 < len(words) and words[k + 1] in {"is", "was"}


def is_question(tokens: Sequence[str]) -> bool:
    words = [norm(t) for t in tokens]
    asking = current().asking
    return bool(tokens) and (tokens[-1].rstrip().endswith("?") or any(w in asking for w in words))


def asks(tokens: Sequence[str]) -> bool:
    """A stricter test than `is_question`, for short follow-ups without a keyword."""
    words = [norm(t) for t in tokens]
    lex = current()
    if len([w for w in words if w and w not in lex.empty]) < 2 or any(p in " ".join(words) for p in lex.open_questions):
        return False
    if tokens[-1].rstrip().endswith("?") or any(w in lex.requests for w in words):
        return True
    if words[:2] == ["thank", "you"]:
        words = words[2:] or [""]
    k = 0
    while k < len(words) - 1 and words[k] in lex.fillers:
        k += 1
    return words[k] in lex.openers or words[0] in {"and", "also", "plus"}


def sentences(words: Sequence[TimedWord]) -> list[list[TimedWord]]:
    """One speaker's words cut into sentences at end punctuation and at pauses."""
    out: list[list[TimedWord]] = []
    current: list[TimedWord] = []
    for w in words:
        if current and w.start - current[-1].end > SENTENCE_GAP_S:
            out.append(current)
            current = []
        current.append(w)
        if re.search(r"[.?!]$", w.token.strip().rstrip("\"')")):
            out.append(current)
            current = []
    if current:
        out.append(current)
    return out


def _turn_starts(words: Sequence[TimedWord]) -> list[float]:
    """When the asker takes the floor again: the start of each run of TURN_WORDS words or a question."""
    starts: list[float] = []
    for sentence in sentences(words):
        if len(sentence) >= TURN_WORDS or sentence[-1].token.rstrip().endswith("?"):
            starts.append(sentence[0].start)
    return starts


def answers(by_speaker: dict[str, list[TimedWord]]) -> list[Answer]:
    """Answers to personal-data questions: the agent asks, the customer answers.

    A short question soon after such an answer is taken as the next check of the same run ("And the
    postcode?"), keyword or not, since misheard follow-ups are the norm. In a one-channel ("mixed")
    transcript nobody can say who spoke, so the words after a question are taken as its answer until
    the next question or a pause.
    """
    found: list[Answer] = []
    pairs = [("agent", "customer")] if "agent" in by_speaker else []
    pairs += [(s, s) for s in by_speaker if s not in ("agent", "customer")]
    for asker, answerer in pairs:
        replies = by_speaker.get(answerer, [])
        if replies:
            found += _answers_to(by_speaker.get(asker, []), replies, same=asker == answerer)
    return found


def _question(
    sentence: list[TimedWord], loose: bool, after_answer: float | None, last_before_reply: bool
) -> Question | None:
    """`loose`: a sentence naming a specific kind counts even with no sign of asking (a misheard question
    often loses its question mark and its "can I") when the customer speaks right after it."""
    tokens = [w.token.strip() for w in sentence]
    kinds = asked_kinds([norm(t) for t in tokens])
    text = " ".join(tokens)
    text = text if len(text) <= 120 else "…" + text[-119:]
    generic = kinds == ("number",)  # "number" or "code" alone: only in a real question ("What's the code?")
    # Loosely, the agent's last words before the customer speaks, or a sentence opening like a follow-up
    # ("And welcome to your email." for "And what's your email?"), ask even with no sign of asking.
    follows_on = norm(tokens[0]) in {"and", "also", "plus"}
    asking = asks(tokens) if generic else is_question(tokens)
    if kinds and (asking or (loose and (last_before_reply or follows_on) and not generic)):
        return Question(kinds, text, sentence[0].start, sentence[-1].end, sentence[0].speaker)
    follow_up = after_answer is not None and sentence[0].start - after_answer <= FOLLOW_UP_S
    if follow_up and len(tokens) <= FOLLOW_UP_WORDS and asks(tokens):
        return Question((FOLLOW_UP,), text, sentence[0].start, sentence[-1].end, sentence[0].speaker)
    return None


def _answers_to(asked: list[TimedWord], replies: list[TimedWord], same: bool) -> list[Answer]:
    found: list[Answer] = []
    turns = [] if same else _turn_starts(asked)
    said = sentences(asked)
    last_answer: float | None = None  # end of the last answer to a question with a keyword
    for n, sentence in enumerate(said):
        end = sentence[-1].end
        first = next((w for w in replies if w.start >= end - (0.0 if same else EARLY_S)), None)
        next_said = said[n + 1][0].start if n + 1 < len(said) else float("inf")
        gap = (end + AGENT_MARGIN_S, min(next_said - AGENT_MARGIN_S, end + ANSWER_WAIT_S))
        unheard = next_said < float("inf") and (first is None or first.start > next_said)
        if not same and unheard and gap[1] - gap[0] >= MIN_UNHEARD_S:
            # The agent paused, then spoke again with no answer transcribed: the engine may have dropped it.
            q = _question(sentence, True, last_answer, last_before_reply=True)
            if q is not None:
                found.append(Answer(q, "customer", (), *gap))
            continue
        if first is None or first.start > end + ANSWER_WAIT_S:
            continue
        q = _question(sentence, not same, last_answer, last_before_reply=next_said >= first.start)
        if q is None:
            continue
        limit = first.start + MAX_ANSWER_S
        stops = [t for t in turns if t > first.start + 0.2]
        if same:  # the next question is where the answer ends
            stops += [later[0].start for later in said[n + 1 :] if is_question([w.token for w in later])]
        if stops:
            limit = min(limit, min(stops))
        chosen: list[TimedWord] = []
        for w in replies:
            if w.start < first.start or w.start >= limit:
                continue
            if chosen and w.start - chosen[-1].end > ANSWER_PAUSE_S:
                break
            chosen.append(w)
        if not chosen:
            continue
        if same:
            start, stop = max(q.end, first.start - LEAD_S), min(limit, chosen[-1].end + TAIL_S)
        else:
            agent_before = max((w.end for w in asked if w.end <= first.start), default=q.end)
            agent_after = min((w.start for w in asked if w.start >= chosen[-1].end), default=chosen[-1].end + 9)
            start = min(first.start, max(agent_before + AGENT_MARGIN_S, first.start - GAP_FILL_S))
            stop = max(chosen[-1].end, min(limit, agent_after - AGENT_MARGIN_S, chosen[-1].end + GAP_FILL_S))
        found.append(Answer(q, first.speaker, tuple(chosen), start, stop))
        if q.kinds != (FOLLOW_UP,):
            last_answer = chosen[-1].end
    return found
