package org.smartschool.hub.store;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.EventType;
import org.smartschool.bridge.model.PersonalData;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;
import org.smartschool.bridge.uplink.Batch;
import org.smartschool.hub.attendance.AttendanceCounts;
import org.sqlite.SQLiteConfig;

/**
 * The embedded time-series store: one SQLite file in WAL mode with {@code synchronous=FULL}, so a
 * committed batch survives a power cut (the PUBACK that follows the commit is a promise). It holds the
 * readings and device events only; the hub's own state (batch ids, gateway status) is in the state database.
 *
 * <p>One connection writes and one reads, each used by one thread at a time; WAL lets the reader run
 * while a batch is being written. Batches that arrive while a commit is on its way to the disk are committed
 * together by the next one ({@link GroupCommit}): one fsync for all of them.
 *
 * <p>Privacy (DESIGN.md invariant 6): personal event attributes (card uids and hashes, learner ids:
 * {@code PersonalData.isPersonal}) are dropped before they reach a table, and {@code attendance} events are
 * not stored as events at all: the hub forwards them from its state database, and this store keeps only their
 * counts per school, date, class, session and period (table {@code attendance}). A file of schema 2 or older
 * loses what it held of either when it is opened.
 */
public final class SqliteTimeSeriesStore implements TimeSeriesStore {
    /**
     * 2 added {@code devices}; a version 1 file gets it filled from its readings and events on open. 3 added
     * {@code attendance} and dropped personal data from {@code events}.
     */
    private static final int SCHEMA_VERSION = 3;

    private static final String[] SCHEMA = {
        // the key is the reading's identity (school, room, device, quantity, timestamp); its column
        // order also serves the time-window query of one quantity in one room
        """
        CREATE TABLE IF NOT EXISTS readings (
          school TEXT NOT NULL, room TEXT NOT NULL, quantity TEXT NOT NULL, ts INTEGER NOT NULL,
          device TEXT NOT NULL, value REAL NOT NULL,
          PRIMARY KEY (school, room, quantity, ts, device)) WITHOUT ROWID""",
        // kept up to date on every write so that the overview page never scans the readings
        """
        CREATE TABLE IF NOT EXISTS latest (
          school TEXT NOT NULL, room TEXT NOT NULL, quantity TEXT NOT NULL,
          device TEXT NOT NULL, value REAL NOT NULL, ts INTEGER NOT NULL,
          PRIMARY KEY (school, room, quantity)) WITHOUT ROWID""",
        """
        CREATE TABLE IF NOT EXISTS rooms (
          school TEXT NOT NULL, room TEXT NOT NULL,
          PRIMARY KEY (school, room)) WITHOUT ROWID""",
        // attributes without personal data: see the class comment
        """
        CREATE TABLE IF NOT EXISTS events (
          id TEXT NOT NULL PRIMARY KEY, school TEXT NOT NULL, room TEXT NOT NULL, device TEXT NOT NULL,
          type TEXT NOT NULL, ts INTEGER NOT NULL, attributes TEXT NOT NULL,
          gateway TEXT NOT NULL, batch_id TEXT NOT NULL, received_at INTEGER NOT NULL)""",
        "CREATE INDEX IF NOT EXISTS events_by_room_time ON events (school, room, ts)",
        // kept up to date on every write so that a school's devices are listed without scanning the readings
        """
        CREATE TABLE IF NOT EXISTS devices (
          school TEXT NOT NULL, room TEXT NOT NULL, device TEXT NOT NULL, last_seen INTEGER NOT NULL,
          PRIMARY KEY (school, room, device)) WITHOUT ROWID""",
        // counts only, never a learner (docs/storage.md); period '' for session-level attendance
        """
        CREATE TABLE IF NOT EXISTS attendance (
          school TEXT NOT NULL, date TEXT NOT NULL, class TEXT NOT NULL, session TEXT NOT NULL, period TEXT NOT NULL,
          present INTEGER NOT NULL, late INTEGER NOT NULL, excused_absence INTEGER NOT NULL,
          unexcused_absence INTEGER NOT NULL,
          PRIMARY KEY (school, date, class, session, period)) WITHOUT ROWID""",
    };
    /** What schema 2 and older kept of personal data: attendance events, and personal attributes of the others. */
    private static final String[] FORGET_PERSONAL = {
        "DELETE FROM events WHERE type = 'attendance'",
        "UPDATE events SET attributes = json_remove(attributes, "
                + PersonalData.NAMES.stream().sorted().map(n -> "'$." + n + "'").collect(java.util.stream.Collectors.joining(", "))
                + ")",
    };
    private static final String UPSERT_ATTENDANCE = """
        INSERT INTO attendance (school, date, class, session, period, present, late, excused_absence, unexcused_absence)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (school, date, class, session, period) DO UPDATE SET present = excluded.present, late = excluded.late,
          excused_absence = excluded.excused_absence, unexcused_absence = excluded.unexcused_absence""";
    private static final String SELECT_ATTENDANCE = """
        SELECT date, class, session, period, present, late, excused_absence, unexcused_absence FROM attendance
        WHERE school = ? AND date >= ? AND date <= ? ORDER BY date, class, session, period""";
    // WHERE true: without it SQLite's parser takes the upsert's ON for a join's
    private static final String FILL_DEVICES = """
        INSERT INTO devices (school, room, device, last_seen)
        SELECT school, room, device, max(ts) FROM (
          SELECT school, room, device, ts FROM readings UNION ALL SELECT school, room, device, ts FROM events)
        WHERE true GROUP BY school, room, device
        ON CONFLICT (school, room, device) DO UPDATE SET last_seen = max(last_seen, excluded.last_seen)""";
    private static final String UPSERT_DEVICE = """
        INSERT INTO devices (school, room, device, last_seen) VALUES (?, ?, ?, ?)
        ON CONFLICT (school, room, device) DO UPDATE SET last_seen = max(last_seen, excluded.last_seen)""";

