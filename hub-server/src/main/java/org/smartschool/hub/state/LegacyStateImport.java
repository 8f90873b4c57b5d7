package org.smartschool.hub.state;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * The one-time copy, at start, of what older hub versions kept outside the state database: batch ids and
 * gateway status in {@code hub-store.db} (tables {@code batches}, {@code gateway_status}) and fleet events in
 * {@code hub-fleet.db} (table {@code fleet_events}). Without it a hub upgraded on an old data directory
 * would take a gateway's resend of a batch stored before the upgrade for a new batch, and forget its fleet.
 *
 * <p>Each source file is copied in one transaction together with its row in {@code state_import} (keyed by
 * the file's absolute path), so it is copied exactly once, also when the hub stops half way. Only batch ids
 * within the retention window are copied. The old files are opened read-only and left as they are: the
 * SQLite time-series store keeps using {@code hub-store.db} for the readings; {@code hub-fleet.db} is no
 * longer used and may be deleted once the hub has started.
 */
public final class LegacyStateImport {
    private static final Logger LOG = LoggerFactory.getLogger(LegacyStateImport.class);
    public static final String OLD_STORE_FILE = "hub-store.db";
    public static final String OLD_FLEET_FILE = "hub-fleet.db";
    private static final int CHUNK = 1_000;

    private LegacyStateImport() {
    }

    /**
     * Copies what {@code storeFile} (the store's SQLite file, {@code store.path}) and {@code hub-fleet.db} beside it
     * hold, unless done before.
     *
     * @param now UTC epoch ms; batch ids received before {@code now - retention} are not copied
     * @return rows copied now (0 when there was nothing, or it was done before)
     */
    public static long run(StateDatabase db, Path storeFile, long now, Duration retention) {
        Path store = storeFile.toAbsolutePath();
        Path fleet = store.resolveSibling(OLD_FLEET_FILE);
        long copied = 0;
        copied += copyOnce(db, store, Set.of("batches", "gateway_status"), now - retention.toMillis());
        copied += copyOnce(db, fleet, Set.of("fleet_events"), 0);
        return copied;
    }

    private static long copyOnce(StateDatabase db, Path file, Set<String> wanted, long batchesSince) {
        if (!Files.isRegularFile(file)) {
            return 0;
        }
        String source = file.toString();
        try (Connection old = openReadOnly(file); Connection c = db.connection()) {
            Set<String> tables = tables(old);
            tables.retainAll(wanted);
            if (tables.isEmpty()) {
                return 0;
            }
            c.setAutoCommit(false);
            try {
                if (done(c, source)) {
                    c.rollback();
                    return 0;
                }
                long rows = 0;
                if (tables.contains("batches")) {
                    rows += copy(old, c, "SELECT gateway, batch_id, school, received_at, readings, events FROM batches"
                                    + " WHERE received_at >= " + batchesSince,
                            "INSERT INTO hub_batch (gateway, batch_id, school, received_at, readings, events)"
                                    + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (gateway, batch_id) DO NOTHING",
                            "ssslii");
                }
                if (tables.contains("gateway_status")) {
                    rows += copy(old, c, "SELECT gateway, school, last_seen, last_health, last_health_at FROM gateway_status",
                            "INSERT INTO hub_gateway_status (gateway, school, last_seen, last_health, last_health_at)"
                                    + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (gateway) DO NOTHING",
                            "sslsl");
                }
                if (tables.contains("fleet_events")) {
                    boolean sensorColumns = columns(old, "fleet_events").contains("device");
                    rows += copy(old, c, "SELECT ts, gateway, school, type, detail, "
                                    + (sensorColumns ? "cause, room, device" : "NULL, NULL, NULL")
                                    + " FROM fleet_events ORDER BY id",
                            "INSERT INTO fleet_event (ts, gateway, school, type, detail, cause, room, device)"
                                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                            "lsssssss");
                }
                try (PreparedStatement mark = c.prepareStatement(
                        "INSERT INTO state_import (source, imported_at, rows_copied) VALUES (?, ?, ?)")) {
                    mark.setString(1, source);
                    mark.setLong(2, System.currentTimeMillis());
                    mark.setLong(3, rows);
                    mark.executeUpdate();
                }
                c.commit();
                LOG.info("state database {}: copied {} rows ({}) from {} of an older hub version, once", db, rows,
                        String.join(", ", new TreeSet<>(tables)), file);
                return rows;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("state database " + db + ": cannot copy the state of an older hub from "
                    + file + ": " + e.getMessage(), e);
        }
    }

    private static Connection openReadOnly(Path file) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(10_000);
        return config.createConnection("jdbc:sqlite:" + file);
    }

    private static boolean done(Connection c, String source) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT count(*) FROM state_import WHERE source = ?")) {
            st.setString(1, source);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1) > 0;
            }
        }
    }

    private static Set<String> tables(Connection old) throws SQLException {
        Set<String> out = new TreeSet<>();
        try (PreparedStatement st = old.prepareStatement("SELECT name FROM sqlite_master WHERE type = 'table'");
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static Set<String> columns(Connection old, String table) throws SQLException {
        Set<String> out = new TreeSet<>();
        try (PreparedStatement st = old.prepareStatement("PRAGMA table_info(" + table + ")"); ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString("name"));
            }
        }
        return out;
    }

    /** @param types one letter per column: s text, l long, i int */
    private static long copy(Connection old, Connection c, String select, String insert, String types) throws SQLException {
        long rows = 0;
        try (PreparedStatement read = old.prepareStatement(select); ResultSet rs = read.executeQuery();
             PreparedStatement write = c.prepareStatement(insert)) {
            int pending = 0;
            while (rs.next()) {
                for (int i = 0; i < types.length(); i++) {
                    switch (types.charAt(i)) {
                        case 'l' -> write.setLong(i + 1, rs.getLong(i + 1));
                        case 'i' -> write.setInt(i + 1, rs.getInt(i + 1));
                        default -> write.setString(i + 1, rs.getString(i + 1));
                    }
                }
                write.addBatch();
                rows++;
                if (++pending == CHUNK) {
                    write.executeBatch();
                    pending = 0;
                }
            }
            if (pending > 0) {
                write.executeBatch();
            }
        }
        return rows;
    }
}
