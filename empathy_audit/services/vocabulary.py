"""The workspace vocabulary: product, plan, company and agent names that Whisper cannot know, given to the
engine with every call transcribed afterwards (faster-whisper: hotwords; openai-whisper: the prompt)."""

from __future__ import annotations

import unicodedata

from empathy_audit.changes import Area, Changes
from empathy_audit.store import Workspace
from empathy_audit.store.vocabulary import add_terms, list_terms, remove_terms

MAX_TERM = 60
# Whisper's prompt holds about 220 tokens and faster-whisper keeps half a context window of hotwords;
# this many characters of "term, term, ..." stay well inside it.
MAX_HINT = 600


class VocabularyProblem(ValueError):
    """A term that cannot be added; the message says which and why."""


def clean_term(term: str) -> str:
    text = " ".join(unicodedata.normalize("NFC", term).split())
    if not text:
        raise VocabularyProblem("an empty term cannot be added")
    if len(text) > MAX_TERM:
        raise VocabularyProblem(f"“{text[:30]}…” is {len(text)} characters long; a term has at most {MAX_TERM}")
    if any(unicodedata.category(c).startswith("C") for c in text):
        raise VocabularyProblem(f"{text!r} holds control characters; type the term as it is written")
    if "," in text:
        raise VocabularyProblem(f"“{text}” holds a comma: add each term on its own")
    return text


class VocabularyService:
    def __init__(self, store: Workspace) -> None:
        self._store = store

    def terms(self) -> list[str]:
        return list_terms(self._store.db)

    def add(self, terms: list[str]) -> tuple[int, Changes]:
        """Add terms (all or none: one bad term adds nothing); returns how many were new, and Changes."""
        cleaned = [clean_term(t) for t in terms]
        known = {t.casefold() for t in self.terms()}
        after = self.terms() + [t for t in dict.fromkeys(cleaned) if t.casefold() not in known]
        if len(", ".join(after)) > MAX_HINT:
            raise VocabularyProblem(
                f"the vocabulary would be {len(', '.join(after))} characters, more than the engine's prompt "
                f"holds ({MAX_HINT}); remove terms it no longer needs first (empathy-audit vocabulary list)"
            )
        added = add_terms(self._store.db, cleaned)
        return added, Changes.of(Area.VOCABULARY) if added else Changes()

    def remove(self, terms: list[str]) -> tuple[int, Changes]:
        removed = remove_terms(self._store.db, [" ".join(t.split()) for t in terms])
        return removed, Changes.of(Area.VOCABULARY) if removed else Changes()
