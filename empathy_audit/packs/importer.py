"""Importing packs: checked whole, then merged in one transaction (or not at all).

Merging is by identity, so it is idempotent and order-independent: calls by content hash, reviews by
their uid (each submitted version has its own), calibration sets by uid. Which version of a reviewer's
review counts is decided by its version key, never by the order packs arrived in.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlite_utils

from empathy_audit.audio.probe import AudioProblem, probe_audio
from empathy_audit.jobs import Report, no_report
from empathy_audit.packs.authorship import UntrustedKeys, check_claims, pack_claims
from empathy_audit.packs.format import Pack, PackProblem, read_pack
from empathy_audit.packs.validation import check_structure
from empathy_audit.scoring.rubric import Rubric, RubricError
from empathy_audit.signing import fingerprint
from empathy_audit.store.database import utc_now, write_transaction
from empathy_audit.store.keys import own_public_key, trust_key
from empathy_audit.store.packs import (
    add_set_calls,
    arrived_with_audio,
    call_id_by_sha,
    has_current_transcript,
    insert_pack_call,
    insert_pack_review,
    insert_participant_set,
    remember_set_key,
    remember_waiting_call,
    review_uid_known,
    rubric_ids,
    set_by_uid,
    set_name_taken,
)
from empathy_audit.store.rubrics import active_rubric, rubric_by_id, save_rubric
from empathy_audit.store.transcripts import Provenance, save_transcript, segment_from_json
from empathy_audit.store.workspace import Workspace
from empathy_audit.transcription.conversation import compute_metrics


@dataclass
class PackImport:
    file: str
    kind: str
    reviews_added: int = 0
    reviews_known: int = 0
    calls_added: int = 0
    calls_waiting: list[str] = field(default_factory=list)  # names of calls whose audio this workspace lacks
    transcripts_added: int = 0
    rubrics: list[str] = field(default_factory=list)  # how each rubric in the pack was matched
    calibration_set: str | None = None
    trusted: list[str] = field(default_factory=list)  # keys trusted from now on: "name (fingerprint)"

    def as_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _map_rubrics(db: sqlite_utils.Database, pack: Pack, rubrics: list[dict]) -> tuple[dict[tuple, Rubric], list[str]]:
    """(name, version) in the pack → a local rubric with the same criteria. Calibration packs bring their rubric."""
    active_rubric(db)  # a fresh workspace has the default rubric, even before its first review
    local = [rubric_by_id(db, rubric_id) for rubric_id in rubric_ids(db)]
    mapping, notes = {}, []
    for entry in rubrics:
        key = (entry.get("name"), entry.get("version"))
        keys = list(entry.get("criteria") or [])
        same = [r for r in local if [c.key for c in r.criteria] == keys and r.max_score == entry.get("max_score", 3)]
        exact = [r for r in same if (r.name, r.version) == key]
        if exact:
            mapping[key] = exact[-1]
            notes.append(f"{key[0]} v{key[1]}: the same version is here")
        elif same:
            chosen = max(same, key=lambda r: (r.name == key[0], r.id or 0))
            mapping[key] = chosen
            notes.append(f"{key[0]} v{key[1]}: mapped to {chosen.name} v{chosen.version} (same criteria)")
        elif pack.kind == "calibration" and entry.get("source_toml"):
            try:
                added = save_rubric(db, entry["source_toml"], f"{key[0]} (from {pack.path.name})", activate=False)
            except RubricError as exc:
                raise PackProblem(f"{pack.path.name}: its rubric cannot be read ({exc})") from None
            mapping[key] = added
            local.append(added)
            notes.append(f"{key[0]} v{key[1]}: added as {added.name} v{added.version}")
        else:
            ours = "; ".join(f"{r.name} v{r.version}: {', '.join(c.key for c in r.criteria)}" for r in local[-3:])
            raise PackProblem(
                f"{pack.path.name}: its reviews use rubric “{key[0]}” v{key[1]} with criteria {', '.join(keys)}, "
                f"and no rubric here has the same criteria ({ours or 'none yet'}). Load that rubric first "
                "(Review > Edit Rubric, or `empathy-audit rubric import`), then import the pack again"
            )
    return mapping, notes


def _place_audio(ws: Workspace, pack: Pack, call: dict, written: list[Path]) -> str:
    suffix = Path(call["audio"]).suffix.lower()
    relative = Path("media", call["sha256"][:2], call["sha256"] + suffix)
    target = ws.root / relative
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".import-{target.name}.part")
        try:
            pack.copy_audio(call["audio"], partial)
            probe_audio(partial)  # a recording must decode as one, or it could block the real one
        except AudioProblem as exc:
            partial.unlink(missing_ok=True)
            raise PackProblem(f"{pack.path.name}: {call['audio']} is not a recording ({exc})") from None
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        os.replace(partial, target)
        written.append(target)
    return relative.as_posix()


def _add_transcript(db: sqlite_utils.Database, call_id: int, data: dict) -> None:
    segments = [segment_from_json(s) for s in data.get("segments", [])]
    provenance = Provenance(
        engine=data.get("engine") or "unknown",
        engine_version=data.get("engine_version") or "",
        model_name=data.get("model_name") or "",
        model_sha256=data.get("model_sha256") or "",
        settings={**(data.get("settings") or {}), "from_pack": True},
        language=data.get("language"),
        duration_s=float(data.get("duration_s") or 0),
        elapsed_s=float(data.get("elapsed_s") or 0),
    )
    status = "transcribed" if segments else "no_speech"
    save_transcript(db, call_id, provenance, segments, compute_metrics(segments, provenance.duration_s), status)


def _check_scores(pack: Pack, reviews: list[dict], mapping: dict[tuple, Rubric]) -> None:
    for i, review in enumerate(reviews, 1):
        rubric = mapping.get((review["rubric"].get("name"), review["rubric"].get("version")))
        if rubric is None:
            raise PackProblem(f"{pack.path.name}: review {i} names a rubric rubrics.json does not hold")
        keys = {c.key for c in rubric.criteria}
        for key, score in (review.get("scores") or {}).items():
            if key not in keys or (
                score is not None and not (isinstance(score, int) and 0 <= score <= rubric.max_score)
            ):
                raise PackProblem(f"{pack.path.name}: review {i} has an impossible score {key}={score!r}")


def import_pack(ws: Workspace, path: Path, trust_new: bool = False) -> PackImport:
    """Check the pack whole, then merge it in one transaction. Raises PackProblem and changes nothing if bad.

    Every signature must match, and every name must be signed by the key this workspace trusts for it.
    Keys it has not seen yet raise UntrustedKeys, unless `trust_new` (the user checked the fingerprints):
    then they are trusted from now on, in the same transaction."""
    pack = read_pack(path)
    try:
        rubrics, calls, reviews, calibration = check_structure(pack)
        claims = pack_claims(pack, rubrics, reviews, calibration)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        if isinstance(exc, PackProblem):
            raise
        raise PackProblem(
            f"{path.name}: its contents are not what a pack holds ({type(exc).__name__}: {exc})"
        ) from None
    own = own_public_key(ws.root)
    new_keys = check_claims(ws.db, own, claims, path.name)
    if new_keys and not trust_new:
        raise UntrustedKeys(path.name, new_keys)
    summary = PackImport(path.name, pack.kind, trusted=[f"{c.name} ({fingerprint(c.key)})" for c in new_keys])
    written: list[Path] = []
    now = utc_now()
    db = ws.db
    try:
        with write_transaction(db):
            for claim in new_keys:
                trust_key(db, claim.name, claim.key, path.name)
            mapping, summary.rubrics = _map_rubrics(db, pack, rubrics)
            _check_scores(pack, reviews, mapping)
            for call in calls:
                sha = call["sha256"]
                local = call_id_by_sha(db, sha)
                if local is None and call.get("audio"):
                    call_id = insert_pack_call(db, call, _place_audio(ws, pack, call, written), now)
                    arrived_with_audio(db, sha)
                    summary.calls_added += 1
                elif local is None:
                    remember_waiting_call(db, sha, call, path.name)
                    summary.calls_waiting.append(call.get("original_name") or sha[:12])
                    continue
                else:
                    call_id = local
                transcript = pack.json(f"transcripts/{sha}.json")
                if transcript and not has_current_transcript(db, call_id):
                    _add_transcript(db, call_id, transcript)
                    summary.transcripts_added += 1
            for review in reviews:
                if review_uid_known(db, review["uid"]):
                    summary.reviews_known += 1
                    continue
                rubric = mapping[(review["rubric"].get("name"), review["rubric"].get("version"))]
                insert_pack_review(db, review, call_id_by_sha(db, review["call_sha256"]), rubric.id, path.name)
                summary.reviews_added += 1
            if calibration is not None:
                summary.calibration_set = _merge_set(db, calibration, mapping, own)
    except BaseException:
        for file in written:  # the transaction rolled back; its audio goes too
            file.unlink(missing_ok=True)
        raise
    return summary


def _merge_set(db: sqlite_utils.Database, data: dict, mapping: dict[tuple, Rubric], own: str | None) -> str:
    rubric = mapping.get((data.get("rubric", {}).get("name"), data.get("rubric", {}).get("version")))
    if rubric is None or not data.get("uid") or not data.get("name"):
        raise PackProblem("calibration.json is incomplete (uid, name and rubric are needed)")
    known = set_by_uid(db, data["uid"])
    if known is None:
        name = data["name"]
        if set_name_taken(db, name):
            name = f"{name} ({data.get('lead') or 'imported'})"
        set_id = insert_participant_set(db, data, name, rubric.id, utc_now())
    else:
        # Only the key that leads a set may change it: ours for a set made here, the lead's for one that came.
        set_id, lead, role, lead_key = known
        if role == "lead":
            allowed = own is not None and own == data["lead_key"]
        else:
            allowed = lead_key == data["lead_key"] if lead_key else lead == (data.get("lead") or "")
        if not allowed:
            raise PackProblem(
                f"calibration.json reuses the id of set “{data['name']}”, led by {lead or 'someone else'}, but was "
                f"signed by another key ({data.get('lead') or 'nobody'}); only the set's own lead can change it"
            )
        if role != "lead" and not lead_key:
            remember_set_key(db, set_id, data["lead_key"], data["signature"])
    return add_set_calls(db, set_id, list(data.get("calls") or []))


def import_packs(
    ws: Workspace, paths: Sequence[Path], report: Report = no_report, trust_new: bool = False
) -> list[PackImport | PackProblem]:
    """Each pack whole or not at all; a bad one is reported and the rest go on."""
    results: list[PackImport | PackProblem] = []
    for n, path in enumerate(paths):
        report(n / max(1, len(paths)), f"Importing {path.name}")
        try:
            results.append(import_pack(ws, path, trust_new))
        except PackProblem as exc:
            results.append(exc)
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            results.append(PackProblem(f"{path.name}: its contents are not what a pack holds ({exc})"))
    report(1.0, "Packs imported")
    return results
