-- OpenID Connect single sign-on. An administrator registers identity
-- providers; a sign-in through one is matched to a user by the provider's
-- subject (user_identities), else by verified email, else, when allowed,
-- creates the user with the role the provider's groups map to.
-- sso_logins holds each sign-in that left for the provider until it comes
-- back: the state (hashed, as sessions are), the nonce the ID token must
-- carry and the PKCE verifier; a row is used once and expires in ten
-- minutes, so a replayed or forged callback finds nothing.
-- sessions.sign_in_method says how a session was opened ("password" or
-- "oidc:<slug>"): a provider that signed someone in is trusted for their
-- second factor, so the MFA policy asks only password sessions to enrol.
-- +goose Up
CREATE TABLE sso_providers (
    id             TEXT PRIMARY KEY,
    slug           TEXT NOT NULL,
    display_name   TEXT NOT NULL,
    issuer         TEXT NOT NULL,
    client_id      TEXT NOT NULL,
    client_secret  TEXT NOT NULL DEFAULT '',
    scopes         TEXT NOT NULL,                 -- JSON array, openid first
    groups_claim   TEXT NOT NULL DEFAULT 'groups',
    role_mappings  TEXT NOT NULL,                 -- JSON array of {"group":"…","role":"…"}, first match wins
    default_role   TEXT NOT NULL DEFAULT '',      -- '' refuses a sign-in no group maps
    allow_create   BOOLEAN NOT NULL DEFAULT FALSE,
    trust_email    BOOLEAN NOT NULL DEFAULT FALSE,-- the provider sends no email_verified (Entra ID) but its addresses are its own
    enabled        BOOLEAN NOT NULL DEFAULT TRUE,
    version        BIGINT NOT NULL DEFAULT 1,
    created_at     {{.Time}} NOT NULL,
    updated_at     {{.Time}} NOT NULL
);
CREATE UNIQUE INDEX sso_providers_slug_idx ON sso_providers (slug);

CREATE TABLE sso_logins (
    id          TEXT PRIMARY KEY,                 -- SHA-256 of the state
    provider_id TEXT NOT NULL REFERENCES sso_providers (id) ON DELETE CASCADE,
    nonce       TEXT NOT NULL,
    verifier    TEXT NOT NULL,
    return_to   TEXT NOT NULL DEFAULT '/',
    expires_at  {{.Time}} NOT NULL,
    created_at  {{.Time}} NOT NULL
);
CREATE INDEX sso_logins_expiry_idx ON sso_logins (expires_at);

CREATE TABLE user_identities (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id),
    provider_id  TEXT NOT NULL REFERENCES sso_providers (id) ON DELETE CASCADE,
    subject      TEXT NOT NULL,
    email        TEXT NOT NULL DEFAULT '',
    last_used_at {{.Time}},
    created_at   {{.Time}} NOT NULL,
    updated_at   {{.Time}} NOT NULL
);
CREATE UNIQUE INDEX user_identities_subject_idx ON user_identities (provider_id, subject);
CREATE INDEX user_identities_user_idx ON user_identities (user_id);

ALTER TABLE sessions ADD COLUMN sign_in_method TEXT NOT NULL DEFAULT 'password';
