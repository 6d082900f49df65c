"""Reading numbers the way Whisper writes spoken ones: digits with stray punctuation ("4 .4 .1"),
digit words, homophones beside digits ("too", "for", "ate"), "double four", and number words with
tens and hundreds ("four hundred and twelve", via text2num).

Everything here works on single tokens or short token runs and knows nothing of time or speakers.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from text_to_num import text2num

from empathy_audit.privacy.lexicon import current

DIGIT_WORDS = {
    "zero": "0", "oh": "0", "o": "0", "nought": "0", "nil": "0", "one": "1", "two": "2", "three": "3",
    "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9",
}  # fmt: skip
# Words Whisper writes for a spoken digit; they count only beside a real digit ("4 .4 .1 too").
HOMOPHONES = {"to": "2", "too": "2", "for": "4", "fore": "4", "ate": "8", "won": "1", "free": "3", "tree": "3"}
REPEATERS = {"double": 2, "triple": 3, "treble": 3}
# Words that may sit between the groups of one spoken number ("four four, dash, one two").
JOINERS = {"-", "dash", "hyphen", "and", "space", "slash", "point"}
# Number words that are not digits: text2num reads runs of these ("four hundred and twelve").
NUMBER_WORDS = {
    "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
    "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety", "hundred", "thousand",
}  # fmt: skip
MONTHS = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
    "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
}  # fmt: skip
# A number followed by one of these is a count or an amount, not an identifier ("12,000 points").
COUNT_NOUNS = {
    "points", "point", "pounds", "pound", "quid", "pence", "p", "dollars", "dollar", "bucks", "cents", "euros", "euro",
    "percent", "per", "%", "minutes", "minute", "mins", "hours", "hour", "hrs", "seconds", "days", "day", "weeks",
    "week", "months", "month", "years", "year", "times", "calls", "people", "items", "miles", "kilometres", "km",
    "kilos", "kg", "gigabytes", "gb", "megabytes", "mb", "rewards", "credits", "texts", "messages", "emails",
}  # fmt: skip
CURRENCY = re.compile(r"^[$£€¥]")
# One token of digits with stray punctuation around or inside it: "4", ".4", "4-4", "0770/0900", "+44".
DIGIT_TOKEN = re.compile(r"^[+(#]?[\d.,\-/()]*\d[\d.,\-/()]*$")
THOUSANDS = re.compile(r"^\d{1,3}(,\d{3})+$")  # "12,000": a count
DECIMAL_AMOUNT = re.compile(r"^\d+\.\d{2}$")  # "45.99": money
ORDINAL = re.compile(r"^\d{1,2}(st|nd|rd|th)$")
TRAILING = ",.?!;:\"')…"


def norm(token: str) -> str:
    """A token lower-cased, with surrounding punctuation and quotes removed."""
    return token.strip().lower().strip(",.?!;:\"'()…¿¡")


def ends_phrase(token: str) -> bool:
    return token.rstrip().rstrip("\"')").endswith((",", ".", "?", "!", ";", ":", "…"))


def digits_of(token: str) -> str | None:
    """The digits a token certainly stands for: written digits or a digit word; None otherwise.

    Amounts ("$45.99", "12,000") and ordinals ("4th") are not digits of an identifier.
    """
    raw = token.strip().rstrip(TRAILING).lstrip("\"'¿¡")
    word = norm(token)
    digit_words = current().digit_words
    if word in digit_words:
        return digit_words[word]
    pieces = word.split("-")
    if len(pieces) > 1 and all(p.isdigit() or p in digit_words or p in HOMOPHONES for p in pieces):
        return "".join(p if p.isdigit() else digit_words.get(p) or HOMOPHONES[p] for p in pieces)  # "838-free"
    if not raw or CURRENCY.match(raw) or ORDINAL.match(word):
        return None
    core = raw.lstrip(".,")  # ".4" is a stray full stop before a digit
    if not DIGIT_TOKEN.match(core) or THOUSANDS.match(core) or DECIMAL_AMOUNT.match(core):
        return None
    return re.sub(r"\D", "", core)


def homophone_digit(token: str) -> str | None:
    return HOMOPHONES.get(norm(token))


@lru_cache(maxsize=4096)
def _cardinal(text: str, lang: str) -> int | None:
    try:
        return int(text2num(text, lang))
    except (ValueError, TypeError):
        return None


def number_words_at(words: Sequence[str], i: int) -> tuple[str, int] | None:
    """A run of number words starting at `i` ("four hundred and twelve", "nineteen eighty two").

    Returns the digits it says and the index of its last word, reading groups greedily with text2num
    so that "nineteen eighty two" is "1982" and "nine hundred" is "900".
    """
    lex = current()
    number_words, digit_words, joiner = lex.number_words, lex.digit_words, lex.number_and
    if words[i] not in number_words and words[i] not in digit_words:
        return None
    j = i
    while j + 1 < len(words) and (
        words[j + 1] in number_words
        or words[j + 1] in digit_words
        or (
            words[j + 1] == joiner
            and j + 2 < len(words)
            and (words[j + 2] in number_words or words[j + 2] in digit_words)
        )
    ):
        j += 1
    if not any(w in number_words for w in words[i : j + 1]):
        return None  # plain digit words are read one by one elsewhere
    digits, k = "", i
    while k <= j:
        best = None
        for end in range(j, k - 1, -1):
            chunk = words[k : end + 1]
            if chunk[-1] == joiner:
                continue
            value = _cardinal(" ".join(chunk), lex.text2num)
            if value is not None:
                best = (value, end)
                break
        if best is None:
            k += 1
            continue
        digits += str(best[0])
        k = best[1] + 1
    return (digits, j) if digits else None


ORDINAL_WORDS = {
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh",
    "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth",
    "twentieth", "thirtieth",
}  # fmt: skip


def day_at(words: Sequence[str], i: int) -> int | None:
    """The index of the last word of a day of the month at `i` ("4th", "fourth", "twenty fourth", "4"), or None."""
    word = words[i]
    if ORDINAL.match(word) or (word.isdigit() and 1 <= int(word) <= 31):
        return i
    if word in ORDINAL_WORDS:
        return i
    if word in {"twenty", "thirty"} and i + 1 < len(words):
        nxt = words[i + 1].replace("-", "")
        if nxt in ORDINAL_WORDS or nxt in DIGIT_WORDS:
            return i + 1
    if "-" in word and all(part in ORDINAL_WORDS | NUMBER_WORDS for part in word.split("-")):
        return i  # "twenty-fourth"
    return None


def year_at(words: Sequence[str], i: int) -> int | None:
    """The index of the last word of a year at `i` ("1982", "'82", "nineteen eighty two"), or None."""
    word = words[i].lstrip("'")
    if word.isdigit() and (len(word) == 2 or (len(word) == 4 and 1900 <= int(word) <= 2099)):
        return i
    spoken = number_words_at(words, i)
    if spoken is not None:
        digits, last = spoken
        if len(digits) == 4 and 1900 <= int(digits) <= 2099:
            return last
    return None
