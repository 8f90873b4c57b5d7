package org.smartschool.hub.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartschool.bridge.uplink.Batch;
import org.smartschool.hub.config.StateConfig;
import org.smartschool.hub.store.BatchOutcome;
import org.smartschool.hub.store.GatewayStatus;
import org.smartschool.hub.store.GroupCommit;
import org.smartschool.hub.store.HubState;
import org.smartschool.hub.store.StoreException;

/**
 * Batch ids and gateway status in the state database (SQLite or PostgreSQL), through its pool.
 *
 * <p>Recording a batch is an insert that does nothing when the (gateway, batch id) primary key exists (that is
 * the replay check), and an upsert of the gateway's last contact, within a savepoint of a short transaction that
 * the batches recorded meanwhile share ({@link GroupCommit}: the calls that wait while one transaction runs are
 * the next one's, so calls that pile up, as on a loaded machine, pay the begin and commit once; at the ingest
 * benchmark's rates they rarely overlap). On SQLite the batch ids go through one kept connection whose statements are
 * prepared once (a pooled connection per batch cost two pragmas and two preparations each time: ~40 % of a call's
 * time, README "Performance"). On SQLite,
 * writes of this object are serialised in Java (SQLite has one writer; waiting on a lock is cheaper than
 * its busy handler's sleeps) and committed with {@code synchronous=NORMAL} (WAL: a crash of the process
 * loses nothing, a power cut at most the last commits: a lost batch id makes a later resend count as
 * stored instead of replayed, and the readings were durable before). On PostgreSQL, calls run in parallel
 * on the pool's connections, each transaction with {@code synchronous_commit} off for the same trade: a crash of
 * the database server may lose the last fraction of a second of batch ids, never corrupt them.
 *
 * <p>Batch ids are kept for {@link #BATCH_ID_RETENTION}: a background task deletes older ones in slices of
 * {@value #TRIM_SLICE} rows, each its own short transaction. A batch resent after that window is stored
 * again and reported as {@link BatchOutcome#STORED}, which is harmless: its points overwrite themselves
 * (DESIGN.md, invariant 2). Gateways resend only what they have not had acknowledged, within minutes or
 * hours of a cut link; a week covers a school's longest holiday outage of the uplink with the outbox full.
 */
