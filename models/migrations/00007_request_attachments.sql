-- Files attached to intake requests; the bytes live in file storage.
-- +goose Up
CREATE TABLE request_attachments (
    id           TEXT PRIMARY KEY,
    request_id   TEXT NOT NULL REFERENCES tool_requests (id) ON DELETE CASCADE,
    uploaded_by  TEXT NOT NULL REFERENCES users (id),
    filename     TEXT NOT NULL,
    content_type TEXT NOT NULL,            -- detected from the content
    size         BIGINT NOT NULL,
    sha256       TEXT NOT NULL,
    storage_key  TEXT NOT NULL,
    created_at   {{.Time}} NOT NULL,
    updated_at   {{.Time}} NOT NULL
);
CREATE INDEX request_attachments_request_idx ON request_attachments (request_id, created_at);
