"""The first five schema steps (foundation, transcription, reviewing, outcomes, audit cache), as shipped.
Never edit them; new steps go in migrations.py."""

from __future__ import annotations

V1_FOUNDATION = """
CREATE TABLE calls (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL UNIQUE,
    original_name TEXT NOT NULL,
    source_path TEXT,
    stored_path TEXT NOT NULL,          -- relative to the workspace when copied, absolute when linked
    linked INTEGER NOT NULL DEFAULT 0,
    size_bytes INTEGER NOT NULL,
    duration_s REAL NOT NULL,
    sample_rate INTEGER NOT NULL,
    channels INTEGER NOT NULL,
    codec TEXT NOT NULL,
    container TEXT,
    agent TEXT,
    team TEXT,
    customer_id TEXT,
    external_id TEXT,
    call_start TEXT,                    -- ISO 8601
    queue TEXT,
    agent_channel TEXT NOT NULL DEFAULT 'left' CHECK (agent_channel IN ('left', 'right')),
    status TEXT NOT NULL DEFAULT 'new'
        CHECK (status IN ('new', 'transcribing', 'transcribed', 'no_speech', 'failed')),
    error TEXT,
    imported_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX calls_status ON calls(status);
CREATE INDEX calls_agent ON calls(agent);
CREATE INDEX calls_team ON calls(team);
CREATE INDEX calls_call_start ON calls(call_start);
CREATE INDEX calls_external_id ON calls(external_id);
CREATE INDEX calls_customer_id ON calls(customer_id);

CREATE TABLE transcripts (
    id INTEGER PRIMARY KEY,
    call_id INTEGER NOT NULL REFERENCES calls(id) ON DELETE CASCADE,
    is_current INTEGER NOT NULL DEFAULT 0,
    engine TEXT NOT NULL,
    engine_version TEXT,
    model_name TEXT,
    model_sha256 TEXT,
    settings_json TEXT,
    language TEXT,
    duration_s REAL,
    elapsed_s REAL,
    created_at TEXT NOT NULL
);
CREATE INDEX transcripts_call ON transcripts(call_id);
CREATE UNIQUE INDEX transcripts_one_current ON transcripts(call_id) WHERE is_current = 1;

CREATE TABLE segments (
    id INTEGER PRIMARY KEY,
    transcript_id INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    speaker TEXT NOT NULL CHECK (speaker IN ('agent', 'customer', 'mixed')),
    channel INTEGER,                    -- 0 left, 1 right, NULL for a mixed (mono) call
    start_s REAL NOT NULL,
    end_s REAL NOT NULL,
    text TEXT NOT NULL,                 -- what the engine heard; never overwritten
    confidence REAL,
    edited_text TEXT,                   -- a reviewer's correction
    edited_by TEXT,
    edited_at TEXT
);
CREATE INDEX segments_transcript ON segments(transcript_id, start_s);

CREATE VIRTUAL TABLE segments_fts USING fts5(
    text, edited_text, content='segments', content_rowid='id', tokenize='porter unicode61'
);
CREATE TRIGGER segments_ai AFTER INSERT ON segments BEGIN
    INSERT INTO segments_fts(rowid, text, edited_text) VALUES (new.id, new.text, new.edited_text);
END;
CREATE TRIGGER segments_ad AFTER DELETE ON segments BEGIN
    INSERT INTO segments_fts(segments_fts, rowid, text, edited_text)
        VALUES ('delete', old.id, old.text, old.edited_text);
END;
CREATE TRIGGER segments_au AFTER UPDATE ON segments BEGIN
    INSERT INTO segments_fts(segments_fts, rowid, text, edited_text)
        VALUES ('delete', old.id, old.text, old.edited_text);
    INSERT INTO segments_fts(rowid, text, edited_text) VALUES (new.id, new.text, new.edited_text);
END;

CREATE TABLE rubrics (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    version INTEGER NOT NULL,
    source_toml TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (name, version)
);

CREATE TABLE rubric_criteria (
    id INTEGER PRIMARY KEY,
    rubric_id INTEGER NOT NULL REFERENCES rubrics(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    label TEXT NOT NULL,
    position INTEGER NOT NULL,
    weight REAL NOT NULL DEFAULT 1.0,
    critical INTEGER NOT NULL DEFAULT 0,
    allow_na INTEGER NOT NULL DEFAULT 1,
    levels_json TEXT NOT NULL,
    UNIQUE (rubric_id, key)
);

CREATE TABLE reviews (
    id INTEGER PRIMARY KEY,
    call_id INTEGER REFERENCES calls(id) ON DELETE CASCADE,
    call_sha256 TEXT NOT NULL,          -- lets reviews from packs wait for their call
    transcript_id INTEGER REFERENCES transcripts(id) ON DELETE SET NULL,
    rubric_id INTEGER NOT NULL REFERENCES rubrics(id),
    reviewer TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'submitted')),
    overall_note TEXT,
    data_missed TEXT,
    emotional_context TEXT,
    context_flag TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    submitted_at TEXT
);
CREATE INDEX reviews_call ON reviews(call_id);
CREATE INDEX reviews_reviewer ON reviews(reviewer);

CREATE TABLE review_scores (
    review_id INTEGER NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,
    criterion_key TEXT NOT NULL,
    score INTEGER CHECK (score IS NULL OR score >= 0),   -- NULL means N/A
    comment TEXT,
    PRIMARY KEY (review_id, criterion_key)
);

CREATE TABLE evidence (
    id INTEGER PRIMARY KEY,
    review_id INTEGER NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,
    criterion_key TEXT NOT NULL,
    segment_id INTEGER REFERENCES segments(id) ON DELETE SET NULL,
    start_s REAL NOT NULL,
    end_s REAL NOT NULL,
    note TEXT
);
CREATE INDEX evidence_review ON evidence(review_id);

CREATE TABLE outcomes (
    id INTEGER PRIMARY KEY,
    call_id INTEGER REFERENCES calls(id) ON DELETE CASCADE,
    external_id TEXT,
    customer_id TEXT,
    csat REAL,                          -- normalised to 0..1
    csat_raw TEXT,
    csat_scale TEXT,
    churned INTEGER,
    churn_date TEXT,
    source_file TEXT,
    source_line INTEGER,
    imported_at TEXT NOT NULL
);
CREATE INDEX outcomes_call ON outcomes(call_id);
CREATE INDEX outcomes_customer ON outcomes(customer_id);

CREATE TABLE clips (
    id INTEGER PRIMARY KEY,
    call_id INTEGER NOT NULL REFERENCES calls(id) ON DELETE CASCADE,
    start_s REAL NOT NULL,
    end_s REAL NOT NULL,
    title TEXT NOT NULL,
    note TEXT,
    criterion_key TEXT,
    tags_json TEXT NOT NULL DEFAULT '[]',
    transcript_excerpt TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX clips_call ON clips(call_id);
"""

