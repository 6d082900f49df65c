"""Ordered schema migrations. Append new steps; never edit a step that has shipped.

Each step is plain SQL run inside one transaction together with the bump of
`schema_version`, so a workspace is always at exactly one version.
"""

from __future__ import annotations

from empathy_audit.store.migrations_first import (
    V1_FOUNDATION,
    V2_TRANSCRIPTION,
    V3_REVIEWING,
    V4_OUTCOMES,
    V5_AUDIT_CACHE,
)

V6_CALIBRATION_AND_PACKS = """
-- Reviews travel between workspaces in packs: a stable id per review version, an order that does not
-- depend on local row ids (so merging packs in any order gives the same "latest"), and the
-- calibration set a review belongs to (calibration reviews never count in the audit itself).
ALTER TABLE reviews ADD COLUMN uid TEXT;
ALTER TABLE reviews ADD COLUMN version_key TEXT;
ALTER TABLE reviews ADD COLUMN calibration_uid TEXT;
ALTER TABLE reviews ADD COLUMN origin TEXT;               -- NULL: made here; else the pack it came from
UPDATE reviews SET uid = lower(hex(randomblob(16))),
    version_key = substr(created_at, 1, 19) || '.' || printf('%06d', id % 1000000) || 'Z';
CREATE UNIQUE INDEX reviews_uid ON reviews(uid);
CREATE INDEX reviews_calibration ON reviews(calibration_uid);
CREATE INDEX reviews_sha ON reviews(call_sha256);

CREATE TABLE calibration_sets (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    instructions TEXT NOT NULL DEFAULT '',
    rubric_id INTEGER NOT NULL REFERENCES rubrics(id),
    lead TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('lead', 'participant')),  -- a participant scores blind
    created_at TEXT NOT NULL
);
CREATE TABLE calibration_calls (
    set_id INTEGER NOT NULL REFERENCES calibration_sets(id) ON DELETE CASCADE,
    call_sha256 TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (set_id, call_sha256)
);
-- What packs said about calls this workspace does not have (yet): their reviews wait for them.
CREATE TABLE pack_calls (
    call_sha256 TEXT PRIMARY KEY,
    original_name TEXT,
    agent TEXT,
    team TEXT,
    customer_id TEXT,
    external_id TEXT,
    call_start TEXT,
    duration_s REAL,
    first_seen_in TEXT
);
-- A call that arrives later picks up the reviews that were waiting for it.
CREATE TRIGGER calls_attach_waiting_reviews AFTER INSERT ON calls BEGIN
    UPDATE reviews SET call_id = new.id WHERE call_sha256 = new.sha256 AND call_id IS NULL;
END;
"""

V7_AUDIT_SCALE = """
-- The scale of each call's score (its rubric's max_score), so charts and percentages follow a 0-4 or
-- 0-5 rubric. Every cached score is recomputed once to fill it in.
ALTER TABLE call_audit ADD COLUMN max_score REAL;
INSERT INTO call_audit_dirty SELECT a.call_id FROM call_audit a
    WHERE NOT EXISTS (SELECT 1 FROM call_audit_dirty d WHERE d.call_id = a.call_id);
"""

