"""Paper sizes of the report's pages: A4, or Letter where that is the local paper. No matplotlib here: the
report dialog asks it when the window opens."""

from __future__ import annotations

import locale

A4 = (8.27, 11.69)
LETTER = (8.5, 11.0)
LETTER_COUNTRIES = {"US", "CA", "MX", "PH", "CL", "CO", "VE", "GT", "CR", "PA", "DO", "PR", "SV", "NI", "HN", "BZ"}


def paper_size(paper: str | None = None) -> tuple[float, float]:
    """'a4', 'letter', or the local paper (Letter in the Americas' Letter countries, A4 elsewhere)."""
    if paper:
        return LETTER if paper.lower() == "letter" else A4
    name = locale.getlocale()[0] or ""
    country = name.replace("-", "_").split("_")[-1].split(".")[0].upper() if "_" in name or "-" in name else ""
    return LETTER if country in LETTER_COUNTRIES else A4
