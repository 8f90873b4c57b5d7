package org.smartschool.hub.store.influx;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import okhttp3.OkHttpClient;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.smartschool.hub.store.StoreRejectedException;
import org.smartschool.hub.testsupport.TestInflux;

/**
 * Group commit on the real InfluxDB ({@code SS_TEST_INFLUX_URL}): batches written at one moment by many
 * threads share requests, every caller learns its own batch's outcome, and a malformed batch in a group
 * fails alone while the others of its group are stored.
 */
@Timeout(120)
class WriteGroupsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int THREADS = 12;
    private static final int ROUNDS = 10;
    private String url;
    private String database;
    private InfluxDB influx;

    @BeforeEach
    void open() {
        url = TestInflux.url();
        database = TestInflux.uniqueDatabase(WriteGroupsTest.class);
        influx = InfluxDBFactory.connect(url, new OkHttpClient.Builder().addInterceptor(new WriteStatusInterceptor()));
        TestInflux.query(url, database, "CREATE DATABASE " + InfluxQl.ident(database));
    }

    @AfterEach
    void close() {
        if (influx != null) {
            influx.close();
            TestInflux.dropDatabase(url, database);
        }
    }

    /**
     * Verifies that of many concurrent batches, one with a field type conflict, exactly that one is refused
     * and every other is stored, in rounds until requests did carry several batches.
     */
    @Test
    void aMalformedBatchFailsAloneAndTheOthersOfItsGroupAreStored() throws Exception {
        InfluxWriter writer = new InfluxWriter(influx, database, 5_000);
        WriteGroups groups = new WriteGroups(writer, 1, 5_000);
        long t0 = System.currentTimeMillis() / 1000 * 1000 - 3_600_000;
        // gas is text in this database: a float gas conflicts (InfluxDB answers 400, a partial write)
        TestInflux.query(url, database, "CREATE RETENTION POLICY " + InfluxQl.ident(InfluxSchema.RAW_POLICY) + " ON "
                + InfluxQl.ident(database) + " DURATION 90d REPLICATION 1 DEFAULT");
        TestInflux.writeLines(url, database, InfluxSchema.RAW_POLICY, "reading,device=x,room=r,school=s gas=\"high\" " + t0);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            for (int round = 0; round < ROUNDS && groups.groupedRequests() == 0; round++) {
                String school = "s" + round;
                CountDownLatch start = new CountDownLatch(1);
                List<Future<?>> outcomes = new ArrayList<>();
                for (int i = 0; i < THREADS; i++) {
                    String field = i == THREADS / 2 ? "gas" : "co2";
                    InfluxPoints.Lines points = batch(school, "d" + i, field, t0 + i);
                    String what = "batch " + school + "-" + i;
                    outcomes.add(pool.submit(() -> {
                        start.await();
                        groups.write(points, what);
                        return null;
                    }));
                }
                start.countDown();
                int refused = 0;
                for (int i = 0; i < THREADS; i++) {
                    try {
                        outcomes.get(i).get(60, TimeUnit.SECONDS);
                    } catch (ExecutionException e) {
                        assertThat(i).as("only the batch with the conflicting field fails").isEqualTo(THREADS / 2);
                        assertThat(e.getCause()).isInstanceOf(StoreRejectedException.class)
                                .hasMessageContaining("field type conflict");
                        refused++;
                    }
                }
                assertThat(refused).isEqualTo(1);
                assertThat(co2Count(school)).isEqualTo(THREADS - 1);
                assertThat(writer.rejectedBatches()).as("counted once per round, not once for its group too")
                        .isEqualTo(round + 1L);
            }
            assertThat(groups.groupedRequests()).as("requests that carried several batches").isPositive();
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Verifies that while few points wait, requests start beyond the usual limit (up to the extra ones, never more),
     * and that every batch is stored. InfluxDB is made slow by 40 ms in the client, so that requests overlap.
     */
    @Test
    void extraRequestsStartWhileFewPointsWaitAndNeverMore() throws Exception {
        InFlight inFlight = new InFlight(40);
        InfluxWriter writer = new InfluxWriter(slowInflux(inFlight), database, 5_000);
        WriteGroups groups = new WriteGroups(writer, 2, 2, 1_000, 5_000);
        int batches = writeInRounds(groups, "x", 1, () -> groups.extraRequests() > 0);
        assertThat(groups.extraRequests()).as("requests started beyond the 2").isPositive();
        assertThat(inFlight.most()).as("never more than 2 + 2 at once").isBetween(3, 4);
        assertThat(co2Count("x")).isEqualTo(batches);
    }

    /**
     * Verifies that while more points wait or are being written than the bound, no extra request starts: the usual 2
     * at most. (A bound on the waiting points alone would let them start here: one waiting batch is under it.)
     */
    @Test
    void busyRequestsGetNoExtraOnes() throws Exception {
        InFlight inFlight = new InFlight(40);
        InfluxWriter writer = new InfluxWriter(slowInflux(inFlight), database, 5_000);
        // batches of 5 points, a bound of 8: a batch that waits while 2 requests (5 points or more each) are under way
        // makes 15 or more
        WriteGroups groups = new WriteGroups(writer, 2, 2, 8, 5_000);
        int batches = writeInRounds(groups, "y", 5, () -> groups.groupedRequests() > 0);
        assertThat(groups.groupedRequests()).as("requests did carry several batches: the test ran under a backlog").isPositive();
        assertThat(groups.extraRequests()).isZero();
        assertThat(inFlight.most()).isEqualTo(2);
        assertThat(co2Count("y")).isEqualTo(batches * 5L);
    }

    /** THREADS writers, each its batches one after the other, in rounds until {@code enough}; returns the batches. */
    private int writeInRounds(WriteGroups groups, String school, int pointsPerBatch, java.util.function.BooleanSupplier enough)
            throws Exception {
        long t0 = System.currentTimeMillis() / 1000 * 1000 - 3_600_000;
        TestInflux.query(url, database, "CREATE RETENTION POLICY " + InfluxQl.ident(InfluxSchema.RAW_POLICY) + " ON "
                + InfluxQl.ident(database) + " DURATION 90d REPLICATION 1 DEFAULT");
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        int written = 0;
        try {
            for (int round = 0; round < ROUNDS && (round < 2 || !enough.getAsBoolean()); round++) {
                List<Future<?>> outcomes = new ArrayList<>();
                for (int i = 0; i < THREADS; i++) {
                    int thread = i;
                    int base = written;
                    outcomes.add(pool.submit(() -> {
                        for (int b = 0; b < 5; b++) {
                            StringBuilder lines = new StringBuilder();
                            for (int p = 0; p < pointsPerBatch; p++) {
                                long time = t0 + (base + thread * 5 + b) * 100L + p;
                                lines.append("reading,device=d").append(thread).append(",room=r,school=").append(school)
                                        .append(" co2=1.5 ").append(time).append('\n');
                            }
                            groups.write(new InfluxPoints.Lines(lines.toString(), pointsPerBatch), "batch " + thread + "-" + b);
                        }
                        return null;
                    }));
                }
                for (Future<?> f : outcomes) {
                    f.get(60, TimeUnit.SECONDS);
                }
                written += THREADS * 5;
            }
            return written;
        } finally {
            pool.shutdownNow();
        }
    }

    private InfluxDB slowInflux(InFlight inFlight) {
        InfluxDB slow = InfluxDBFactory.connect(url, new OkHttpClient.Builder()
                .addInterceptor(inFlight).addInterceptor(new WriteStatusInterceptor()));
        extraClients.add(slow);
        return slow;
    }

    private final List<InfluxDB> extraClients = new ArrayList<>();

    @AfterEach
    void closeExtra() {
        extraClients.forEach(InfluxDB::close);
    }

    /** Counts the /write requests under way at once (the most seen), each held {@code delayMillis} longer. */
    private static final class InFlight implements okhttp3.Interceptor {
        private final long delayMillis;
        private final java.util.concurrent.atomic.AtomicInteger now = new java.util.concurrent.atomic.AtomicInteger();
        private final java.util.concurrent.atomic.AtomicInteger most = new java.util.concurrent.atomic.AtomicInteger();

        InFlight(long delayMillis) {
            this.delayMillis = delayMillis;
        }

        @Override
        public okhttp3.Response intercept(Chain chain) throws java.io.IOException {
            if (!chain.request().url().encodedPath().endsWith("/write")) {
                return chain.proceed(chain.request());
            }
            most.accumulateAndGet(now.incrementAndGet(), Math::max);
            try {
                Thread.sleep(delayMillis);
                return chain.proceed(chain.request());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted");
            } finally {
                now.decrementAndGet();
            }
        }

        int most() {
            return most.get();
        }
    }

    private static InfluxPoints.Lines batch(String school, String device, String field, long time) {
        return new InfluxPoints.Lines("reading,device=" + device + ",room=r,school=" + school + " " + field + "=1.5 " + time + "\n", 1);
    }

    private long co2Count(String school) throws Exception {
        JsonNode result = JSON.readTree(TestInflux.query(url, database,
                "SELECT count(co2) FROM reading WHERE school = '" + school + "'")).path("results").path(0);
        return result.path("series").path(0).path("values").path(0).path(1).asLong();
    }
}
