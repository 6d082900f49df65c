"""Making packs: a reviewer's reviews for their lead, or a calibration set for its reviewers."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from empathy_audit.calibration.sets import set_rubric
from empathy_audit.domain import Call, Segment
from empathy_audit.packs.authorship import review_content, rubric_shape, set_content
from empathy_audit.packs.format import SUFFIX, PackProblem, write_pack
from empathy_audit.privacy import REDACTED, CallFindings, find_in_call, redact_text, redacted_segment_text
from empathy_audit.signing import SigningKey
from empathy_audit.store.calibration import CalibrationSet, get_set
from empathy_audit.store.calls import call_by_sha256
from empathy_audit.store.keys import workspace_key
from empathy_audit.store.packs import waiting_call
from empathy_audit.store.reviews import Review, set_review_signature, submitted_reviews
from empathy_audit.store.rubrics import rubric_by_id
from empathy_audit.store.transcripts import current_transcript, segment_to_json
from empathy_audit.store.workspace import OutputProblem, Workspace


@dataclass
class PackExport:
    path: Path
    kind: str
    reviews: int
    calls: int
    transcripts: int
    audio_files: int
    size_bytes: int
    transcripts_redacted: bool = False
    unsigned_left_out: int = 0  # reviews from older, unsigned packs: nobody can vouch for them


def _dump(data: Any) -> bytes:
    return json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True).encode("utf-8")


def review_to_json(review: Review, rubric_ref: dict[str, Any]) -> dict[str, Any]:
    return {
        "uid": review.uid,
        "version_key": review.version_key,
        "reviewer": review.reviewer,
        "call_sha256": review.call_sha256,
        "rubric": rubric_ref,
        "calibration_uid": review.calibration_uid,
        "state": review.state,
        "created_at": review.created_at,
        "updated_at": review.updated_at,
        "submitted_at": review.submitted_at,
        "scores": review.scores,
        "comments": review.comments,
        "overall_note": review.overall_note,
        "data_missed": review.data_missed,
        "emotional_context": review.emotional_context,
        "context_flag": review.context_flag,
        "evidence": [
            {"criterion_key": e.criterion_key, "start_s": e.start_s, "end_s": e.end_s, "note": e.note}
            for e in review.evidence
        ],
    }


def call_to_pack_json(call: Call, audio_name: str | None) -> dict[str, Any]:
    return {
        "sha256": call.sha256,
        "original_name": call.original_name,
        "agent": call.agent,
        "team": call.team,
        "customer_id": call.customer_id,
        "external_id": call.external_id,
        "call_start": call.call_start,
        "queue": call.queue,
        "duration_s": call.duration_s,
        "sample_rate": call.sample_rate,
        "channels": call.channels,
        "codec": call.codec,
        "container": call.container,
        "agent_channel": call.agent_channel,
        "size_bytes": call.size_bytes,
        "audio": audio_name,
    }


def _redacted_segment_json(si: int, seg: Segment, findings: CallFindings) -> dict[str, Any]:
    """A segment with personal data replaced by `[redacted]` in its text, its words and the engine's original."""
    data = {**segment_to_json(seg), "id": None, "text": redacted_segment_text(si, seg, findings)}
    data["words"] = [
        {**w, "word": REDACTED if (si, wi) in findings.words or si in findings.whole_segments else w["word"]}
        for wi, w in enumerate(data.get("words") or [])
    ]
    if seg.original_text is not None:
        data["original_text"] = (
            REDACTED
            if si in findings.whole_segments
            else redact_text(seg.original_text, findings.names, findings.language)
        )
    return data


