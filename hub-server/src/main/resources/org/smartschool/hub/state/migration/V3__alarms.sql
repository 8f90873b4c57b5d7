-- Alarms and their history (issue 8). One file for SQLite and PostgreSQL. Times are UTC epoch
-- milliseconds. An alarm's id is derived from what raised it (AlarmId), so gateway and hub agree.

CREATE TABLE alarm (
    id            TEXT             PRIMARY KEY,
    school        TEXT             NOT NULL,
    room          TEXT             NOT NULL,
    device        TEXT             NOT NULL,
    rule          TEXT             NOT NULL,
    severity      TEXT             NOT NULL,
    raised_at     BIGINT           NOT NULL,
    severity_at   BIGINT           NOT NULL,
    cleared_at    BIGINT,
    ack_by        TEXT,
    ack_note      TEXT,
    ack_at        BIGINT,
    escalated_at  BIGINT,
    detail        TEXT             NOT NULL,
    judged_value  DOUBLE PRECISION
);
CREATE INDEX alarm_school_raised ON alarm (school, raised_at);
CREATE INDEX alarm_raised ON alarm (raised_at);

-- step_key is unique per alarm and step (a transition's id, "acknowledged:<id>", "escalated:<id>"):
-- a replayed transition finds its key taken and changes nothing
CREATE TABLE alarm_history (
    step_key  TEXT   PRIMARY KEY,
    alarm_id  TEXT   NOT NULL,
    at        BIGINT NOT NULL,
    what      TEXT   NOT NULL,
    severity  TEXT   NOT NULL,
    by_whom   TEXT   NOT NULL,
    note      TEXT   NOT NULL,
    detail    TEXT   NOT NULL
);
CREATE INDEX alarm_history_alarm ON alarm_history (alarm_id, at);
