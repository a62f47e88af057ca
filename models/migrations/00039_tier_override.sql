-- A risk manager's manual tier for a vendor, in force through
-- override_until (YYYY-MM-DD, inclusive; '' when none). The computed tier
-- stays in tier; readers take the override while override_until >= today,
-- so an override lapses by itself without a job. The index serves the
-- list filter's second branch (override in force, override tier in ...).
-- +goose Up
ALTER TABLE vendors ADD COLUMN override_tier BIGINT;
ALTER TABLE vendors ADD COLUMN override_until TEXT NOT NULL DEFAULT '';
ALTER TABLE vendors ADD COLUMN override_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE vendors ADD COLUMN override_by TEXT;
ALTER TABLE vendors ADD COLUMN override_at TIMESTAMP;
CREATE INDEX idx_vendors_tier_override ON vendors (override_until, override_tier) WHERE override_tier IS NOT NULL;
