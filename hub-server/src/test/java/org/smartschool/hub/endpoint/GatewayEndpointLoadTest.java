package org.smartschool.hub.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.smartschool.hub.testsupport.Batches.T0;
import static org.smartschool.hub.testsupport.HubFixture.GATEWAY_1;
import static org.smartschool.hub.testsupport.HubFixture.GATEWAY_2;
import static org.smartschool.hub.testsupport.HubFixture.SCHOOL_1;
import static org.smartschool.hub.testsupport.HubFixture.SCHOOL_2;
import static org.smartschool.hub.testsupport.HubFixture.SECRET_1;
import static org.smartschool.hub.testsupport.HubFixture.SECRET_2;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.packet.MqttDisconnect;
import org.eclipse.paho.mqttv5.common.packet.MqttWireMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.bridge.uplink.Batch;
import org.smartschool.bridge.uplink.BatchCodec;
import org.smartschool.bridge.uplink.UplinkTopics;
import org.smartschool.hub.app.Hub;
import org.smartschool.hub.config.HubConfig;
import org.smartschool.hub.config.MqttConfig;
import org.smartschool.hub.config.RateLimitConfig;
import org.smartschool.hub.testsupport.Batches;
import org.smartschool.hub.testsupport.ControllableStore;
import org.smartschool.hub.testsupport.Http;
import org.smartschool.hub.testsupport.HubFixture;
import org.smartschool.hub.testsupport.Poll;
import org.smartschool.hub.testsupport.RawMqttClient;
import org.smartschool.hub.testsupport.TestGateway;
import org.smartschool.hub.testsupport.TestGateway.Ack;

