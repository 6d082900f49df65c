"""Customer comments from the survey, listed by the audit band of the call they are about ("sentiment in
open-ended feedback"): what customers say after an exemplary call against after a scripted one.

Reviewed calls are grouped by band (lowest first); calls kept apart (empathy-first did not apply) and
calls not reviewed yet are listed after them, so a search finds every comment. Exports (the report's
CSV and PDF) hide personal data in comments as clips do; the app shows them as imported.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sqlite_utils

from empathy_audit.analytics.audit import BANDS, band_index, band_label
from empathy_audit.analytics.facts import AuditFilter, FactTable
from empathy_audit.store.outcomes import survey_comments

KEPT_APART = "empathy-first did not apply"
NOT_REVIEWED = "not reviewed yet"


@dataclass
class CommentRow:
    call_id: int
    name: str
    agent: str
    team: str
    started: str
    band: str  # a band label, KEPT_APART or NOT_REVIEWED
    band_order: int  # 0..3 for the bands, then 4 (kept apart), 5 (not reviewed)
    score: float | None
    csat: float | None  # 0..1
    churned: bool | None
    comment: str
    language: str | None = None

    def redacted(self) -> str:
        """The comment with personal data hidden (for exports)."""
        from empathy_audit.privacy.call_findings import redact_text

        return redact_text(self.comment, language=self.language)


def comments_by_band(
    db: sqlite_utils.Database,
    facts: FactTable,
    search: str = "",
    band: str | None = None,
    flt: AuditFilter | None = None,
) -> list[CommentRow]:
    """Every survey comment holding all words of `search`, by band (lowest first), newest first within one.
    `facts` is every reviewed call (load_facts); with a filter (quarters, team, agent) only the reviewed calls
    it selects are listed, without one unreviewed calls too. `band` keeps one band: its name ('exemplary'),
    its label, KEPT_APART or NOT_REVIEWED."""
    if flt is not None and not any((flt.quarter_from, flt.quarter_to, flt.team, flt.agent)):
        flt = None  # "All" everywhere: every comment, calls not reviewed yet included
    rows = survey_comments(db, search.split())
    at = {int(c): i for i, c in enumerate(facts.call_id)}
    chosen = set(at) if flt is None else {int(c) for c in facts.filtered(flt).call_id}
    bands = band_index(facts.score, facts.scale) if len(facts) else np.array([], dtype=int)
    out = []
    for call_id, comment, name, agent, team, started, language in rows:
        i = at.get(call_id)
        if (i is None and flt is not None) or (i is not None and call_id not in chosen):
            continue
        if i is None:
            label, order, score, csat, churned = NOT_REVIEWED, len(BANDS) + 1, None, None, None
        else:
            if facts.flagged[i]:
                label, order = KEPT_APART, len(BANDS)
            else:
                low, high, name_of_band = BANDS[int(bands[i])]
                label, order = band_label(low, high, name_of_band, facts.scale), int(bands[i])
            score = float(facts.score[i])
            csat = None if np.isnan(facts.csat[i]) else float(facts.csat[i])
            churned = None if np.isnan(facts.churned[i]) else bool(facts.churned[i])
        out.append(
            CommentRow(call_id, name, agent or "", team or "", started or "", label, order, score, csat, churned,
                       comment, language)
        )  # fmt: skip
    if band:
        wanted = band.casefold()
        out = [r for r in out if wanted in (r.band.casefold(), r.band.split(" ", 1)[-1].casefold())]
    return sorted(out, key=lambda r: r.band_order)  # stable: newest first within a band