public final class JdbcHubState implements HubState {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcHubState.class);
    /** How long a batch id is kept for replay detection. */
    public static final Duration BATCH_ID_RETENTION = Duration.ofDays(7);
    /** How often old batch ids are trimmed. */
    static final Duration TRIM_PERIOD = Duration.ofMinutes(10);
    static final int TRIM_SLICE = 5_000;

    private static final String INSERT_BATCH = """
        INSERT INTO hub_batch (gateway, batch_id, school, received_at, readings, events) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (gateway, batch_id) DO NOTHING""";
    private static final String NEWER = " CASE WHEN excluded.last_seen > hub_gateway_status.last_seen"
            + " THEN excluded.last_seen ELSE hub_gateway_status.last_seen END";
    private static final String SEEN_BY_BATCH = """
        INSERT INTO hub_gateway_status (gateway, school, last_seen) VALUES (?, ?, ?)
        ON CONFLICT (gateway) DO UPDATE SET school = excluded.school, last_seen =""" + NEWER;
    private static final String SEEN_BY_HEALTH = """
        INSERT INTO hub_gateway_status (gateway, school, last_seen, last_health, last_health_at) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (gateway) DO UPDATE SET school = excluded.school, last_health = excluded.last_health,
          last_health_at = excluded.last_health_at, last_seen =""" + NEWER;
    private static final String TRIM = """
        DELETE FROM hub_batch WHERE (gateway, batch_id) IN
          (SELECT gateway, batch_id FROM hub_batch WHERE received_at < ? ORDER BY received_at LIMIT ?)""";

    private final StateDatabase db;
    private final boolean ownsDatabase;
    private final Clock clock;
    private final Duration retention;
    private final boolean sqlite;
    /** SQLite's one writer, taken in Java; unused on PostgreSQL. */
    private final java.util.concurrent.locks.Lock sqliteWriter;
    private final ScheduledExecutorService trimmer;
    /** Batch ids recorded together, in one {@link #write} transaction per group. */
    private final GroupCommit batchIds;
    /**
     * SQLite: a connection kept for batch ids, with its statements prepared once and {@code synchronous=NORMAL} set
     * once (a pooled connection per batch cost two pragmas and two statement preparations each time); used only by
     * a group of {@link #batchIds}, under the writer lock. Null until the first batch, and after a failure.
     */
    private KeptStatements kept;

    /** On a database another owner closes, with the standard retention, trimmed every {@link #TRIM_PERIOD}. */
    public JdbcHubState(StateDatabase db, Clock clock) {
        this(db, clock, BATCH_ID_RETENTION, false, true);
    }

    /**
     * @param ownsDatabase {@link #close()} closes {@code db} too
     * @param trimInBackground false in tests that call {@link #trimBatchIds()} themselves
     */
    JdbcHubState(StateDatabase db, Clock clock, Duration retention, boolean ownsDatabase, boolean trimInBackground) {
        this.db = db;
        this.ownsDatabase = ownsDatabase;
        this.clock = clock;
        this.retention = retention;
        this.sqlite = !db.usesPostgres();
        this.sqliteWriter = db.sqliteWriter(); // shared with the other stores of the file
        this.batchIds = new GroupCommit(sqlite ? this::inKeptTransaction : work -> write(c -> {
            work.apply(c);
            return null;
        }));
        if (trimInBackground) {
            trimmer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "hub-state-trim");
                t.setDaemon(true);
                return t;
            });
            trimmer.scheduleWithFixedDelay(this::trimQuietly, 1, TRIM_PERIOD.toSeconds(), TimeUnit.SECONDS);
        } else {
            trimmer = null;
        }
    }

    /** Opens (and migrates) the database {@code config} names, owned by the returned object. */
    public static JdbcHubState open(StateConfig config, Clock clock) {
        return new JdbcHubState(StateDatabase.open(config), clock, BATCH_ID_RETENTION, true, true);
    }

    @Override
    public BatchOutcome recordBatch(Batch batch) {
        long now = clock.millis();
        BatchOutcome[] outcome = new BatchOutcome[1];
        try {
            batchIds.run(c -> outcome[0] = kept != null && kept.connection == c
                    ? record(kept.insert, kept.seen, batch, now) : record(c, batch, now));
            return outcome[0];
        } catch (SQLException e) {
            throw new StoreException("cannot record batch " + batch.batchId() + " in " + db + ": " + e.getMessage(), e);
        }
    }

    /**
     * As {@link #recordBatch}, in another store's transaction of this database (the attendance ledger's, which
     * takes a batch's decisions and its id in one commit).
     */
    static BatchOutcome recordIn(TransactionStatements st, Batch batch, long now) throws SQLException {
        return record(st.prepared(INSERT_BATCH), st.prepared(SEEN_BY_BATCH), batch, now);
    }

    private static BatchOutcome record(Connection c, Batch batch, long now) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(INSERT_BATCH); PreparedStatement seen = c.prepareStatement(SEEN_BY_BATCH)) {
            return record(insert, seen, batch, now);
        }
    }

    private static BatchOutcome record(PreparedStatement insert, PreparedStatement seen, Batch batch, long now)
            throws SQLException {
        insert.setString(1, batch.gatewayId());
        insert.setString(2, batch.batchId());
        insert.setString(3, batch.school());
        insert.setLong(4, now);
        insert.setInt(5, batch.readings().size());
        insert.setInt(6, batch.events().size());
        BatchOutcome outcome = insert.executeUpdate() == 0 ? BatchOutcome.REPLAYED : BatchOutcome.STORED;
        seen.setString(1, batch.gatewayId());
        seen.setString(2, batch.school());
        seen.setLong(3, now);
        seen.executeUpdate();
        return outcome;
    }

    /** SQLite: a group of batch ids in one transaction on the kept connection, under the file's writer lock. */
    private void inKeptTransaction(GroupCommit.Work work) throws SQLException {
        sqliteWriter.lock();
        try {
            if (kept == null) {
                kept = KeptStatements.open(db);
            }
            Connection c = kept.connection;
            transaction(c, x -> {
                work.apply(x);
                return null;
            });
        } catch (SQLException | RuntimeException e) {
            // a connection that failed is not trusted for the next group: it is opened anew
            closeKept();
            throw e;
        } finally {
            sqliteWriter.unlock();
        }
    }

    private void closeKept() {
        if (kept != null) {
            kept.close();
            kept = null;
        }
    }

    /** The kept SQLite connection and its two statements. */
    private record KeptStatements(Connection connection, PreparedStatement insert, PreparedStatement seen) {
        static KeptStatements open(StateDatabase db) throws SQLException {
            Connection c = db.dedicatedConnection();
            try {
                pragma(c, "PRAGMA synchronous = NORMAL");
                return new KeptStatements(c, c.prepareStatement(INSERT_BATCH), c.prepareStatement(SEEN_BY_BATCH));
            } catch (SQLException | RuntimeException e) {
                c.close();
                throw e;
            }
        }

        void close() {
            try {
                connection.close(); // its statements with it
            } catch (SQLException e) {
                LOG.debug("closing the batch-id connection: {}", e.toString());
            }
        }
    }

    @Override
    public void recordHealth(String gatewayId, String school, String healthJson) {
        long now = clock.millis();
        try {
            write(c -> {
                try (PreparedStatement upsert = c.prepareStatement(SEEN_BY_HEALTH)) {
                    upsert.setString(1, gatewayId);
                    upsert.setString(2, school);
                    upsert.setLong(3, now);
                    upsert.setString(4, healthJson);
                    upsert.setLong(5, now);
                    upsert.executeUpdate();
                }
                return null;
            });
        } catch (SQLException e) {
            throw new StoreException("cannot record the health of gateway " + gatewayId + " in " + db + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public List<GatewayStatus> gatewayStatuses() {
        try (Connection c = db.connection();
             PreparedStatement st = c.prepareStatement("SELECT gateway, school, last_seen, last_health, last_health_at"
                     + " FROM hub_gateway_status ORDER BY gateway");
             ResultSet rs = st.executeQuery()) {
            List<GatewayStatus> out = new ArrayList<>();
            while (rs.next()) {
                out.add(new GatewayStatus(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getLong(5)));
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("cannot read gateway status from " + db + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void ping() {
        try (Connection c = db.connection();
             PreparedStatement st = c.prepareStatement("SELECT count(*) FROM hub_gateway_status");
             ResultSet rs = st.executeQuery()) {
            rs.next();
        } catch (SQLException | RuntimeException e) {
            throw new StoreException("hub state in " + db + " does not answer: " + e.getMessage(), e);
        }
    }

    /**
     * Deletes the batch ids received more than the retention ago, {@value #TRIM_SLICE} per transaction so
     * that ingest waits at most one slice.
     *
     * @return how many were deleted
     */
    public int trimBatchIds() {
        return trimBatchIds(TRIM_SLICE);
    }

    int trimBatchIds(int slice) {
        long cutoff = clock.millis() - retention.toMillis();
        int total = 0;
        try {
            while (true) {
                int deleted = write(c -> {
                    try (PreparedStatement trim = c.prepareStatement(TRIM)) {
                        trim.setLong(1, cutoff);
                        trim.setInt(2, slice);
                        return trim.executeUpdate();
                    }
                });
                total += deleted;
                if (deleted < slice) {
                    return total;
                }
            }
        } catch (SQLException e) {
            throw new StoreException("cannot trim old batch ids in " + db + ": " + e.getMessage(), e);
        }
    }

    private void trimQuietly() {
        try {
            int deleted = trimBatchIds();
            if (deleted > 0) {
                LOG.info("state database {}: {} batch ids older than {} days trimmed", db, deleted, retention.toDays());
            }
        } catch (RuntimeException e) {
            LOG.warn("{}", e.getMessage());
        }
    }

    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** One transaction; on SQLite under the Java lock and at synchronous=NORMAL (see the class comment). */
    private <T> T write(Work<T> work) throws SQLException {
        if (!sqlite) {
            try (Connection c = db.connection()) {
                return transaction(c, relaxed -> {
                    // this transaction only: no wait for the WAL flush (the same trade as SQLite's NORMAL)
                    pragma(relaxed, "SET LOCAL synchronous_commit TO OFF");
                    return work.run(relaxed);
                });
            }
        }
        sqliteWriter.lock();
        try (Connection c = db.connection()) {
            pragma(c, "PRAGMA synchronous = NORMAL");
            try {
                return transaction(c, work);
            } finally {
                // the pool's connection goes back as the registry expects it
                pragma(c, "PRAGMA synchronous = FULL");
            }
        } finally {
            sqliteWriter.unlock();
        }
    }

    private static <T> T transaction(Connection c, Work<T> work) throws SQLException {
        c.setAutoCommit(false);
        try {
            T result = work.run(c);
            c.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException ignored) {
                // the original failure is the one worth reporting
            }
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    private static void pragma(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    @Override
    public void close() {
        if (trimmer != null) {
            trimmer.shutdownNow();
            try {
                trimmer.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (batchIds.lock()) {
            closeKept();
        }
        if (ownsDatabase) {
            db.close();
        }
    }

    @Override
    public String toString() {
        return "JdbcHubState[" + db + "]";
    }
}
