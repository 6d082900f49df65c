"""Reading and writing calls."""

from __future__ import annotations

import dataclasses
from typing import Any

import sqlite_utils

from empathy_audit.domain import Call, CallStatus
from empathy_audit.store.database import utc_now, write_transaction

_CALL_FIELDS = {f.name for f in dataclasses.fields(Call)}


def _to_call(row: dict[str, Any]) -> Call:
    values = {k: v for k, v in row.items() if k in _CALL_FIELDS}
    values["linked"] = bool(values.get("linked"))
    return Call(**values)


def insert_call(db: sqlite_utils.Database, values: dict[str, Any]) -> int:
    """Insert one call row (one transaction) and return its id."""
    now = utc_now()
    row = {"status": CallStatus.NEW.value, "imported_at": now, "updated_at": now, **values}
    columns = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    with write_transaction(db):
        cursor = db.execute(f"INSERT INTO calls ({columns}) VALUES ({marks})", list(row.values()))
    return int(cursor.lastrowid)


def call_by_sha256(db: sqlite_utils.Database, sha256: str) -> Call | None:
    rows = list(db.query("SELECT * FROM calls WHERE sha256 = ?", [sha256]))
    return _to_call(rows[0]) if rows else None


def get_call(db: sqlite_utils.Database, call_id: int) -> Call | None:
    rows = list(db.query("SELECT * FROM calls WHERE id = ?", [call_id]))
    return _to_call(rows[0]) if rows else None


def list_calls(db: sqlite_utils.Database, *, status: str | None = None) -> list[Call]:
    if status:
        rows = db.query("SELECT * FROM calls WHERE status = ? ORDER BY id", [status])
    else:
        rows = db.query("SELECT * FROM calls ORDER BY id")
    return [_to_call(row) for row in rows]


def update_call(db: sqlite_utils.Database, call_id: int, **values: Any) -> None:
    values["updated_at"] = utc_now()
    assignments = ", ".join(f"{name} = ?" for name in values)
    with write_transaction(db):
        db.execute(f"UPDATE calls SET {assignments} WHERE id = ?", [*values.values(), call_id])


def call_to_json(call: Call) -> dict[str, Any]:
    """The CLI's `calls list --json` object for one call."""
    return dataclasses.asdict(call)
