"""One piece of personal data found in a list of word tokens."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Finding:
    kind: str  # card | phone | number | date | email | name | address | postcode | spelled | …
    first: int  # token indexes, inclusive
    last: int
    why: str = ""
