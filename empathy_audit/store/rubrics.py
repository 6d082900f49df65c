"""Rubric versions in the workspace: saved once per distinct text, one of them in use for new reviews."""

from __future__ import annotations

import json
from pathlib import Path

import sqlite_utils

from empathy_audit.scoring.rubric import DEFAULT_RUBRIC, Rubric, RubricError, parse_rubric
from empathy_audit.store.database import utc_now, write_transaction
from empathy_audit.store.settings import put_workspace_setting


def _from_row(row: dict) -> Rubric:
    parsed = parse_rubric(row["source_toml"], row["name"])
    return Rubric(**{**parsed.__dict__, "id": row["id"], "version": row["version"]})


ACTIVE_KEY = "active_rubric_id"


def save_rubric(db: sqlite_utils.Database, text: str, source_name: str = "rubric", activate: bool = True) -> Rubric:
    """Store a rubric. Same name with different content becomes a new version; identical content is reused.

    `activate`: new reviews use it from now on. A rubric from a pack is stored with activate=False, so the
    one in use stays until the user chooses another.
    """
    rubric = parse_rubric(text, source_name)
    with write_transaction(db):
        in_use = _active_id(db)
        latest = db.execute(
            "SELECT id, version, source_toml FROM rubrics WHERE name = ? ORDER BY version DESC LIMIT 1", [rubric.name]
        ).fetchone()
        if latest is not None and latest[2] == text:
            rubric_id, version = latest[0], latest[1]
        else:
            version = (latest[1] + 1) if latest else 1
            cursor = db.execute(
                "INSERT INTO rubrics (name, version, source_toml, created_at) VALUES (?, ?, ?, ?)",
                [rubric.name, version, text, utc_now()],
            )
            rubric_id = int(cursor.lastrowid)
            for position, c in enumerate(rubric.criteria):
                db.execute(
                    "INSERT INTO rubric_criteria (rubric_id, key, label, position, weight, critical, allow_na, "
                    "levels_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        rubric_id,
                        c.key,
                        c.label,
                        position,
                        c.weight,
                        int(c.critical),
                        int(c.allow_na),
                        json.dumps(list(c.levels)),
                    ],
                )
        chosen = rubric_id if activate or in_use is None else in_use
        put_workspace_setting(db, ACTIVE_KEY, str(chosen))
    return Rubric(**{**rubric.__dict__, "id": rubric_id, "version": version})


def _active_id(db: sqlite_utils.Database) -> int | None:
    """The rubric in use: the one last chosen, else (older workspaces) the one saved last."""
    row = db.execute(
        "SELECT r.id FROM workspace_settings s JOIN rubrics r ON r.id = CAST(s.value AS INTEGER) WHERE s.key = ?",
        [ACTIVE_KEY],
    ).fetchone()
    if row is None:
        row = db.execute("SELECT id FROM rubrics ORDER BY id DESC LIMIT 1").fetchone()
    return None if row is None else int(row[0])


def rubric_by_id(db: sqlite_utils.Database, rubric_id: int) -> Rubric:
    rows = list(db.query("SELECT * FROM rubrics WHERE id = ?", [rubric_id]))
    if not rows:
        raise KeyError(rubric_id)
    return _from_row(rows[0])


def active_rubric(db: sqlite_utils.Database) -> Rubric:
    """The rubric new reviews use: the one last chosen, else the bundled default (saved on first use)."""
    rubric_id = _active_id(db)
    if rubric_id is not None:
        return rubric_by_id(db, rubric_id)
    return save_rubric(db, DEFAULT_RUBRIC.read_text(encoding="utf-8"), DEFAULT_RUBRIC.name)


def load_rubric_file(db: sqlite_utils.Database, path: Path) -> Rubric:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise RubricError(f"{path}: cannot be read ({exc.strerror})") from exc
    except UnicodeDecodeError as exc:
        raise RubricError(
            f"{path}: byte {exc.start + 1} is not UTF-8 text; save the rubric as UTF-8 (any text editor can), then "
            "try again"
        ) from None
    return save_rubric(db, text, path.name)
