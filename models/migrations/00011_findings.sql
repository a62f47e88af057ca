-- Findings (problems tracked to closure) and exceptions (accepted risks).
-- +goose Up
CREATE TABLE findings (
    id               TEXT PRIMARY KEY,
    vendor_id        TEXT NOT NULL REFERENCES vendors (id),
    assessment_id    TEXT REFERENCES assessments (id),
    question_key     TEXT NOT NULL DEFAULT '',
    title            TEXT NOT NULL,
    description      TEXT NOT NULL DEFAULT '',
    severity         TEXT NOT NULL,            -- critical, high, medium, low
    source           TEXT NOT NULL,            -- assessment, contract, manual, incident
    status           TEXT NOT NULL,            -- open, in_progress, resolved, risk_accepted
    owner_id         TEXT REFERENCES users (id),
    vendor_contact   TEXT NOT NULL DEFAULT '',
    due_date         TEXT NOT NULL DEFAULT '', -- YYYY-MM-DD
    remediation_plan TEXT NOT NULL DEFAULT '',
    resolved_at      {{.Time}},
    created_by       TEXT REFERENCES users (id),
    version          BIGINT NOT NULL DEFAULT 1,
    created_at       {{.Time}} NOT NULL,
    updated_at       {{.Time}} NOT NULL
);
CREATE INDEX findings_vendor_idx ON findings (vendor_id, status);
CREATE INDEX findings_status_idx ON findings (status, due_date, id);
CREATE INDEX findings_severity_idx ON findings (severity, status);
CREATE INDEX findings_due_idx ON findings (due_date, id);
CREATE INDEX findings_created_idx ON findings (created_at, id);
CREATE INDEX findings_owner_idx ON findings (owner_id, status);
CREATE INDEX findings_assessment_idx ON findings (assessment_id, question_key);

CREATE TABLE risk_exceptions (
    id                    TEXT PRIMARY KEY,
    vendor_id             TEXT NOT NULL REFERENCES vendors (id),
    finding_id            TEXT REFERENCES findings (id),
    justification         TEXT NOT NULL,
    compensating_controls TEXT NOT NULL DEFAULT '',
    status                TEXT NOT NULL,       -- requested, approved, rejected, expired
    requested_by          TEXT NOT NULL REFERENCES users (id),
    approver_id           TEXT REFERENCES users (id),
    decided_at            {{.Time}},
    expires_on            TEXT NOT NULL,       -- YYYY-MM-DD
    version               BIGINT NOT NULL DEFAULT 1,
    created_at            {{.Time}} NOT NULL,
    updated_at            {{.Time}} NOT NULL
);
CREATE INDEX risk_exceptions_vendor_idx ON risk_exceptions (vendor_id, status);
CREATE INDEX risk_exceptions_finding_idx ON risk_exceptions (finding_id);
CREATE INDEX risk_exceptions_expiry_idx ON risk_exceptions (status, expires_on);
