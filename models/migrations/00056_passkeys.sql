-- Passkeys (WebAuthn): a second factor after the password and a way to
-- sign in without one (docs/security.md, "Passkeys").
-- +goose Up

-- One row per registered credential. credential_id is the authenticator's
-- raw credential id in base64url (unique across users: an authenticator
-- never hands out the same id twice, and a second registration of one is
-- refused). public_key is the COSE key. sign_count is the last signature
-- counter seen; a counter that does not grow (when it is not 0) marks a
-- cloned authenticator and the assertion is refused. transports is a
-- comma-separated list (usb, nfc, ble, internal, hybrid). The flags are
-- kept because WebAuthn requires backup_eligible to stay as registered.
-- version counts renames (a stale rename is a conflict); sign-ins do not
-- change it.
CREATE TABLE passkeys (
    id                 TEXT PRIMARY KEY,
    user_id            TEXT NOT NULL REFERENCES users (id),
    credential_id      TEXT NOT NULL,
    public_key         {{.Bytes}} NOT NULL,
    sign_count         BIGINT NOT NULL DEFAULT 0,
    transports         TEXT NOT NULL DEFAULT '',
    aaguid             TEXT NOT NULL DEFAULT '',
    attestation_type   TEXT NOT NULL DEFAULT '',
    attestation_format TEXT NOT NULL DEFAULT '',
    user_verified      BOOLEAN NOT NULL DEFAULT FALSE,
    backup_eligible    BOOLEAN NOT NULL DEFAULT FALSE,
    backup_state       BOOLEAN NOT NULL DEFAULT FALSE,
    name               TEXT NOT NULL DEFAULT '',
    version            BIGINT NOT NULL DEFAULT 1,
    last_used_at       {{.Time}},
    created_at         {{.Time}} NOT NULL,
    updated_at         {{.Time}} NOT NULL
);
CREATE UNIQUE INDEX passkeys_credential_key ON passkeys (credential_id);
CREATE INDEX passkeys_user_idx ON passkeys (user_id);

-- A WebAuthn ceremony between its begin and finish: the challenge and what
-- the library needs to check the answer (session_data, JSON), so that any
-- instance behind a load balancer can finish what another began. id is the
-- SHA-256 of the ceremony id the browser holds; a ceremony is deleted when
-- it is finished, so it cannot be answered twice. kind is register,
-- sign_in (passwordless) or mfa (the step after the password, for the MFA
-- challenge in challenge_id). user_id is '' for a passwordless sign-in.
CREATE TABLE webauthn_ceremonies (
    id           TEXT PRIMARY KEY,
    kind         TEXT NOT NULL,
    user_id      TEXT NOT NULL DEFAULT '',
    challenge_id TEXT NOT NULL DEFAULT '',
    session_data TEXT NOT NULL,
    expires_at   {{.Time}} NOT NULL,
    created_at   {{.Time}} NOT NULL,
    updated_at   {{.Time}} NOT NULL
);
CREATE INDEX webauthn_ceremonies_expires_idx ON webauthn_ceremonies (expires_at);
