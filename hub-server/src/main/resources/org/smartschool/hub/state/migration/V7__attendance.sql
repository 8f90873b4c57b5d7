-- Attendance at the hub (issue 9): the decisions taken (gateways' events, teachers' corrections), the
-- latest decision of each slot, the counts per class and session, and the attendance events of batches
-- that could not be read. One file for SQLite and PostgreSQL; times are UTC epoch milliseconds, school
-- days ISO dates (YYYY-MM-DD) in the school's time zone. Rows hold learners' ids (personal data): they
-- leave this database only to the school management system (webhooks, Ed-Fi) and to a school-scoped
-- caller of the API; the time-series store gets the counts only.

-- every event id taken once: a replay (same id) is recognised here and forwarded or counted never again
CREATE TABLE attendance_event (
    event_id    TEXT   PRIMARY KEY,
    slot        TEXT   NOT NULL,
    category    TEXT   NOT NULL,
    decided_at  BIGINT NOT NULL,
    received_at BIGINT NOT NULL
);

-- per slot (school, learner, day, class, session, period): the newest decision (by decided_at, then
-- event id); period '' for session-level attendance
CREATE TABLE attendance_slot (
    slot        TEXT   PRIMARY KEY,
    school      TEXT   NOT NULL,
    learner_id  TEXT   NOT NULL,
    school_date TEXT   NOT NULL,
    class_id    TEXT   NOT NULL,
    session_id  TEXT   NOT NULL,
    period      TEXT   NOT NULL,
    category    TEXT   NOT NULL,
    event_id    TEXT   NOT NULL,
    decided_at  BIGINT NOT NULL
);
CREATE INDEX attendance_slot_day ON attendance_slot (school, school_date);
CREATE INDEX attendance_slot_learner ON attendance_slot (school, learner_id, school_date);

-- how many slots of each group have each category: moved with every change of a slot's category
CREATE TABLE attendance_count (
    school      TEXT    NOT NULL,
    school_date TEXT    NOT NULL,
    class_id    TEXT    NOT NULL,
    session_id  TEXT    NOT NULL,
    period      TEXT    NOT NULL,
    category    TEXT    NOT NULL,
    learners    INTEGER NOT NULL,
    PRIMARY KEY (school, school_date, class_id, session_id, period, category)
);
CREATE INDEX attendance_count_day ON attendance_count (school_date);

-- attendance events of stored batches that could not be read (the rest of their batch was taken);
-- attributes as the gateway sent them, for the operator who fixes the gateway
CREATE TABLE attendance_dead_letter (
    id          ${autoIncrementId},
    school      TEXT   NOT NULL,
    gateway     TEXT   NOT NULL,
    batch_id    TEXT   NOT NULL,
    event_id    TEXT   NOT NULL,
    reason      TEXT   NOT NULL,
    attributes  TEXT   NOT NULL,
    received_at BIGINT NOT NULL,
    UNIQUE (gateway, batch_id, event_id)
);
CREATE INDEX attendance_dead_letter_school ON attendance_dead_letter (school, id);
