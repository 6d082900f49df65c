"""Signatures that say who made something: Ed25519 keys, canonical bytes, short fingerprints.

Each workspace has one key pair (store/keys.py keeps it). What travels between workspaces (review
versions, calibration sets, the pack itself) is signed by its author's key, so a pack cannot claim
another reviewer's reviews or another lead's set: the receiving workspace knows each name's key.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey


class SigningKey:
    """A workspace's private key (never leaves the workspace) and its public half."""

    def __init__(self, private: Ed25519PrivateKey) -> None:
        self._private = private
        raw = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        self.public = base64.b64encode(raw).decode("ascii")

    @staticmethod
    def generate() -> SigningKey:
        return SigningKey(Ed25519PrivateKey.generate())

    @staticmethod
    def from_pem(data: bytes) -> SigningKey:
        key = serialization.load_pem_private_key(data, password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError("not an Ed25519 key")
        return SigningKey(key)

    def to_pem(self) -> bytes:
        return self._private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )

    def sign(self, content: Any) -> str:
        """The signature of `content` (anything JSON can hold) as base64."""
        return base64.b64encode(self._private.sign(canonical(content))).decode("ascii")

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public)


def canonical(content: Any) -> bytes:
    """One byte string per value, whatever order its keys were written in."""
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode()


def verify(public: str, content: Any, signature: str) -> bool:
    """True when `signature` is `public`'s signature of `content`; False for anything else, malformed included."""
    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public, validate=True))
        key.verify(base64.b64decode(signature, validate=True), canonical(content))
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True


def fingerprint(public: str) -> str:
    """A short, readable name for a public key, to compare over the phone: 'A1B2 C3D4 E5F6 0718'."""
    digest = hashlib.sha256(public.encode("ascii", "replace")).hexdigest()[:16].upper()
    return " ".join(digest[i : i + 4] for i in range(0, 16, 4))
