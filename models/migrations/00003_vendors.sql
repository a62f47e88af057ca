-- The vendor register. Multi-valued fields that lists filter on (tags,
-- data types) have their own indexed tables; the rest are JSON text.
-- +goose Up
CREATE TABLE vendors (
    id                  TEXT PRIMARY KEY,
    name                TEXT NOT NULL,
    name_key            TEXT NOT NULL,      -- normalised name, for duplicate detection
    legal_name          TEXT NOT NULL DEFAULT '',
    website             TEXT NOT NULL DEFAULT '',
    domain              TEXT NOT NULL DEFAULT '', -- website host without www., for duplicates and import matching
    description         TEXT NOT NULL DEFAULT '',
    category            TEXT NOT NULL,
    status              TEXT NOT NULL,
    owner_id            TEXT REFERENCES users (id),
    department          TEXT NOT NULL DEFAULT '',
    access_level        TEXT NOT NULL DEFAULT 'none',
    integration_methods TEXT NOT NULL DEFAULT '[]',
    hosting_regions     TEXT NOT NULL DEFAULT '[]',
    annual_spend        BIGINT NOT NULL DEFAULT 0,
    currency            TEXT NOT NULL DEFAULT '',
    internal_users      BIGINT NOT NULL DEFAULT 0,
    criticality         BIGINT NOT NULL DEFAULT 1, -- 1 low .. 4 critical
    external_id         TEXT,
    search_text         TEXT NOT NULL DEFAULT '', -- lower-cased name, legal name, website, description
    archived_at         {{.Time}},
    version             BIGINT NOT NULL DEFAULT 1,
    created_at          {{.Time}} NOT NULL,
    updated_at          {{.Time}} NOT NULL
);
CREATE INDEX vendors_name_idx ON vendors (name, id);
CREATE INDEX vendors_status_idx ON vendors (status, name, id);
CREATE INDEX vendors_category_idx ON vendors (category, name, id);
CREATE INDEX vendors_department_idx ON vendors (department, name, id);
CREATE INDEX vendors_owner_idx ON vendors (owner_id, name, id);
CREATE INDEX vendors_criticality_idx ON vendors (criticality, id);
CREATE INDEX vendors_spend_idx ON vendors (annual_spend, id);
CREATE INDEX vendors_users_idx ON vendors (internal_users, id);
CREATE INDEX vendors_created_idx ON vendors (created_at, id);
CREATE INDEX vendors_updated_idx ON vendors (updated_at, id);
CREATE INDEX vendors_name_key_idx ON vendors (name_key);
CREATE INDEX vendors_domain_idx ON vendors (domain);
CREATE INDEX vendors_archived_idx ON vendors (archived_at);
CREATE UNIQUE INDEX vendors_external_id_key ON vendors (external_id);

CREATE TABLE vendor_tags (
    vendor_id TEXT NOT NULL REFERENCES vendors (id) ON DELETE CASCADE,
    tag       TEXT NOT NULL,
    PRIMARY KEY (vendor_id, tag)
);
CREATE INDEX vendor_tags_tag_idx ON vendor_tags (tag, vendor_id);

CREATE TABLE vendor_data_types (
    vendor_id TEXT NOT NULL REFERENCES vendors (id) ON DELETE CASCADE,
    data_type TEXT NOT NULL,
    PRIMARY KEY (vendor_id, data_type)
);
CREATE INDEX vendor_data_types_type_idx ON vendor_data_types (data_type, vendor_id);

CREATE TABLE vendor_contacts (
    id         TEXT PRIMARY KEY,
    vendor_id  TEXT NOT NULL REFERENCES vendors (id) ON DELETE CASCADE,
    position   BIGINT NOT NULL,
    name       TEXT NOT NULL,
    email      TEXT NOT NULL DEFAULT '',
    role       TEXT NOT NULL DEFAULT '',
    phone      TEXT NOT NULL DEFAULT '',
    created_at {{.Time}} NOT NULL,
    updated_at {{.Time}} NOT NULL
);
CREATE INDEX vendor_contacts_vendor_idx ON vendor_contacts (vendor_id, position);

-- Fourth parties: another vendor in the register, or a name as free text.
CREATE TABLE vendor_subprocessors (
    id               TEXT PRIMARY KEY,
    vendor_id        TEXT NOT NULL REFERENCES vendors (id) ON DELETE CASCADE,
    position         BIGINT NOT NULL,
    linked_vendor_id TEXT REFERENCES vendors (id),
    name             TEXT NOT NULL,
    purpose          TEXT NOT NULL DEFAULT '',
    created_at       {{.Time}} NOT NULL,
    updated_at       {{.Time}} NOT NULL
);
CREATE INDEX vendor_subprocessors_vendor_idx ON vendor_subprocessors (vendor_id, position);
CREATE INDEX vendor_subprocessors_linked_idx ON vendor_subprocessors (linked_vendor_id);
