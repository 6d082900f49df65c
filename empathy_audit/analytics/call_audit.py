"""The call_audit table: each reviewed call's audit score and per-criterion means, kept current.

Triggers on reviews and review_scores list the calls whose reviews changed (call_audit_dirty);
refresh_call_audit() recomputes just those, so the dashboard reads one row per call instead of
every score of every review.
"""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np
import sqlite_utils

from empathy_audit.library import quarter_sql
from empathy_audit.store.database import write_transaction

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


def query_in_chunks(db: sqlite_utils.Database, sql: str, ids: list[int]) -> list[tuple]:
    """Run `sql` (with one `{ids}` placeholder list) over ids in chunks under SQLite's parameter limit.

    Returns the rows of a query; serves writes too (they return none)."""
    rows: list[tuple] = []
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        rows += db.execute(sql.format(ids=",".join("?" * len(chunk))), chunk).fetchall()
    return rows


def _review_scores(
    db: sqlite_utils.Database, only_calls: list[int] | None = None
) -> tuple[dict[int, tuple[float, list[str], bool]], dict[int, dict]]:
    """Per call: (audit score, reviewers, flagged) and per-criterion means, from each reviewer's latest
    submitted review. A review's score is score_summary()'s: the weighted mean of its scored criteria
    (N/A left out), 0 when a critical criterion is 0. Vectorised with numpy."""
    base = (
        "SELECT id, call_id, reviewer, rubric_id, COALESCE(context_flag, '') != '', version_key, uid FROM reviews "
        "WHERE state = 'submitted' AND call_id IS NOT NULL AND calibration_uid IS NULL"
    )
    if only_calls is None:
        reviews = db.execute(base).fetchall()
    else:
        reviews = query_in_chunks(db, base + " AND call_id IN ({ids})", only_calls)
    # Oldest version first, so newer ones replace older (by version, not row id: merged packs keep theirs).
    reviews = sorted(reviews, key=lambda row: (row[5] or "", row[6] or ""))
    latest: dict[tuple[int, str], tuple] = {}
    for row in reviews:
        latest[(row[1], row[2])] = row
    if not latest:
        return {}, {}
    kept = {row[0]: row for row in latest.values()}
    rubric_of = {row[0]: row[3] for row in kept.values()}
    weights = {
        (r, k): (w, c)
        for r, k, w, c in db.execute("SELECT rubric_id, key, weight, critical FROM rubric_criteria").fetchall()
    }
    score_sql = "SELECT review_id, criterion_key, score FROM review_scores WHERE scored = 1 AND score IS NOT NULL"
    if only_calls is None:
        rows = db.execute(score_sql).fetchall()
    else:
        rows = query_in_chunks(db, score_sql + " AND review_id IN ({ids})", sorted(kept))
    keys = sorted({k for _r, k, _s in rows})
    key_index = {k: i for i, k in enumerate(keys)}
    review_ids = np.fromiter(kept.keys(), dtype=np.int64)
    position = {rid: i for i, rid in enumerate(review_ids.tolist())}
    pos, w, crit_zero, value, kidx = [], [], [], [], []
    for review_id, key, score in rows:
        i = position.get(review_id)
        if i is None:
            continue
        weight, critical = weights.get((rubric_of[review_id], key), (1.0, 0))
        pos.append(i)
        w.append(weight)
        value.append(score)
        crit_zero.append(1.0 if critical and score == 0 else 0.0)
        kidx.append(key_index[key])
    pos_a, w_a, v_a = np.array(pos, dtype=np.int64), np.array(w, dtype=float), np.array(value, dtype=float)
    count = len(review_ids)
    weight_sum = np.bincount(pos_a, weights=w_a, minlength=count)
    weighted = np.bincount(pos_a, weights=w_a * v_a, minlength=count)
    failed = np.bincount(pos_a, weights=np.array(crit_zero), minlength=count) > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        review_score = np.where(failed, 0.0, weighted / weight_sum)
    # Average the reviews of each call, all calls at once.
    scored = weight_sum > 0
    call_of = np.array([kept[rid][1] for rid in review_ids.tolist()], dtype=np.int64)[scored]
    call_ids, call_pos = np.unique(call_of, return_inverse=True)
    n_calls = len(call_ids)
    reviews_per_call = np.bincount(call_pos, minlength=n_calls)
    call_score = np.bincount(call_pos, weights=review_score[scored], minlength=n_calls) / reviews_per_call
    review_to_call = np.full(count, -1, dtype=np.int64)
    review_to_call[np.flatnonzero(scored)] = call_pos
    rows_call = review_to_call[pos_a]
    valid = rows_call >= 0
    key_means: dict[str, list[float | None]] = {}
    for k, key in enumerate(keys):
        mask = valid & (np.array(kidx, dtype=np.int64) == k)
        n = np.bincount(rows_call[mask], minlength=n_calls)
        total = np.bincount(rows_call[mask], weights=v_a[mask], minlength=n_calls)
        with np.errstate(invalid="ignore", divide="ignore"):
            key_means[key] = np.where(n > 0, total / np.maximum(n, 1), np.nan).tolist()
    reviewers: dict[int, set[str]] = defaultdict(set)
    flagged: dict[int, bool] = defaultdict(bool)
    for rid in review_ids[scored].tolist():
        row = kept[rid]
        reviewers[row[1]].add(row[2])
        flagged[row[1]] = flagged[row[1]] or bool(row[4])
    summary: dict[int, tuple[float, list[str], bool]] = {}
    criteria: dict[int, dict] = {}
    for i, call_id in enumerate(call_ids.tolist()):
        summary[call_id] = (float(call_score[i]), sorted(reviewers[call_id]), flagged[call_id])
        criteria[call_id] = {key: m[i] for key, m in key_means.items() if not math.isnan(m[i])}
    return summary, criteria


def refresh_call_audit(db: sqlite_utils.Database) -> int:
    """Bring the call_audit table up to date; returns how many calls were recomputed.

    Triggers on reviews and review_scores list the calls whose reviews changed
    (call_audit_dirty), so only those are recomputed: the dashboard pays for the whole
    workspace once, then for what changed.
    """
    # Nothing changed (the usual case): no write lock, so a view never waits on an import.
    if db.execute("SELECT NOT EXISTS (SELECT 1 FROM call_audit_dirty)").fetchone()[0]:
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
            "INSERT OR REPLACE INTO call_audit (call_id, score, reviewers, flagged, c0, c1, c2, c3, c4, c5, c6, c7) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    cid,
                    score,
                    "\x1f".join(names),
                    int(flag),
                    *[criteria[cid].get(slots[i]) if i in slots else None for i in range(MAX_SLOTS)],
                )
                for cid, (score, names, flag) in summary.items()
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
