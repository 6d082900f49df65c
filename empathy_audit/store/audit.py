"""The audit table (call_audit): each reviewed call's audit score and per-criterion means, kept current.

Triggers on reviews and review_scores list the calls whose reviews changed (call_audit_dirty);
refresh_call_audit() recomputes just those, so the dashboard reads one row per call instead of
every score of every review.
"""

from __future__ import annotations

from collections import defaultdict

import sqlite_utils

from empathy_audit.quarters import quarter_sql
from empathy_audit.scoring.counting import counted_reviews_sql
from empathy_audit.scoring.rubric import Rubric, score_summary
from empathy_audit.store.database import is_read_only, write_transaction
from empathy_audit.store.rubrics import rubric_by_id

MAX_SLOTS = 8  # criteria per rubric tracked per call (the default rubric has 3)
REPEAT_DAYS = 7
# Did the same customer call again within REPEAT_DAYS after this call? (uses calls_customer_start)
REPEAT_SQL = (
    "SELECT EXISTS (SELECT 1 FROM calls c JOIN calls n ON n.customer_id = c.customer_id "
    "AND n.call_start > c.call_start AND julianday(n.call_start) - julianday(c.call_start) <= "
    f"{REPEAT_DAYS} WHERE c.id = call_audit.call_id AND c.customer_id IS NOT NULL AND c.customer_id != '')"
)


def slot_keys(db: sqlite_utils.Database) -> dict[int, str]:
    return dict(db.execute("SELECT slot, key FROM call_audit_keys").fetchall())


def _slots(db: sqlite_utils.Database, keys: set[str]) -> dict[int, str]:
    """Slot -> criterion key, giving new keys the next free slots (criteria past MAX_SLOTS are not tracked)."""
    slots = slot_keys(db)
    known = set(slots.values())
    for key in sorted(keys - known):
        free = next((i for i in range(MAX_SLOTS) if i not in slots), None)
        if free is None:
            break
        db.execute("INSERT INTO call_audit_keys (slot, key) VALUES (?, ?)", [free, key])
        slots[free] = key
    return slots


def query_in_chunks(db: sqlite_utils.Database, sql: str, ids: list[int], params: list | None = None) -> list[tuple]:
    """Run `sql` (with one `{ids}` placeholder list, after any `params`) over ids in chunks under SQLite's
    parameter limit.

    Returns the rows of a query; serves writes too (they return none)."""
    rows: list[tuple] = []
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        rows += db.execute(sql.format(ids=",".join("?" * len(chunk))), [*(params or []), *chunk]).fetchall()
    return rows


def _review_scores(
    db: sqlite_utils.Database, only_calls: list[int] | None = None
) -> tuple[dict[int, tuple[float, list[str], bool, float]], dict[int, dict]]:
    """Per call: (audit score, reviewers, flagged, scale) and per-criterion means over the reviews that count
    (scoring/counting.py). A review's score is score_summary()'s, the only formula: the weighted mean
    of its scored criteria under its own rubric (N/A and criteria the rubric lacks left out), 0 when a
    critical criterion is 0. The call's score is the mean of its reviews' scores."""
    if only_calls is None:
        ids = [r[0] for r in db.execute(counted_reviews_sql()).fetchall()]
    else:
        ids = [r[0] for r in query_in_chunks(db, counted_reviews_sql("AND call_id IN ({ids})"), only_calls)]
    if not ids:
        return {}, {}
    reviews = {
        r[0]: r[1:]
        for r in query_in_chunks(
            db, "SELECT id, call_id, reviewer, rubric_id, COALESCE(context_flag, '') != '' FROM reviews "
            "WHERE id IN ({ids})", ids,
        )
    }  # fmt: skip
    scores: dict[int, dict[str, int | None]] = defaultdict(dict)
    for review_id, key, score in query_in_chunks(
        db, "SELECT review_id, criterion_key, score FROM review_scores WHERE scored = 1 AND review_id IN ({ids})", ids
    ):
        scores[review_id][key] = score
    rubrics: dict[int, Rubric] = {}
    per_call: dict[int, list[tuple[float, str, bool, dict[str, int | None], Rubric]]] = defaultdict(list)
    for review_id, (call_id, reviewer, rubric_id, flagged) in reviews.items():
        rubric = rubrics.get(rubric_id) or rubrics.setdefault(rubric_id, rubric_by_id(db, rubric_id))
        summary = score_summary(rubric, scores.get(review_id, {}))
        if summary.mean is not None:
            known = {c.key for c in rubric.criteria}
            kept = {k: v for k, v in scores.get(review_id, {}).items() if k in known and v is not None}
            per_call[call_id].append((summary.mean, reviewer, bool(flagged), kept, rubric))
    summary_out: dict[int, tuple[float, list[str], bool, float]] = {}
    criteria: dict[int, dict] = {}
    for call_id, rows in per_call.items():
        # Reviews on rubrics of different scales are put on the newest rubric's scale before averaging.
        scale = float(max((r[4] for r in rows), key=lambda rubric: rubric.id or 0).max_score)
        summary_out[call_id] = (
            sum(r[0] * scale / r[4].max_score for r in rows) / len(rows),
            sorted({r[1] for r in rows}),
            any(r[2] for r in rows),
            scale,
        )
        values: dict[str, list[float]] = defaultdict(list)
        for *_rest, kept, rubric in rows:
            for key, value in kept.items():
                values[key].append(value * scale / rubric.max_score)
        criteria[call_id] = {key: sum(v) / len(v) for key, v in values.items()}
    return summary_out, criteria


