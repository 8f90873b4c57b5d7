package org.smartschool.hub.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.smartschool.hub.testsupport.HubFixture.GATEWAY_1;
import static org.smartschool.hub.testsupport.HubFixture.SCHOOL_1;
import static org.smartschool.hub.testsupport.HubFixture.SECRET_1;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.bridge.uplink.Batch;
import org.smartschool.hub.app.Hub;
import org.smartschool.hub.config.HubConfig;
import org.smartschool.hub.config.StoreConfig;
import org.smartschool.hub.testsupport.Batches;
import org.smartschool.hub.testsupport.FaultyHttpProxy;
import org.smartschool.hub.testsupport.FaultyHttpProxy.Fault;
import org.smartschool.hub.testsupport.Http;
import org.smartschool.hub.testsupport.HubFixture;
import org.smartschool.hub.testsupport.TestGateway;
import org.smartschool.hub.testsupport.TestInflux;

/**
 * A gateway's batches through the hub into the real InfluxDB ({@code store.kind: influx}), with a
 * fault in front of InfluxDB: the PUBACK comes only when InfluxDB has the batch; while InfluxDB
 * fails past the retry bound the gateway is told to keep the batch (0x83), and its resend is stored
 * once.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GatewayToInfluxTest {
    @TempDir
    Path dir;

    private final long start = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(30, ChronoUnit.MINUTES).toEpochMilli();
    private String url;
    private String database;
    private FaultyHttpProxy proxy;
    private Hub hub;

    @AfterEach
    void stop() throws Exception {
        if (hub != null) {
            HubFixture.await(hub.close());
        }
        if (proxy != null) {
            proxy.close();
        }
        if (database != null) {
            TestInflux.dropDatabase(url, database);
        }
    }

    private Http startHub(Vertx vertx) throws Exception {
        url = TestInflux.url();
        database = TestInflux.uniqueDatabase(GatewayToInfluxTest.class);
        proxy = new FaultyHttpProxy(url);
        HubConfig config = HubFixture.config(dir);
        StoreConfig store = config.store().withInflux(TestInflux.config(proxy.url(), database).withTiming(1_000, 1_500));
        hub = HubFixture.start(vertx, config.withStore(store));
        return Http.admin(hub);
    }

    private String readings(long from, long to) {
        return "/api/v1/readings?school=" + SCHOOL_1 + "&room=r1-01&quantity=co2&from=" + Instant.ofEpochMilli(from)
                + "&to=" + Instant.ofEpochMilli(to);
    }

    /** Verifies that a batch is acknowledged once InfluxDB has it, and a replay leaves one copy of each reading. */
    @Test
    void acknowledgesWhenInfluxDbHasTheBatchAndReplaysWithoutDuplicates(Vertx vertx) throws Exception {
        Http http = startHub(vertx);
        Batch batch = Batches.classroom(GATEWAY_1, SCHOOL_1, GATEWAY_1 + "-1-5", start, 4);
        try (TestGateway gateway = TestGateway.connect(hub.mqttPort(), SCHOOL_1, GATEWAY_1, SECRET_1)) {
            assertThat(gateway.sendBatch(batch).reasonCode()).isZero();
            assertThat(gateway.sendBatch(batch).reasonCode()).isZero();
        }

        JsonObject body = http.get(readings(start, start + 60_000)).json();
        assertThat(body.getJsonArray("readings").stream().map(r -> ((JsonObject) r).getLong("timestamp") - start + "="
                + ((JsonObject) r).getDouble("value"))).containsExactly("0=600.0", "10000=610.0", "20000=620.0", "30000=630.0");
        assertThat(http.metric("hub_batches_stored_total")).isEqualTo(1.0);
        assertThat(http.metric("hub_batches_replayed_total")).isEqualTo(1.0);
        assertThat(http.metric("hub_influx_points_written_total")).isEqualTo(2 * (4 + 1 + 1));
    }

    /** Verifies that while InfluxDB fails past the retry bound the gateway gets 0x83 and keeps the batch, and the resend is stored once. */
    @Test
    void failingInfluxDbMakesTheGatewayKeepAndResendTheBatch(Vertx vertx) throws Exception {
        Http http = startHub(vertx);
        Batch batch = Batches.classroom(GATEWAY_1, SCHOOL_1, GATEWAY_1 + "-1-5", start, 3);
        try (TestGateway gateway = TestGateway.connect(hub.mqttPort(), SCHOOL_1, GATEWAY_1, SECRET_1)) {
            proxy.fail(Fault.SERVICE_UNAVAILABLE, 1_000);

            TestGateway.Ack refused = gateway.sendBatch(batch);

            assertThat(refused.reasonCode()).isEqualTo(0x83);
            assertThat(refused.reasonString()).contains("retry");
            assertThat(http.metric("hub_influx_write_failures_total")).isEqualTo(1.0);
            assertThat(http.metric("hub_influx_write_retries_total")).isGreaterThanOrEqualTo(2.0);

            proxy.heal();
            // nothing of the window is stored: 404 while the room has never reported, else no readings
            Http.Response before = http.get(readings(start, start + 60_000));
            assertThat(before.status() == 404 || before.json().getJsonArray("readings").isEmpty()).as(before.body()).isTrue();
            TestGateway.Ack stored = gateway.sendBatch(batch);

            assertThat(stored.reasonCode()).isZero();
        }
        assertThat(http.get(readings(start, start + 60_000)).json().getJsonArray("readings").stream()
                .map(r -> ((JsonObject) r).getDouble("value"))).containsExactly(600.0, 610.0, 620.0);
        assertThat(http.metric("hub_batches_stored_total")).isEqualTo(1.0);
    }

    /** Verifies that /health is DOWN (503) while InfluxDB does not answer, and UP again when it does. */
    @Test
    void healthFollowsInfluxDb(Vertx vertx) throws Exception {
        Http http = startHub(vertx);
        assertThat(http.get("/health").status()).isEqualTo(200);

        proxy.fail(Fault.SERVICE_UNAVAILABLE, 1_000);
        Http.Response down = http.get("/health");
        proxy.heal();

        assertThat(down.status()).isEqualTo(503);
        assertThat(down.json().getString("status")).isEqualTo("DOWN");
        assertThat(http.get("/health").status()).isEqualTo(200);
    }
}
