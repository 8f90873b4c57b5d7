package org.smartschool.hub.store;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import org.smartschool.bridge.uplink.Batch;
import org.sqlite.SQLiteConfig;

/**
 * The hub's state in its SQLite file: batch ids and gateway status. With the SQLite time-series
 * store the tables share one file with the readings.
 *
 * <p>{@code synchronous=NORMAL} is enough here (WAL: a crash of the process loses nothing, a power cut
 * at most the last commits): a lost batch id makes a later resend count as stored instead of replayed,
 * and a lost last-seen time is refreshed by the gateway's next message. The readings themselves are
 * durable before this is written.
 */
public final class SqliteHubState implements HubState {
    private static final String[] SCHEMA = {
        """
        CREATE TABLE IF NOT EXISTS batches (
          gateway TEXT NOT NULL, batch_id TEXT NOT NULL, school TEXT NOT NULL, received_at INTEGER NOT NULL,
          readings INTEGER NOT NULL, events INTEGER NOT NULL,
          PRIMARY KEY (gateway, batch_id)) WITHOUT ROWID""",
        "CREATE INDEX IF NOT EXISTS batches_by_time ON batches (received_at)",
        """
        CREATE TABLE IF NOT EXISTS gateway_status (
          gateway TEXT NOT NULL PRIMARY KEY, school TEXT NOT NULL, last_seen INTEGER NOT NULL,
          last_health TEXT, last_health_at INTEGER NOT NULL DEFAULT 0)""",
    };

    private static final String INSERT_BATCH = """
        INSERT INTO batches (gateway, batch_id, school, received_at, readings, events) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (gateway, batch_id) DO NOTHING""";
    private static final String SEEN_BY_BATCH = """
        INSERT INTO gateway_status (gateway, school, last_seen) VALUES (?, ?, ?)
        ON CONFLICT (gateway) DO UPDATE SET school = excluded.school, last_seen = max(last_seen, excluded.last_seen)""";
    private static final String SEEN_BY_HEALTH = """
        INSERT INTO gateway_status (gateway, school, last_seen, last_health, last_health_at) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (gateway) DO UPDATE SET school = excluded.school, last_seen = max(last_seen, excluded.last_seen),
          last_health = excluded.last_health, last_health_at = excluded.last_health_at""";

    private final Path file;
    private final Clock clock;
    private final Connection writer;
    private final Connection reader;

    private SqliteHubState(Path file, Clock clock, Connection writer, Connection reader) {
        this.file = file;
        this.clock = clock;
        this.writer = writer;
        this.reader = reader;
    }

    /** @param clock stamps batch receipt and gateway last-seen times */
    public static SqliteHubState open(Path file, Clock clock) {
        Connection writer = null;
        try {
            writer = SqliteFiles.connect(file, SQLiteConfig.SynchronousMode.NORMAL);
            try (Statement statement = writer.createStatement()) {
                for (String ddl : SCHEMA) {
                    statement.execute(ddl);
                }
            }
            Connection reader = SqliteFiles.connect(file, SQLiteConfig.SynchronousMode.NORMAL);
            return new SqliteHubState(file, clock, writer, reader);
        } catch (SQLException | IOException e) {
            SqliteFiles.closeQuietly(writer);
            throw new StoreException("cannot open the hub state " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public BatchOutcome recordBatch(Batch batch) {
        long now = clock.millis();
        synchronized (writer) {
            try {
                writer.setAutoCommit(false);
                try {
                    BatchOutcome outcome;
                    try (PreparedStatement insert = writer.prepareStatement(INSERT_BATCH)) {
                        insert.setString(1, batch.gatewayId());
                        insert.setString(2, batch.batchId());
                        insert.setString(3, batch.school());
                        insert.setLong(4, now);
                        insert.setInt(5, batch.readings().size());
                        insert.setInt(6, batch.events().size());
                        outcome = insert.executeUpdate() == 0 ? BatchOutcome.REPLAYED : BatchOutcome.STORED;
                    }
                    try (PreparedStatement seen = writer.prepareStatement(SEEN_BY_BATCH)) {
                        seen.setString(1, batch.gatewayId());
                        seen.setString(2, batch.school());
                        seen.setLong(3, now);
                        seen.executeUpdate();
                    }
                    writer.commit();
                    return outcome;
                } catch (SQLException | RuntimeException e) {
                    SqliteFiles.rollbackQuietly(writer);
                    throw e;
                } finally {
                    writer.setAutoCommit(true);
                }
            } catch (SQLException e) {
                throw new StoreException("cannot record batch " + batch.batchId() + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public void recordHealth(String gatewayId, String school, String healthJson) {
        long now = clock.millis();
        synchronized (writer) {
            try (PreparedStatement upsert = writer.prepareStatement(SEEN_BY_HEALTH)) {
                upsert.setString(1, gatewayId);
                upsert.setString(2, school);
                upsert.setLong(3, now);
                upsert.setString(4, healthJson);
                upsert.setLong(5, now);
                upsert.executeUpdate();
            } catch (SQLException e) {
                throw new StoreException("cannot record the health of gateway " + gatewayId + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public List<GatewayStatus> gatewayStatuses() {
        synchronized (reader) {
            try (Statement statement = reader.createStatement();
                 ResultSet rs = statement.executeQuery("SELECT gateway, school, last_seen, last_health, last_health_at"
                         + " FROM gateway_status ORDER BY gateway")) {
                List<GatewayStatus> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new GatewayStatus(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4),
                            rs.getLong(5)));
                }
                return out;
            } catch (SQLException e) {
                throw new StoreException("cannot read gateway status: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public void ping() {
        synchronized (reader) {
            try (Statement statement = reader.createStatement();
                 ResultSet rs = statement.executeQuery("SELECT count(*) FROM gateway_status")) {
                rs.next();
            } catch (SQLException e) {
                throw new StoreException("hub state " + file + " does not answer: " + e.getMessage(), e);
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
        return "SqliteHubState[" + file + "]";
    }
}
