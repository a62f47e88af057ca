-- The dashboard's heat-map cell opens the vendor list riskiest first: the
-- cell's vendors by residual score, read from an index.
-- +goose Up
CREATE INDEX vendors_matrix_residual_idx ON vendors (likelihood, impact, residual_score, id) WHERE archived_at IS NULL;