def _transcript_json(
    ws: Workspace, call_id: int, redact: bool = False, language: str | None = None
) -> dict[str, Any] | None:
    found = current_transcript(ws.db, call_id)
    if found is None:
        return None
    row, segments = found
    if redact:
        findings = find_in_call(segments, language)
        segment_json = [_redacted_segment_json(si, s, findings) for si, s in enumerate(segments)]
    else:
        segment_json = [{**segment_to_json(s), "id": None} for s in segments]
    return {
        "engine": row["engine"],
        "engine_version": row["engine_version"],
        "model_name": row["model_name"],
        "model_sha256": row["model_sha256"],
        "settings": json.loads(row["settings_json"] or "{}"),
        "language": row["language"],
        "duration_s": row["duration_s"],
        "elapsed_s": row["elapsed_s"],
        "personal_data_redacted": redact,
        "segments": segment_json,
    }


@dataclass
class _Contents:
    files: dict[str, bytes] = field(default_factory=dict)
    audio: dict[str, Path] = field(default_factory=dict)  # streamed from the workspace's media
    calls: int = 0
    transcripts: int = 0
    reviews: int = 0
    unsigned_left_out: int = 0  # reviews that came in packs before packs were signed


def _signed_reviews(ws: Workspace, reviews: list[Review], rubrics: dict[int, Any], key: SigningKey) -> list[dict]:
    """reviews.json: each review with its author's signature; reviews made here are signed now (once)."""
    out = []
    for r in reviews:
        rubric = rubrics[r.rubric_id]
        data = review_to_json(r, {"name": rubric.name, "version": rubric.version})
        if r.signature is None:
            if r.origin is not None:
                continue  # someone else's review from an unsigned (older) pack: it cannot be vouched for
            r.signer_key, r.signature = key.public, key.sign(review_content(data, rubric_shape(rubric)))
            set_review_signature(ws.db, r.id, r.signer_key, r.signature)
        out.append({**data, "signer_key": r.signer_key, "signature": r.signature})
    return out


def _assemble(
    ws: Workspace,
    reviews: list[Review],
    shas: Iterable[str],
    include_transcripts: bool,
    include_audio: bool,
    key: SigningKey,
    extra_rubric_ids: Iterable[int] = (),
    redact_transcripts: bool = False,
) -> _Contents:
    out = _Contents()
    rubric_ids = {r.rubric_id for r in reviews} | set(extra_rubric_ids)
    rubrics = {rid: rubric_by_id(ws.db, rid) for rid in rubric_ids}
    out.files["rubrics.json"] = _dump(
        [
            {
                "name": r.name,
                "version": r.version,
                "max_score": r.max_score,
                "criteria": [c.key for c in r.criteria],
                "source_toml": r.source,
            }
            for r in rubrics.values()
        ]
    )
    signed = _signed_reviews(ws, reviews, rubrics, key)
    out.unsigned_left_out, out.reviews = len(reviews) - len(signed), len(signed)
    calls = []
    wanted = list(dict.fromkeys([*shas, *(r["call_sha256"] for r in signed)]))
    for sha in wanted:
        call = call_by_sha256(ws.db, sha)
        if call is None:
            known = waiting_call(ws.db, sha)
            if known is not None:
                calls.append(known)
            continue
        audio_name = None
        if include_audio:
            source = ws.audio_path(call.stored_path)
            if source.is_file():
                audio_name = f"audio/{sha}{source.suffix.lower()}"
                out.audio[audio_name] = source
        calls.append(call_to_pack_json(call, audio_name))
        if include_transcripts:
            transcript = _transcript_json(ws, call.id, redact_transcripts, call.language)
            if transcript is not None:
                out.files[f"transcripts/{sha}.json"] = _dump(transcript)
                out.transcripts += 1
    out.files["calls.json"] = _dump(calls)
    out.files["reviews.json"] = _dump(signed)
    out.calls = len(calls)
    return out


def _submitted(ws: Workspace, where: str, params: list[Any]) -> list[Review]:
    return submitted_reviews(ws.db, where, params)


def _out_path(ws: Workspace, out: Path, overwrite: bool) -> Path:
    """Where the pack goes: never over the workspace's own files, and over another file only when asked."""
    path = out if out.suffix else out.with_suffix(SUFFIX)
    try:
        return ws.check_output_file(path, overwrite)
    except OutputProblem as exc:
        raise PackProblem(str(exc)) from None