    private static final String UPSERT_READING = """
        INSERT INTO readings (school, room, quantity, ts, device, value) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (school, room, quantity, ts, device) DO UPDATE SET value = excluded.value""";
    private static final String UPSERT_LATEST = """
        INSERT INTO latest (school, room, quantity, device, value, ts) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (school, room, quantity) DO UPDATE
          SET device = excluded.device, value = excluded.value, ts = excluded.ts
          WHERE excluded.ts >= latest.ts""";
    private static final String INSERT_ROOM = "INSERT INTO rooms (school, room) VALUES (?, ?) ON CONFLICT DO NOTHING";
    private static final String INSERT_EVENT = """
        INSERT INTO events (id, school, room, device, type, ts, attributes, gateway, batch_id, received_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING""";
    private static final String SELECT_READINGS = """
        SELECT device, value, ts FROM readings
        WHERE school = ? AND room = ? AND quantity = ? AND ts >= ? AND ts < ? AND (? IS NULL OR device = ?)
        ORDER BY ts, device LIMIT ?""";
    private static final String WHERE_SERIES = """
        WHERE school = ? AND room = ? AND quantity = ? AND ts >= ? AND ts < ? AND (? IS NULL OR device = ?)""";
    // steps aligned to the epoch like InfluxQL's GROUP BY time(); ts is positive, so ts - ts % step floors it
    private static final String SELECT_SERIES = """
        SELECT ts - ts %% ? AS step, %s(value) FROM readings %s
        GROUP BY step ORDER BY step LIMIT ?""";
    private static final String SELECT_SERIES_LAST = """
        SELECT step, value FROM (
          SELECT ts - ts %% ? AS step, value,
                 row_number() OVER (PARTITION BY ts - ts %% ? ORDER BY ts DESC, device DESC) AS newest
          FROM readings %s)
        WHERE newest = 1 ORDER BY step LIMIT ?""";
    private static final String SELECT_SCHOOL_SERIES = """
        SELECT room, device, ts - (ts - ?) % ? AS step, avg(value) FROM readings
        WHERE school = ? AND quantity = ? AND ts >= ? AND ts < ?
        GROUP BY room, device, step ORDER BY room, device, step""";
    private static final String SELECT_EVENTS = """
        SELECT id, device, type, ts FROM events WHERE school = ? AND room = ? AND ts >= ? AND ts < ?
        ORDER BY ts, device, type LIMIT ?""";

