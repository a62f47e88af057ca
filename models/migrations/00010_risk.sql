-- Risk scoring: versioned models, each vendor's current scores (on the
-- vendor row, for filters and the dashboard) and the history of changes.
-- +goose Up
CREATE TABLE risk_models (
    id           TEXT PRIMARY KEY,
    version      BIGINT NOT NULL,
    status       TEXT NOT NULL,            -- draft, published, retired
    content      TEXT NOT NULL,            -- JSON model
    created_by   TEXT REFERENCES users (id),
    published_at {{.Time}},
    created_at   {{.Time}} NOT NULL,
    updated_at   {{.Time}} NOT NULL
);
CREATE UNIQUE INDEX risk_models_version_key ON risk_models (version);

ALTER TABLE vendors ADD COLUMN inherent_score BIGINT NOT NULL DEFAULT 0;
ALTER TABLE vendors ADD COLUMN tier BIGINT NOT NULL DEFAULT 4;
ALTER TABLE vendors ADD COLUMN residual_score BIGINT NOT NULL DEFAULT 0;
ALTER TABLE vendors ADD COLUMN likelihood BIGINT NOT NULL DEFAULT 1;
ALTER TABLE vendors ADD COLUMN impact BIGINT NOT NULL DEFAULT 1;
ALTER TABLE vendors ADD COLUMN risk_model_version BIGINT NOT NULL DEFAULT 0;
CREATE INDEX vendors_tier_idx ON vendors (tier, name, id) WHERE archived_at IS NULL;
CREATE INDEX vendors_residual_idx ON vendors (residual_score, id);
CREATE INDEX vendors_matrix_idx ON vendors (likelihood, impact) WHERE archived_at IS NULL;

CREATE TABLE vendor_risk_history (
    id             TEXT PRIMARY KEY,
    vendor_id      TEXT NOT NULL REFERENCES vendors (id),
    model_version  BIGINT NOT NULL,
    inherent_score BIGINT NOT NULL,
    tier           BIGINT NOT NULL,
    residual_score BIGINT NOT NULL,
    likelihood     BIGINT NOT NULL,
    impact         BIGINT NOT NULL,
    factors        TEXT NOT NULL,          -- JSON: inherent and residual factors
    inputs         TEXT NOT NULL,          -- JSON: the profile, effectiveness and findings scored
    cause          TEXT NOT NULL,          -- profile_edit, assessment_completed, finding_opened, ..., model_change, created
    changes        TEXT NOT NULL,          -- JSON list of factor changes in words
    created_at     {{.Time}} NOT NULL,
    updated_at     {{.Time}} NOT NULL
);
CREATE INDEX vendor_risk_history_vendor_idx ON vendor_risk_history (vendor_id, created_at, id);
