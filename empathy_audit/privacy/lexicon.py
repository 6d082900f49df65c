"""The words personal-data rules read, per language: English built in, others from
resources/privacy/<code>.toml (Spanish today).

The rules are plain functions over tokens; which language's words they use is set for the duration of
one call's search (`using`), so every function below find_in_call reads the call's language without
passing it through each signature.
"""

from __future__ import annotations

import contextvars
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache

from empathy_audit.languages import language_name
from empathy_audit.paths import resource_path

RULES_DIR = resource_path("privacy")
ENGLISH_CODE = "en"


@dataclass(frozen=True)
class Lexicon:
    code: str
    asked_for: dict[str, tuple[str, ...]]
    asking: frozenset[str]
    requests: frozenset[str]
    fillers: frozenset[str]
    openers: frozenset[str]
    open_questions: tuple[str, ...]
    empty: frozenset[str]
    digit_words: dict[str, str]
    number_words: frozenset[str]
    number_and: str
    text2num: str
    complete: bool  # every rule (names, addresses, homophones, dates in words); English only today


@cache
def english() -> Lexicon:
    from empathy_audit.privacy import answers, spoken  # the English words live beside the rules

    return Lexicon(
        ENGLISH_CODE, answers.ASKED_FOR, frozenset(answers.ASKING), frozenset(answers.REQUESTS),
        frozenset(answers.FILLERS), frozenset(answers.OPENERS), answers.OPEN_QUESTIONS, frozenset(answers.EMPTY),
        spoken.DIGIT_WORDS, frozenset(spoken.NUMBER_WORDS), "and", "en", complete=True,
    )  # fmt: skip


@cache
def _from_file(code: str) -> Lexicon | None:
    path = RULES_DIR / f"{code}.toml"
    if not code.isalpha() or not path.is_file():
        return None
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    words = data.get("words", {})

    def group(name: str) -> frozenset[str]:
        return frozenset(w.lower() for w in words.get(name, []))

    return Lexicon(
        code,
        {kind: tuple(p.lower() for p in phrases) for kind, phrases in data.get("asked_for", {}).items()},
        group("asking"), group("requests"), group("fillers"), group("openers"),
        tuple(words.get("open_questions", [])), group("empty") | group("fillers"),
        {k.lower(): str(v) for k, v in data.get("digit_words", {}).items()},
        group("number_words"), data.get("number_and", ""), data.get("text2num", code), complete=False,
    )  # fmt: skip


def lexicon_for(language: str | None) -> Lexicon | None:
    """The words for a language code (None or "" is English; "en-US" is "en"); None when there are no
    rules for it."""
    code = (language or ENGLISH_CODE).lower().replace("_", "-").split("-")[0]
    return english() if code == ENGLISH_CODE else _from_file(code)


def rule_languages() -> list[str]:
    return [ENGLISH_CODE, *sorted(p.stem for p in RULES_DIR.glob("*.toml"))]


_current: contextvars.ContextVar[Lexicon | None] = contextvars.ContextVar("privacy_lexicon", default=None)


def current() -> Lexicon:
    return _current.get() or english()


@contextmanager
def using(language: str | None) -> Iterator[Lexicon | None]:
    """Read personal data in this language until the block ends. A language without rules (or a wrong
    guess of the language) is read with the English words as well as what needs no words (digits,
    e-mail addresses): hiding a little too much is safer than hiding nothing a word rule would catch."""
    found = lexicon_for(language)
    token = _current.set(found or english())
    try:
        yield found
    finally:
        _current.reset(token)


def privacy_note(language: str | None) -> str:
    """What a reviewer should know about hiding personal data in a call of this language ('' for English)."""
    found = lexicon_for(language)
    if found is not None and found.complete:
        return ""
    if found is not None:
        return (
            f"Personal data in {language_name(language)} calls: numbers, e-mail addresses and answers to "
            "personal-data questions are hidden; names said outside an answer are not. Check by ear."
        )
    return (
        f"No personal-data rules for {language_name(language)} calls: digits, card numbers and e-mail addresses "
        "are hidden, and the English rules are applied, which miss most of what is said in another language. "
        f"Rules exist for {', '.join(language_name(c) for c in rule_languages())}. Check by ear."
    )
