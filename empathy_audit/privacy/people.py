"""Names and street addresses in words, as Whisper writes them: after "my name is" and its kin, before
"speaking", after "I live at", and a house number followed by a street word."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from empathy_audit.privacy.finding import Finding
from empathy_audit.privacy.spoken import ends_phrase, norm

NAME_TRIGGERS = [
    ("my", "name", "is"), ("my", "name's"), ("name", "is"), ("surname", "is"), ("names", "is"), ("name's",),
    ("it's", "under"), ("under", "the", "name", "of"), ("under", "the", "name"), ("in", "the", "name", "of"),
    ("this", "is"), ("mr",), ("mrs",), ("ms",), ("miss",), ("mister",), ("dr",), ("called",), ("spelled",),
    ("spelt",),
]  # fmt: skip
# After these, up to MAX_NAME_WORDS words are a name whatever their case ("my name is never a client"
# is how one engine wrote "my name is Deborah Klein"); only these words end the name early.
STRONG_TRIGGERS = {
    ("my", "name", "is"),
    ("my", "name's"),
    ("name", "is"),
    ("surname", "is"),
    ("names", "is"),
    ("name's",),
    ("it's", "under"),
    ("under", "the", "name", "of"),
    ("in", "the", "name", "of"),
}
NAME_ENDS = {
    "and",
    "i",
    "i'm",
    "im",
    "from",
    "calling",
    "here",
    "with",
    "about",
    "but",
    "because",
    "so",
    "please",
    "thanks",
    "thank",
    "yes",
    "no",
    "it's",
    "is",
    "i've",
    "i'll",
    "my",
}
# Triggers that name someone only when a capitalised word follows ("I called three times", "this is wrong").
NEEDS_CAPITAL = {("this", "is"), ("called",), ("mr",), ("mrs",), ("ms",), ("miss",), ("mister",), ("dr",)}
ADDRESS_TRIGGERS = [
    ("i", "live", "at"), ("i", "live", "in"), ("address", "is"), ("postcode", "is"), ("post", "code", "is"),
    ("zip", "code", "is"), ("zip", "is"), ("live", "on"), ("first", "line", "is"), ("eircode", "is"),
]  # fmt: skip
STREET_WORDS = {
    "road", "rd", "street", "st", "avenue", "ave", "lane", "ln", "close", "drive", "dr", "way", "crescent", "court",
    "place", "gardens", "terrace", "grove", "hill", "park", "square", "boulevard", "blvd", "row", "mews", "walk",
}  # fmt: skip
NOT_NAMES = {
    "a", "an", "the", "and", "i", "i'm", "im", "from", "calling", "here", "with", "about", "not", "just", "so",
    "yes", "no", "um", "uh", "well", "actually", "it", "is", "that", "this", "my", "your", "you", "sorry",
    "thank", "thanks", "please", "ok", "okay", "right", "on", "in", "at", "for", "to", "of", "but", "because",
    "what", "how", "why", "when", "where", "who", "we", "they", "he", "she", "there", "really", "very", "going",
    "be", "been", "being", "was", "were", "are", "am", "can", "could", "will", "would", "all", "good", "great",
    "i've", "i'll", "i'd", "you've", "you're", "we've", "we're", "they're", "there's", "it'll",
}  # fmt: skip
SMALL_WORDS = {"a", "i", "o", "is", "in", "on", "at", "to", "of", "it", "me", "my", "we", "us", "an", "or", "so", "no"}
MAX_NAME_WORDS = 3
MAX_ADDRESS_WORDS = 8


def _matches(words: Sequence[str], at: int, phrase: tuple[str, ...]) -> bool:
    return tuple(words[at : at + len(phrase)]) == phrase


def _capitalised(token: str) -> bool:
    return token.strip().lstrip("\"'")[:1].isupper()


def _name_word(tokens: Sequence[str], words: Sequence[str], j: int, first: int) -> bool:
    return (
        words[j] not in NOT_NAMES
        and words[j].replace("-", "").replace("'", "").isalpha()
        and (j == first or _capitalised(tokens[j]))  # a surname is capitalised too
    )


def names(tokens: Sequence[str], words: Sequence[str]) -> list[Finding]:
    found: list[Finding] = []
    for i in range(len(words)):
        for phrase in NAME_TRIGGERS:
            if not _matches(words, i, phrase):
                continue
            first = i + len(phrase)
            if phrase in NEEDS_CAPITAL and not (first < len(tokens) and _capitalised(tokens[first])):
                break
            last = first - 1
            strong = phrase in STRONG_TRIGGERS
            for j in range(first, min(len(tokens), first + MAX_NAME_WORDS)):
                if strong and (words[j] in NAME_ENDS or not words[j].replace("-", "").replace("'", "").isalpha()):
                    break
                if not strong and not _name_word(tokens, words, j, first):
                    break
                last = j
                if ends_phrase(tokens[j]):
                    break
            if last >= first:
                found.append(Finding("name", first, last, f"a name after “{' '.join(phrase)}”"))
            break
        # "Maria Lopez speaking": the name comes before the trigger.
        if words[i] == "speaking" and i >= 1:
            first = i
            while first - 1 >= 0 and i - first < MAX_NAME_WORDS and _capitalised(tokens[first - 1]):
                if words[first - 1] in NOT_NAMES or not words[first - 1].isalpha():
                    break
                first -= 1
            if first < i:
                found.append(Finding("name", first, i - 1, "a name before “speaking”"))
    return found


def addresses(tokens: Sequence[str], words: Sequence[str]) -> list[Finding]:
    found: list[Finding] = []
    for i in range(len(words)):
        for phrase in ADDRESS_TRIGGERS:
            if _matches(words, i, phrase):
                first = i + len(phrase)
                last = first - 1
                for j in range(first, min(len(tokens), first + MAX_ADDRESS_WORDS)):
                    last = j
                    if tokens[j].rstrip().endswith((".", "?", "!")):
                        break
                if last >= first:
                    found.append(Finding("address", first, last, f"an address after “{' '.join(phrase)}”"))
                break
        # "22 Acacia Avenue": a house number, then a street word within a few words.
        if re.match(r"^\d{1,4}[a-z]?$", words[i]):
            for j in range(i + 1, min(len(words), i + 5)):
                if words[j] in STREET_WORDS:
                    found.append(Finding("address", i, j, "a house number and street"))
                    break
                if ends_phrase(tokens[j]):
                    break
    return found


def names_in(tokens: Sequence[str], findings: Iterable[Finding]) -> set[str]:
    """The words of found names, so the same name said elsewhere in the call is hidden too."""
    out: set[str] = set()
    for f in findings:
        if f.kind == "name":
            out.update(w for t in tokens[f.first : f.last + 1] if len(w := norm(t)) > 1 and w not in NOT_NAMES)
    return out
