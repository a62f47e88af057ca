-- SCIM 2.0 provisioning (RFC 7643/7644). An identity provider that signs
-- people in through an sso_providers row can also create, update and
-- deactivate their accounts ahead of any sign-in, with a bearer token of
-- its own (stored hashed, as API tokens are; its prefix is shown to tell
-- tokens apart). The provider's groups live in scim_groups and their
-- members in scim_group_members; membership maps to a role through the
-- provider's role_mappings, as the groups claim does at sign-in.
-- users.scim_provider_id marks an account the provider manages and
-- scim_external_id is the provider's own id for it; scim_active is what
-- the provider last said of the account, kept apart from users.active
-- because an account in no mapped group stays inactive however active
-- the provider says it is. The numbers 00056 and 00057 are taken by work
-- written beside this one.
-- +goose Up
ALTER TABLE sso_providers ADD COLUMN scim_token_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE sso_providers ADD COLUMN scim_token_prefix TEXT NOT NULL DEFAULT '';
ALTER TABLE sso_providers ADD COLUMN scim_token_created_at {{.Time}};
ALTER TABLE sso_providers ADD COLUMN scim_last_used_at {{.Time}};
CREATE INDEX sso_providers_scim_token_idx ON sso_providers (scim_token_hash);

ALTER TABLE users ADD COLUMN scim_provider_id TEXT REFERENCES sso_providers (id) ON DELETE SET NULL;
ALTER TABLE users ADD COLUMN scim_external_id TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN scim_active BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX users_scim_provider_idx ON users (scim_provider_id);

CREATE TABLE scim_groups (
    id           TEXT PRIMARY KEY,
    provider_id  TEXT NOT NULL REFERENCES sso_providers (id) ON DELETE CASCADE,
    display_name TEXT NOT NULL,
    external_id  TEXT NOT NULL DEFAULT '',
    created_at   {{.Time}} NOT NULL,
    updated_at   {{.Time}} NOT NULL
);
CREATE INDEX scim_groups_provider_idx ON scim_groups (provider_id, display_name);

CREATE TABLE scim_group_members (
    group_id TEXT NOT NULL REFERENCES scim_groups (id) ON DELETE CASCADE,
    user_id  TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX scim_group_members_user_idx ON scim_group_members (user_id);
