-- Whether nobody has said if the contract renews: a new contract made
-- without saying so is "not recorded", never "does not renew". Existing
-- contracts keep what they show today (false: recorded).
-- +goose Up
ALTER TABLE contracts ADD COLUMN renewal_unknown BOOLEAN NOT NULL DEFAULT FALSE;
