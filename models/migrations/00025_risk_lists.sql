-- Indexes for the risk lists: the exceptions queue pages by creation or
-- expiry within a status, "findings assigned to me" pages by creation,
-- and a heat-map cell opens the vendor list sorted by name.
-- +goose Up
CREATE INDEX risk_exceptions_created_idx ON risk_exceptions (created_at, id);
CREATE INDEX risk_exceptions_status_created_idx ON risk_exceptions (status, created_at, id);
CREATE INDEX risk_exceptions_status_expiry_idx ON risk_exceptions (status, expires_on, id);
CREATE INDEX findings_owner_created_idx ON findings (owner_id, created_at, id);
CREATE INDEX vendors_matrix_name_idx ON vendors (likelihood, impact, name, id) WHERE archived_at IS NULL;