    private final ObjectMapper json = new ObjectMapper();
    private final Path file;
    private final Clock clock;
    private final Connection writer;
    /** Every write goes through it: batches stored at once share one fsync'd commit. */
    private final GroupCommit commits;
    private final Connection reader;

    private SqliteTimeSeriesStore(Path file, Clock clock, Connection writer, Connection reader) {
        this.file = file;
        this.clock = clock;
        this.writer = writer;
        this.commits = new GroupCommit(writer);
        this.reader = reader;
    }

    /** Opens (creating when missing) the store file and its schema. */
    public static SqliteTimeSeriesStore open(Path file) {
        return open(file, Clock.systemUTC());
    }

    /** @param clock stamps when an event was received */
    public static SqliteTimeSeriesStore open(Path file, Clock clock) {
        Connection writer = null;
        try {
            // FULL: a commit is on disk before the PUBACK is sent, also across a power cut
            writer = SqliteFiles.connect(file, SQLiteConfig.SynchronousMode.FULL);
            createSchema(writer);
            Connection reader = SqliteFiles.connect(file, SQLiteConfig.SynchronousMode.FULL);
            return new SqliteTimeSeriesStore(file, clock, writer, reader);
        } catch (SQLException | IOException e) {
            SqliteFiles.closeQuietly(writer);
            throw new StoreException("cannot open the store " + file + ": " + e.getMessage(), e);
        }
    }