def refresh_call_audit(db: sqlite_utils.Database) -> int:
    """Bring the call_audit table up to date; returns how many calls were recomputed.

    Triggers on reviews and review_scores list the calls whose reviews changed
    (call_audit_dirty), so only those are recomputed: the dashboard pays for the whole
    workspace once, then for what changed.
    """
    # Nothing changed (the usual case): no write lock, so a view never waits on an import. A read-only
    # workspace reports from the table as it was last kept (stale_calls() says how many changed since).
    if is_read_only(db) or db.execute("SELECT NOT EXISTS (SELECT 1 FROM call_audit_dirty)").fetchone()[0]:
        return 0
    # One write transaction from reading the dirty list to clearing it, so a review saved by
    # another process meanwhile waits and then stays dirty for the next refresh.
    with write_transaction(db):
        dirty = [r[0] for r in db.execute("SELECT call_id FROM call_audit_dirty").fetchall()]
        if not dirty:
            return 0
        everything = len(dirty) > 5000  # a full pass is cheaper than thousands of IN lists
        summary, criteria = _review_scores(db, None if everything else dirty)
        if everything:
            db.execute("DELETE FROM call_audit")
        else:
            query_in_chunks(db, "DELETE FROM call_audit WHERE call_id IN ({ids})", dirty)
        slots = _slots(db, {key for values in criteria.values() for key in values})
        db.conn.executemany(
            "INSERT OR REPLACE INTO call_audit (call_id, score, reviewers, flagged, max_score, "
            "c0, c1, c2, c3, c4, c5, c6, c7) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    cid,
                    score,
                    "\x1f".join(names),
                    int(flag),
                    scale,
                    *[criteria[cid].get(slots[i]) if i in slots else None for i in range(MAX_SLOTS)],
                )
                for cid, (score, names, flag, scale) in summary.items()
            ],
        )
        query_in_chunks(
            db,
            f"UPDATE call_audit SET quarter = (SELECT {quarter_sql('calls')} FROM calls "
            "WHERE calls.id = call_audit.call_id), "
            f"repeat_contact = ({REPEAT_SQL}) WHERE call_id IN ({{ids}})",
            list(summary),
        )
        db.execute("DELETE FROM call_audit_dirty")
    return len(dirty)


def call_scores(db: sqlite_utils.Database, call_ids: list[int] | None = None) -> dict[int, tuple[float, int]]:
    """Each reviewed call's audit score and how many reviewers it averages (brought up to date first); of
    `call_ids` only when given."""
    refresh_call_audit(db)
    sql = "SELECT call_id, score, reviewers FROM call_audit"
    rows = db.execute(sql).fetchall() if call_ids is None else query_in_chunks(db, sql + " WHERE call_id IN ({ids})",
                                                                              call_ids)  # fmt: skip
    return {call_id: (score, len(reviewers.split("\x1f")) if reviewers else 0) for call_id, score, reviewers in rows}


# -- reading the audit table ------------------------------------------------------------------
def fact_rows(db: sqlite_utils.Database) -> tuple[dict[int, str], list[tuple]]:
    """Every reviewed call as a row: (call_id, score, flagged, quarter, team, agent, csat, churned, scale,
    start day, duration, imported handle time, queue, customer value, tier rank, criterion slot values...),
    with the slot -> criterion key map. Brought up to date first."""
    refresh_call_audit(db)
    slots = slot_keys(db)
    columns = "".join(f", a.c{i}" for i in sorted(slots))
    rows = db.execute(
        "SELECT a.call_id, a.score, a.flagged, a.quarter, c.team, c.agent, o.csat, o.churned, "
        "COALESCE(a.max_score, 3), substr(COALESCE(c.call_start, ''), 1, 10), c.duration_s, o.handle_s, c.queue, "
        f"o.customer_value, o.tier_rank{columns} FROM call_audit a JOIN calls c ON c.id = a.call_id "
        "LEFT JOIN outcomes o ON o.call_id = a.call_id"
    ).fetchall()
    return slots, rows


