-- The hub's own state beside the registry (issue 7, items 3 and 5): batch ids for replay detection,
-- each gateway's last contact and health report, and the fleet event log. Until this migration they
-- were in hub-store.db and hub-fleet.db; LegacyStateImport copies those once (state_import).
-- One file for SQLite and PostgreSQL; ${autoIncrementId} is the one type they spell differently.
-- Times are UTC epoch milliseconds.

-- One row per stored batch; the primary key (gateway, batch_id) is the index of the replay check.
-- Rows older than JdbcHubState.BATCH_ID_RETENTION are trimmed in the background.
CREATE TABLE hub_batch (
    gateway     TEXT    NOT NULL,
    batch_id    TEXT    NOT NULL,
    school      TEXT    NOT NULL,
    received_at BIGINT  NOT NULL,
    readings    INTEGER NOT NULL,
    events      INTEGER NOT NULL,
    PRIMARY KEY (gateway, batch_id)
);
CREATE INDEX hub_batch_received_at ON hub_batch (received_at);

CREATE TABLE hub_gateway_status (
    gateway        TEXT   PRIMARY KEY,
    school         TEXT   NOT NULL,
    last_seen      BIGINT NOT NULL,
    last_health    TEXT,
    last_health_at BIGINT NOT NULL DEFAULT 0
);

-- id orders events of one time as they were recorded
CREATE TABLE fleet_event (
    id      ${autoIncrementId},
    ts      BIGINT NOT NULL,
    gateway TEXT   NOT NULL,
    school  TEXT   NOT NULL,
    type    TEXT   NOT NULL,
    detail  TEXT   NOT NULL,
    cause   TEXT,
    room    TEXT,
    device  TEXT
);
CREATE INDEX fleet_event_ts ON fleet_event (ts);
CREATE INDEX fleet_event_school_ts ON fleet_event (school, ts);
CREATE INDEX fleet_event_gateway_type_ts ON fleet_event (gateway, type, ts);
CREATE INDEX fleet_event_gateway_ts ON fleet_event (gateway, ts);

-- One-time copies from files of older hub versions: a source listed here is never copied again.
CREATE TABLE state_import (
    source      TEXT   PRIMARY KEY,
    imported_at BIGINT NOT NULL,
    rows_copied BIGINT NOT NULL
);
