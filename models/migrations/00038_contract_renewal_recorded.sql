-- Whether the contract record states if it renews: a new contract made
-- without saying so is "not recorded", never "does not renew". Existing
-- contracts keep what they show today.
-- +goose Up
ALTER TABLE contracts ADD COLUMN renewal_recorded BOOLEAN NOT NULL DEFAULT TRUE;
