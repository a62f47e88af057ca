-- Intake: requests for new tools or vendors, and their timeline.
-- +goose Up
CREATE TABLE tool_requests (
    id                  TEXT PRIMARY KEY,
    title               TEXT NOT NULL,       -- the tool asked for
    vendor_name         TEXT NOT NULL,
    vendor_website      TEXT NOT NULL DEFAULT '',
    purpose             TEXT NOT NULL,       -- business justification
    departments         TEXT NOT NULL DEFAULT '[]',
    user_count          BIGINT NOT NULL DEFAULT 0,
    data_types          TEXT NOT NULL DEFAULT '[]',
    integration_methods TEXT NOT NULL DEFAULT '[]',
    annual_cost         BIGINT NOT NULL DEFAULT 0,
    currency            TEXT NOT NULL DEFAULT '',
    needed_by           TEXT NOT NULL DEFAULT '', -- YYYY-MM-DD or empty
    alternatives        TEXT NOT NULL DEFAULT '',
    status              TEXT NOT NULL,
    requester_id        TEXT NOT NULL REFERENCES users (id),
    assignee_id         TEXT REFERENCES users (id),
    vendor_id           TEXT REFERENCES vendors (id),
    conditions          TEXT NOT NULL DEFAULT '',
    decided_by_id       TEXT REFERENCES users (id),
    decided_at          {{.Time}},
    search_text         TEXT NOT NULL DEFAULT '',
    version             BIGINT NOT NULL DEFAULT 1,
    created_at          {{.Time}} NOT NULL,
    updated_at          {{.Time}} NOT NULL
);
CREATE INDEX tool_requests_status_idx ON tool_requests (status, created_at, id);
CREATE INDEX tool_requests_requester_idx ON tool_requests (requester_id, created_at, id);
CREATE INDEX tool_requests_assignee_idx ON tool_requests (assignee_id, created_at, id);
CREATE INDEX tool_requests_created_idx ON tool_requests (created_at, id);
CREATE INDEX tool_requests_updated_idx ON tool_requests (updated_at, id);
CREATE INDEX tool_requests_needed_idx ON tool_requests (needed_by, id);
CREATE INDEX tool_requests_title_idx ON tool_requests (title, id);
CREATE INDEX tool_requests_vendor_idx ON tool_requests (vendor_id);

CREATE TABLE tool_request_events (
    id          TEXT PRIMARY KEY,
    request_id  TEXT NOT NULL REFERENCES tool_requests (id) ON DELETE CASCADE,
    actor_id    TEXT NOT NULL REFERENCES users (id),
    kind        TEXT NOT NULL,               -- created, status, comment, assigned, vendor_linked, edited
    from_status TEXT NOT NULL DEFAULT '',
    to_status   TEXT NOT NULL DEFAULT '',
    body        TEXT NOT NULL DEFAULT '',
    created_at  {{.Time}} NOT NULL,
    updated_at  {{.Time}} NOT NULL
);
CREATE INDEX tool_request_events_request_idx ON tool_request_events (request_id, created_at, id);
