-- Contract documents (every uploaded version with its extracted text), the
-- key terms proposed from them and confirmed by legal, review comments, and
-- the clause playbook's versions.
-- +goose Up
ALTER TABLE contracts ADD COLUMN review_status TEXT NOT NULL DEFAULT 'none'; -- none, pending, signed_off
ALTER TABLE contracts ADD COLUMN signed_off_by TEXT REFERENCES users (id);
ALTER TABLE contracts ADD COLUMN signed_off_at {{.Time}};
-- The date that makes a contract urgent: its cancel-by date, else its term
-- end, else far away; the legal queue and the list sort by it so undated
-- contracts come last.
ALTER TABLE contracts ADD COLUMN urgency TEXT NOT NULL DEFAULT '9999-12-31';
UPDATE contracts SET urgency = CASE WHEN cancel_by <> '' THEN cancel_by WHEN current_term_end <> '' THEN current_term_end ELSE '9999-12-31' END;
CREATE INDEX contracts_urgency_idx ON contracts (urgency, id) WHERE archived_at IS NULL;
CREATE INDEX contracts_review_idx ON contracts (review_status, urgency, id) WHERE archived_at IS NULL;

CREATE TABLE contract_documents (
    id            TEXT PRIMARY KEY,
    contract_id   TEXT NOT NULL REFERENCES contracts (id),
    number        BIGINT NOT NULL,               -- 1, 2, ... per contract
    filename      TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    format        TEXT NOT NULL,                 -- pdf, docx, txt, md
    size          BIGINT NOT NULL,
    sha256        TEXT NOT NULL,
    storage_key   TEXT NOT NULL,
    pages         BIGINT NOT NULL DEFAULT 0,
    page_starts   TEXT NOT NULL DEFAULT '[]', -- JSON: character offsets where pages start
    text          TEXT NOT NULL DEFAULT '',
    needs_ocr     BOOLEAN NOT NULL DEFAULT FALSE,
    uploaded_by   TEXT NOT NULL REFERENCES users (id),
    created_at    {{.Time}} NOT NULL,
    updated_at    {{.Time}} NOT NULL
);
CREATE UNIQUE INDEX contract_documents_number_idx ON contract_documents (contract_id, number);

CREATE TABLE contract_terms (
    id              TEXT PRIMARY KEY,
    contract_id     TEXT NOT NULL REFERENCES contracts (id),
    document_id     TEXT REFERENCES contract_documents (id),
    term_key        TEXT NOT NULL,
    found           BOOLEAN NOT NULL DEFAULT FALSE,
    value           TEXT NOT NULL DEFAULT '',
    normalized      TEXT NOT NULL DEFAULT 'null', -- JSON
    confidence      DOUBLE PRECISION NOT NULL DEFAULT 0,
    evidence        TEXT NOT NULL DEFAULT '[]', -- JSON quotes with offsets
    conflicts       TEXT NOT NULL DEFAULT '[]', -- JSON disagreeing clauses
    -- What extraction proposed, kept when a reviewer corrects the value.
    extracted_found BOOLEAN NOT NULL DEFAULT FALSE,
    extracted_value TEXT NOT NULL DEFAULT '',
    review_state    TEXT NOT NULL DEFAULT 'proposed', -- proposed, confirmed, corrected
    reviewed_by     TEXT REFERENCES users (id),
    reviewed_at     {{.Time}},
    note            TEXT NOT NULL DEFAULT '',
    finding_id      TEXT REFERENCES findings (id),
    version         BIGINT NOT NULL DEFAULT 1,
    created_at      {{.Time}} NOT NULL,
    updated_at      {{.Time}} NOT NULL
);
CREATE UNIQUE INDEX contract_terms_key_idx ON contract_terms (contract_id, term_key);

CREATE TABLE contract_comments (
    id          TEXT PRIMARY KEY,
    contract_id TEXT NOT NULL REFERENCES contracts (id),
    author_id   TEXT NOT NULL REFERENCES users (id),
    body        TEXT NOT NULL,
    created_at  {{.Time}} NOT NULL,
    updated_at  {{.Time}} NOT NULL
);
CREATE INDEX contract_comments_contract_idx ON contract_comments (contract_id, created_at);

CREATE TABLE playbooks (
    id         TEXT PRIMARY KEY,
    version    BIGINT NOT NULL,
    content    TEXT NOT NULL,            -- JSON playbook
    note       TEXT NOT NULL DEFAULT '',
    created_by TEXT REFERENCES users (id),
    created_at {{.Time}} NOT NULL,
    updated_at {{.Time}} NOT NULL
);
CREATE UNIQUE INDEX playbooks_version_idx ON playbooks (version);
