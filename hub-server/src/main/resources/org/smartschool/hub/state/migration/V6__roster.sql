-- Roster and timetable (issue 9, item 1): each school's imported roster, its learners and cards, the
-- excuses the school management system sent, and the school's card keys. One file for SQLite and
-- PostgreSQL; times are UTC epoch milliseconds. Learner ids, names and card UIDs are personal data:
-- they stay in this database; gateways get learner ids and keyed card hashes only.

-- one row per school with a roster: revision goes up with every change the gateways must hear of
-- (import, card revoked, excuse, card key); timetable is JSON (sessions, classes, periods, term)
CREATE TABLE roster_school (
    school      TEXT   PRIMARY KEY,
    revision    BIGINT NOT NULL,
    timetable   TEXT   NOT NULL,
    source      TEXT   NOT NULL,
    imported_at BIGINT NOT NULL
);

CREATE TABLE roster_learner (
    school   TEXT NOT NULL,
    learner  TEXT NOT NULL,
    name     TEXT NOT NULL,
    homeroom TEXT NOT NULL,
    sections TEXT NOT NULL,
    PRIMARY KEY (school, learner)
);

-- a revoked card stays (revoked = 1) across imports that no longer list it
CREATE TABLE roster_card (
    school     TEXT    NOT NULL,
    uid        TEXT    NOT NULL,
    learner    TEXT    NOT NULL,
    revoked    INTEGER NOT NULL,
    changed_at BIGINT  NOT NULL,
    PRIMARY KEY (school, uid)
);

-- period '' = the whole session
CREATE TABLE roster_excuse (
    school     TEXT   NOT NULL,
    learner    TEXT   NOT NULL,
    day        TEXT   NOT NULL,
    session    TEXT   NOT NULL,
    period     TEXT   NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (school, learner, day, session, period)
);

-- the school's card keys; the current one is the newest (a secret: never logged)
CREATE TABLE card_key (
    school     TEXT   NOT NULL,
    id         TEXT   NOT NULL,
    secret     TEXT   NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (school, id)
);
