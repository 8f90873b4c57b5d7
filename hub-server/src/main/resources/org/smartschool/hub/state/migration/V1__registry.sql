-- The registry of schools, buildings, rooms, equipment and gateways (issue 7, "Registry").
-- One file for SQLite and PostgreSQL: plain SQL types both understand; dates as ISO text (YYYY-MM-DD).
-- Room and equipment ids are unique per school: they are the room and device of the time series.

CREATE TABLE registry_district (
    id   TEXT PRIMARY KEY,
    name TEXT
);

CREATE TABLE registry_school (
    id        TEXT PRIMARY KEY,
    name      TEXT NOT NULL,
    address   TEXT,
    latitude  DOUBLE PRECISION,
    longitude DOUBLE PRECISION,
    time_zone TEXT NOT NULL
);

CREATE TABLE registry_building (
    school_id TEXT NOT NULL REFERENCES registry_school (id) ON DELETE CASCADE,
    id        TEXT NOT NULL,
    name      TEXT,
    PRIMARY KEY (school_id, id)
);

CREATE TABLE registry_room (
    school_id   TEXT    NOT NULL,
    id          TEXT    NOT NULL,
    building_id TEXT    NOT NULL,
    name        TEXT,
    kind        TEXT    NOT NULL,
    floor       INTEGER NOT NULL,
    capacity    INTEGER NOT NULL,
    PRIMARY KEY (school_id, id),
    FOREIGN KEY (school_id, building_id) REFERENCES registry_building (school_id, id)
);

CREATE TABLE registry_equipment (
    school_id     TEXT NOT NULL,
    id            TEXT NOT NULL,
    room_id       TEXT NOT NULL,
    type          TEXT NOT NULL,
    model         TEXT,
    serial_number TEXT,
    installed     TEXT,
    warranty_end  TEXT,
    status        TEXT NOT NULL,
    PRIMARY KEY (school_id, id),
    FOREIGN KEY (school_id, room_id) REFERENCES registry_room (school_id, id)
);

-- seq orders the entries of one piece of equipment as they were added
CREATE TABLE registry_maintenance (
    school_id    TEXT    NOT NULL,
    equipment_id TEXT    NOT NULL,
    seq          INTEGER NOT NULL,
    entry_date   TEXT    NOT NULL,
    kind         TEXT    NOT NULL,
    performed_by TEXT,
    note         TEXT,
    PRIMARY KEY (school_id, equipment_id, seq),
    FOREIGN KEY (school_id, equipment_id) REFERENCES registry_equipment (school_id, id) ON DELETE CASCADE
);

-- credential_hash: pbkdf2-sha256$ITERATIONS$SALT$HASH, never the secret; NULL until one is registered
CREATE TABLE registry_gateway (
    id              TEXT PRIMARY KEY,
    school_id       TEXT NOT NULL REFERENCES registry_school (id),
    name            TEXT,
    credential_hash TEXT
);

CREATE INDEX registry_room_building ON registry_room (school_id, building_id);
CREATE INDEX registry_equipment_room ON registry_equipment (school_id, room_id);
CREATE INDEX registry_gateway_school ON registry_gateway (school_id);
