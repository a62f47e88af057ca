-- SOC report review checklists: one per evidence version that app/soc2
-- read as a SOC 1/SOC 2 report, built from what was read (period,
-- opinion, each exception, each CUEC, each subservice organization), so
-- the reviewer decides each item against its quote. summary keeps the
-- counts scoring and the vendor report read (JSON), so a vendor's score
-- needs one row, not its items.
-- +goose Up
CREATE TABLE soc_reviews (
    id           TEXT PRIMARY KEY,
    vendor_id    TEXT NOT NULL REFERENCES vendors (id),
    document_id  TEXT NOT NULL REFERENCES evidence_documents (id),
    version_id   TEXT NOT NULL REFERENCES evidence_versions (id),
    framework    TEXT NOT NULL DEFAULT '', -- SOC 1, SOC 2
    status       TEXT NOT NULL DEFAULT 'open', -- open, completed
    outcome      TEXT NOT NULL DEFAULT '', -- passed, accepted, findings ('' while open)
    summary      TEXT NOT NULL DEFAULT '{}',
    completed_by TEXT REFERENCES users (id),
    completed_at {{.Time}},
    version      BIGINT NOT NULL DEFAULT 1,
    created_at   {{.Time}} NOT NULL,
    updated_at   {{.Time}} NOT NULL
);
CREATE UNIQUE INDEX soc_reviews_version_idx ON soc_reviews (version_id);
CREATE INDEX soc_reviews_vendor_idx ON soc_reviews (vendor_id, document_id);

-- One row per checklist item, in position order. kind: period, opinion,
-- exception, cuec, subservice. ref_index is the item's index in the read
-- report's list (exceptions, cuecs, subservice), -1 for period and
-- opinion. proposed is what the report alone says (pass, or '' when a
-- decision is needed; info for an inclusive subservice organization).
CREATE TABLE soc_review_items (
    id                 TEXT PRIMARY KEY,
    review_id          TEXT NOT NULL REFERENCES soc_reviews (id),
    position           BIGINT NOT NULL,
    kind               TEXT NOT NULL,
    ref_index          BIGINT NOT NULL DEFAULT -1,
    label              TEXT NOT NULL DEFAULT '',
    control            TEXT NOT NULL DEFAULT '',
    method             TEXT NOT NULL DEFAULT '',
    quote              TEXT NOT NULL DEFAULT '',
    page               BIGINT NOT NULL DEFAULT 0,
    proposed           TEXT NOT NULL DEFAULT '',
    decision           TEXT NOT NULL DEFAULT '', -- '' undecided, pass, bridge_letter, accepted, finding, mapped, not_applicable, linked, flagged, info
    reason             TEXT NOT NULL DEFAULT '',
    owner_id           TEXT REFERENCES users (id),
    control_ref        TEXT NOT NULL DEFAULT '',
    finding_id         TEXT REFERENCES findings (id),
    linked_vendor_id   TEXT REFERENCES vendors (id),
    bridge_document_id TEXT REFERENCES evidence_documents (id),
    decided_by         TEXT REFERENCES users (id),
    decided_at         {{.Time}},
    version            BIGINT NOT NULL DEFAULT 1,
    created_at         {{.Time}} NOT NULL,
    updated_at         {{.Time}} NOT NULL
);
CREATE UNIQUE INDEX soc_review_items_position_idx ON soc_review_items (review_id, position);
