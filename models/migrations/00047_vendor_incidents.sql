-- Vendor incidents: a breach or outage a vendor reports (or we learn of),
-- with when it happened, when the vendor knew and when we were told, what
-- it touched, our actions, a status and a timeline (docs/incidents.md).
-- affected_services and data_types hold JSON arrays of strings; data types
-- use the vendor data-type vocabulary (app/vendors.DataTypes).
-- +goose Up
CREATE TABLE incidents (
    id                TEXT PRIMARY KEY,
    vendor_id         TEXT NOT NULL REFERENCES vendors (id),
    title             TEXT NOT NULL,
    description       TEXT NOT NULL DEFAULT '',
    kind              TEXT NOT NULL,               -- breach, outage, other
    severity          TEXT NOT NULL,               -- low, medium, high, critical
    occurred_at       {{.Time}} NOT NULL,
    detected_at       {{.Time}},                   -- when the vendor became aware; NULL when not known
    notified_at       {{.Time}},                   -- when we were told; NULL while not notified
    reported_by       TEXT NOT NULL DEFAULT '',    -- who told us: a name or email, or the portal contact
    reported_via      TEXT NOT NULL DEFAULT 'staff', -- staff, portal
    affected_services TEXT NOT NULL DEFAULT '[]',
    data_types        TEXT NOT NULL DEFAULT '[]',
    records_affected  BIGINT,
    our_actions       TEXT NOT NULL DEFAULT '',
    status            TEXT NOT NULL,               -- open, contained, resolved, closed
    closed_at         {{.Time}},                   -- when it was resolved or closed
    created_by        TEXT REFERENCES users (id),
    version           BIGINT NOT NULL DEFAULT 1,
    created_at        {{.Time}} NOT NULL,
    updated_at        {{.Time}} NOT NULL
);
-- The list sorts and filters: each sort column with id for the cursor.
CREATE INDEX incidents_created_idx ON incidents (created_at, id);
CREATE INDEX incidents_updated_idx ON incidents (updated_at, id);
CREATE INDEX incidents_occurred_idx ON incidents (occurred_at, id);
CREATE INDEX incidents_severity_idx ON incidents (severity, id);
CREATE INDEX incidents_status_idx ON incidents (status, severity);
CREATE INDEX incidents_vendor_idx ON incidents (vendor_id, created_at);

-- The timeline: notes and status changes, oldest first.
CREATE TABLE incident_events (
    id           TEXT PRIMARY KEY,
    incident_id  TEXT NOT NULL REFERENCES incidents (id),
    at           {{.Time}} NOT NULL,
    author_id    TEXT REFERENCES users (id),   -- NULL for the vendor portal
    author_label TEXT NOT NULL DEFAULT '',
    kind         TEXT NOT NULL,                -- note, status_change
    text         TEXT NOT NULL,
    created_at   {{.Time}} NOT NULL,
    updated_at   {{.Time}} NOT NULL
);
CREATE INDEX incident_events_incident_idx ON incident_events (incident_id, at, id);

-- Findings raised from or related to an incident; a finding may belong to
-- more than one incident, so a join table rather than a column on findings.
CREATE TABLE incident_findings (
    id          TEXT PRIMARY KEY,
    incident_id TEXT NOT NULL REFERENCES incidents (id),
    finding_id  TEXT NOT NULL REFERENCES findings (id),
    created_by  TEXT REFERENCES users (id),
    created_at  {{.Time}} NOT NULL,
    updated_at  {{.Time}} NOT NULL
);
CREATE UNIQUE INDEX incident_findings_pair_idx ON incident_findings (incident_id, finding_id);
CREATE INDEX incident_findings_finding_idx ON incident_findings (finding_id);

-- Incident report links: a vendor contact reports an incident without an
-- account. Only the token's hash is stored; a link expires and can be revoked.
CREATE TABLE incident_links (
    id            TEXT PRIMARY KEY,
    vendor_id     TEXT NOT NULL REFERENCES vendors (id),
    token_hash    TEXT NOT NULL,
    contact_email TEXT NOT NULL DEFAULT '',
    expires_at    {{.Time}} NOT NULL,
    revoked_at    {{.Time}},
    last_used_at  {{.Time}},
    created_by    TEXT REFERENCES users (id),
    created_at    {{.Time}} NOT NULL,
    updated_at    {{.Time}} NOT NULL
);
CREATE UNIQUE INDEX incident_links_token_idx ON incident_links (token_hash);
CREATE INDEX incident_links_vendor_idx ON incident_links (vendor_id, created_at);
