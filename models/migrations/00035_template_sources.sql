-- The file a questionnaire revision was imported from, kept with it, so
-- that a reviewer can always go back to what the publisher shipped.
-- +goose Up
CREATE TABLE template_sources (
    id           TEXT PRIMARY KEY,
    template_id  TEXT NOT NULL REFERENCES questionnaire_templates (id) ON DELETE CASCADE,
    uploaded_by  TEXT NOT NULL REFERENCES users (id),
    filename     TEXT NOT NULL,
    content_type TEXT NOT NULL,
    format       TEXT NOT NULL,            -- rampart, caiq, hecvat, vsaq or sheet
    size         BIGINT NOT NULL,
    sha256       TEXT NOT NULL,
    storage_key  TEXT NOT NULL,
    created_at   {{.Time}} NOT NULL,
    updated_at   {{.Time}} NOT NULL
);
CREATE UNIQUE INDEX template_sources_template_idx ON template_sources (template_id);
