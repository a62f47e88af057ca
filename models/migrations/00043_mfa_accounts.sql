-- MFA with TOTP, recovery codes, the two-step sign-in's pending state,
-- password reset links, a forced first password change and the security
-- policy (docs/security.md, "Multi-factor authentication", "Password reset").
-- +goose Up

-- totp_secret is the enrolled secret ('' when MFA is off); totp_pending is
-- a secret offered at enrolment that no code has confirmed yet;
-- totp_last_step is the last 30-second step whose code was accepted, so a
-- code cannot be used twice. must_change_password marks a temporary
-- password set by an administrator.
ALTER TABLE users ADD COLUMN totp_secret TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN totp_pending TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN totp_enabled_at {{.Time}};
ALTER TABLE users ADD COLUMN totp_last_step BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT FALSE;

-- One-time recovery codes: only the SHA-256 of each code is kept.
CREATE TABLE mfa_recovery_codes (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id),
    code_hash  TEXT NOT NULL,
    used_at    {{.Time}},
    created_at {{.Time}} NOT NULL,
    updated_at {{.Time}} NOT NULL
);
CREATE UNIQUE INDEX mfa_recovery_codes_hash_key ON mfa_recovery_codes (user_id, code_hash);

-- The state between a right password and the second factor: not a
-- session, it opens nothing but the second step. id is the SHA-256 of the
-- browser's cookie value.
CREATE TABLE mfa_challenges (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id),
    client_ip  TEXT NOT NULL DEFAULT '',
    expires_at {{.Time}} NOT NULL,
    created_at {{.Time}} NOT NULL,
    updated_at {{.Time}} NOT NULL
);
CREATE INDEX mfa_challenges_user_idx ON mfa_challenges (user_id);

-- Password reset links: the SHA-256 of the link's token, single use.
CREATE TABLE password_resets (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id),
    token_hash TEXT NOT NULL,
    expires_at {{.Time}} NOT NULL,
    used_at    {{.Time}},
    created_by TEXT NOT NULL DEFAULT '',
    created_at {{.Time}} NOT NULL,
    updated_at {{.Time}} NOT NULL
);
CREATE UNIQUE INDEX password_resets_token_key ON password_resets (token_hash);
CREATE INDEX password_resets_user_idx ON password_resets (user_id);

-- The security policy: one row. mfa_required_roles is a comma-separated
-- list of roles whose users must enrol MFA before anything else.
CREATE TABLE security_policies (
    id                 TEXT PRIMARY KEY,
    mfa_required_roles TEXT NOT NULL DEFAULT '',
    version            BIGINT NOT NULL DEFAULT 1,
    created_at         {{.Time}} NOT NULL,
    updated_at         {{.Time}} NOT NULL
);
