-- Vendor offboarding: a checklist per vendor, built when offboarding
-- starts from the vendor's record (integration methods) and its contracts
-- (confirmed data_return_deletion terms, cancel-by dates). At most one
-- offboarding of a vendor is open at a time (the partial unique index);
-- completed and cancelled ones stay as history.
-- previous_status is the vendor's status before it started, restored when
-- the offboarding is cancelled.
-- +goose Up
CREATE TABLE vendor_offboardings (
    id              TEXT PRIMARY KEY,
    vendor_id       TEXT NOT NULL REFERENCES vendors (id),
    status          TEXT NOT NULL DEFAULT 'open', -- open, completed, cancelled
    previous_status TEXT NOT NULL,
    started_by      TEXT NOT NULL REFERENCES users (id),
    started_at      {{.Time}} NOT NULL,
    signed_off_by   TEXT REFERENCES users (id),
    signed_off_at   {{.Time}},
    cancelled_by    TEXT REFERENCES users (id),
    cancelled_at    {{.Time}},
    version         BIGINT NOT NULL DEFAULT 1,
    created_at      {{.Time}} NOT NULL,
    updated_at      {{.Time}} NOT NULL
);
CREATE INDEX vendor_offboardings_vendor_idx ON vendor_offboardings (vendor_id, created_at);
CREATE UNIQUE INDEX vendor_offboardings_open_idx ON vendor_offboardings (vendor_id) WHERE status = 'open';

-- One row per checklist item, in position order. kind: revoke_access,
-- data_return, destruction_certificate, contract_exit, close_findings,
-- sign_off. flag says what the reader must know ('no_confirmed_term').
-- term_quote is the confirmed term's quote a data_return item rests on.
CREATE TABLE offboarding_items (
    id              TEXT PRIMARY KEY,
    offboarding_id  TEXT NOT NULL REFERENCES vendor_offboardings (id),
    position        BIGINT NOT NULL,
    kind            TEXT NOT NULL,
    title           TEXT NOT NULL,
    detail          TEXT NOT NULL DEFAULT '',
    due_on          TEXT NOT NULL DEFAULT '', -- YYYY-MM-DD, '' when none
    due_rule        TEXT NOT NULL DEFAULT '', -- how due_on was computed, in words
    flag            TEXT NOT NULL DEFAULT '',
    term_quote      TEXT NOT NULL DEFAULT '',
    contract_id     TEXT REFERENCES contracts (id),
    evidence_id     TEXT REFERENCES evidence_documents (id),
    status          TEXT NOT NULL DEFAULT 'open', -- open, done, waived
    waived_reason   TEXT NOT NULL DEFAULT '',
    note            TEXT NOT NULL DEFAULT '',
    done_by         TEXT REFERENCES users (id),
    done_at         {{.Time}},
    version         BIGINT NOT NULL DEFAULT 1,
    created_at      {{.Time}} NOT NULL,
    updated_at      {{.Time}} NOT NULL
);
CREATE UNIQUE INDEX offboarding_items_position_idx ON offboarding_items (offboarding_id, position);
