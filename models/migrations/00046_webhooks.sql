-- Webhooks: endpoints an admin registers for chosen events, the events
-- themselves (written in the transaction of the change they report, so an
-- event exists exactly when its change committed) and one delivery per
-- (event, endpoint), with every try in the log.
-- The secret signs each payload (HMAC-SHA256); it has to be kept in clear
-- to sign, like the SMTP password in the environment.
-- An endpoint's deliveries go one at a time in event order: a worker leases
-- the endpoint (locked_by, locked_until) and sends its due deliveries
-- oldest first, stopping at the first that fails.
-- +goose Up
CREATE TABLE webhook_endpoints (
    id                   TEXT PRIMARY KEY,
    url                  TEXT NOT NULL,
    description          TEXT NOT NULL DEFAULT '',
    events               TEXT NOT NULL,              -- JSON array of event types
    secret               TEXT NOT NULL,
    active               BOOLEAN NOT NULL DEFAULT TRUE,
    allow_private        BOOLEAN NOT NULL DEFAULT FALSE, -- may resolve to loopback, link-local or private addresses
    disabled_reason      TEXT NOT NULL DEFAULT '',
    disabled_at          {{.Time}},
    consecutive_failures BIGINT NOT NULL DEFAULT 0,
    last_delivery_at     {{.Time}},
    locked_by            TEXT NOT NULL DEFAULT '',
    locked_until         {{.Time}},
    version              BIGINT NOT NULL DEFAULT 1,
    created_by           TEXT REFERENCES users (id),
    created_at           {{.Time}} NOT NULL,
    updated_at           {{.Time}} NOT NULL
);
CREATE INDEX webhook_endpoints_active_idx ON webhook_endpoints (active, created_at);

CREATE TABLE webhook_events (
    id          TEXT PRIMARY KEY,             -- UUIDv7: ids sort in the order events happened
    event_key   TEXT NOT NULL,                -- one occurrence: a repeated scan never makes a second event
    type        TEXT NOT NULL,
    object_type TEXT NOT NULL DEFAULT '',
    object_id   TEXT NOT NULL DEFAULT '',
    payload     TEXT NOT NULL,                -- the JSON body sent, fixed when the event happened
    created_at  {{.Time}} NOT NULL,
    updated_at  {{.Time}} NOT NULL
);
CREATE UNIQUE INDEX webhook_events_key_idx ON webhook_events (event_key);

CREATE TABLE webhook_deliveries (
    id               TEXT PRIMARY KEY,
    endpoint_id      TEXT NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    event_id         TEXT NOT NULL REFERENCES webhook_events (id),
    event_type       TEXT NOT NULL,
    status           TEXT NOT NULL,           -- pending, delivered, failed
    attempts         BIGINT NOT NULL DEFAULT 0,
    next_attempt_at  {{.Time}} NOT NULL,
    retry_from       {{.Time}} NOT NULL,      -- the retry window (a day) counts from here: the first try, or a redelivery
    last_status_code BIGINT NOT NULL DEFAULT 0,
    last_error       TEXT NOT NULL DEFAULT '',
    delivered_at     {{.Time}},
    created_at       {{.Time}} NOT NULL,
    updated_at       {{.Time}} NOT NULL
);
CREATE UNIQUE INDEX webhook_deliveries_event_idx ON webhook_deliveries (endpoint_id, event_id);
-- The worker's question: which endpoints have a delivery due.
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at, endpoint_id) WHERE status = 'pending';
-- The delivery log: an endpoint's deliveries newest first, by status.
CREATE INDEX webhook_deliveries_log_idx ON webhook_deliveries (endpoint_id, status, created_at);

CREATE TABLE webhook_attempts (
    id           TEXT PRIMARY KEY,
    delivery_id  TEXT NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    instance     TEXT NOT NULL,
    status_code  BIGINT NOT NULL DEFAULT 0,   -- 0 when no answer came
    error        TEXT NOT NULL DEFAULT '',
    response     TEXT NOT NULL DEFAULT '',    -- the start of the answer's body
    duration_ms  BIGINT NOT NULL DEFAULT 0,
    created_at   {{.Time}} NOT NULL,
    updated_at   {{.Time}} NOT NULL
);
CREATE INDEX webhook_attempts_delivery_idx ON webhook_attempts (delivery_id, created_at);
