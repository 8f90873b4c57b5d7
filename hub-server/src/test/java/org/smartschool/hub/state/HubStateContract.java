package org.smartschool.hub.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.bridge.uplink.Batch;
import org.smartschool.hub.config.StateConfig;
import org.smartschool.hub.fleet.FleetEvent;
import org.smartschool.hub.fleet.FleetEventType;
import org.smartschool.hub.store.BatchOutcome;
import org.smartschool.hub.store.GatewayStatus;
import org.smartschool.hub.store.StoreException;
import org.smartschool.hub.testsupport.Batches;
import org.smartschool.hub.testsupport.ManualClock;

/**
 * The hub state (batch ids, gateway status) in the state database, run against SQLite ({@link SqliteHubStateTest})
 * and PostgreSQL ({@link PostgresHubStateTest}); each test starts on an empty, freshly migrated database.
 */
@Timeout(60)
abstract class HubStateContract {
    private static final String SCHOOL = "thcs-nguyen-du";
    private static final String GATEWAY = "gw-nguyen-du";
    private static final long NOW = 1_800_000_000_000L;

    ManualClock clock;
    StateDatabase db;
    JdbcHubState state;

    abstract StateConfig emptyDatabase() throws Exception;

    @BeforeEach
    void open() throws Exception {
        clock = new ManualClock(NOW);
        db = StateDatabase.open(emptyDatabase());
        state = new JdbcHubState(db, clock, JdbcHubState.BATCH_ID_RETENTION, true, false);
    }

    @AfterEach
    void close() {
        if (state != null) {
            state.close();
        }
    }

    private static Batch batch(String gateway, String id) {
        return Batches.classroom(gateway, SCHOOL, id, Batches.T0, 3);
    }

    /** Verifies that a batch id is stored once and reported as replayed after that, per gateway. */
    @Test
    void secondRecordOfABatchIdIsAReplayOfThatGatewayOnly() {
        assertThat(state.recordBatch(batch(GATEWAY, "b-1"))).isEqualTo(BatchOutcome.STORED);
        assertThat(state.recordBatch(batch(GATEWAY, "b-1"))).isEqualTo(BatchOutcome.REPLAYED);
        assertThat(state.recordBatch(batch(GATEWAY, "b-2"))).isEqualTo(BatchOutcome.STORED);
        assertThat(state.recordBatch(batch("gw-other", "b-1"))).isEqualTo(BatchOutcome.STORED);
    }

    /** Verifies that batches and health reports mark the gateway as seen, health is kept as received, and last seen never goes back. */
    @Test
    void recordsGatewayStatusAndLastSeenNeverGoesBack() {
        state.recordBatch(batch(GATEWAY, "b-1"));
        clock.advance(5_000);
        state.recordHealth(GATEWAY, SCHOOL, "{\"uptimeSeconds\":12}");
        state.recordHealth("gw-other", "th-le-loi", "{}");
        clock.advance(-60_000); // a clock stepped back: last seen stays
        state.recordBatch(batch(GATEWAY, "b-2"));

        assertThat(state.gatewayStatuses()).containsExactly(
                new GatewayStatus(GATEWAY, SCHOOL, NOW + 5_000, "{\"uptimeSeconds\":12}", NOW + 5_000),
                new GatewayStatus("gw-other", "th-le-loi", NOW + 5_000, "{}", NOW + 5_000));
    }