V2_TRANSCRIPTION = """
ALTER TABLE calls ADD COLUMN progress REAL;              -- 0..1 while transcribing
ALTER TABLE calls ADD COLUMN worker_pid INTEGER;         -- who holds the call while transcribing
ALTER TABLE calls ADD COLUMN worker_heartbeat TEXT;

ALTER TABLE segments ADD COLUMN avg_logprob REAL;
ALTER TABLE segments ADD COLUMN no_speech_prob REAL;
ALTER TABLE segments ADD COLUMN compression_ratio REAL;
ALTER TABLE segments ADD COLUMN flags TEXT;              -- e.g. 'suspect:repetition'

CREATE TABLE words (
    id INTEGER PRIMARY KEY,
    segment_id INTEGER NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    start_s REAL NOT NULL,
    end_s REAL NOT NULL,
    word TEXT NOT NULL,
    probability REAL
);
CREATE INDEX words_segment ON words(segment_id, seq);

-- Finished windows of a transcription in progress, so an interrupted long call
-- resumes near where it stopped. job_key names engine, model and settings.
CREATE TABLE transcription_windows (
    call_id INTEGER NOT NULL REFERENCES calls(id) ON DELETE CASCADE,
    job_key TEXT NOT NULL,
    channel INTEGER NOT NULL,           -- -1 for a mixed (mono) call
    window_index INTEGER NOT NULL,
    start_s REAL NOT NULL,
    end_s REAL NOT NULL,
    payload_json TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (call_id, job_key, channel, window_index)
);

CREATE TABLE call_metrics (
    call_id INTEGER PRIMARY KEY REFERENCES calls(id) ON DELETE CASCADE,
    transcript_id INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
    agent_talk_s REAL NOT NULL,
    customer_talk_s REAL NOT NULL,
    mixed_talk_s REAL NOT NULL,
    agent_talk_ratio REAL,
    longest_customer_monologue_s REAL NOT NULL,
    silence_total_s REAL NOT NULL,
    longest_silence_s REAL NOT NULL,
    overtalk_count INTEGER NOT NULL,
    overtalk_s REAL NOT NULL,
    computed_at TEXT NOT NULL
);
"""

V3_REVIEWING = """
-- A score row can carry only a comment; 'scored' tells a decision (a score, or N/A when
-- score is NULL) from a comment written before scoring.
ALTER TABLE review_scores ADD COLUMN scored INTEGER NOT NULL DEFAULT 1;
CREATE INDEX reviews_call_reviewer ON reviews(call_id, reviewer, id);

-- Waveform overview per call and channel (peak per 20 ms, 0..255), computed once.
CREATE TABLE call_waveforms (
    call_id INTEGER PRIMARY KEY REFERENCES calls(id) ON DELETE CASCADE,
    points_per_second INTEGER NOT NULL,
    channels INTEGER NOT NULL,
    peaks BLOB NOT NULL
);
"""