def export_review_pack(
    ws: Workspace,
    out: Path,
    reviewer: str | None = None,
    calibration: str | None = None,
    include_transcripts: bool = False,
    include_audio: bool = False,
    redact_transcripts: bool = False,
    overwrite: bool = False,
    made_by: str | None = None,
) -> PackExport:
    """Submitted reviews (every version, so history travels too) with the metadata of their calls.

    `reviewer` limits it to one person's reviews; `calibration` (a set's id, uid or name) to that set's.
    Drafts stay behind: they are unfinished. `redact_transcripts` hides personal data in the transcripts
    (for packs that leave the team); recordings, when included, are not altered.
    """
    out = _out_path(ws, out, overwrite)
    where, params = ["1 = 1"], []
    if reviewer:
        where.append("reviewer = ?")
        params.append(reviewer)
    if calibration:
        where.append("calibration_uid = ?")
        params.append(get_set(ws.db, calibration).uid)
    reviews = _submitted(ws, " AND ".join(where), params)
    if not reviews:
        who = f" by {reviewer}" if reviewer else ""
        raise PackProblem(f"there are no submitted reviews{who} to pack; submit reviews first")
    authors = sorted({r.reviewer for r in reviews})
    maker = (made_by or reviewer or (authors[0] if len(authors) == 1 else "")).strip()
    if not maker:
        raise PackProblem(
            f"say who makes this pack (their name travels with it, signed): its reviews are by {', '.join(authors)}; "
            "add --by NAME"
        )
    key = workspace_key(ws.root)
    contents = _assemble(
        ws, reviews, [], include_transcripts, include_audio, key, redact_transcripts=redact_transcripts
    )
    path = write_pack(out, "review", contents.files, maker, key, contents.audio)
    return _result(path, "review", contents, redact_transcripts)


def export_calibration_pack(
    ws: Workspace,
    ref: int | str | CalibrationSet,
    out: Path,
    include_audio: bool = True,
    redact_transcripts: bool = False,
    overwrite: bool = False,
) -> PackExport:
    """The set (calls, transcripts, rubric, instructions) plus the lead's gold scores, for its reviewers."""
    out = _out_path(ws, out, overwrite)
    cset = ref if isinstance(ref, CalibrationSet) else get_set(ws.db, ref)
    gold = _submitted(ws, "calibration_uid = ? AND reviewer = ?", [cset.uid, cset.lead])
    if cset.role != "lead":
        raise PackProblem(f"“{cset.name}” came from its lead's pack; only its lead can send it to reviewers")
    rubric = set_rubric(ws.db, cset)
    key = workspace_key(ws.root)
    contents = _assemble(
        ws,
        gold,
        cset.call_shas,
        include_transcripts=True,
        include_audio=include_audio,
        key=key,
        extra_rubric_ids=[rubric.id],
        redact_transcripts=redact_transcripts,
    )
    data = {
        "uid": cset.uid,
        "name": cset.name,
        "instructions": cset.instructions,
        "lead": cset.lead,
        "created_at": cset.created_at,
        "rubric": {"name": rubric.name, "version": rubric.version},
        "calls": cset.call_shas,
        "lead_key": key.public,
    }
    data["signature"] = key.sign(set_content(data, rubric_shape(rubric)))
    contents.files["calibration.json"] = _dump(data)
    path = write_pack(out, "calibration", contents.files, cset.lead, key, contents.audio)
    return _result(path, "calibration", contents, redact_transcripts)


def _result(path: Path, kind: str, contents: _Contents, redacted: bool) -> PackExport:
    return PackExport(
        path,
        kind,
        contents.reviews,
        contents.calls,
        contents.transcripts,
        len(contents.audio),
        path.stat().st_size,
        redacted and bool(contents.transcripts),
        contents.unsigned_left_out,
    )
