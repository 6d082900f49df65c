"""Who made what in a pack: the signed content of reviews, calibration sets and the pack itself, and the
trust check that refuses a pack claiming someone else's work.

What is signed is only what travels unchanged between workspaces: a review's rubric is named by its
criteria and scale (a workspace may map it to a local rubric of another name), evidence by time, not by
local segment ids. Signing and checking build the content with the same functions, so a review forwarded
by a lead still carries its reviewer's signature.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlite_utils

from empathy_audit.packs.format import Pack, PackProblem
from empathy_audit.scoring.rubric import Rubric
from empathy_audit.signing import fingerprint, verify
from empathy_audit.store.keys import local_names, trusted_keys

REVIEW_FIELDS = (
    "uid",
    "version_key",
    "reviewer",
    "call_sha256",
    "calibration_uid",
    "created_at",
    "submitted_at",
    "overall_note",
    "data_missed",
    "emotional_context",
    "context_flag",
)


def rubric_shape(rubric: Rubric | dict) -> dict[str, Any]:
    """A rubric as reviews are signed against it: its criteria (in order) and its scale."""
    if isinstance(rubric, Rubric):
        return {"criteria": [c.key for c in rubric.criteria], "max_score": rubric.max_score}
    return {"criteria": list(rubric.get("criteria") or []), "max_score": rubric.get("max_score", 3)}


def review_content(review: dict[str, Any], shape: dict[str, Any]) -> dict[str, Any]:
    """The signed part of a review as it appears in reviews.json."""
    content: dict[str, Any] = {k: (review.get(k) or None) for k in REVIEW_FIELDS}
    content["scores"] = dict(review.get("scores") or {})
    content["comments"] = {k: v for k, v in (review.get("comments") or {}).items() if v}
    content["evidence"] = sorted(
        [e.get("criterion_key"), float(e.get("start_s", 0)), float(e.get("end_s", 0)), e.get("note") or None]
        for e in review.get("evidence") or []
    )
    content["rubric"] = shape
    return content


def set_content(data: dict[str, Any], shape: dict[str, Any]) -> dict[str, Any]:
    """The signed part of calibration.json."""
    keys = ("uid", "name", "instructions", "lead", "created_at")
    return {**{k: data.get(k) or None for k in keys}, "calls": list(data.get("calls") or []), "rubric": shape}


def manifest_content(manifest: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in manifest.items() if k != "signature"}


@dataclass(frozen=True)
class Claim:
    """A name a pack says did something, and the key that signed it."""

    name: str
    key: str
    what: str  # "made the pack", "review 3", "leads “Week 2”"


class UntrustedKeys(PackProblem):
    """The pack is sound, but signed by keys this workspace has not been told to trust yet."""

    def __init__(self, file: str, claims: list[Claim]) -> None:
        self.file = file
        self.new_keys = claims
        listing = "; ".join(f"{c.name or '(no name)'}: key {fingerprint(c.key)}" for c in claims)
        super().__init__(
            f"{file}: signed by keys this workspace does not know yet ({listing}). Check each fingerprint with "
            "its owner (everyone sees theirs under Help > About, or with `empathy-audit identity`), then import "
            "it again and trust them (`--trust` on the command line; Trust and Import in the app)"
        )


def check_claims(db: sqlite_utils.Database, own_key: str | None, claims: list[Claim], file: str) -> list[Claim]:
    """The claims whose (name, key) is not trusted yet. A name already trusted with another key, or one that
    works in this workspace, is refused: that is a pack claiming someone else's work."""
    new: dict[tuple[str, str], Claim] = {}
    local = local_names(db)
    for claim in claims:
        if claim.key == own_key:
            continue  # made in this workspace
        if claim.name in local:
            raise PackProblem(
                f"{file}: {claim.what} claims to be by {claim.name}, who reviews or leads in this workspace, but is "
                f"signed with another key ({fingerprint(claim.key)}); a pack that claims someone else's work is refused"
            )
        known = trusted_keys(db, claim.name)
        if any(k.key == claim.key for k in known):
            continue
        if known:
            ours = known[0]
            raise PackProblem(
                f"{file}: {claim.what} claims to be by {claim.name}, but is signed with key {fingerprint(claim.key)}; "
                f"{claim.name}'s key here is {ours.fingerprint} (trusted from {ours.first_seen_in}). A pack that "
                f"claims someone else's work is refused. If {claim.name} really has a new key (a new laptop), forget "
                f"the old one first (`empathy-audit keys forget {claim.name}`) and import again"
            )
        new.setdefault((claim.name, claim.key), claim)
    return list(new.values())


def pack_claims(pack: Pack, rubrics: list[dict], reviews: list[dict], calibration: dict | None) -> list[Claim]:
    """Check every signature inside a pack (its manifest's was checked on reading) and say who signed what.

    Raises PackProblem for a signature that does not match: the content was changed by someone else."""
    file = pack.path.name
    shapes = {(r.get("name"), r.get("version")): rubric_shape(r) for r in rubrics if isinstance(r, dict)}
    claims = [Claim(pack.signer_name, pack.signer_key, "the pack's maker")]
    for i, review in enumerate(reviews, 1):
        shape = shapes.get((review["rubric"].get("name"), review["rubric"].get("version")))
        key, signature = review.get("signer_key"), review.get("signature")
        if shape is None:
            raise PackProblem(f"{file}: review {i} names a rubric rubrics.json does not hold")
        if not (isinstance(key, str) and isinstance(signature, str)) or not verify(
            key, review_content(review, shape), signature
        ):
            raise PackProblem(
                f"{file}: review {i} (by {review['reviewer']}) is not signed by its author, or was changed after "
                "they signed it; the pack is refused"
            )
        claims.append(Claim(review["reviewer"], key, f"review {i}"))
    if calibration is not None:
        lead, key = str(calibration.get("lead") or ""), calibration.get("lead_key")
        shape = shapes.get(
            ((calibration.get("rubric") or {}).get("name"), (calibration.get("rubric") or {}).get("version"))
        )
        if shape is None or not isinstance(key, str) or not isinstance(calibration.get("signature"), str):
            raise PackProblem(f"{file}: calibration.json is incomplete (its rubric, lead key and signature are needed)")
        if not verify(key, set_content(calibration, shape), calibration["signature"]):
            raise PackProblem(f"{file}: calibration.json was changed after its lead signed it; the pack is refused")
        if key != pack.signer_key or lead != pack.signer_name:
            raise PackProblem(
                f"{file}: a calibration set travels only in its lead's own packs ({lead} did not make it)"
            )
        claims.append(Claim(lead, key, f"the set “{calibration.get('name')}”"))
    return claims
