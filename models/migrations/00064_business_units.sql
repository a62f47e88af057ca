-- Business units (docs/business-units.md). Vendors, contracts,
-- assessments and findings belong to any number of units through
-- business_unit_links; a person with rows in user_business_units is scoped
-- to those units and sees only objects sharing one of them. Visibility is
-- checked with an EXISTS on business_unit_links, answered from the
-- (entity_type, entity_id, unit_id) index; (unit_id, entity_type,
-- entity_id) serves the list filter by unit. Names are unique whatever
-- their case. The numbers 00060 to 00063 are taken by work written beside
-- this one.
-- +goose Up
CREATE TABLE business_units (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    archived    BOOLEAN NOT NULL DEFAULT FALSE,
    version     BIGINT NOT NULL DEFAULT 1,
    created_at  {{.Time}} NOT NULL,
    updated_at  {{.Time}} NOT NULL
);
CREATE UNIQUE INDEX business_units_name_idx ON business_units (lower(name));

CREATE TABLE business_unit_links (
    unit_id     TEXT NOT NULL REFERENCES business_units (id),
    entity_type TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    created_at  {{.Time}} NOT NULL,
    PRIMARY KEY (entity_type, entity_id, unit_id)
);
CREATE INDEX business_unit_links_unit_idx ON business_unit_links (unit_id, entity_type, entity_id);

CREATE TABLE user_business_units (
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    unit_id    TEXT NOT NULL REFERENCES business_units (id),
    created_at {{.Time}} NOT NULL,
    PRIMARY KEY (user_id, unit_id)
);

