-- A conversation on each answer of an assessment: staff reviewers and the
-- vendor (through its portal link) write plain-text messages and attach
-- files, both ways. A thread is keyed by the assessment and the question,
-- not by the answer row, so a question nobody answered yet can be asked
-- about too. The same change adds the vendor portal's logo (Settings).
-- +goose Up
CREATE TABLE answer_messages (
    id            TEXT PRIMARY KEY,
    assessment_id TEXT NOT NULL REFERENCES assessments (id),
    question_key  TEXT NOT NULL,
    author_kind   TEXT NOT NULL,                              -- staff or vendor
    author_id     TEXT REFERENCES users (id),                 -- the staff author
    invitation_id TEXT REFERENCES portal_invitations (id),    -- the vendor's link
    author_name   TEXT NOT NULL DEFAULT '',                   -- the vendor contact as invited
    author_email  TEXT NOT NULL DEFAULT '',
    body          TEXT NOT NULL,
    created_at    {{.Time}} NOT NULL,
    updated_at    {{.Time}} NOT NULL
);
CREATE INDEX answer_messages_question_idx ON answer_messages (assessment_id, question_key, created_at);

-- A file sent with a message; the bytes live in file storage.
CREATE TABLE answer_message_files (
    id            TEXT PRIMARY KEY,
    message_id    TEXT NOT NULL REFERENCES answer_messages (id),
    assessment_id TEXT NOT NULL REFERENCES assessments (id),
    uploaded_via  TEXT NOT NULL,                              -- staff or portal
    filename      TEXT NOT NULL,
    content_type  TEXT NOT NULL,                              -- detected from the content
    size          BIGINT NOT NULL,
    sha256        TEXT NOT NULL,
    storage_key   TEXT NOT NULL,
    created_at    {{.Time}} NOT NULL,
    updated_at    {{.Time}} NOT NULL
);
CREATE INDEX answer_message_files_message_idx ON answer_message_files (message_id);
CREATE INDEX answer_message_files_assessment_idx ON answer_message_files (assessment_id, uploaded_via);

-- How far each staff member has read each thread, for the review's
-- unread counts.
CREATE TABLE answer_thread_reads (
    id            TEXT PRIMARY KEY,
    assessment_id TEXT NOT NULL REFERENCES assessments (id),
    question_key  TEXT NOT NULL,
    user_id       TEXT NOT NULL REFERENCES users (id),
    read_at       {{.Time}} NOT NULL,
    created_at    {{.Time}} NOT NULL,
    updated_at    {{.Time}} NOT NULL
);
CREATE UNIQUE INDEX answer_thread_reads_key ON answer_thread_reads (assessment_id, question_key, user_id);

-- The logo the vendor portal shows beside the asking company's name, set
-- in Settings; one row at most (id 'portal'). The bytes live in file
-- storage.
CREATE TABLE portal_logos (
    id           TEXT PRIMARY KEY,
    uploaded_by  TEXT NOT NULL REFERENCES users (id),
    filename     TEXT NOT NULL,
    content_type TEXT NOT NULL,                               -- detected from the content
    size         BIGINT NOT NULL,
    sha256       TEXT NOT NULL,
    storage_key  TEXT NOT NULL,
    created_at   {{.Time}} NOT NULL,
    updated_at   {{.Time}} NOT NULL
);
