-- Remediation with the vendor (docs/risk-scoring.md, "Remediation with the vendor"): a finding shared with a
-- vendor contact through a portal link, where the vendor proposes a plan
-- and a target date and posts progress, and the finding's owner accepts
-- the plan, asks for changes or accepts the work as complete. And
-- evidence requested from the vendor (docs/evidence.md): a document kind
-- asked for through its own link, fulfilled by the vendor's upload.
-- +goose Up
-- One remediation per finding; status follows the state machine in
-- app/findings/remediation.go: requested, plan_proposed, changes_requested,
-- plan_accepted, vendor_marked_done, accepted_closed.
CREATE TABLE finding_remediations (
    id            TEXT PRIMARY KEY,
    finding_id    TEXT NOT NULL REFERENCES findings (id),
    status        TEXT NOT NULL,
    contact_email TEXT NOT NULL,
    message       TEXT NOT NULL DEFAULT '',
    plan          TEXT NOT NULL DEFAULT '',   -- the vendor's latest proposed plan
    target_date   TEXT NOT NULL DEFAULT '',   -- YYYY-MM-DD, the vendor's
    version       BIGINT NOT NULL DEFAULT 1,
    created_by    TEXT REFERENCES users (id),
    created_at    {{.Time}} NOT NULL,
    updated_at    {{.Time}} NOT NULL
);
CREATE UNIQUE INDEX finding_remediations_finding_idx ON finding_remediations (finding_id);

-- The links to it: only the token's hash is stored; sharing again makes a
-- new link and revokes the earlier ones.
CREATE TABLE remediation_links (
    id             TEXT PRIMARY KEY,
    remediation_id TEXT NOT NULL REFERENCES finding_remediations (id),
    token_hash     TEXT NOT NULL,
    contact_email  TEXT NOT NULL,
    expires_at     {{.Time}} NOT NULL,
    revoked_at     {{.Time}},
    last_used_at   {{.Time}},
    created_by     TEXT REFERENCES users (id),
    created_at     {{.Time}} NOT NULL,
    updated_at     {{.Time}} NOT NULL
);
CREATE UNIQUE INDEX remediation_links_token_idx ON remediation_links (token_hash);
CREATE INDEX remediation_links_remediation_idx ON remediation_links (remediation_id, created_at);

-- The timeline both sides see: shared, plans, decisions with their
-- comments, progress updates.
CREATE TABLE remediation_events (
    id             TEXT PRIMARY KEY,
    remediation_id TEXT NOT NULL REFERENCES finding_remediations (id),
    at             {{.Time}} NOT NULL,
    author_id      TEXT REFERENCES users (id),   -- NULL for the vendor
    author_label   TEXT NOT NULL DEFAULT '',
    kind           TEXT NOT NULL,  -- shared, plan_proposed, changes_requested, plan_accepted, progress, marked_done, reopened, accepted_closed
    text           TEXT NOT NULL DEFAULT '',
    target_date    TEXT NOT NULL DEFAULT '',
    created_at     {{.Time}} NOT NULL,
    updated_at     {{.Time}} NOT NULL
);
CREATE INDEX remediation_events_remediation_idx ON remediation_events (remediation_id, at, id);

-- Files the vendor sent with a progress update.
CREATE TABLE remediation_files (
    id             TEXT PRIMARY KEY,
    remediation_id TEXT NOT NULL REFERENCES finding_remediations (id),
    event_id       TEXT NOT NULL REFERENCES remediation_events (id),
    filename       TEXT NOT NULL,
    content_type   TEXT NOT NULL,
    size           BIGINT NOT NULL,
    sha256         TEXT NOT NULL,
    storage_key    TEXT NOT NULL,
    created_at     {{.Time}} NOT NULL,
    updated_at     {{.Time}} NOT NULL
);
CREATE INDEX remediation_files_remediation_idx ON remediation_files (remediation_id, created_at);

-- Evidence requested from a vendor: a kind, a due date and a message, with
-- its own link; the vendor's upload becomes a version in the library.
CREATE TABLE evidence_requests (
    id             TEXT PRIMARY KEY,
    vendor_id      TEXT NOT NULL REFERENCES vendors (id),
    kind           TEXT NOT NULL,
    contact_email  TEXT NOT NULL,
    message        TEXT NOT NULL DEFAULT '',
    due_date       TEXT NOT NULL,
    status         TEXT NOT NULL,            -- requested, uploaded, cancelled
    token_hash     TEXT NOT NULL,
    expires_at     {{.Time}} NOT NULL,
    last_used_at   {{.Time}},
    document_id    TEXT REFERENCES evidence_documents (id),
    version_number BIGINT,
    uploaded_at    {{.Time}},
    cancelled_at   {{.Time}},
    created_by     TEXT REFERENCES users (id),
    version        BIGINT NOT NULL DEFAULT 1,
    created_at     {{.Time}} NOT NULL,
    updated_at     {{.Time}} NOT NULL
);
CREATE UNIQUE INDEX evidence_requests_token_idx ON evidence_requests (token_hash);
CREATE INDEX evidence_requests_vendor_idx ON evidence_requests (vendor_id, created_at, id);

