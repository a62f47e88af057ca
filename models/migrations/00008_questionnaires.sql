-- Questionnaire templates (versioned), assessments sent to vendors, portal
-- invitations, answers with their review, and evidence files.
-- +goose Up
CREATE TABLE questionnaire_templates (
    id             TEXT PRIMARY KEY,
    key            TEXT NOT NULL,            -- stable across revisions, e.g. rampart-lite
    name           TEXT NOT NULL,
    description    TEXT NOT NULL DEFAULT '',
    revision       BIGINT NOT NULL,          -- 1, 2, ...: an assessment keeps the revision it was sent with
    status         TEXT NOT NULL,            -- draft, published, retired
    builtin        BOOLEAN NOT NULL DEFAULT FALSE,
    content        TEXT NOT NULL,            -- JSON sections and questions
    question_count BIGINT NOT NULL DEFAULT 0,
    created_by     TEXT REFERENCES users (id),
    published_at   {{.Time}},
    version        BIGINT NOT NULL DEFAULT 1,
    created_at     {{.Time}} NOT NULL,
    updated_at     {{.Time}} NOT NULL
);
CREATE UNIQUE INDEX questionnaire_templates_key_rev ON questionnaire_templates (key, revision);
CREATE INDEX questionnaire_templates_status_idx ON questionnaire_templates (status, name);

CREATE TABLE assessments (
    id            TEXT PRIMARY KEY,
    vendor_id     TEXT NOT NULL REFERENCES vendors (id),
    template_id   TEXT NOT NULL REFERENCES questionnaire_templates (id),
    title         TEXT NOT NULL,
    status        TEXT NOT NULL,             -- draft, sent, in_progress, submitted, in_review, completed, cancelled, expired
    due_date      TEXT NOT NULL DEFAULT '',  -- YYYY-MM-DD
    reviewer_id   TEXT REFERENCES users (id),
    contact_name  TEXT NOT NULL DEFAULT '',
    contact_email TEXT NOT NULL DEFAULT '',
    previous_id   TEXT REFERENCES assessments (id),
    effectiveness DOUBLE PRECISION,          -- control effectiveness 0-100 when reviewed
    result        TEXT NOT NULL DEFAULT '{}',-- JSON breakdown behind effectiveness
    sent_at       {{.Time}},
    submitted_at  {{.Time}},
    completed_at  {{.Time}},
    created_by    TEXT REFERENCES users (id),
    version       BIGINT NOT NULL DEFAULT 1,
    created_at    {{.Time}} NOT NULL,
    updated_at    {{.Time}} NOT NULL
);
CREATE INDEX assessments_vendor_idx ON assessments (vendor_id, created_at);
CREATE INDEX assessments_status_idx ON assessments (status, due_date, id);
CREATE INDEX assessments_due_idx ON assessments (due_date, id);
CREATE INDEX assessments_reviewer_idx ON assessments (reviewer_id, due_date, id);
CREATE INDEX assessments_created_idx ON assessments (created_at, id);
CREATE INDEX assessments_updated_idx ON assessments (updated_at, id);

CREATE TABLE portal_invitations (
    id            TEXT PRIMARY KEY,
    assessment_id TEXT NOT NULL REFERENCES assessments (id),
    token_hash    TEXT NOT NULL,             -- SHA-256 of the link's token
    contact_email TEXT NOT NULL DEFAULT '',
    expires_at    {{.Time}} NOT NULL,
    revoked_at    {{.Time}},
    last_used_at  {{.Time}},
    created_by    TEXT REFERENCES users (id),
    created_at    {{.Time}} NOT NULL,
    updated_at    {{.Time}} NOT NULL
);
CREATE UNIQUE INDEX portal_invitations_token_key ON portal_invitations (token_hash);
CREATE INDEX portal_invitations_assessment_idx ON portal_invitations (assessment_id);

CREATE TABLE assessment_answers (
    id             TEXT PRIMARY KEY,
    assessment_id  TEXT NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    question_key   TEXT NOT NULL,
    value          TEXT NOT NULL DEFAULT 'null', -- JSON
    comment        TEXT NOT NULL DEFAULT '',
    previous_value TEXT,                         -- JSON, the answer of the assessment this one reassesses
    review_status  TEXT NOT NULL DEFAULT '',     -- '', accepted, follow_up, finding
    review_comment TEXT NOT NULL DEFAULT '',
    reviewed_by    TEXT REFERENCES users (id),
    reviewed_at    {{.Time}},
    reopened       BOOLEAN NOT NULL DEFAULT FALSE, -- sent back to the vendor for follow-up
    created_at     {{.Time}} NOT NULL,
    updated_at     {{.Time}} NOT NULL
);
CREATE UNIQUE INDEX assessment_answers_question_key ON assessment_answers (assessment_id, question_key);

CREATE TABLE assessment_files (
    id            TEXT PRIMARY KEY,
    assessment_id TEXT NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    question_key  TEXT NOT NULL,
    filename      TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size          BIGINT NOT NULL,
    sha256        TEXT NOT NULL,
    storage_key   TEXT NOT NULL,
    uploaded_via  TEXT NOT NULL,                 -- portal or user
    created_at    {{.Time}} NOT NULL,
    updated_at    {{.Time}} NOT NULL
);
CREATE INDEX assessment_files_question_idx ON assessment_files (assessment_id, question_key);
