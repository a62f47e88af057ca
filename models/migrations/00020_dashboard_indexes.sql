-- The dashboard at 100,000 vendors: its vendor counts (by tier, status,
-- matrix cell and review date) come from one scan of an index holding
-- every column they read; the residual trend averages scorings by month
-- from an index; "my reviews" and "completed in 30 days" stop scanning
-- every assessment.
-- +goose Up
CREATE INDEX vendors_dashboard_idx ON vendors (tier, status, likelihood, impact, next_review_on) WHERE archived_at IS NULL;
CREATE INDEX vendor_risk_history_created_idx ON vendor_risk_history (created_at, residual_score);
CREATE INDEX assessments_reviewer_status_idx ON assessments (reviewer_id, status);
CREATE INDEX assessments_completed_idx ON assessments (status, completed_at);
