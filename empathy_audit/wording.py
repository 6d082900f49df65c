"""Words that follow their numbers: '1 call', '3 calls', never 'call(s)'."""

from __future__ import annotations


def plural(count: int, word: str, words: str | None = None) -> str:
    """'1 call', '3 calls', '0 calls'; `words` for irregular plurals ('1 reply', '2 replies')."""
    return f"{count} {word if count == 1 else (words or word + 's')}"


def csat_text(raw: str | None, scale: str | None, normalised: float | None = None) -> str:
    """A CSAT as the survey gave it, on its own scale: '2 of 5', '87%', '7 of 10' (never 2 shown as 25%)."""
    if raw is None or raw == "":
        return "" if normalised is None else f"{normalised * 100:.0f}% of scale"
    value = raw.strip().rstrip("%")
    if scale in ("percent", "0-100"):
        return f"{value}%"
    if scale and "-" in scale:
        return f"{value} of {scale.split('-')[1]}"
    return value


# The default rubric's criteria as charts, tables and pages name them (a rubric's own labels win in Review).
CRITERION_LABELS = {"acknowledgment": "Acknowledgment", "investigation": "Investigation", "care": "Action with care"}
