package org.smartschool.hub.store.influx;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okio.Buffer;
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
    /** The body of every {@code /write} request the client sent. */
    private final List<String> bodies = new CopyOnWriteArrayList<>();

    @BeforeEach
    void open() {
        url = TestInflux.url();
        database = TestInflux.uniqueDatabase(WriteGroupsTest.class);
        influx = InfluxDBFactory.connect(url, new OkHttpClient.Builder()
                .addInterceptor(chain -> {
                    Request request = chain.request();
                    if (request.url().encodedPath().endsWith("/write") && request.body() != null) {
                        Buffer body = new Buffer();
                        request.body().writeTo(body);
                        bodies.add(body.readUtf8());
                    }
                    return chain.proceed(request);
                })
                .addInterceptor(new WriteStatusInterceptor()));
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
     * Verifies that the batches of one request reach InfluxDB as one body, their lines in order, separated by one
     * newline each (no empty line between batches, none at the end), and that every point of every batch is stored.
     */
    @Test
    void aRequestOfSeveralBatchesIsTheirLinesJoinedByNewlines() throws Exception {
        InfluxWriter writer = new InfluxWriter(influx, database, 5_000);
        TestInflux.query(url, database, "CREATE RETENTION POLICY " + InfluxQl.ident(InfluxSchema.RAW_POLICY) + " ON "
                + InfluxQl.ident(database) + " DURATION 90d REPLICATION 1 DEFAULT");
        long t0 = System.currentTimeMillis() / 1000 * 1000 - 3_600_000;
        InfluxPoints.Lines two = new InfluxPoints.Lines("reading,device=a,room=r,school=j co2=1.5 " + t0 + "\n"
                + "reading,device=a,room=r,school=j co2=2.5 " + (t0 + 1), 2);
        InfluxPoints.Lines one = batch("j", "b", "co2", t0);
        InfluxPoints.Lines empty = new InfluxPoints.Lines("", 0);
        bodies.clear();

        writer.write(List.of(two, empty, one), "3 batches", 3, true);

        assertThat(bodies).containsExactly(two.text() + "\n" + one.text());
        assertThat(co2Count("j")).isEqualTo(3);
        assertThat(writer.pointsWritten()).isEqualTo(3);
    }

    private static InfluxPoints.Lines batch(String school, String device, String field, long time) {
        return new InfluxPoints.Lines("reading,device=" + device + ",room=r,school=" + school + " " + field + "=1.5 " + time, 1);
    }

    private long co2Count(String school) throws Exception {
        JsonNode result = JSON.readTree(TestInflux.query(url, database,
                "SELECT count(co2) FROM reading WHERE school = '" + school + "'")).path("results").path(0);
        return result.path("series").path(0).path("values").path(0).path(1).asLong();
    }
}
