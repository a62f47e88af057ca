-- A finding takes at most one pending exception request, and gets a
-- comment thread and evidence files.
-- +goose Up

-- Earlier versions accepted a second pending request for the same finding.
-- The first request asked stays pending; later duplicates are closed as
-- rejected (with no approver: nobody decided them) so the unique index
-- below can hold. Ids are time-ordered, so the smallest id is the oldest.
UPDATE risk_exceptions SET status = 'rejected', version = version + 1
WHERE status = 'requested' AND finding_id IS NOT NULL
  AND EXISTS (SELECT 1 FROM risk_exceptions older
              WHERE older.finding_id = risk_exceptions.finding_id
                AND older.status = 'requested' AND older.id < risk_exceptions.id);

-- Two requests racing each other: the database refuses the second.
CREATE UNIQUE INDEX risk_exceptions_one_pending_idx ON risk_exceptions (finding_id)
    WHERE status = 'requested' AND finding_id IS NOT NULL;

CREATE TABLE finding_comments (
    id         TEXT PRIMARY KEY,
    finding_id TEXT NOT NULL REFERENCES findings (id),
    author_id  TEXT NOT NULL REFERENCES users (id),
    body       TEXT NOT NULL,
    created_at {{.Time}} NOT NULL,
    updated_at {{.Time}} NOT NULL
);
CREATE INDEX finding_comments_finding_idx ON finding_comments (finding_id, created_at);

-- Evidence attached to a finding; the bytes live in file storage.
CREATE TABLE finding_attachments (
    id           TEXT PRIMARY KEY,
    finding_id   TEXT NOT NULL REFERENCES findings (id),
    uploaded_by  TEXT NOT NULL REFERENCES users (id),
    filename     TEXT NOT NULL,
    content_type TEXT NOT NULL,            -- detected from the content
    size         BIGINT NOT NULL,
    sha256       TEXT NOT NULL,
    storage_key  TEXT NOT NULL,
    created_at   {{.Time}} NOT NULL,
    updated_at   {{.Time}} NOT NULL
);
CREATE INDEX finding_attachments_finding_idx ON finding_attachments (finding_id, created_at);