/**
 * The gateway endpoint under load and against clients that break the rules of their CONNACK (docs/protocol.md,
 * "Flow control and limits"): Paho MQTT 5 clients, and a raw MQTT 5 client for what Paho refuses to do.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GatewayEndpointLoadTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String READINGS_R1 = "/api/v1/readings?school=" + SCHOOL_1 + "&room=r1-01&quantity=co2"
            + "&from=2025-03-10T00:00:00Z&to=2025-03-11T00:00:00Z";

    @TempDir
    Path dir;

    private Hub hub;
    private ControllableStore store;
    private final List<AutoCloseable> closeAfter = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        if (store != null) {
            store.openGate();
        }
        for (AutoCloseable c : closeAfter) {
            c.close();
        }
        if (hub != null) {
            HubFixture.await(hub.close());
        }
    }

    private Hub start(Vertx vertx, MqttConfig mqtt) throws Exception {
        HubConfig config = HubFixture.config(dir);
        config = config.withMqtt(mqtt);
        store = new ControllableStore(HubFixture.openStore(config));
        hub = HubFixture.start(vertx, config, store);
        return hub;
    }

    private static MqttConfig mqtt() {
        return HubFixture.config(Path.of("unused")).mqtt();
    }

    private TestGateway gateway1() throws MqttException {
        return closing(TestGateway.connect(hub.mqttPort(), SCHOOL_1, GATEWAY_1, SECRET_1));
    }

    private <T extends AutoCloseable> T closing(T closeable) {
        closeAfter.add(closeable);
        return closeable;
    }

    private Http http() {
        return Http.admin(hub);
    }

    private static Batch batch(String gateway, String school, int n, int readings) {
        return Batches.classroom(gateway, school, gateway + "-" + n + "-" + n, T0 + n * 1_000_000L, readings);
    }

    /** Verifies that the CONNACK tells the gateway its Receive Maximum and Maximum Packet Size, as configured. */
    @Test
    void connackAdvertisesReceiveMaximumAndMaximumPacketSize(Vertx vertx) throws Exception {
        start(vertx, mqtt().withReceiveMaximum(7));

        TestGateway gateway = gateway1();

        assertThat(gateway.connack().getReceiveMaximum()).isEqualTo(7);
        assertThat(gateway.connack().getMaximumPacketSize())
                .isEqualTo((long) (2 * HubFixture.MAX_MESSAGE_BYTES + 64 * 1024));
        assertThat(gateway.connack().getMaximumQoS()).isEqualTo(1);
        assertThat(http().metric("hub_gateway_connections_total")).isEqualTo(1.0);
    }

    /**
     * Verifies that with a store that does not answer, a gateway has at most Receive Maximum batches at the hub:
     * Paho refuses to send one more, the hub holds exactly that many, and all are acknowledged once the store
     * answers again.
     */
    @Test
    void slowStoreSlowsTheGatewayToReceiveMaximum(Vertx vertx) throws Exception {
        start(vertx, mqtt().withReceiveMaximum(2));
        TestGateway gateway = gateway1();
        store.closeGate();

        IMqttToken first = gateway.publishAsync(batch(GATEWAY_1, SCHOOL_1, 1, 2));
        IMqttToken second = gateway.publishAsync(batch(GATEWAY_1, SCHOOL_1, 2, 2));
        Poll.until(WAIT, "both batches waiting in the store", () -> store.batchesArrived() == 2);

        assertThatThrownBy(() -> gateway.publishAsync(batch(GATEWAY_1, SCHOOL_1, 3, 2)))
                .isInstanceOfSatisfying(MqttException.class,
                        e -> assertThat(e.getReasonCode()).isEqualTo(org.eclipse.paho.mqttv5.client.MqttClientException.REASON_CODE_MAX_INFLIGHT));
        assertThat(http().metric("hub_batches_in_flight")).isEqualTo(2.0);
        assertThat(first.isComplete()).isFalse();

        store.openGate();
        first.waitForCompletion(WAIT.toMillis());
        second.waitForCompletion(WAIT.toMillis());
        assertThat(first.getReasonCodes()).containsExactly(0);
        assertThat(second.getReasonCodes()).containsExactly(0);
        // Paho completes a PUBACK's token a moment before it frees the in-flight slot (seen in CI as "Too many
        // publishes in progress"): the third batch goes once a slot is free
        int[] third = {-1};
        Poll.until(WAIT, "the third batch sent once the client freed a slot", () -> {
            try {
                third[0] = gateway.sendBatch(batch(GATEWAY_1, SCHOOL_1, 3, 2)).reasonCode();
                return true;
            } catch (MqttException e) {
                if (e.getReasonCode() == org.eclipse.paho.mqttv5.client.MqttClientException.REASON_CODE_MAX_INFLIGHT) {
                    return false;
                }
                throw e;
            }
        });
        assertThat(third[0]).isZero();
        assertThat(store.batchesArrived()).isEqualTo(3);
        assertThat(http().metric("hub_batches_in_flight")).isEqualTo(0.0);
        assertThat(http().metric("hub_batches_stored_total")).isEqualTo(3.0);
    }

    /** Verifies that a client sending more unacknowledged batches than Receive Maximum gets DISCONNECT 0x93, counted. */
    @Test
    void disconnectsClientExceedingReceiveMaximumWith0x93(Vertx vertx) throws Exception {
        start(vertx, mqtt().withReceiveMaximum(2));
        store.closeGate();
        RawMqttClient client = closing(RawMqttClient.connect(hub.mqttPort(), GATEWAY_1, SECRET_1));
        assertThat(client.connack().getReturnCode()).isZero();
        String topic = UplinkTopics.batch(SCHOOL_1, GATEWAY_1);
        BatchCodec codec = new BatchCodec();

        client.publish(topic, codec.encode(batch(GATEWAY_1, SCHOOL_1, 1, 2)), 1, 1);
        client.publish(topic, codec.encode(batch(GATEWAY_1, SCHOOL_1, 2, 2)), 1, 2);
        Poll.until(WAIT, "both batches waiting in the store", () -> store.batchesArrived() == 2);
        client.publish(topic, codec.encode(batch(GATEWAY_1, SCHOOL_1, 3, 2)), 1, 3);

        MqttDisconnect disconnect = client.awaitDisconnect(WAIT);
        assertThat(disconnect.getReturnCode()).isEqualTo(0x93);
        assertThat(disconnect.getProperties().getReasonString()).contains("Receive Maximum");
        assertThat(http().metric("hub_batches_rejected_total{reason=\"receive_maximum_exceeded\"}")).isEqualTo(1.0);
        assertThat(store.batchesArrived()).isEqualTo(2);
        Poll.until(WAIT, "the connection is counted as closed", () -> http().metric("hub_gateways_connected") == 0.0);
    }

    /**
     * Verifies that store work, however stuck, does not starve the HTTP side: with every store thread held by
     * ingest and more batches queued behind them, /health says UP and the API answers.
     */
    @Test
    void healthAndApiAnswerWhileEveryStoreThreadIsBusy(Vertx vertx) throws Exception {
        start(vertx, mqtt().withThreads(1, 2));
        store.closeGate();
        TestGateway gateway = gateway1();
        TestGateway other = closing(TestGateway.connect(hub.mqttPort(), SCHOOL_2, GATEWAY_2, SECRET_2));
        List<IMqttToken> pending = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            pending.add(gateway.publishAsync(batch(GATEWAY_1, SCHOOL_1, i, 2)));
            pending.add(other.publishAsync(batch(GATEWAY_2, SCHOOL_2, i, 2)));
        }
        Poll.until(WAIT, "both store threads held by ingest", () -> store.batchesArrived() == 2);
        Poll.until(WAIT, "eight batches at the hub", () -> http().metric("hub_batches_in_flight") == 8.0);

        Http.Response health = http().get("/health");
        Http.Response readings = http().get(READINGS_R1);

        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().getString("status")).isEqualTo("UP");
        // answered from the read pool: the room has stored nothing yet (every batch is held), so 404
        assertThat(readings.status()).isEqualTo(404);
        assertThat(readings.json().getString("error")).contains("r1-01");
        assertThat(http().get("/api/v1/schools").status()).isEqualTo(200);
        assertThat(store.batchesArrived()).isEqualTo(2);

        store.openGate();
        for (IMqttToken token : pending) {
            token.waitForCompletion(WAIT.toMillis());
            assertThat(token.getReasonCodes()).containsExactly(0);
        }
        assertThat(http().get(READINGS_R1).json().getJsonArray("readings")).hasSize(8);
    }

    /**
     * Verifies the rate limit: a batch a little over it is acknowledged later (counted as throttled), one far over
     * it ends the connection with DISCONNECT 0x96 without being stored, and the same batch sent again after a
     * backoff is stored: nothing is lost.
     */
    @Test
    void rateLimitDelaysThenDisconnectsWith0x96AndTheResentBatchIsStored(Vertx vertx) throws Exception {
        // 4 readings/s, bursts of 10; a PUBACK may wait up to 3 s
        start(vertx, mqtt().withRateLimit(new RateLimitConfig(4, 10, 3_000)));
        TestGateway gateway = gateway1();

        // classroom(n) = n CO2 readings + 1 temperature + 1 event; sent back to back, the second finds the bucket empty
        IMqttToken full = gateway.publishAsync(batch(GATEWAY_1, SCHOOL_1, 1, 8));
        IMqttToken delayed = gateway.publishAsync(batch(GATEWAY_1, SCHOOL_1, 2, 3));
        full.waitForCompletion(WAIT.toMillis());
        delayed.waitForCompletion(WAIT.toMillis());

        assertThat(full.getReasonCodes()).containsExactly(0);
        assertThat(delayed.getReasonCodes()).containsExactly(0);
        assertThat(http().metric("hub_batches_throttled_total")).isEqualTo(1.0);

        Batch big = batch(GATEWAY_1, SCHOOL_1, 3, 30);
        IMqttToken refused = gateway.publishAsync(big);
        Poll.until(WAIT, "DISCONNECT from the hub", () -> gateway.disconnectReason() != null);

        assertThat(gateway.disconnectReason()).isEqualTo(0x96);
        assertThat(gateway.disconnectReasonString()).contains("readings per second");
        assertThat(refused.getException()).isNotNull();
        assertThat(http().metric("hub_batches_rejected_total{reason=\"rate_limited\"}")).isEqualTo(1.0);
        assertThat(http().get(READINGS_R1).json().getJsonArray("readings")).hasSize(8 + 3);

        // the gateway kept the batch; it reconnects with backoff and sends it again until the hub takes it
        Poll.until(Duration.ofSeconds(20), "the resent batch is acknowledged", () -> {
            try (TestGateway again = TestGateway.connect(hub.mqttPort(), SCHOOL_1, GATEWAY_1, SECRET_1)) {
                IMqttToken token = again.publishAsync(big);
                Poll.until(WAIT, "PUBACK or DISCONNECT", () -> token.isComplete() || again.disconnectReason() != null);
                return token.isComplete() && token.getException() == null && token.getReasonCodes()[0] == 0;
            }
        });
        assertThat(http().get(READINGS_R1).json().getJsonArray("readings")).hasSize(8 + 3 + 30);
    }

    /** Verifies that a batch published with QoS 0 ends the connection with DISCONNECT 0x9B, counted, not stored. */
    @Test
    void refusesQos0BatchWithDisconnect0x9B(Vertx vertx) throws Exception {
        start(vertx, mqtt());
        TestGateway gateway = gateway1();

        gateway.client().publish(UplinkTopics.batch(SCHOOL_1, GATEWAY_1),
                new BatchCodec().encode(batch(GATEWAY_1, SCHOOL_1, 1, 2)), 0, false);
        Poll.until(WAIT, "DISCONNECT from the hub", () -> gateway.disconnectReason() != null);

        assertThat(gateway.disconnectReason()).isEqualTo(0x9B);
        assertThat(gateway.disconnectReasonString()).contains("QoS 1");
        assertThat(http().metric("hub_batches_rejected_total{reason=\"qos_not_supported\"}")).isEqualTo(1.0);
        assertThat(store.batchesArrived()).isZero();
        // nothing of the room was stored: the API does not know it
        assertThat(http().get(READINGS_R1).status()).isEqualTo(404);
    }

    /**
     * Verifies that a packet over the Maximum Packet Size of the CONNACK is answered with DISCONNECT 0x95 and
     * counted, without the hub reading it whole.
     */
    @Test
    void disconnectsPacketOverMaximumPacketSizeWith0x95(Vertx vertx) throws Exception {
        start(vertx, mqtt());
        RawMqttClient client = closing(RawMqttClient.connect(hub.mqttPort(), GATEWAY_1, SECRET_1));
        long maxPacket = client.connack().getProperties().getMaximumPacketSize();
        // a QoS 1 PUBLISH announcing 50 MB; only its start is sent
        byte[] topic = UplinkTopics.batch(SCHOOL_1, GATEWAY_1).getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream start = new ByteArrayOutputStream();
        start.write(0x32);
        start.write(MqttWireMessage.encodeVariableByteInteger(50_000_000));
        start.write(topic.length >> 8);
        start.write(topic.length & 0xff);
        start.write(topic);
        start.write(new byte[] {0, 1, 0});
        start.write(new byte[4096]);

        client.writeRaw(start.toByteArray());

        MqttDisconnect disconnect = client.awaitDisconnect(WAIT);
        assertThat(disconnect.getReturnCode()).isEqualTo(0x95);
        assertThat(disconnect.getProperties().getReasonString()).contains(String.valueOf(maxPacket));
        assertThat(client.closedByHub(WAIT)).isTrue();
        assertThat(http().metric("hub_batches_rejected_total{reason=\"packet_too_large\"}")).isEqualTo(1.0);
        assertThat(store.batchesArrived()).isZero();
    }

    /**
     * Verifies that a batch over the hub's batch limit but within the packet limit gets PUBACK 0x97, the code on
     * which a gateway splits its batch, and the connection stays.
     */
    @Test
    void batchOverBatchLimitButWithinPacketLimitGets0x97(Vertx vertx) throws Exception {
        start(vertx, mqtt());
        TestGateway gateway = gateway1();
        int size = HubFixture.MAX_MESSAGE_BYTES * 2;
        assertThat((long) size).isLessThan(gateway.connack().getMaximumPacketSize());

        Ack ack = gateway.publish(UplinkTopics.batch(SCHOOL_1, GATEWAY_1), new byte[size], 1, BatchCodec.CONTENT_TYPE);

        assertThat(ack.reasonCode()).isEqualTo(0x97);
        assertThat(ack.reasonString()).contains("split");
        assertThat(gateway.isConnected()).isTrue();
        assertThat(gateway.sendBatch(batch(GATEWAY_1, SCHOOL_1, 1, 2)).reasonCode()).isZero();
    }

    /** Verifies the ingest metrics: latency histograms, in-flight gauge, connections. */
    @Test
    void ingestMetricsCountDecodeStoreAndAckLatency(Vertx vertx) throws Exception {
        start(vertx, mqtt());
        TestGateway gateway = gateway1();

        assertThat(gateway.sendBatch(batch(GATEWAY_1, SCHOOL_1, 1, 2)).reasonCode()).isZero();
        assertThat(gateway.sendBatch(batch(GATEWAY_1, SCHOOL_1, 2, 2)).reasonCode()).isZero();

        Http http = http();
        assertThat(http.metric("hub_batch_decode_seconds_count")).isEqualTo(2.0);
        assertThat(http.metric("hub_batch_store_seconds_count")).isEqualTo(2.0);
        assertThat(http.metric("hub_batch_ack_seconds_count")).isEqualTo(2.0);
        assertThat(http.metric("hub_batch_store_seconds_bucket{le=\"+Inf\"}")).isEqualTo(2.0);
        assertThat(http.metric("hub_batches_in_flight")).isEqualTo(0.0);
        assertThat(http.metric("hub_gateway_connections_total")).isEqualTo(1.0);
        assertThat(http.metric("hub_batches_throttled_total")).isEqualTo(0.0);
    }
}
