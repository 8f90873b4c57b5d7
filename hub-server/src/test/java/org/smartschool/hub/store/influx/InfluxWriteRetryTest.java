package org.smartschool.hub.store.influx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;
import org.smartschool.bridge.uplink.Batch;
import org.smartschool.hub.config.InfluxConfig;
import org.smartschool.hub.store.ReadingQuery;
import org.smartschool.hub.store.StoreException;
import org.smartschool.hub.store.StoreRejectedException;
import org.smartschool.hub.store.StoredReading;
import org.smartschool.hub.testsupport.FaultyHttpProxy;
import org.smartschool.hub.testsupport.FaultyHttpProxy.Fault;
import org.smartschool.hub.testsupport.TestInflux;

/**
 * Writes through a fault in front of the real InfluxDB: overload answers (503, 429) and a stalled
 * request are retried until InfluxDB has the batch; past the retry bound the write fails, and the
 * resend stores the batch once.
 */
@Timeout(120)
class InfluxWriteRetryTest {
    private static String url;
    private static String database;

    private final long t0 = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(2, ChronoUnit.HOURS).toEpochMilli();
    private FaultyHttpProxy proxy;
    private InfluxTimeSeriesStore store;
    private String school;

    @BeforeAll
    static void database() {
        url = TestInflux.url();
        database = TestInflux.uniqueDatabase(InfluxWriteRetryTest.class);
    }

    @AfterAll
    static void dropDatabase() {
        if (database != null) {
            TestInflux.dropDatabase(url, database);
        }
    }

    @BeforeEach
    void open(TestInfo test) throws Exception {
        school = "s-" + test.getTestMethod().orElseThrow().getName().toLowerCase().substring(0, 20);
        proxy = new FaultyHttpProxy(url);
    }

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
        proxy.close();
    }

    private void openStore(int timeoutMillis, int retryMillis) {
        InfluxConfig config = TestInflux.config(proxy.url(), database).withTiming(timeoutMillis, retryMillis);
        store = InfluxTimeSeriesStore.open(config);
    }

    private Batch batch(String id) {
        DeviceRef sensor = new DeviceRef(school, "r1", "co2-1");
        return new Batch(id, "gw-retry", school, List.of(
                Reading.of(sensor, Quantity.CO2, 610, t0),
                Reading.of(sensor, Quantity.CO2, 620, t0 + 10_000),
                Reading.of(sensor, Quantity.CO2, 630, t0 + 20_000)), List.of());
    }

    private List<StoredReading> stored() {
        return store.readings(new ReadingQuery(school, "r1", Quantity.CO2, Optional.empty(), t0, t0 + 3_600_000, 100));
    }

    private static final List<StoredReading> EXPECTED = List.of(
            new StoredReading("co2-1", 610, 0), new StoredReading("co2-1", 620, 10_000), new StoredReading("co2-1", 630, 20_000));

    private List<StoredReading> expected() {
        return EXPECTED.stream().map(r -> new StoredReading(r.device(), r.value(), t0 + r.timestamp())).toList();
    }

    /** Verifies that 503 and 429 answers are retried with backoff and the call returns once InfluxDB has every point. */
    @Test
    void retriesOverloadAnswersUntilInfluxDbHasTheBatch() {
        openStore(5_000, 20_000);
        proxy.fail(Fault.SERVICE_UNAVAILABLE, 2);
        proxy.fail(Fault.TOO_MANY_REQUESTS, 1);

        store.write(batch("gw-retry-1-3"));

        assertThat(proxy.faultsServed()).isEqualTo(3);
        assertThat(store.writeCounts().retries()).isEqualTo(3);
        assertThat(store.writeCounts().failed()).isZero();
        assertThat(stored()).containsExactlyElementsOf(expected());
    }

    /** Verifies that a request InfluxDB does not answer within the timeout is retried. */
    @Test
    void retriesAStalledRequestAfterItsTimeout() {
        openStore(700, 20_000);
        proxy.fail(Fault.STALL, 1);
        long started = System.nanoTime();

        store.write(batch("gw-retry-1-3"));

        assertThat(System.nanoTime() - started).as("waited for the timeout").isGreaterThanOrEqualTo(700_000_000L);
        assertThat(proxy.faultsServed()).isEqualTo(1);
        assertThat(store.writeCounts().retries()).isEqualTo(1);
        assertThat(stored()).containsExactlyElementsOf(expected());
    }

    /** Verifies that after the retry bound the write fails (the gateway keeps the batch), and the resend stores it once. */
    @Test
    void failsAfterTheRetryBoundAndTheResendStoresTheBatchOnce() {
        openStore(2_000, 1_500);
        proxy.fail(Fault.SERVICE_UNAVAILABLE, 1_000);
        long started = System.nanoTime();

        assertThatThrownBy(() -> store.write(batch("gw-retry-1-3")))
                .isInstanceOf(StoreException.class).isNotInstanceOf(StoreRejectedException.class)
                .hasMessageContaining("did not accept batch gw-retry-1-3")
                .hasMessageContaining("HTTP 503")
                .hasMessageContaining("sends it again");

        long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
        assertThat(elapsedMillis).as("bounded by retryMillis").isBetween(500L, 8_000L);
        assertThat(proxy.faultsServed()).isGreaterThanOrEqualTo(3);
        assertThat(store.writeCounts().failed()).isEqualTo(1);

        proxy.heal();
        assertThat(stored()).as("nothing reached InfluxDB while it was failing").isEmpty();
        store.write(batch("gw-retry-1-3"));
        store.write(batch("gw-retry-1-3"));

        assertThat(stored()).containsExactlyElementsOf(expected());
    }
}
