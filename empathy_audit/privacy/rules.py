"""Personal data recognisable from the words alone, written the way Whisper writes speech: spoken
numbers (cards, phones, account numbers), dates with a year, postcodes and spelled-out codes,
e-mail addresses and their fragments, names after "my name is" and its kin, street addresses.

Rules run on a list of word tokens, so the same rules serve word-timed transcripts (bleeping audio)
and plain corrected text (`[redacted]` in excerpts). They err towards hiding. What the words alone
cannot show (an answer the engine garbled) is caught by the question rule in `answers.py`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from empathy_audit.privacy.finding import Finding
from empathy_audit.privacy.people import SMALL_WORDS, addresses, names
from empathy_audit.privacy.spoken import (
    COUNT_NOUNS,
    JOINERS,
    MONTHS,
    REPEATERS,
    day_at,
    digits_of,
    ends_phrase,
    homophone_digit,
    norm,
    number_words_at,
    year_at,
)

MIN_DIGITS = 4  # "three times", "the 15th" and "2019" stay; "4 4 1 2" goes
# Ordinals in a run of at least ORDINAL_RUN groups are digits the engine misheard ("4th and 1th and 1th").
ORDINAL_DIGITS = re.compile(r"^(\d{1,2})(st|nd|rd|th)$")
ORDINAL_RUN = 3
NUMERIC_DATE = re.compile(r"^\d{1,2}[/.\-]\d{1,2}[/.\-](\d{2}|\d{4})$")
TLDS = "com|net|org|io|co|uk|edu|gov|info|biz|me|de|fr|es|ie|nl|ca|au|us|eu|it|be|ch|at|pl|se|dk|no"
DOMAIN = re.compile(rf"^[\w.+-]*\.({TLDS})(\.[a-z]{{2}})?$")
TLD_WORDS = set(TLDS.split("|"))
PROVIDERS = {
    "gmail", "googlemail", "hotmail", "outlook", "yahoo", "icloud", "aol", "btinternet", "protonmail", "proton",
    "msn", "virginmedia", "sky", "comcast", "gmx", "yandex", "zoho", "live.com", "mail.com",
}  # fmt: skip
# Words after which an e-mail address starts ("my email is …", "email me at …"); "email" itself is not one,
# since the engine writes a spoken address as ordinary words ("the right email.com").
EMAIL_LEADS = {"is", "address", "it's", "its", "me", "on", "under", "was"}
EMAIL_BACK = 8  # without a lead, an address is taken to start this many words back, or at the sentence start
POSTCODE_SHAPES = [
    re.compile(r"^[a-z]{1,2}\d[a-z\d]?\d[a-z]{2}$"),  # UK, whole: LS64AB, SW1A1AA
    re.compile(r"^[a-z]\d[a-z]\d[a-z]\d$"),  # Canada: K1A0B1
    re.compile(r"^[a-z]\d{2}[a-z\d]{4}$"),  # Ireland (Eircode): D02X285
    re.compile(r"^\d{4}[a-z]{2}$"),  # Netherlands: 1012AB
]
UK_OUTWARD = re.compile(r"^[a-z]{1,2}\d[a-z\d]?$")
NOT_CODES = re.compile(r"^\d+(st|nd|rd|th|am|pm|s|g|k|x|p|kg|gb|mb|km)$")


def luhn_ok(number: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _number_at(tokens: Sequence[str], words: Sequence[str], i: int) -> tuple[str, int, int] | None:
    """A spoken or written number starting at `i`: (digits, last index, groups), or None."""

    def definite(k: int) -> str | None:
        return digits_of(tokens[k]) if k < len(tokens) else None

    first_ok = (
        definite(i) is not None
        or (ORDINAL_DIGITS.match(words[i]) is not None and _ordinal_or_digit(tokens, words, i + 2))
        or number_words_at(words, i) is not None
        or (words[i] in REPEATERS and definite(i + 1) is not None)
        or (homophone_digit(tokens[i]) is not None and definite(i + 1) is not None)
    )
    if not first_ok:
        return None
    digits, last, groups, ordinals, j = "", i, 0, 0, i
    while j < len(tokens):
        value = definite(j)
        spoken = number_words_at(words, j) if value is None else None
        if value is not None:
            digits, last, groups = digits + value, j, groups + 1
        elif spoken is not None:
            digits, last, groups, j = digits + spoken[0], spoken[1], groups + 1, spoken[1]
        elif words[j] in REPEATERS and (nxt := definite(j + 1)):
            digits += nxt * (REPEATERS[words[j]] - 1)
        elif (h := homophone_digit(tokens[j])) is not None and (digits or definite(j + 1) is not None):
            digits, last = digits + h, j
        elif (o := ORDINAL_DIGITS.match(words[j])) and (digits or _ordinal_or_digit(tokens, words, j + 1)):
            digits, last, groups, ordinals = digits + o.group(1), j, groups + 1, ordinals + 1
        elif (
            words[j] in JOINERS
            and j + 1 < len(tokens)
            and (definite(j + 1) is not None or number_words_at(words, j + 1))
        ):
            pass
        else:
            break
        j += 1
    if ordinals and groups < ORDINAL_RUN:
        return digits, i, 1  # "the 4th and 5th" is a date, not a number
    return digits, last, groups


def _ordinal_or_digit(tokens: Sequence[str], words: Sequence[str], k: int) -> bool:
    """A digit or ordinal at k, or after one joiner ("4th and 1th")."""
    for at in (k, k + 1):
        if at < len(words) and (ORDINAL_DIGITS.match(words[at]) or digits_of(tokens[at]) is not None):
            return True
        if at < len(words) and words[at] not in JOINERS:
            return False
    return False


def number_runs(tokens: Sequence[str], words: Sequence[str]) -> list[Finding]:
    found: list[Finding] = []
    i = 0
    while i < len(tokens):
        got = _number_at(tokens, words, i)
        if got is None:
            i += 1
            continue
        digits, last, groups = got
        after = words[last + 1] if last + 1 < len(words) else ""
        before = words[i - 1] if i else ""
        year = groups == 1 and len(digits) == 4 and 1900 <= int(digits) <= 2099
        if NUMERIC_DATE.match(tokens[i].strip().rstrip(",.?!;:")) and last == i:
            found.append(Finding("date", i, last, "a date with a year"))
        elif len(digits) >= MIN_DIGITS and not year and after not in COUNT_NOUNS and before not in {"$", "£", "€"}:
            if 13 <= len(digits) <= 19 and luhn_ok(digits):
                found.append(Finding("card", i, last, f"card number ({len(digits)} digits, passes the Luhn check)"))
            elif tokens[i].strip().startswith("+") or 10 <= len(digits) <= 12:
                found.append(Finding("phone", i, last, f"phone number ({len(digits)} digits)"))
            else:
                found.append(Finding("number", i, last, f"spoken number ({len(digits)} digits)"))
        i = last + 1
    return found


def dates(words: Sequence[str]) -> list[Finding]:
    """Day, month and year together ("the 4th of July 1982", "July 4th, 1982"); month and year after "born"."""
    found: list[Finding] = []
    for k, word in enumerate(words):
        if word not in MONTHS:
            continue
        first, last = k, None
        # Day before the month: "4th of July", "the fourth July", "twenty fourth of July", "12 on March".
        back = k - 1
        while back >= 0 and k - back <= 3 and words[back] in {"of", "on", "the"}:
            back -= 1
        for start in (back - 1, back):
            if start >= 0 and day_at(words, start) == back:
                first = start - 1 if start >= 1 and words[start - 1] == "the" else start
                break
        nxt = k + 1
        if first == k and nxt < len(words) and (end := day_at(words, nxt)) is not None:
            nxt = end + 1  # "July 4th 1982"
            first = k
            day_found = True
        else:
            day_found = first < k
        if nxt < len(words) and (year_end := year_at(words, nxt)) is not None:
            last = year_end
        born = any(w in {"born", "birth", "birthday"} for w in words[max(0, first - 4) : first])
        if last is not None and (day_found or born):
            found.append(Finding("date", first, last, "a date with a year"))
    return found


def emails(tokens: Sequence[str], words: Sequence[str]) -> list[Finding]:
    found: list[Finding] = []
    for i, word in enumerate(words):
        raw = tokens[i].strip().lower().rstrip(",?!;:")
        domain = DOMAIN.match(raw.rstrip(".")) is not None
        dotted = word in TLD_WORDS and i >= 1 and words[i - 1] == "dot"
        provider = word in PROVIDERS
        if "@" in word and len(word) > 2:
            found.append(Finding("email", i, _dots_after(words, i), "an e-mail address"))
            continue
        if not (domain or dotted or provider):
            continue
        end = _dots_after(words, i)
        start = max(0, i - EMAIL_BACK)
        for back in range(i - 1, max(-1, i - EMAIL_BACK - 1), -1):
            if words[back] in EMAIL_LEADS or tokens[back].rstrip().endswith((".", "?", "!")):
                start = back + 1
                break
        found.append(Finding("email", min(start, i), end, "an e-mail address or part of one"))
    return found


def _dots_after(words: Sequence[str], i: int) -> int:
    """Extend an e-mail over a trailing "dot co dot uk"."""
    end = i
    while end + 2 < len(words) + 1 and end + 2 <= len(words) - 1 and words[end + 1] == "dot":
        end += 2
    return end


def _code_part(token: str, word: str) -> str | None:
    """A token that can be part of a spelled or written code: a letter, a digit, or a short letter-digit mix.

    Two-letter words count only when written in capitals ("LS"), so "is" and "in" never start a code.
    """
    part = word.replace(".", "").replace("-", "")
    if "-" in word and all(len(piece) == 1 for piece in word.split("-")):
        return part  # "K-A-L-K-I"
    if not part.isalnum() or not part.isascii() or len(part) > 8 or NOT_CODES.match(part):
        return None
    if len(part) == 1 or any(ch.isdigit() for ch in part):
        return part
    letters = "".join(ch for ch in token if ch.isalpha())
    return part if len(part) == 2 and letters.isupper() else None


def codes(tokens: Sequence[str], words: Sequence[str]) -> list[Finding]:
    """Postcodes and spelled-out codes: "LS6 4AB", "L .S. 6", "K-A-L-K-I", "D02 X285"."""
    found: list[Finding] = []
    i = 0
    while i < len(words):
        parts: list[str] = []
        j = i
        while j < len(words) and (part := _code_part(tokens[j], words[j])) is not None:
            parts.append(part)
            j += 1
            if ends_phrase(tokens[j - 1]) and not tokens[j - 1].rstrip().endswith((".", ",")):
                break
        if not parts:
            i += 1
            continue
        joined = "".join(parts)
        letters = sum(ch.isalpha() for ch in joined)
        digits = sum(ch.isdigit() for ch in joined)
        spelled_letters = [p for p in parts if len(p) == 1 and p.isalpha()]
        plain = any(any(c.isalpha() for c in p) and p not in SMALL_WORDS for p in parts)  # not just "a" or "I"
        shaped = plain and any(shape.match(joined) for shape in POSTCODE_SHAPES)
        outward = plain and len(parts) >= 2 and UK_OUTWARD.match(joined) is not None
        code_like = len(joined) >= 5 and letters >= 2 and digits >= 2 and not all(p in SMALL_WORDS for p in parts)
        if shaped or outward or code_like:
            found.append(Finding("postcode", i, j - 1, "a postcode or code, spoken or written"))
        elif len(spelled_letters) >= 3 and len([p for p in spelled_letters if p not in SMALL_WORDS]) >= 2:
            found.append(Finding("spelled", i, j - 1, "spelled out letter by letter"))
        elif len(parts) == 1 and "-" in words[i] and len(words[i].split("-")) >= 3:
            found.append(Finding("spelled", i, i, "spelled out letter by letter"))
        i = max(j, i + 1)
    return found


RULES: list[Callable[[Sequence[str], Sequence[str]], list[Finding]]] = [
    number_runs,
    emails,
    names,
    addresses,
    codes,
    lambda _tokens, words: dates(words),
]


def find_personal_data(tokens: Sequence[str], known_names: Iterable[str] = ()) -> list[Finding]:
    """Findings in a token list, sorted and not overlapping (overlaps merge into the earlier finding)."""
    words = [norm(t) for t in tokens]
    known = {n for n in known_names if n}
    findings = [f for rule in RULES for f in rule(tokens, words)]
    findings += [Finding("name", i, i, "a name said earlier in the call") for i, w in enumerate(words) if w in known]
    findings.sort(key=lambda f: (f.first, -f.last))
    merged: list[Finding] = []
    for f in findings:
        if merged and f.first <= merged[-1].last + 1 and (f.first <= merged[-1].last or f.kind == merged[-1].kind):
            prev = merged[-1]
            merged[-1] = Finding(prev.kind, prev.first, max(prev.last, f.last), prev.why)
        else:
            merged.append(f)
    return merged
