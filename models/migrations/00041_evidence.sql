-- The evidence library: a vendor's documents (SOC reports, certificates,
-- pentest summaries, insurance certificates, policies), each kept in every
-- version uploaded. What a version says (issuer, period, expiry, scope)
-- and its review belong to the version, so a new upload of the same
-- document is reviewed afresh while the old ones stay downloadable.
-- vendors.evidence_gaps is kept by scoring (required kinds of the vendor's
-- tier that are missing or expired), so the list filter and the dashboard
-- count are an index read.
-- +goose Up
CREATE TABLE evidence_documents (
    id              TEXT PRIMARY KEY,
    vendor_id       TEXT NOT NULL REFERENCES vendors (id),
    kind            TEXT NOT NULL,
    title           TEXT NOT NULL,
    current_version BIGINT NOT NULL DEFAULT 1,
    version         BIGINT NOT NULL DEFAULT 1,
    created_by      TEXT REFERENCES users (id),
    created_at      {{.Time}} NOT NULL,
    updated_at      {{.Time}} NOT NULL
);
CREATE INDEX evidence_documents_vendor_idx ON evidence_documents (vendor_id, kind, created_at);

CREATE TABLE evidence_versions (
    id            TEXT PRIMARY KEY,
    document_id   TEXT NOT NULL REFERENCES evidence_documents (id),
    number        BIGINT NOT NULL,
    filename      TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size          BIGINT NOT NULL,
    sha256        TEXT NOT NULL,
    storage_key   TEXT NOT NULL,
    issuer        TEXT NOT NULL DEFAULT '',
    period_from   TEXT NOT NULL DEFAULT '', -- YYYY-MM-DD
    period_to     TEXT NOT NULL DEFAULT '',
    expires_on    TEXT NOT NULL DEFAULT '', -- YYYY-MM-DD, '' when it does not expire
    scope         TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL DEFAULT 'received', -- received, in_review, accepted, rejected
    reject_reason TEXT NOT NULL DEFAULT '',
    reviewer_id   TEXT REFERENCES users (id),
    reviewed_at   {{.Time}},
    extracted     TEXT NOT NULL DEFAULT '', -- what app/soc2 read from the file (JSON), '' when not read
    uploaded_by   TEXT NOT NULL REFERENCES users (id),
    created_at    {{.Time}} NOT NULL,
    updated_at    {{.Time}} NOT NULL
);
CREATE UNIQUE INDEX evidence_versions_number_idx ON evidence_versions (document_id, number);
-- The expiry scan reads accepted versions by date.
CREATE INDEX evidence_versions_expiry_idx ON evidence_versions (expires_on, document_id) WHERE status = 'accepted' AND expires_on <> '';
CREATE INDEX evidence_versions_storage_idx ON evidence_versions (storage_key);

ALTER TABLE vendors ADD COLUMN evidence_gaps BIGINT NOT NULL DEFAULT 0;
CREATE INDEX vendors_evidence_gaps_idx ON vendors (name, id) WHERE evidence_gaps > 0 AND archived_at IS NULL;
