-- SAML 2.0 single sign-on. An sso_providers row now speaks a protocol:
-- 'oidc' (every row before this migration) or 'saml'. A SAML provider
-- keeps the identity provider's metadata (fetched from saml_metadata_url
-- by the admin action, or pasted), its entity id (also copied to issuer),
-- the attribute names that carry the email and the name (groups_claim
-- names the groups attribute), whether it may start sign-ins itself, and
-- this service provider's own key pair for it: the key signs the
-- AuthnRequests and is never shown, the certificate is in the SP metadata.
-- Pending SP-initiated sign-ins reuse sso_logins (keyed by the hash of the
-- AuthnRequest id); saml_assertions remembers every accepted assertion
-- until it expires, so that a second use is refused on every instance.
-- +goose Up
ALTER TABLE sso_providers ADD COLUMN protocol TEXT NOT NULL DEFAULT 'oidc';
ALTER TABLE sso_providers ADD COLUMN saml_metadata_url TEXT NOT NULL DEFAULT '';
ALTER TABLE sso_providers ADD COLUMN saml_idp_metadata TEXT NOT NULL DEFAULT '';
ALTER TABLE sso_providers ADD COLUMN saml_email_attribute TEXT NOT NULL DEFAULT '';
ALTER TABLE sso_providers ADD COLUMN saml_name_attribute TEXT NOT NULL DEFAULT '';
ALTER TABLE sso_providers ADD COLUMN saml_allow_idp_initiated BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE sso_providers ADD COLUMN saml_sp_key TEXT NOT NULL DEFAULT '';
ALTER TABLE sso_providers ADD COLUMN saml_sp_certificate TEXT NOT NULL DEFAULT '';

CREATE TABLE saml_assertions (
    id          TEXT PRIMARY KEY,
    provider_id TEXT NOT NULL REFERENCES sso_providers (id) ON DELETE CASCADE,
    expires_at  {{.Time}} NOT NULL,
    created_at  {{.Time}} NOT NULL
);
CREATE INDEX saml_assertions_expires_idx ON saml_assertions (expires_at);
