-- Fleet liveness shared by hub replicas on one PostgreSQL state database (README, "Fleet liveness
-- and /health"; JdbcSharedLiveness). Each replica writes the last contact of the gateways and devices
-- it heard from, every few seconds; a gateway or sensor is silent only when no replica heard from it
-- within the limit, and the silence is claimed here by the one replica that records its event.
-- A single hub on SQLite creates the tables and leaves them empty. Times are UTC epoch milliseconds.

-- replica: the replica (a hub process) with the latest contact; silent_since: set by the replica that
-- claims gateway_silent, cleared (NULL) by the one that records gateway_back; silent_recorded: 1 once
-- the claimant recorded the event (and so raised its alarm): only then may another replica end it
CREATE TABLE fleet_gateway_contact (
    gateway      TEXT   PRIMARY KEY,
    school       TEXT   NOT NULL,
    last_seen    BIGINT NOT NULL,
    replica      TEXT   NOT NULL,
    silent_since BIGINT,
    silent_recorded INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX fleet_gateway_contact_silent ON fleet_gateway_contact (silent_since);

-- a device's latest stored reading, as any replica saw it; silent_since as above for sensor_silent
CREATE TABLE fleet_device_contact (
    school       TEXT   NOT NULL,
    device       TEXT   NOT NULL,
    room         TEXT   NOT NULL,
    gateway      TEXT   NOT NULL,
    last_seen    BIGINT NOT NULL,
    silent_since BIGINT,
    silent_recorded INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (school, device)
);
CREATE INDEX fleet_device_contact_silent ON fleet_device_contact (silent_since);
