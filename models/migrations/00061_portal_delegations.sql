-- Delegation in the vendor portal: the primary contact (the holder of the
-- assessment's main link) shares some sections with a colleague, who gets
-- a link of their own. Such a delegated invitation names the invitation
-- that delegated it (delegated_by), the colleague (contact_name), the
-- section keys it may see and answer (sections, a JSON array; '' on a
-- main link, which sees every section) and the primary contact's note;
-- version guards concurrent changes to its sections. Each answer records
-- the link and contact that last saved it in the portal.
-- +goose Up
ALTER TABLE portal_invitations ADD COLUMN delegated_by TEXT REFERENCES portal_invitations (id);
ALTER TABLE portal_invitations ADD COLUMN contact_name TEXT NOT NULL DEFAULT '';
ALTER TABLE portal_invitations ADD COLUMN sections TEXT NOT NULL DEFAULT '';
ALTER TABLE portal_invitations ADD COLUMN message TEXT NOT NULL DEFAULT '';
ALTER TABLE portal_invitations ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
-- The delegations of an assessment are listed by this (the main links
-- have delegated_by NULL).
CREATE INDEX portal_invitations_delegated_idx ON portal_invitations (assessment_id, created_at) WHERE delegated_by IS NOT NULL;

ALTER TABLE assessment_answers ADD COLUMN answered_invitation_id TEXT REFERENCES portal_invitations (id);
ALTER TABLE assessment_answers ADD COLUMN answered_by_name TEXT NOT NULL DEFAULT '';
ALTER TABLE assessment_answers ADD COLUMN answered_by_email TEXT NOT NULL DEFAULT '';
ALTER TABLE assessment_answers ADD COLUMN answered_at {{.Time}};
