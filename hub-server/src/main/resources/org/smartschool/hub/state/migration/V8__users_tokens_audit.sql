-- Scoped access (issue 10): users, API tokens, login sessions, the key that signs session tokens, and the
-- audit log. One file for SQLite and PostgreSQL; times are UTC epoch milliseconds. No password and no
-- token secret is stored: bcrypt hashes of passwords, SHA-256 of token secrets.

CREATE TABLE auth_user (
    name          TEXT   PRIMARY KEY,
    password_hash TEXT   NOT NULL,
    role          TEXT   NOT NULL,
    -- null for district roles and the admin
    school        TEXT,
    created_at    BIGINT NOT NULL,
    created_by    TEXT   NOT NULL
);

CREATE TABLE auth_token (
    id          TEXT   PRIMARY KEY,
    secret_hash TEXT   NOT NULL,
    label       TEXT   NOT NULL,
    role        TEXT   NOT NULL,
    school      TEXT,
    created_at  BIGINT NOT NULL,
    created_by  TEXT   NOT NULL,
    expires_at  BIGINT
);

-- one row per login: the JWT's jti; logout ends it before the token expires
CREATE TABLE auth_session (
    id         TEXT   PRIMARY KEY,
    user_name  TEXT   NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    ended_at   BIGINT
);
CREATE INDEX auth_session_user ON auth_session (user_name);

-- the HS256 key of session tokens, shared by the replicas of one state database
CREATE TABLE auth_signing_key (
    id         TEXT   PRIMARY KEY,
    secret     TEXT   NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE audit_log (
    id     ${autoIncrementId},
    at     BIGINT  NOT NULL,
    actor  TEXT    NOT NULL,
    role   TEXT    NOT NULL,
    school TEXT,
    action TEXT    NOT NULL,
    target TEXT    NOT NULL,
    status INTEGER NOT NULL
);
CREATE INDEX audit_log_school ON audit_log (school, id);
