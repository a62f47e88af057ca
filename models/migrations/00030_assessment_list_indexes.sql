-- The assessment list filters by vendor, status, reviewer and questionnaire
-- and shows the newest first: each filter gets an index in that order, so a
-- filtered page is read from the index instead of sorting every match.
-- +goose Up
DROP INDEX assessments_vendor_idx;
CREATE INDEX assessments_vendor_idx ON assessments (vendor_id, created_at, id);
CREATE INDEX assessments_status_created_idx ON assessments (status, created_at, id);
CREATE INDEX assessments_reviewer_created_idx ON assessments (reviewer_id, created_at, id);
CREATE INDEX assessments_template_idx ON assessments (template_id, created_at, id);
