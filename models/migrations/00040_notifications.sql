-- Notifications: the bell, the mail outbox with its delivery log, each
-- person's choices per kind of notice, addresses that bounced, and the
-- clock's recurring tasks (docs/notifications.md, docs/decisions/0003).
-- +goose Up

-- The bell. One row per event and person: the unique index makes a
-- notice that two instances (or two runs of a scan) raise at once land once.
CREATE TABLE notifications (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id),
    event_key   TEXT NOT NULL,
    kind        TEXT NOT NULL,
    title       TEXT NOT NULL,
    body        TEXT NOT NULL DEFAULT '',
    link        TEXT NOT NULL DEFAULT '',
    object_type TEXT NOT NULL DEFAULT '',
    object_id   TEXT NOT NULL DEFAULT '',
    digest      BOOLEAN NOT NULL DEFAULT FALSE, -- waits for the person's daily digest
    digested_at {{.Time}},
    read_at     {{.Time}},
    created_at  {{.Time}} NOT NULL,
    updated_at  {{.Time}} NOT NULL
);
CREATE UNIQUE INDEX notifications_event_user_idx ON notifications (event_key, user_id);
CREATE INDEX notifications_user_idx ON notifications (user_id, created_at);
CREATE INDEX notifications_unread_idx ON notifications (user_id) WHERE read_at IS NULL;
CREATE INDEX notifications_digest_idx ON notifications (user_id) WHERE digest AND digested_at IS NULL;

-- The outbox: a message is written in the transaction of the change that
-- causes it and sent after commit by whichever instance claims it first
-- (locked_by/locked_until is a lease, so a killed instance's claim lapses).
CREATE TABLE mail_messages (
    id              TEXT PRIMARY KEY,
    event_key       TEXT NOT NULL,
    kind            TEXT NOT NULL,
    to_email        TEXT NOT NULL,
    to_name         TEXT NOT NULL DEFAULT '',
    user_id         TEXT REFERENCES users (id),
    reply_to        TEXT NOT NULL DEFAULT '',
    subject         TEXT NOT NULL,
    text_body       TEXT NOT NULL,
    html_body       TEXT NOT NULL DEFAULT '',
    message_id      TEXT NOT NULL,
    thread_id       TEXT NOT NULL DEFAULT '', -- Message-ID of the thread's first message
    unsubscribe_url TEXT NOT NULL DEFAULT '',
    object_type     TEXT NOT NULL DEFAULT '',
    object_id       TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL,            -- queued, sending, sent, failed, held (demo outbox)
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at {{.Time}} NOT NULL,
    last_error      TEXT NOT NULL DEFAULT '',
    locked_by       TEXT NOT NULL DEFAULT '',
    locked_until    {{.Time}},
    sent_at         {{.Time}},
    created_at      {{.Time}} NOT NULL,
    updated_at      {{.Time}} NOT NULL
);
CREATE UNIQUE INDEX mail_messages_event_to_idx ON mail_messages (event_key, to_email);
CREATE INDEX mail_messages_due_idx ON mail_messages (next_attempt_at) WHERE status IN ('queued', 'sending');
CREATE INDEX mail_messages_created_idx ON mail_messages (created_at, id);
CREATE INDEX mail_messages_status_idx ON mail_messages (status, created_at);
CREATE INDEX mail_messages_object_idx ON mail_messages (object_type, object_id);

-- The delivery log: every try, by which instance, and what the server said.
CREATE TABLE mail_attempts (
    id         TEXT PRIMARY KEY,
    message_id TEXT NOT NULL REFERENCES mail_messages (id),
    instance   TEXT NOT NULL,
    outcome    TEXT NOT NULL, -- sent, retry, failed, bounced
    error      TEXT NOT NULL DEFAULT '',
    created_at {{.Time}} NOT NULL,
    updated_at {{.Time}} NOT NULL
);
CREATE INDEX mail_attempts_message_idx ON mail_attempts (message_id, created_at);

-- An address the mail server refused for good. Kept by address, not on the
-- contact, so that editing a vendor's contacts does not forget it.
CREATE TABLE mail_bounces (
    email      TEXT PRIMARY KEY,
    reason     TEXT NOT NULL,
    created_at {{.Time}} NOT NULL,
    updated_at {{.Time}} NOT NULL
);

-- How a person wants each kind of notice: in_app, email, digest or off.
CREATE TABLE notification_preferences (
    user_id    TEXT NOT NULL REFERENCES users (id),
    kind       TEXT NOT NULL,
    channel    TEXT NOT NULL,
    created_at {{.Time}} NOT NULL,
    updated_at {{.Time}} NOT NULL,
    PRIMARY KEY (user_id, kind)
);

-- The clock's recurring tasks. An instance runs a task only after claiming
-- its row (next_run_at due, no live lease), so with any number of
-- instances each round runs once.
CREATE TABLE schedules (
    name             TEXT PRIMARY KEY,
    next_run_at      {{.Time}} NOT NULL,
    locked_by        TEXT NOT NULL DEFAULT '',
    locked_until     {{.Time}},
    last_started_at  {{.Time}},
    last_finished_at {{.Time}},
    last_error       TEXT NOT NULL DEFAULT '',
    runs             BIGINT NOT NULL DEFAULT 0
);
