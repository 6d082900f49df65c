"""Words that follow their numbers: '1 call', '3 calls', never 'call(s)'."""

from __future__ import annotations


def plural(count: int, word: str, words: str | None = None) -> str:
    """'1 call', '3 calls', '0 calls'; `words` for irregular plurals ('1 reply', '2 replies')."""
    return f"{count} {word if count == 1 else (words or word + 's')}"
