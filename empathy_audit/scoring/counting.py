"""Which reviews count towards a call's audit score: one definition, used by every reader.

Each reviewer's latest submitted version of their review of a call counts (latest by version key,
which orders versions the same way in every workspace that merged them from packs); drafts and
calibration reviews never count. A call's score is the mean of those reviews' `score_summary` means.
"""

from __future__ import annotations

SCORE_RULE = (
    "A call's audit score is the mean of each reviewer's latest submitted review; a review's score is the "
    "weighted mean of its criteria (N/A left out, 0 when a critical criterion scores 0). The Library, Review, "
    "the dashboard, the reports and the command line all show this one score."
)

COUNTED_REVIEWS_SQL = """
SELECT id FROM (
    SELECT id, ROW_NUMBER() OVER (PARTITION BY call_id, reviewer ORDER BY version_key DESC, uid DESC) AS newest
    FROM reviews WHERE state = 'submitted' AND call_id IS NOT NULL AND calibration_uid IS NULL {extra}
) WHERE newest = 1
"""


def counted_reviews_sql(extra: str = "") -> str:
    """SQL selecting the ids of the reviews that count; `extra` adds conditions ("AND call_id IN (...)")."""
    return COUNTED_REVIEWS_SQL.format(extra=extra)
