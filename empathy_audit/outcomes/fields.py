"""The outcome export's other columns: what a customer is worth (a value or a tier), the call's handle
time as the contact centre measured it, and the survey's free-text comment.

A value is a number however the CRM wrote it ("$1,234.50", "1.234,50 €", "12k"). A tier is a name whose
order the app knows (platinum > gold > silver > bronze, enterprise > business > …, "tier 1" > "tier 2")
or that the user gives (`--tier-order`); it becomes a rank, so "high value" means the same thing for
both: the top of the order.
"""

from __future__ import annotations

import math
import re

# Known tier words, most valuable first; each list is one vocabulary (a file uses one of them).
TIER_ORDERS: list[list[str]] = [
    ["diamond", "platinum", "gold", "silver", "bronze", "basic", "standard", "free"],
    ["enterprise", "premium", "business", "professional", "pro", "plus", "standard", "basic", "starter", "free"],
    ["vip", "high", "medium", "mid", "low"],
    ["yes", "y", "true", "no", "n", "false"],  # a "VIP?" flag: yes above no
    ["strategic", "key", "major", "core", "standard", "small"],
    ["a", "b", "c", "d", "e"],
]
COMMENT_LIMIT = 4000  # characters of a survey comment kept; longer text is cut with an ellipsis


def parse_value(text: str) -> float:
    """'$1,234.50', '1.234,50 €', '€ 1 234', '12k', '1.2M', '(not a number)' -> ValueError."""
    cleaned = re.sub(r"[\s\u00a0]|[$€£¥₹]|\b(usd|eur|gbp|chf)\b", "", text.strip(), flags=re.IGNORECASE)
    factor = 1.0
    if cleaned[-1:].lower() in ("k", "m") and len(cleaned) > 1:
        factor = 1_000.0 if cleaned[-1].lower() == "k" else 1_000_000.0
        cleaned = cleaned[:-1]
    if re.fullmatch(r"-?\d{1,3}(\.\d{3})+(,\d+)?", cleaned):  # 1.234,50: dots group, comma decimal
        cleaned = cleaned.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"-?\d{1,3}(,\d{3})+(\.\d+)?", cleaned):  # 1,234.50
        cleaned = cleaned.replace(",", "")
    elif re.fullmatch(r"-?\d+,\d+", cleaned):  # 1234,5
        cleaned = cleaned.replace(",", ".")
    try:
        value = float(cleaned) * factor
    except ValueError:
        raise ValueError(f"customer value '{text}' is not a number (e.g. 1200, $1,200.50 or 1.2k)") from None
    if not math.isfinite(value):
        raise ValueError(f"customer value '{text}' is not a number (e.g. 1200, $1,200.50 or 1.2k)")
    if value < 0:
        raise ValueError(f"customer value '{text}' is negative")
    return value


def parse_handle_time(text: str) -> float:
    """Seconds from '245', '245.5', '4:05', '1:02:03', '4m 5s', '245 s', 'PT4M5S'; ValueError otherwise."""
    raw = text.strip().lower()
    if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?(\s*s(ec(onds?)?)?)?", raw):  # 1,234 s: a thousands comma
        raw = raw.replace(",", "")
    cleaned = raw.replace(",", ".")
    if re.fullmatch(r"\d+(\.\d+)?\s*(s|sec|secs|seconds)?", cleaned):
        seconds = float(re.match(r"\d+(\.\d+)?", cleaned).group(0))  # type: ignore[union-attr]
    elif re.fullmatch(r"\d+(:[0-5]?\d){1,2}(\.\d+)?", cleaned):
        seconds = 0.0
        for part in cleaned.split(":"):
            seconds = seconds * 60 + float(part)
    else:
        match = re.fullmatch(
            r"(?:pt)?\s*(?:(\d+(?:\.\d+)?)\s*h(?:ours?)?)?\s*(?:(\d+(?:\.\d+)?)\s*m(?:in(?:utes?)?)?)?"
            r"\s*(?:(\d+(?:\.\d+)?)\s*s(?:ec(?:onds?)?)?)?",
            cleaned,
        )
        if not match or not any(match.groups()):
            raise ValueError(f"handle time '{text}' is not seconds, m:ss, h:mm:ss or '4m 5s'")
        hours, minutes, secs = (float(g) if g else 0.0 for g in match.groups())
        seconds = hours * 3600 + minutes * 60 + secs
    if seconds > 24 * 3600:
        raise ValueError(f"handle time '{text}' is over 24 hours; is this the right column?")
    return seconds


def _tier_key(name: str) -> str:
    return " ".join(name.casefold().split())


def tier_ranks(values: list[str], order: list[str] | None = None) -> dict[str, int]:
    """Tier name (as keyed by _tier_key) -> rank, higher = more valuable. `order` (most valuable first)
    is the user's; otherwise numbered tiers ('Tier 1' best) or the known vocabulary that covers every
    value. ValueError naming the tiers when no order fits, so the user can give one."""
    names = sorted({_tier_key(v) for v in values if v.strip()})
    if not names:
        return {}
    if order:
        wanted = [_tier_key(o) for o in order if o.strip()]
        missing = [n for n in names if n not in wanted]
        if missing:
            raise ValueError(f"tiers not in --tier-order: {', '.join(missing)}")
        return {name: len(wanted) - wanted.index(name) for name in names}
    numbered = {n: re.fullmatch(r"(?:tier|level|t)?\s*(\d+)", n) for n in names}
    if all(numbered.values()):
        return {n: -int(m.group(1)) for n, m in numbered.items() if m}  # tier 1 is the top tier
    for vocabulary in TIER_ORDERS:
        if all(n in vocabulary for n in names):
            return {n: len(vocabulary) - vocabulary.index(n) for n in names}
    raise ValueError(
        f"the order of the tiers {', '.join(names)} is not known; give it most valuable first, e.g. "
        f'--tier-order "{",".join(names)}"'
    )


def tier_rank(text: str, ranks: dict[str, int]) -> int | None:
    return ranks.get(_tier_key(text)) if text.strip() else None


def clean_comment(text: str) -> str:
    """One comment as shown: whitespace runs made single spaces (exports wrap lines), control characters
    dropped, cut at COMMENT_LIMIT."""
    flat = " ".join("".join(ch if ch.isprintable() or ch.isspace() else " " for ch in text).split())
    return flat if len(flat) <= COMMENT_LIMIT else flat[: COMMENT_LIMIT - 1] + "…"
