-- Personal iCalendar feeds: a secret URL per user (only its hash kept).
-- +goose Up
CREATE TABLE calendar_feeds (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id),
    token_hash TEXT NOT NULL,
    revoked_at {{.Time}},
    created_at {{.Time}} NOT NULL,
    updated_at {{.Time}} NOT NULL
);
CREATE UNIQUE INDEX calendar_feeds_token_key ON calendar_feeds (token_hash);
CREATE INDEX calendar_feeds_user_idx ON calendar_feeds (user_id);
