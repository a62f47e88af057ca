-- What a subprocessor does for this vendor: the kinds of data it handles
-- (the vendor data type vocabulary) and where (countries or regions as
-- written, like a vendor's hosting regions), both JSON lists. They belong
-- to the link, not to the subprocessor's own record: one cloud provider
-- holds customer data in Frankfurt for one vendor and logs in Virginia
-- for another. Empty lists mean "not recorded"; readers then fall back to
-- the linked vendor's record where there is one.
-- +goose Up
ALTER TABLE vendor_subprocessors ADD COLUMN data_types TEXT NOT NULL DEFAULT '[]';
ALTER TABLE vendor_subprocessors ADD COLUMN locations TEXT NOT NULL DEFAULT '[]';
