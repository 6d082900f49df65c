"""The workspace's own key pair and the keys it trusts for each name (reviewers, leads).

The private key is a file in the workspace (`identity.key`), readable only by its user. Trust is learnt
on first use: the first time a pack signed by a new key for a name arrives, the user confirms the name and
the key's fingerprint; afterwards anything claiming that name with another key is refused.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from empathy_audit.signing import SigningKey, fingerprint
from empathy_audit.store.database import utc_now, write_transaction

KEY_FILE = "identity.key"


class KeyProblem(RuntimeError):
    """The workspace's key cannot be read or made."""


def workspace_key(root: Path) -> SigningKey:
    """The workspace's key pair, made on first use (written atomically, mode 0600)."""
    path = root / KEY_FILE
    if path.exists():
        try:
            return SigningKey.from_pem(path.read_bytes())
        except (OSError, ValueError) as exc:
            raise KeyProblem(
                f"{path} cannot be read as this workspace's key ({exc}); restore it from a backup, or move it away "
                "to make a new one (packs you made before will then carry another key)"
            ) from None
    key = SigningKey.generate()
    partial = path.with_name(f".{KEY_FILE}.part")
    try:
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(key.to_pem())
        os.replace(partial, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise KeyProblem(f"cannot write this workspace's key to {path} ({exc.strerror or exc})") from None
    return key


def own_public_key(root: Path) -> str | None:
    """The workspace's public key, or None while it has none yet (reading never makes one)."""
    return workspace_key(root).public if (root / KEY_FILE).exists() else None


@dataclass(frozen=True)
class TrustedKey:
    name: str
    key: str
    fingerprint: str
    first_seen_in: str
    trusted_at: str


def trusted_keys(db: sqlite_utils.Database, name: str | None = None) -> list[TrustedKey]:
    sql = "SELECT name, key, fingerprint, first_seen_in, trusted_at FROM trusted_keys"
    rows = db.execute(sql + (" WHERE name = ?" if name is not None else "") + " ORDER BY name, trusted_at",
                      [name] if name is not None else []).fetchall()  # fmt: skip
    return [TrustedKey(*row) for row in rows]


def trust_key(db: sqlite_utils.Database, name: str, key: str, source: str) -> None:
    """Remember that `key` signs for `name` (inside the caller's transaction when there is one)."""
    with write_transaction(db):
        db.execute(
            "INSERT INTO trusted_keys (name, key, fingerprint, first_seen_in, trusted_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (name, key) DO NOTHING",
            [name, key, fingerprint(key), source, utc_now()],
        )


def forget_keys(db: sqlite_utils.Database, name: str) -> int:
    """Forget every key trusted for `name` (a reviewer with a new laptop); returns how many."""
    with write_transaction(db):
        return db.execute("DELETE FROM trusted_keys WHERE name = ?", [name]).rowcount


def local_names(db: sqlite_utils.Database) -> set[str]:
    """Names that work in this workspace: reviewers of reviews made here and leads of sets made here.
    Their key is this workspace's own."""
    rows = db.execute(
        "SELECT reviewer FROM reviews WHERE origin IS NULL UNION SELECT lead FROM calibration_sets WHERE role = 'lead'"
    ).fetchall()
    return {r[0] for r in rows if r[0]}
