-- The asking company's name, as vendors read it in the portal and in
-- mails, set in Settings (Vendor portal) beside the logo; one row at most
-- (id 'organization'). Without it the --org-name option's value is used,
-- so installations that never set it keep their name. Every instance
-- reads the row, so a change is seen behind a load balancer at once.
-- +goose Up
CREATE TABLE organization (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL DEFAULT '',                    -- '' until first set
    updated_by TEXT REFERENCES users (id),
    version    BIGINT NOT NULL DEFAULT 1,
    created_at {{.Time}} NOT NULL,
    updated_at {{.Time}} NOT NULL
);
