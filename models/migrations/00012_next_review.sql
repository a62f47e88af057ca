-- Each vendor's next review date, set by scoring from its tier's cadence
-- and its last completed assessment, so that overdue and due-soon lists
-- are one indexed query.
-- +goose Up
ALTER TABLE vendors ADD COLUMN next_review_on TEXT NOT NULL DEFAULT '';
CREATE INDEX vendors_next_review_idx ON vendors (next_review_on, id) WHERE archived_at IS NULL;