    private static void createSchema(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            int version;
            try (ResultSet rs = statement.executeQuery("PRAGMA user_version")) {
                version = rs.next() ? rs.getInt(1) : 0;
            }
            if (version > SCHEMA_VERSION) {
                throw new SQLException("the file was written by a newer hub (schema " + version
                        + ", this hub knows " + SCHEMA_VERSION + ")");
            }
            for (String ddl : SCHEMA) {
                statement.execute(ddl);
            }
            if (version == 1) {
                statement.execute(FILL_DEVICES);
            }
            if (version > 0 && version < 3) {
                for (String forget : FORGET_PERSONAL) {
                    statement.execute(forget);
                }
            }
            statement.execute("PRAGMA user_version = " + SCHEMA_VERSION);
        }
    }

    @Override
    public void write(Batch batch) {
        write(batch, List.of());
    }

    /** The batch and the counts in one transaction (a batch of attendance decisions: one commit, not two). */
    @Override
    public void write(Batch batch, List<AttendanceCounts> counts) {
        long now = clock.millis();
        try {
            commits.run(c -> {
                upsertReadings(batch);
                insertEvents(batch, now);
                insertRooms(batch);
                upsertDevices(batch);
                upsertAttendance(c, counts);
            });
        } catch (SQLException e) {
            throw new StoreException("cannot store batch " + batch.batchId() + ": " + e.getMessage(), e);
        }
    }

    private void upsertReadings(Batch batch) throws SQLException {
        if (batch.readings().isEmpty()) {
            return;
        }
        try (PreparedStatement reading = writer.prepareStatement(UPSERT_READING);
             PreparedStatement latest = writer.prepareStatement(UPSERT_LATEST)) {
            for (Reading r : batch.readings()) {
                reading.setString(1, r.school());
                reading.setString(2, r.room());
                reading.setString(3, r.quantity().id());
                reading.setLong(4, r.timestamp());
                reading.setString(5, r.device());
                reading.setDouble(6, r.value());
                reading.addBatch();
                latest.setString(1, r.school());
                latest.setString(2, r.room());
                latest.setString(3, r.quantity().id());
                latest.setString(4, r.device());
                latest.setDouble(5, r.value());
                latest.setLong(6, r.timestamp());
                latest.addBatch();
            }
            reading.executeBatch();
            latest.executeBatch();
        }
    }

    private void insertEvents(Batch batch, long now) throws SQLException {
        if (batch.events().isEmpty()) {
            return;
        }
        try (PreparedStatement insert = writer.prepareStatement(INSERT_EVENT)) {
            for (DeviceEvent e : stored(batch.events())) {
                insert.setString(1, e.id());
                insert.setString(2, e.school());
                insert.setString(3, e.room());
                insert.setString(4, e.device());
                insert.setString(5, e.type().id());
                insert.setLong(6, e.timestamp());
                insert.setString(7, attributesJson(e));
                insert.setString(8, batch.gatewayId());
                insert.setString(9, batch.batchId());
                insert.setLong(10, now);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private String attributesJson(DeviceEvent event) throws SQLException {
        try {
            Map<String, String> kept = new TreeMap<>(event.attributes());
            kept.keySet().removeIf(PersonalData::isPersonal);
            return json.writeValueAsString(kept);
        } catch (JsonProcessingException e) {
            // the message names the event, never the attribute values (they may be card uids)
            throw new SQLException("cannot encode the attributes of event " + event.id(), e);
        }
    }

    private void insertRooms(Batch batch) throws SQLException {
        try (PreparedStatement insert = writer.prepareStatement(INSERT_ROOM)) {
            Set<RoomRef> rooms = new LinkedHashSet<>();
            batch.readings().forEach(r -> rooms.add(new RoomRef(r.school(), r.room())));
            stored(batch.events()).forEach(e -> rooms.add(new RoomRef(e.school(), e.room())));
            for (RoomRef room : rooms) {
                insert.setString(1, room.school());
                insert.setString(2, room.room());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private void upsertDevices(Batch batch) throws SQLException {
        // the newest time of each device in the batch: one row per device, however many readings it sent
        Map<List<String>, Long> newest = new LinkedHashMap<>();
        batch.readings().forEach(r -> newest.merge(List.of(r.school(), r.room(), r.device()), r.timestamp(), Math::max));
        stored(batch.events()).forEach(e -> newest.merge(List.of(e.school(), e.room(), e.device()), e.timestamp(), Math::max));
        try (PreparedStatement upsert = writer.prepareStatement(UPSERT_DEVICE)) {
            for (Map.Entry<List<String>, Long> device : newest.entrySet()) {
                upsert.setString(1, device.getKey().get(0));
                upsert.setString(2, device.getKey().get(1));
                upsert.setString(3, device.getKey().get(2));
                upsert.setLong(4, device.getValue());
                upsert.addBatch();
            }
            upsert.executeBatch();
        }
    }

    /** The events stored as events: every one but attendance decisions (counted instead). */
    static List<DeviceEvent> stored(List<DeviceEvent> events) {
        return events.stream().filter(e -> e.type() != EventType.ATTENDANCE).toList();
    }

    @Override
    public void writeAttendance(List<AttendanceCounts> counts) {
        if (counts.isEmpty()) {
            return;
        }
        try {
            commits.run(c -> upsertAttendance(c, counts));
        } catch (SQLException e) {
            throw new StoreException("cannot store attendance counts: " + e.getMessage(), e);
        }
    }

    private static void upsertAttendance(Connection c, List<AttendanceCounts> counts) throws SQLException {
        if (counts.isEmpty()) {
            return;
        }
        try (PreparedStatement upsert = c.prepareStatement(UPSERT_ATTENDANCE)) {
            for (AttendanceCounts a : counts) {
                upsert.setString(1, a.school());
                upsert.setString(2, a.date().toString());
                upsert.setString(3, a.classId());
                upsert.setString(4, a.session());
                upsert.setString(5, a.period() == null ? "" : a.period());
                upsert.setInt(6, a.present());
                upsert.setInt(7, a.late());
                upsert.setInt(8, a.excusedAbsence());
                upsert.setInt(9, a.unexcusedAbsence());
                upsert.addBatch();
            }
            upsert.executeBatch();
        }
    }

    @Override
    public List<AttendanceCounts> attendance(String school, LocalDate from, LocalDate to) {
        synchronized (reader) {
            try (PreparedStatement select = reader.prepareStatement(SELECT_ATTENDANCE)) {
                select.setString(1, school);
                select.setString(2, from.toString());
                select.setString(3, to.toString());
                List<AttendanceCounts> out = new ArrayList<>();
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        String period = rs.getString(4);
                        out.add(new AttendanceCounts(school, LocalDate.parse(rs.getString(1)), rs.getString(2), rs.getString(3),
                                period.isEmpty() ? null : period, rs.getInt(5), rs.getInt(6), rs.getInt(7), rs.getInt(8)));
                    }
                }
                return out;
            } catch (SQLException e) {
                throw new StoreException("cannot read attendance counts: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public List<StoredReading> readings(ReadingQuery query) {
        synchronized (reader) {
            try (PreparedStatement select = reader.prepareStatement(SELECT_READINGS)) {
                select.setString(1, query.school());
                select.setString(2, query.room());
                select.setString(3, query.quantity().id());
                select.setLong(4, query.fromMillis());
                select.setLong(5, query.toMillis());
                String device = query.device().orElse(null);
                select.setString(6, device);
                select.setString(7, device);
                select.setInt(8, query.limit());
                List<StoredReading> out = new ArrayList<>();
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        out.add(new StoredReading(rs.getString(1), rs.getDouble(2), rs.getLong(3)));
                    }
                }
                return out;
            } catch (SQLException e) {
                throw new StoreException("cannot read readings: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public List<SeriesPoint> series(SeriesQuery query) {
        ReadingQuery window = query.readings();
        String sql = query.aggregation() == Aggregation.LAST
                ? SELECT_SERIES_LAST.formatted(WHERE_SERIES)
                : SELECT_SERIES.formatted(sqlFunction(query.aggregation()), WHERE_SERIES);
        synchronized (reader) {
            try (PreparedStatement select = reader.prepareStatement(sql)) {
                int i = 1;
                select.setLong(i++, query.stepMillis());
                if (query.aggregation() == Aggregation.LAST) {
                    select.setLong(i++, query.stepMillis());
                }
                select.setString(i++, window.school());
                select.setString(i++, window.room());
                select.setString(i++, window.quantity().id());
                select.setLong(i++, window.fromMillis());
                select.setLong(i++, window.toMillis());
                String device = window.device().orElse(null);
                select.setString(i++, device);
                select.setString(i++, device);
                select.setInt(i, window.limit());
                List<SeriesPoint> out = new ArrayList<>();
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        out.add(new SeriesPoint(rs.getLong(1), rs.getDouble(2)));
                    }
                }
                return out;
            } catch (SQLException e) {
                throw new StoreException("cannot read the " + query.aggregation().id() + " series: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public List<DeviceStep> schoolSeries(SchoolSeriesQuery query) {
        synchronized (reader) {
            try (PreparedStatement select = reader.prepareStatement(SELECT_SCHOOL_SERIES)) {
                // ts - offset >= 0 for every reading after the epoch's first day, so % floors it
                select.setLong(1, query.offsetMillis());
                select.setLong(2, query.stepMillis());
                select.setString(3, query.school());
                select.setString(4, query.quantity().id());
                select.setLong(5, query.fromMillis());
                select.setLong(6, query.toMillis());
                List<DeviceStep> out = new ArrayList<>();
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        out.add(new DeviceStep(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getDouble(4)));
                    }
                }
                return out;
            } catch (SQLException e) {
                throw new StoreException("cannot read the school's step means: " + e.getMessage(), e);
            }
        }
    }

    private static String sqlFunction(Aggregation aggregation) {
        return switch (aggregation) {
            case MEAN -> "avg";
            case MIN -> "min";
            case MAX -> "max";
            case LAST -> throw new IllegalArgumentException("last has its own query");
        };
    }

    @Override
    public List<StoredEvent> events(EventQuery query) {
        synchronized (reader) {
            try (PreparedStatement select = reader.prepareStatement(SELECT_EVENTS)) {
                select.setString(1, query.school());
                select.setString(2, query.room());
                select.setLong(3, query.fromMillis());
                select.setLong(4, query.toMillis());
                select.setInt(5, query.limit());
                List<StoredEvent> out = new ArrayList<>();
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        // a type this hub version no longer knows is left out rather than failing the answer
                        Optional<EventType> type = EventType.byId(rs.getString(3));
                        type.ifPresent(t -> {
                            try {
                                out.add(new StoredEvent(rs.getString(1), rs.getString(2), t, rs.getLong(4)));
                            } catch (SQLException e) {
                                throw new StoreException("cannot read events: " + e.getMessage(), e);
                            }
                        });
                    }
                }
                return out;
            } catch (SQLException e) {
                throw new StoreException("cannot read events: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public List<LatestValue> latestValues() {
        synchronized (reader) {
            try (Statement statement = reader.createStatement();
                 ResultSet rs = statement.executeQuery(
                         "SELECT school, room, quantity, device, value, ts FROM latest ORDER BY school, room, quantity")) {
                List<LatestValue> out = new ArrayList<>();
                while (rs.next()) {
                    // a quantity this hub version no longer knows is left out rather than failing the page
                    Optional<Quantity> quantity = Quantity.byId(rs.getString(3));
                    if (quantity.isPresent()) {
                        out.add(new LatestValue(rs.getString(1), rs.getString(2), quantity.get(), rs.getString(4),
                                rs.getDouble(5), rs.getLong(6)));
                    }
                }
                return out;
            } catch (SQLException e) {
                throw new StoreException("cannot read latest values: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public List<RoomRef> rooms() {
        synchronized (reader) {
            try (Statement statement = reader.createStatement();
                 ResultSet rs = statement.executeQuery("SELECT school, room FROM rooms ORDER BY school, room")) {
                List<RoomRef> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new RoomRef(rs.getString(1), rs.getString(2)));
                }
                return out;
            } catch (SQLException e) {
                throw new StoreException("cannot read rooms: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public List<DeviceLastSeen> devicesLastSeen(String school) {
        synchronized (reader) {
            try (PreparedStatement select = reader.prepareStatement(
                    "SELECT room, device, last_seen FROM devices WHERE school = ? ORDER BY room, device")) {
                select.setString(1, school);
                List<DeviceLastSeen> out = new ArrayList<>();
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        out.add(new DeviceLastSeen(school, rs.getString(1), rs.getString(2), rs.getLong(3)));
                    }
                }
                return out;
            } catch (SQLException e) {
                throw new StoreException("cannot read the devices of a school: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public void ping() {
        synchronized (reader) {
            try (Statement statement = reader.createStatement();
                 ResultSet rs = statement.executeQuery("SELECT count(*) FROM rooms")) {
                rs.next();
            } catch (SQLException e) {
                throw new StoreException("store " + file + " does not answer: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public void close() {
        synchronized (reader) {
            SqliteFiles.closeQuietly(reader);
        }
        synchronized (writer) {
            SqliteFiles.closeQuietly(writer);
        }
    }

    @Override
    public String toString() {
        return "SqliteTimeSeriesStore[" + file + "]";
    }
}