def call_details(db: sqlite_utils.Database, call_ids: list[int]) -> dict[int, tuple]:
    """call id -> (name, raw CSAT, start, reviewers joined by \\x1f, CSAT scale) for the few rows a person
    looks at."""
    sql = (
        "SELECT c.id, c.original_name, o.csat_raw, COALESCE(c.call_start, c.imported_at), a.reviewers, "
        "o.csat_scale "
        "FROM calls c JOIN call_audit a ON a.call_id = c.id LEFT JOIN outcomes o ON o.call_id = c.id "
        "WHERE c.id IN ({ids})"
    )
    return {r[0]: r[1:] for r in query_in_chunks(db, sql, call_ids)}


def audit_reviewers(
    db: sqlite_utils.Database,
    team: str | None = None,
    agent: str | None = None,
    quarter_from: str | None = None,
    quarter_to: str | None = None,
) -> list[str]:
    """Who reviewed the reviewed calls a filter selects (submitted audit reviews)."""
    where, params = ["r.state = 'submitted'", "r.calibration_uid IS NULL"], []
    for column, value in (("c.team", team), ("c.agent", agent)):
        if value:
            where.append(f"{column} = ?")
            params.append(value)
    if quarter_from:
        where.append("a.quarter >= ?")
        params.append(quarter_from)
    if quarter_to:
        where.append("a.quarter <= ?")
        params.append(quarter_to)
    return [
        r[0]
        for r in db.execute(
            "SELECT DISTINCT r.reviewer FROM reviews r JOIN call_audit a ON a.call_id = r.call_id "
            f"JOIN calls c ON c.id = r.call_id WHERE {' AND '.join(where)} ORDER BY r.reviewer",
            params,
        ).fetchall()
    ]


def reviewer_counts(
    db: sqlite_utils.Database, quarter: str, team: str | None, agent: str | None = None
) -> list[tuple[str, int]]:
    """(reviewer, calls reviewed) in a quarter (and team, and agent), most first."""
    refresh_call_audit(db)
    return [
        (r[0], r[1])
        for r in db.execute(
            "SELECT r.reviewer, COUNT(DISTINCT r.call_id) FROM reviews r JOIN call_audit a ON a.call_id = r.call_id "
            "JOIN calls c ON c.id = r.call_id WHERE r.state = 'submitted' AND r.calibration_uid IS NULL "
            "AND a.quarter = ? AND (? IS NULL OR c.team = ?) AND (? IS NULL OR c.agent = ?) "
            "GROUP BY r.reviewer ORDER BY 2 DESC, 1",
            [quarter, team, team, agent, agent],
        ).fetchall()
    ]


def quarter_calls(
    db: sqlite_utils.Database, quarter: str, team: str | None = None, agent: str | None = None
) -> list[tuple]:
    """Every reviewed call of a quarter: (id, name, agent, team, quarter, score, reviewers, csat, churned,
    flagged), in call-start order."""
    refresh_call_audit(db)
    sql = (
        "SELECT c.id, c.original_name, c.agent, c.team, a.quarter, a.score, a.reviewers, o.csat, o.churned, "
        "a.flagged FROM call_audit a JOIN calls c ON c.id = a.call_id LEFT JOIN outcomes o ON o.call_id = c.id "
        "WHERE a.quarter = ?"
        + (" AND c.team = ?" if team else "")
        + (" AND c.agent = ?" if agent else "")
        + " ORDER BY COALESCE(c.call_start, c.imported_at), c.id"
    )
    return db.execute(sql, [quarter, *([team] if team else []), *([agent] if agent else [])]).fetchall()


def stale_calls(db: sqlite_utils.Database) -> int:
    """Calls whose reviews changed since the audit table was last brought up to date."""
    return int(db.execute("SELECT COUNT(*) FROM call_audit_dirty").fetchone()[0])


def reviewed_count(db: sqlite_utils.Database, quarter: str, team: str | None = None, agent: str | None = None) -> int:
    """Reviewed calls of a quarter (and team, and agent), flagged ones included, as the report will read them."""
    refresh_call_audit(db)
    return int(
        db.execute(
            "SELECT COUNT(*) FROM call_audit a JOIN calls c ON c.id = a.call_id WHERE a.quarter = ? "
            "AND (? IS NULL OR c.team = ?) AND (? IS NULL OR c.agent = ?) AND a.flagged = 0",
            [quarter, team, team, agent, agent],
        ).fetchone()[0]
    )


def reviewed_quarters(db: sqlite_utils.Database) -> list[str]:
    """Quarters with at least one reviewed call that counts, newest first."""
    refresh_call_audit(db)
    rows = db.execute("SELECT DISTINCT quarter FROM call_audit WHERE flagged = 0 ORDER BY quarter DESC").fetchall()
    return [r[0] for r in rows if r[0]]
