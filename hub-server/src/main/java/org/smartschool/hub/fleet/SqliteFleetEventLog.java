package org.smartschool.hub.fleet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.sqlite.SQLiteConfig;

/**
 * Fleet events in their own SQLite file in the hub's data directory (WAL, synchronous FULL), apart from the
 * readings store so that either can be replaced on its own.
 */
public final class SqliteFleetEventLog implements FleetEventLog {
    /** The file's name, next to the hub's store file. */
    public static final String FILE_NAME = "hub-fleet.db";

    private static final String SCHEMA = """
        CREATE TABLE IF NOT EXISTS fleet_events (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          ts INTEGER NOT NULL,
          gateway TEXT NOT NULL,
          school TEXT NOT NULL,
          type TEXT NOT NULL,
          detail TEXT NOT NULL,
          cause TEXT,
          room TEXT,
          device TEXT)""";
    /** Files written before sensor events had these three columns; they are added in place. */
    private static final String[] ADDED_COLUMNS = {"cause", "room", "device"};
    private static final String TS_INDEX = "CREATE INDEX IF NOT EXISTS fleet_events_ts ON fleet_events (ts)";
    private static final String INDEX = "CREATE INDEX IF NOT EXISTS fleet_events_gateway_ts ON fleet_events (gateway, ts)";
    private static final String INSERT = "INSERT INTO fleet_events (ts, gateway, school, type, detail, cause, room, device)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String SELECT = """
        SELECT ts, gateway, school, type, detail, cause, room, device FROM fleet_events
        WHERE (? IS NULL OR gateway = ?) AND ts >= ? AND ts < ? ORDER BY ts, id LIMIT ?""";
    private static final String QUERY = """
        SELECT ts, gateway, school, type, detail, cause, room, device FROM fleet_events
        WHERE (? IS NULL OR school = ?) AND (? IS NULL OR gateway = ?) AND (? IS NULL OR type = ?)
          AND ts >= ? AND ts < ? ORDER BY ts DESC, id DESC LIMIT ?""";

    private final Path file;
    private final Connection connection;

    private SqliteFleetEventLog(Path file, Connection connection) {
        this.file = file;
        this.connection = connection;
    }

    /** Opens (creating when missing) the file and its table. */
    public static SqliteFleetEventLog open(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            SQLiteConfig config = new SQLiteConfig();
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
            config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
            config.setBusyTimeout(10_000);
            Connection connection = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
            try (Statement statement = connection.createStatement()) {
                statement.execute(SCHEMA);
                statement.execute(INDEX);
                statement.execute(TS_INDEX);
                addMissingColumns(connection);
            } catch (SQLException e) {
                connection.close();
                throw e;
            }
            return new SqliteFleetEventLog(file, connection);
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("cannot open the fleet event log " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void record(FleetEvent event) {
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            insert.setLong(1, event.time());
            insert.setString(2, event.gateway());
            insert.setString(3, event.school());
            insert.setString(4, event.type().label());
            insert.setString(5, event.detail());
            insert.setString(6, event.cause());
            insert.setString(7, event.room());
            insert.setString(8, event.device());
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record a fleet event in " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized List<FleetEvent> events(String gateway, long fromMillis, long toMillis, int limit) {
        try (PreparedStatement select = connection.prepareStatement(SELECT)) {
            select.setString(1, gateway);
            select.setString(2, gateway);
            select.setLong(3, fromMillis);
            select.setLong(4, toMillis);
            select.setInt(5, limit);
            return rows(select);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read fleet events from " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized List<FleetEvent> query(FleetEventQuery query) {
        try (PreparedStatement select = connection.prepareStatement(QUERY)) {
            String type = query.type() == null ? null : query.type().label();
            select.setString(1, query.school());
            select.setString(2, query.school());
            select.setString(3, query.gateway());
            select.setString(4, query.gateway());
            select.setString(5, type);
            select.setString(6, type);
            select.setLong(7, query.fromMillis());
            select.setLong(8, query.toMillis());
            select.setInt(9, query.limit());
            return rows(select);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read fleet events from " + file + ": " + e.getMessage(), e);
        }
    }

    private static List<FleetEvent> rows(PreparedStatement select) throws SQLException {
        List<FleetEvent> out = new ArrayList<>();
        try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                out.add(new FleetEvent(rs.getLong(1), rs.getString(2), rs.getString(3),
                        FleetEventType.ofLabel(rs.getString(4)), rs.getString(6), rs.getString(7), rs.getString(8),
                        rs.getString(5)));
            }
        }
        return out;
    }

    private static void addMissingColumns(Connection connection) throws SQLException {
        java.util.Set<String> present = new java.util.HashSet<>();
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("PRAGMA table_info(fleet_events)")) {
            while (rs.next()) {
                present.add(rs.getString("name"));
            }
        }
        for (String column : ADDED_COLUMNS) {
            if (!present.contains(column)) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("ALTER TABLE fleet_events ADD COLUMN " + column + " TEXT");
                }
            }
        }
    }

    @Override
    public synchronized void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // closing: nothing left to lose
        }
    }
}
