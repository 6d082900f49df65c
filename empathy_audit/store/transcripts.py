"""Transcripts, their segments and words, resume checkpoints, and conversation metrics."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

import sqlite_utils

from empathy_audit.domain import ConversationMetrics, Segment, WindowCheckpoint, Word
from empathy_audit.store.database import utc_now, write_transaction


@dataclass
class Provenance:
    engine: str
    engine_version: str
    model_name: str
    model_sha256: str
    settings: dict[str, Any]
    language: str | None
    duration_s: float
    elapsed_s: float


def segment_to_json(seg: Segment) -> dict[str, Any]:
    return asdict(seg)


def segment_from_json(data: dict[str, Any]) -> Segment:
    data = {k: v for k, v in data.items() if k not in ("id", "original_text")}
    words = [Word(**w) for w in data.pop("words", [])]
    return Segment(**data, words=words)


def load_checkpoints(db: sqlite_utils.Database, call_id: int, job_key: str) -> list[WindowCheckpoint]:
    rows = db.query(
        "SELECT * FROM transcription_windows WHERE call_id = ? AND job_key = ? ORDER BY channel, window_index",
        [call_id, job_key],
    )
    out = []
    for row in rows:
        payload = json.loads(row["payload_json"])
        out.append(
            WindowCheckpoint(
                channel=row["channel"],
                index=row["window_index"],
                start_s=row["start_s"],
                end_s=row["end_s"],
                segments=[segment_from_json(s) for s in payload["segments"]],
                language=payload.get("language"),
            )
        )
    return out


def save_checkpoint(db: sqlite_utils.Database, call_id: int, job_key: str, cp: WindowCheckpoint) -> None:
    payload = json.dumps({"segments": [segment_to_json(s) for s in cp.segments], "language": cp.language})
    with write_transaction(db):
        db.execute(
            "INSERT OR REPLACE INTO transcription_windows "
            "(call_id, job_key, channel, window_index, start_s, end_s, payload_json, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [call_id, job_key, cp.channel, cp.index, cp.start_s, cp.end_s, payload, utc_now()],
        )


def save_transcript(
    db: sqlite_utils.Database,
    call_id: int,
    provenance: Provenance,
    segments: list[Segment],
    metrics: ConversationMetrics,
    status: str,
) -> int:
    """Write a finished transcript and make it current, all in one transaction.

    The previous transcript stays (not current) so reviews made on it keep their link.
    """
    now = utc_now()
    with write_transaction(db):
        cursor = db.execute(
            "INSERT INTO transcripts (call_id, is_current, engine, engine_version, model_name, model_sha256, "
            "settings_json, language, duration_s, elapsed_s, created_at) VALUES (?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                call_id,
                provenance.engine,
                provenance.engine_version,
                provenance.model_name,
                provenance.model_sha256,
                json.dumps(provenance.settings, sort_keys=True),
                provenance.language,
                provenance.duration_s,
                round(provenance.elapsed_s, 3),
                now,
            ],
        )
        transcript_id = int(cursor.lastrowid)
        for seq, seg in enumerate(segments):
            seg_cursor = db.execute(
                "INSERT INTO segments (transcript_id, seq, speaker, channel, start_s, end_s, text, confidence, "
                "avg_logprob, no_speech_prob, compression_ratio, flags) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    transcript_id,
                    seq,
                    seg.speaker,
                    seg.channel,
                    seg.start,
                    seg.end,
                    seg.text,
                    seg.confidence,
                    seg.avg_logprob,
                    seg.no_speech_prob,
                    seg.compression_ratio,
                    ",".join(seg.flags) or None,
                ],
            )
            segment_id = seg_cursor.lastrowid
            db.conn.executemany(
                "INSERT INTO words (segment_id, seq, start_s, end_s, word, probability) VALUES (?, ?, ?, ?, ?, ?)",
                [(segment_id, i, w.start, w.end, w.word, w.probability) for i, w in enumerate(seg.words)],
            )
        db.execute("UPDATE transcripts SET is_current = 0 WHERE call_id = ? AND is_current = 1", [call_id])
        db.execute("UPDATE transcripts SET is_current = 1 WHERE id = ?", [transcript_id])
        _write_metrics(db, call_id, transcript_id, metrics, now)
        db.execute(
            "UPDATE calls SET status = ?, error = NULL, progress = NULL, worker_pid = NULL, "
            "worker_heartbeat = NULL, language = ?, updated_at = ? WHERE id = ?",
            [status, provenance.language or None, now, call_id],
        )
        db.execute("DELETE FROM transcription_windows WHERE call_id = ?", [call_id])
    return transcript_id


def _write_metrics(
    db: sqlite_utils.Database, call_id: int, transcript_id: int, m: ConversationMetrics, now: str
) -> None:
    db.execute(
        "INSERT OR REPLACE INTO call_metrics (call_id, transcript_id, agent_talk_s, customer_talk_s, mixed_talk_s, "
        "agent_talk_ratio, longest_customer_monologue_s, silence_total_s, longest_silence_s, overtalk_count, "
        "overtalk_s, computed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            call_id,
            transcript_id,
            m.agent_talk_s,
            m.customer_talk_s,
            m.mixed_talk_s,
            m.agent_talk_ratio,
            m.longest_customer_monologue_s,
            m.silence_total_s,
            m.longest_silence_s,
            m.overtalk_count,
            m.overtalk_s,
            now,
        ],
    )


def current_transcript(db: sqlite_utils.Database, call_id: int) -> tuple[dict[str, Any], list[Segment]] | None:
    """The current transcript's row and its segments (with words), in conversation order."""
    rows = list(db.query("SELECT * FROM transcripts WHERE call_id = ? AND is_current = 1", [call_id]))
    if not rows:
        return None
    transcript = rows[0]
    words: dict[int, list[Word]] = {}
    for w in db.query(
        "SELECT w.* FROM words w JOIN segments s ON s.id = w.segment_id WHERE s.transcript_id = ? "
        "ORDER BY w.segment_id, w.seq",
        [transcript["id"]],
    ):
        words.setdefault(w["segment_id"], []).append(Word(w["start_s"], w["end_s"], w["word"], w["probability"]))
    segments = [
        Segment(
            speaker=row["speaker"],
            start=row["start_s"],
            end=row["end_s"],
            text=row["edited_text"] or row["text"],
            channel=row["channel"],
            confidence=row["confidence"],
            avg_logprob=row["avg_logprob"],
            no_speech_prob=row["no_speech_prob"],
            compression_ratio=row["compression_ratio"],
            flags=(row["flags"] or "").split(",") if row["flags"] else [],
            words=words.get(row["id"], []),
            id=row["id"],
            original_text=row["text"] if row["edited_text"] is not None else None,
        )
        for row in db.query("SELECT * FROM segments WHERE transcript_id = ? ORDER BY seq", [transcript["id"]])
    ]
    return transcript, segments