V8_WORKSPACE_SETTINGS = """
-- Settings that belong to the workspace (not to one person's app), e.g. which rubric is in use: a rubric
-- that arrives in a pack is stored as a version but never made active without the user choosing it.
CREATE TABLE workspace_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

V9_SIGNED_AUTHORSHIP = """
-- Who made what travels: each review version and calibration set carries its author's public key and
-- signature, and the workspace remembers which key it trusts for each name (trust on first use).
ALTER TABLE reviews ADD COLUMN signer_key TEXT;
ALTER TABLE reviews ADD COLUMN signature TEXT;
ALTER TABLE calibration_sets ADD COLUMN lead_key TEXT;
ALTER TABLE calibration_sets ADD COLUMN signature TEXT;
CREATE TABLE trusted_keys (
    name TEXT NOT NULL,
    key TEXT NOT NULL,               -- Ed25519 public key, base64
    fingerprint TEXT NOT NULL,
    first_seen_in TEXT NOT NULL,     -- the pack it was first trusted from
    trusted_at TEXT NOT NULL,
    PRIMARY KEY (name, key)
);
"""

V10_WHO_SAID_IT = """
-- How a recording's channels are laid out (audio/layout.py) and how each call's sides were decided: a mono
-- call copied to both channels is transcribed once, a bleeding one has its echoes dropped, and the agent's
-- side is found from what is said unless someone set it.
ALTER TABLE calls ADD COLUMN channel_layout TEXT;   -- mono | dual_mono | dual | dual_bleed
ALTER TABLE calls ADD COLUMN layout_note TEXT;      -- why (what listening found)
ALTER TABLE calls ADD COLUMN layout_source TEXT NOT NULL DEFAULT 'detected';   -- detected | set | assumed
ALTER TABLE calls ADD COLUMN agent_side_source TEXT NOT NULL DEFAULT 'default'; -- detected | default | set
UPDATE calls SET channel_layout = CASE WHEN channels = 2 THEN 'dual' ELSE 'mono' END, layout_source = 'assumed';
"""

V11_VOCABULARY_AND_LANGUAGE = """
-- The workspace's vocabulary (product, plan, company and agent names) given to the engine as hints, and
-- each call's language as its current transcript found it (for the Library's filter and the rules used).
CREATE TABLE vocabulary (term TEXT PRIMARY KEY COLLATE NOCASE, added_at TEXT NOT NULL);
ALTER TABLE calls ADD COLUMN language TEXT;
UPDATE calls SET language = (SELECT t.language FROM transcripts t WHERE t.call_id = calls.id AND t.is_current = 1);
"""

V12_OUTCOME_DETAILS = """
-- What else an outcome export says about a call: the customer's value (a number, or a tier and its rank in
-- the tier order, higher = more valuable), the contact centre's own handle time, and the survey's comment.
ALTER TABLE outcomes ADD COLUMN customer_value REAL;
ALTER TABLE outcomes ADD COLUMN customer_tier TEXT;
ALTER TABLE outcomes ADD COLUMN tier_rank INTEGER;
ALTER TABLE outcomes ADD COLUMN handle_s REAL;
ALTER TABLE outcomes ADD COLUMN comment TEXT;
ALTER TABLE outcomes ADD COLUMN detail_source TEXT;
"""

V13_COACHING_LOOP = """
-- The coaching loop: an agent acknowledges a review or disputes a criterion's score; a reviewer accepts,
-- partly accepts or rejects a dispute, or escalates it to an arbitrator who is not the original reviewer.
-- An accepted dispute makes a new version of the review (amended_by names the dispute); the old one stays.
-- Each review version records the reviewer's active time on it (Review open on the call, user active).
CREATE TABLE acknowledgements (
    id INTEGER PRIMARY KEY,
    review_id INTEGER NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,
    agent TEXT NOT NULL,
    comment TEXT,
    session_id INTEGER REFERENCES coaching_sessions(id) ON DELETE SET NULL,
    at TEXT NOT NULL
);
CREATE INDEX acknowledgements_review ON acknowledgements(review_id);
CREATE TABLE disputes (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    review_id INTEGER NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,
    criterion_key TEXT NOT NULL,
    original_score INTEGER,
    proposed_score INTEGER NOT NULL,
    reason TEXT NOT NULL,
    opened_by TEXT NOT NULL,
    opened_at TEXT NOT NULL,
    due_at TEXT,                      -- the workspace's time limit, when it has one
    state TEXT NOT NULL DEFAULT 'open'
        CHECK (state IN ('open', 'accepted', 'partly_accepted', 'rejected', 'escalated')),
    decided_by TEXT,
    decided_score INTEGER,
    decision_comment TEXT,
    decided_at TEXT,
    escalated_by TEXT,
    escalated_at TEXT,
    escalation_comment TEXT,
    new_review_id INTEGER REFERENCES reviews(id) ON DELETE SET NULL,
    session_id INTEGER REFERENCES coaching_sessions(id) ON DELETE SET NULL
);
CREATE INDEX disputes_review ON disputes(review_id);
CREATE INDEX disputes_state ON disputes(state);
CREATE TABLE coaching_sessions (
    id INTEGER PRIMARY KEY,
    agent TEXT NOT NULL,
    lead TEXT NOT NULL,
    started_at TEXT NOT NULL,
    ended_at TEXT,
    goals TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT ''
);
CREATE TABLE coaching_todos (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES coaching_sessions(id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    done_at TEXT,
    done_in INTEGER REFERENCES coaching_sessions(id) ON DELETE SET NULL
);
ALTER TABLE reviews ADD COLUMN active_seconds REAL NOT NULL DEFAULT 0;
ALTER TABLE reviews ADD COLUMN amended_by TEXT;   -- the dispute uid whose decision made this version
"""

# Index i holds the step that takes a workspace from version i to i + 1.
MIGRATIONS: list[str] = [
    V1_FOUNDATION,
    V2_TRANSCRIPTION,
    V3_REVIEWING,
    V4_OUTCOMES,
    V5_AUDIT_CACHE,
    V6_CALIBRATION_AND_PACKS,
    V7_AUDIT_SCALE,
    V8_WORKSPACE_SETTINGS,
    V9_SIGNED_AUTHORSHIP,
    V10_WHO_SAID_IT,
    V11_VOCABULARY_AND_LANGUAGE,
    V12_OUTCOME_DETAILS,
    V13_COACHING_LOOP,
]
LATEST_VERSION = len(MIGRATIONS)
