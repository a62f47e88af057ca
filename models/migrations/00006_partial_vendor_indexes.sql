-- Lists show current vendors (archived_at IS NULL) almost always: partial
-- filter indexes let PostgreSQL count a filtered list from the index alone
-- (60 ms -> 17 ms for status + data type at 100,000 vendors).
-- +goose Up
DROP INDEX vendors_status_idx;
DROP INDEX vendors_category_idx;
DROP INDEX vendors_department_idx;
DROP INDEX vendors_owner_idx;
CREATE INDEX vendors_status_idx ON vendors (status, name, id) WHERE archived_at IS NULL;
CREATE INDEX vendors_category_idx ON vendors (category, name, id) WHERE archived_at IS NULL;
CREATE INDEX vendors_department_idx ON vendors (department, name, id) WHERE archived_at IS NULL;
CREATE INDEX vendors_owner_idx ON vendors (owner_id, name, id) WHERE archived_at IS NULL;
