-- Sessions, API tokens, sign-in throttling and the audit trail.
-- +goose Up
CREATE TABLE sessions (
    id           TEXT PRIMARY KEY,          -- SHA-256 of the cookie value; the value itself is never stored
    user_id      TEXT NOT NULL REFERENCES users (id),
    csrf_token   TEXT NOT NULL,
    client_ip    TEXT NOT NULL DEFAULT '',
    user_agent   TEXT NOT NULL DEFAULT '',
    last_seen_at {{.Time}} NOT NULL,
    expires_at   {{.Time}} NOT NULL,        -- absolute timeout
    created_at   {{.Time}} NOT NULL,
    updated_at   {{.Time}} NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

CREATE TABLE api_tokens (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id),
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL,             -- SHA-256 of the secret
    prefix       TEXT NOT NULL,             -- first characters, to recognise a token in lists
    read_only    BOOLEAN NOT NULL DEFAULT FALSE,
    expires_at   {{.Time}},
    last_used_at {{.Time}},
    revoked_at   {{.Time}},
    created_at   {{.Time}} NOT NULL,
    updated_at   {{.Time}} NOT NULL
);
CREATE UNIQUE INDEX api_tokens_hash_key ON api_tokens (token_hash);
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id, created_at);

CREATE TABLE sign_in_throttles (
    key             TEXT PRIMARY KEY,       -- "account:<email>" or "ip:<address>"
    failures        BIGINT NOT NULL,
    window_start_at {{.Time}} NOT NULL,
    created_at      {{.Time}} NOT NULL,
    updated_at      {{.Time}} NOT NULL
);

CREATE TABLE audit_events (
    id          TEXT PRIMARY KEY,
    seq         BIGINT NOT NULL,            -- position in the hash chain
    occurred_at {{.Time}} NOT NULL,
    actor_type  TEXT NOT NULL,              -- user, token, system, anonymous
    actor_id    TEXT NOT NULL DEFAULT '',
    actor_label TEXT NOT NULL DEFAULT '',   -- email or token name at the time
    action      TEXT NOT NULL,
    object_type TEXT NOT NULL DEFAULT '',
    object_id   TEXT NOT NULL DEFAULT '',
    outcome     TEXT NOT NULL,              -- success, denied, failure
    before_data TEXT,                       -- JSON, kept as text so its bytes (and hash) never change
    after_data  TEXT,
    detail      TEXT NOT NULL DEFAULT '',
    request_id  TEXT NOT NULL DEFAULT '',
    client_ip   TEXT NOT NULL DEFAULT '',
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL,
    created_at  {{.Time}} NOT NULL,
    updated_at  {{.Time}} NOT NULL
);
CREATE UNIQUE INDEX audit_events_seq_key ON audit_events (seq);
CREATE INDEX audit_events_actor_idx ON audit_events (actor_id, seq);
CREATE INDEX audit_events_object_idx ON audit_events (object_type, object_id, seq);
CREATE INDEX audit_events_action_idx ON audit_events (action, seq);
CREATE INDEX audit_events_time_idx ON audit_events (occurred_at);