V4_OUTCOMES = """
-- One outcome row per call: CSAT and churn imports merge into it field by field.
DELETE FROM outcomes WHERE call_id IS NOT NULL AND id NOT IN (SELECT MAX(id) FROM outcomes GROUP BY call_id);
CREATE UNIQUE INDEX outcomes_one_per_call ON outcomes(call_id);
ALTER TABLE outcomes ADD COLUMN csat_source TEXT;
ALTER TABLE outcomes ADD COLUMN churn_source TEXT;
"""

V5_AUDIT_CACHE = """
-- Each reviewed call's audit score, kept up to date from the reviews (see analytics/audit.py),
-- so the dashboard reads one row per call instead of every score of every review.
CREATE TABLE call_audit (
    call_id INTEGER PRIMARY KEY REFERENCES calls(id) ON DELETE CASCADE,
    score REAL NOT NULL,
    reviewers TEXT NOT NULL,
    flagged INTEGER NOT NULL,
    quarter TEXT,  -- of the call's start, e.g. 2026Q3 (computed once, not on every view)
    repeat_contact INTEGER NOT NULL DEFAULT 0,  -- the same customer called again within 7 days
    -- per-criterion means, one column per slot of call_audit_keys
    c0 REAL, c1 REAL, c2 REAL, c3 REAL, c4 REAL, c5 REAL, c6 REAL, c7 REAL
);
CREATE TABLE call_audit_keys (slot INTEGER PRIMARY KEY CHECK (slot BETWEEN 0 AND 7), key TEXT NOT NULL UNIQUE);
-- Calls whose reviews changed since call_audit was last brought up to date (kept by triggers).
-- NOT EXISTS rather than OR IGNORE: a trigger's OR clause is overridden by the outer statement's.
CREATE TABLE call_audit_dirty (call_id INTEGER PRIMARY KEY);
INSERT INTO call_audit_dirty SELECT DISTINCT call_id FROM reviews WHERE call_id IS NOT NULL;
CREATE TRIGGER reviews_dirty_ai AFTER INSERT ON reviews WHEN new.call_id IS NOT NULL BEGIN
    INSERT INTO call_audit_dirty SELECT new.call_id
        WHERE NOT EXISTS (SELECT 1 FROM call_audit_dirty WHERE call_id = new.call_id);
END;
CREATE TRIGGER reviews_dirty_au AFTER UPDATE ON reviews BEGIN
    INSERT INTO call_audit_dirty SELECT new.call_id WHERE new.call_id IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM call_audit_dirty WHERE call_id = new.call_id);
    INSERT INTO call_audit_dirty SELECT old.call_id WHERE old.call_id IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM call_audit_dirty WHERE call_id = old.call_id);
END;
CREATE TRIGGER reviews_dirty_ad AFTER DELETE ON reviews WHEN old.call_id IS NOT NULL BEGIN
    INSERT INTO call_audit_dirty SELECT old.call_id
        WHERE NOT EXISTS (SELECT 1 FROM call_audit_dirty WHERE call_id = old.call_id);
END;
-- A call's quarter and repeat-contact flag depend on its start and on the customer's other calls.
CREATE TRIGGER calls_dirty_ai AFTER INSERT ON calls WHEN new.customer_id IS NOT NULL BEGIN
    INSERT INTO call_audit_dirty SELECT a.call_id FROM call_audit a JOIN calls c ON c.id = a.call_id
        WHERE c.customer_id = new.customer_id
        AND NOT EXISTS (SELECT 1 FROM call_audit_dirty d WHERE d.call_id = a.call_id);
END;
CREATE TRIGGER calls_dirty_au AFTER UPDATE OF call_start, imported_at, customer_id ON calls BEGIN
    INSERT INTO call_audit_dirty SELECT a.call_id FROM call_audit a JOIN calls c ON c.id = a.call_id
        WHERE (a.call_id = new.id OR c.customer_id IN (new.customer_id, old.customer_id))
        AND NOT EXISTS (SELECT 1 FROM call_audit_dirty d WHERE d.call_id = a.call_id);
END;
CREATE TRIGGER review_scores_dirty_ai AFTER INSERT ON review_scores BEGIN
    INSERT INTO call_audit_dirty SELECT r.call_id FROM reviews r WHERE r.id = new.review_id
        AND r.call_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM call_audit_dirty d WHERE d.call_id = r.call_id);
END;
CREATE TRIGGER review_scores_dirty_au AFTER UPDATE ON review_scores BEGIN
    INSERT INTO call_audit_dirty SELECT r.call_id FROM reviews r WHERE r.id = new.review_id
        AND r.call_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM call_audit_dirty d WHERE d.call_id = r.call_id);
END;
CREATE TRIGGER review_scores_dirty_ad AFTER DELETE ON review_scores BEGIN
    INSERT INTO call_audit_dirty SELECT r.call_id FROM reviews r WHERE r.id = old.review_id
        AND r.call_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM call_audit_dirty d WHERE d.call_id = r.call_id);
END;
CREATE INDEX calls_customer_start ON calls(customer_id, call_start);
"""
