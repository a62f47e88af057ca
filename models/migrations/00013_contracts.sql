-- Contracts with their terms; the current term's end and cancel-by dates
-- are computed and stored, so the renewal calendar is an indexed query.
-- +goose Up
CREATE TABLE contracts (
    id                  TEXT PRIMARY KEY,
    vendor_id           TEXT NOT NULL REFERENCES vendors (id),
    parent_id           TEXT REFERENCES contracts (id),
    title               TEXT NOT NULL,
    type                TEXT NOT NULL,           -- msa, dpa, sla, order_form, nda, baa, other
    status              TEXT NOT NULL,           -- draft, legal_review, approved, signed, expired, terminated
    effective_date      TEXT NOT NULL DEFAULT '',-- YYYY-MM-DD
    initial_term_months BIGINT NOT NULL DEFAULT 0,
    end_date            TEXT NOT NULL DEFAULT '',
    auto_renewal        BOOLEAN NOT NULL DEFAULT FALSE,
    renewal_term_months BIGINT NOT NULL DEFAULT 0,
    notice_period       BIGINT NOT NULL DEFAULT 0,
    notice_unit         TEXT NOT NULL DEFAULT 'days',
    current_term_end    TEXT NOT NULL DEFAULT '',-- computed
    cancel_by           TEXT NOT NULL DEFAULT '',-- computed from current_term_end and the notice
    value               BIGINT NOT NULL DEFAULT 0,
    currency            TEXT NOT NULL DEFAULT '',
    owner_id            TEXT REFERENCES users (id),
    archived_at         {{.Time}},
    version             BIGINT NOT NULL DEFAULT 1,
    created_at          {{.Time}} NOT NULL,
    updated_at          {{.Time}} NOT NULL
);
CREATE INDEX contracts_vendor_idx ON contracts (vendor_id, created_at);
CREATE INDEX contracts_status_idx ON contracts (status, cancel_by, id);
CREATE INDEX contracts_cancel_by_idx ON contracts (cancel_by, id) WHERE archived_at IS NULL;
CREATE INDEX contracts_end_idx ON contracts (current_term_end, id) WHERE archived_at IS NULL;
CREATE INDEX contracts_created_idx ON contracts (created_at, id);
CREATE INDEX contracts_title_idx ON contracts (title, id);
