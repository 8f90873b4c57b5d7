-- The Ed-Fi connector (issue 8, part 5): the durable queue of attendance events for Ed-Fi and the
-- resource ids Ed-Fi gave them. One file for SQLite and PostgreSQL; times are UTC epoch milliseconds.
-- Rows hold learners' ids (personal data): they never leave this database except to Ed-Fi.

-- seq orders the events of one line (school and learner); an event id is queued once
CREATE TABLE edfi_delivery (
    seq             BIGINT  PRIMARY KEY,
    event_id        TEXT    NOT NULL UNIQUE,
    school          TEXT    NOT NULL,
    line            TEXT    NOT NULL,
    body            TEXT    NOT NULL,
    created_at      BIGINT  NOT NULL,
    attempts        INTEGER NOT NULL,
    next_attempt_at BIGINT  NOT NULL,
    lease_until     BIGINT,
    state           TEXT    NOT NULL,
    last_status     INTEGER NOT NULL,
    last_error      TEXT,
    delivered_at    BIGINT
);
CREATE INDEX edfi_delivery_line ON edfi_delivery (line, state, seq);
CREATE INDEX edfi_delivery_due ON edfi_delivery (state, next_attempt_at);

-- per slot (school, learner, day, class, session or period): the Ed-Fi resource its latest event made,
-- deleted when a later event of the slot changes the category (part of Ed-Fi's natural key)
CREATE TABLE edfi_resource (
    slot        TEXT   PRIMARY KEY,
    resource    TEXT   NOT NULL,
    resource_id TEXT   NOT NULL,
    descriptor  TEXT   NOT NULL,
    updated_at  BIGINT NOT NULL
);
CREATE INDEX edfi_resource_id ON edfi_resource (resource_id);
