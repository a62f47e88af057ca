-- Sign-in throttling counts per (account, address), per address and per
-- account across addresses. The account column names the account a counter
-- belongs to, so an administrator can clear all of an account's counters at
-- once. The old counters are short-lived and keyed differently: drop them.
-- +goose Up
DELETE FROM sign_in_throttles;
ALTER TABLE sign_in_throttles ADD COLUMN account TEXT NOT NULL DEFAULT '';
CREATE INDEX sign_in_throttles_account_idx ON sign_in_throttles (account);
