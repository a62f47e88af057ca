-- Admin-defined custom fields on vendors, contracts and findings.
-- custom_fields holds the definitions: key is the stable slug clients and
-- filters use (never changed once created), label what people read.
-- An archived field is hidden from forms; its values stay.
-- custom_field_values holds one row per value (a multiple choice field has
-- one row per chosen option), typed into the column its field's type
-- sorts by: text (text, URL, single and multiple choice, user id), number,
-- or date (YYYY-MM-DD, which sorts as text). The (field, value, entity)
-- indexes serve the list filters and sorts on both databases; the entity
-- index loads a page's values in one query.
-- +goose Up
CREATE TABLE custom_fields (
    id          TEXT PRIMARY KEY,
    entity_type TEXT NOT NULL,
    key         TEXT NOT NULL,
    label       TEXT NOT NULL,
    type        TEXT NOT NULL,
    help_text   TEXT NOT NULL DEFAULT '',
    required    BOOLEAN NOT NULL DEFAULT FALSE,
    options     TEXT NOT NULL DEFAULT '[]',
    position    BIGINT NOT NULL DEFAULT 0,
    archived_at {{.Time}},
    version     BIGINT NOT NULL DEFAULT 1,
    created_at  {{.Time}} NOT NULL,
    updated_at  {{.Time}} NOT NULL
);
CREATE UNIQUE INDEX custom_fields_key_idx ON custom_fields (entity_type, key);
CREATE INDEX custom_fields_position_idx ON custom_fields (entity_type, position);

CREATE TABLE custom_field_values (
    id           TEXT PRIMARY KEY,
    entity_type  TEXT NOT NULL,
    entity_id    TEXT NOT NULL,
    field_id     TEXT NOT NULL REFERENCES custom_fields (id) ON DELETE CASCADE,
    text_value   TEXT,
    number_value DOUBLE PRECISION,
    date_value   TEXT
);
CREATE INDEX custom_field_values_entity_idx ON custom_field_values (entity_id, field_id);
CREATE INDEX custom_field_values_text_idx ON custom_field_values (field_id, text_value, entity_id);
CREATE INDEX custom_field_values_number_idx ON custom_field_values (field_id, number_value, entity_id);
CREATE INDEX custom_field_values_date_idx ON custom_field_values (field_id, date_value, entity_id);