    /** Verifies that of many threads recording one batch id at once, exactly one stores it (the store's 32 threads). */
    @Test
    void concurrentRecordsOfOneBatchIdStoreItOnce() throws Exception {
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < 5; round++) {
                Batch batch = batch(GATEWAY, "race-" + round);
                CyclicBarrier start = new CyclicBarrier(threads);
                List<Future<BatchOutcome>> outcomes = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    outcomes.add(pool.submit(() -> {
                        start.await(10, TimeUnit.SECONDS);
                        return state.recordBatch(batch);
                    }));
                }
                List<BatchOutcome> results = new ArrayList<>();
                for (Future<BatchOutcome> f : outcomes) {
                    results.add(f.get(30, TimeUnit.SECONDS));
                }
                assertThat(results).filteredOn(o -> o == BatchOutcome.STORED).hasSize(1);
                assertThat(results).filteredOn(o -> o == BatchOutcome.REPLAYED).hasSize(threads - 1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Verifies that batches recorded by many threads at once (their ids then share transactions) each get their own
     * outcome: stored the first time, replayed the second, and every id is kept.
     */
    @Test
    void concurrentRecordsOfManyBatchesEachGetTheirOwnOutcome() throws Exception {
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Future<List<BatchOutcome>>> outcomes = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                String id = "many-" + i;
                outcomes.add(pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    List<BatchOutcome> mine = new ArrayList<>();
                    for (int k = 0; k < 20; k++) {
                        mine.add(state.recordBatch(batch(GATEWAY, id + "-" + k)));
                        mine.add(state.recordBatch(batch(GATEWAY, id + "-" + k)));
                    }
                    return mine;
                }));
            }
            for (Future<List<BatchOutcome>> f : outcomes) {
                List<BatchOutcome> mine = f.get(30, TimeUnit.SECONDS);
                for (int k = 0; k < 20; k++) {
                    assertThat(mine.subList(2 * k, 2 * k + 2)).containsExactly(BatchOutcome.STORED, BatchOutcome.REPLAYED);
                }
            }
            for (int i = 0; i < threads; i++) {
                assertThat(state.recordBatch(batch(GATEWAY, "many-" + i + "-19"))).isEqualTo(BatchOutcome.REPLAYED);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Verifies the documented window: batch ids older than the retention are trimmed (a resend after that counts as
     * stored, harmless since its points overwrite themselves), newer ones still tell a replay.
     */
    @Test
    void trimsBatchIdsOlderThanTheRetentionOnly() {
        state.recordBatch(batch(GATEWAY, "old-1"));
        state.recordBatch(batch(GATEWAY, "old-2"));
        clock.advance(Duration.ofDays(6).toMillis());
        state.recordBatch(batch(GATEWAY, "recent"));
        clock.advance(Duration.ofDays(1).toMillis() + 1);

        assertThat(state.trimBatchIds()).isEqualTo(2);
        assertThat(state.trimBatchIds()).isZero();

        assertThat(state.recordBatch(batch(GATEWAY, "recent"))).isEqualTo(BatchOutcome.REPLAYED);
        assertThat(state.recordBatch(batch(GATEWAY, "old-1"))).isEqualTo(BatchOutcome.STORED);
    }

    /** Verifies that trimming works in slices: more than one slice of old ids goes in one call. */
    @Test
    void trimsMoreThanOneSlice() {
        int count = 3 * 4 + 2;
        for (int i = 0; i < count; i++) {
            state.recordBatch(batch(GATEWAY, "b-" + i));
        }
        clock.advance(JdbcHubState.BATCH_ID_RETENTION.toMillis() + 1);

        assertThat(state.trimBatchIds(4)).isEqualTo(count);
    }

    /**
     * Verifies the upgrade copy from an older data directory (batch ids and gateway status in hub-store.db, fleet
     * events in hub-fleet.db): recent batch ids become replays, batch ids older than the retention are not copied,
     * the status and events are there, and a second run copies nothing.
     */
    @Test
    void copiesTheStateOfAnOlderDataDirectoryOnce(@TempDir Path dataDir) throws Exception {
        Path storeFile = dataDir.resolve("hub-store.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + storeFile); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE batches (gateway TEXT NOT NULL, batch_id TEXT NOT NULL, school TEXT NOT NULL,"
                    + " received_at INTEGER NOT NULL, readings INTEGER NOT NULL, events INTEGER NOT NULL,"
                    + " PRIMARY KEY (gateway, batch_id)) WITHOUT ROWID");
            st.execute("CREATE TABLE gateway_status (gateway TEXT NOT NULL PRIMARY KEY, school TEXT NOT NULL,"
                    + " last_seen INTEGER NOT NULL, last_health TEXT, last_health_at INTEGER NOT NULL DEFAULT 0)");
            st.execute("INSERT INTO batches VALUES ('" + GATEWAY + "', 'recent', '" + SCHOOL + "', " + (NOW - 3_600_000L) + ", 3, 0)");
            st.execute("INSERT INTO batches VALUES ('" + GATEWAY + "', 'too-old', '" + SCHOOL + "', "
                    + (NOW - JdbcHubState.BATCH_ID_RETENTION.toMillis() - 1) + ", 3, 0)");
            st.execute("INSERT INTO gateway_status VALUES ('" + GATEWAY + "', '" + SCHOOL + "', " + (NOW - 60_000L)
                    + ", '{\"uptimeSeconds\":5}', " + (NOW - 60_000L) + ")");
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("hub-fleet.db"));
             Statement st = c.createStatement()) {
            st.execute("CREATE TABLE fleet_events (id INTEGER PRIMARY KEY AUTOINCREMENT, ts INTEGER NOT NULL,"
                    + " gateway TEXT NOT NULL, school TEXT NOT NULL, type TEXT NOT NULL, detail TEXT NOT NULL,"
                    + " cause TEXT, room TEXT, device TEXT)");
            st.execute("INSERT INTO fleet_events (ts, gateway, school, type, detail, cause) VALUES (" + (NOW - 60_000L)
                    + ", '" + GATEWAY + "', '" + SCHOOL + "', 'gateway_offline', 'will', 'will')");
        }

        assertThat(LegacyStateImport.run(db, storeFile, NOW, JdbcHubState.BATCH_ID_RETENTION)).isEqualTo(3);
        assertThat(LegacyStateImport.run(db, storeFile, NOW, JdbcHubState.BATCH_ID_RETENTION)).isZero();

        assertThat(state.recordBatch(batch(GATEWAY, "recent"))).isEqualTo(BatchOutcome.REPLAYED);
        assertThat(state.recordBatch(batch(GATEWAY, "too-old"))).isEqualTo(BatchOutcome.STORED);
        assertThat(state.gatewayStatuses()).containsExactly(
                new GatewayStatus(GATEWAY, SCHOOL, NOW, "{\"uptimeSeconds\":5}", NOW - 60_000L));
        assertThat(new JdbcFleetEventLog(db).events(GATEWAY, 0, Long.MAX_VALUE, 10)).containsExactly(
                new FleetEvent(NOW - 60_000L, GATEWAY, SCHOOL, FleetEventType.GATEWAY_OFFLINE, "will", null, null, "will"));
    }

    /** Verifies that a closed database answers with StoreExceptions naming what failed, not a crash. */
    @Test
    void failsWithStoreExceptionWhenClosed() {
        state.ping();
        state.close();
        state = null;
        JdbcHubState closed = new JdbcHubState(db, clock, JdbcHubState.BATCH_ID_RETENTION, false, false);

        assertThatThrownBy(() -> closed.recordBatch(batch(GATEWAY, "b-9"))).isInstanceOf(StoreException.class)
                .hasMessageContaining("b-9");
        assertThatThrownBy(closed::ping).isInstanceOf(StoreException.class);
    }
}