def call_metrics(db: sqlite_utils.Database, call_id: int) -> dict[str, Any] | None:
    rows = list(db.query("SELECT * FROM call_metrics WHERE call_id = ?", [call_id]))
    return rows[0] if rows else None


def edit_segment(db: sqlite_utils.Database, segment_id: int, text: str, editor: str) -> None:
    """A reviewer's correction; the engine's original text stays in `text`. Empty text undoes it."""
    with write_transaction(db):
        row = db.execute("SELECT text FROM segments WHERE id = ?", [segment_id]).fetchone()
        if row is None:
            raise KeyError(segment_id)
        corrected = text.strip()
        if not corrected or corrected == row[0]:
            db.execute(
                "UPDATE segments SET edited_text = NULL, edited_by = NULL, edited_at = NULL WHERE id = ?", [segment_id]
            )
        else:
            db.execute(
                "UPDATE segments SET edited_text = ?, edited_by = ?, edited_at = ? WHERE id = ?",
                [corrected, editor, utc_now(), segment_id],
            )


def swap_speakers(db: sqlite_utils.Database, call_id: int, agent_channel: str, metrics: ConversationMetrics) -> int:
    """Agent and customer the other way round in the call's current transcript, the agent's channel with them
    (set by a person, so transcribing again keeps it), and the metrics that follow; one transaction.
    Returns how many turns changed speaker."""
    with write_transaction(db):
        row = db.execute("SELECT id FROM transcripts WHERE call_id = ? AND is_current = 1", [call_id]).fetchone()
        if row is None:
            raise KeyError(call_id)
        changed = db.execute(
            "UPDATE segments SET speaker = CASE speaker WHEN 'agent' THEN 'customer' ELSE 'agent' END "
            "WHERE transcript_id = ? AND speaker IN ('agent', 'customer')",
            [row[0]],
        ).rowcount
        now = utc_now()
        db.execute(
            "UPDATE calls SET agent_channel = ?, agent_side_source = 'set', updated_at = ? WHERE id = ?",
            [agent_channel, now, call_id],
        )
        _write_metrics(db, call_id, row[0], metrics, now)
    return changed
