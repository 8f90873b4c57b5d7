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

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.packet.MqttPubAck;
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
import org.smartschool.hub.config.GatewayConfig;
import org.smartschool.hub.config.HubConfig;
import org.smartschool.hub.testsupport.Batches;
import org.smartschool.hub.testsupport.ControllableStore;
import org.smartschool.hub.testsupport.Http;
import org.smartschool.hub.testsupport.HubFixture;
import org.smartschool.hub.testsupport.Poll;
import org.smartschool.hub.testsupport.RawMqttClient;
import org.smartschool.hub.testsupport.TestGateway;
import org.smartschool.hub.testsupport.TestGateway.Ack;

/** The gateway endpoint against real Paho MQTT 5 clients and a real SQLite store (docs/protocol.md). */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GatewayEndpointTest {
    private static final String READINGS_R1 = "/api/v1/readings?school=" + SCHOOL_1 + "&room=r1-01&quantity=co2"
            + "&from=2025-03-10T00:00:00Z&to=2025-03-11T00:00:00Z";

    @TempDir
    Path dir;

    private Hub hub;
    private final java.util.List<AutoCloseable> closeAfter = new java.util.ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closeAfter) {
            c.close();
        }
        if (hub != null) {
            HubFixture.await(hub.close());
        }
    }

    private Hub start(Vertx vertx) throws Exception {
        hub = HubFixture.start(vertx, HubFixture.config(dir));
        return hub;
    }

    private TestGateway gateway1() throws MqttException {
        TestGateway g = TestGateway.connect(hub.mqttPort(), SCHOOL_1, GATEWAY_1, SECRET_1);
        closeAfter.add(g);
        return g;
    }

    private TestGateway gateway2() throws MqttException {
        TestGateway g = TestGateway.connect(hub.mqttPort(), SCHOOL_2, GATEWAY_2, SECRET_2);
        closeAfter.add(g);
        return g;
    }

    private Http http() {
        return Http.admin(hub);
    }

    /** Verifies that a wrong secret is refused with CONNACK 0x86 and counted. */
    @Test
    void refusesWrongSecretWithBadUserNameOrPasswordAndCountsIt(Vertx vertx) throws Exception {
        start(vertx);

        assertThatThrownBy(() -> TestGateway.connect(hub.mqttPort(), SCHOOL_1, GATEWAY_1, "not-the-secret"))
                .isInstanceOfSatisfying(MqttException.class, e -> assertThat(e.getReasonCode()).isEqualTo(0x86));
        assertThatThrownBy(() -> TestGateway.connect(hub.mqttPort(), SCHOOL_1, "gw-unknown", SECRET_1))
                .isInstanceOfSatisfying(MqttException.class, e -> assertThat(e.getReasonCode()).isEqualTo(0x86));

        assertThat(http().metric("hub_gateway_auth_failures_total")).isEqualTo(2.0);
        assertThat(http().metric("hub_gateways_connected")).isEqualTo(0.0);
    }

    /** Verifies that a client id other than the gateway id is refused with CONNACK 0x85. */
    @Test
    void refusesClientIdOtherThanGatewayId(Vertx vertx) throws Exception {
        start(vertx);

        assertThatThrownBy(() -> TestGateway.connect(hub.mqttPort(), SCHOOL_1, "someone-else", GATEWAY_1, SECRET_1))
                .isInstanceOfSatisfying(MqttException.class, e -> assertThat(e.getReasonCode()).isEqualTo(0x85));
        assertThat(http().metric("hub_gateway_connections_refused_total{reason=\"client_id\"}")).isEqualTo(1.0);
    }

    /** Verifies that an MQTT 3.1.1 client, even with a valid credential, is refused (its code 0x01). */
    @Test
    void refusesMqtt311Client(Vertx vertx) throws Exception {
        start(vertx);
        MqttClient v3 = new MqttClient("tcp://127.0.0.1:" + hub.mqttPort(), GATEWAY_1, new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setUserName(GATEWAY_1);
        options.setPassword(SECRET_1.toCharArray());
        options.setConnectionTimeout(5);
        try {
            assertThatThrownBy(() -> v3.connect(options))
                    .isInstanceOfSatisfying(org.eclipse.paho.client.mqttv3.MqttException.class,
                            e -> assertThat(e.getReasonCode()).isEqualTo(
                                    org.eclipse.paho.client.mqttv3.MqttException.REASON_CODE_INVALID_PROTOCOL_VERSION));
        } finally {
            v3.close(true);
        }
        assertThat(http().metric("hub_gateway_connections_refused_total{reason=\"protocol_version\"}")).isEqualTo(1.0);
    }

    /** Verifies that a valid batch is acknowledged 0x00 and its readings are then served by the API. */
    @Test
    void acknowledgesStoredBatchAndServesItsReadings(Vertx vertx) throws Exception {
        start(vertx);
        TestGateway gateway = gateway1();

        Ack ack = gateway.sendBatch(Batches.classroom(GATEWAY_1, SCHOOL_1, GATEWAY_1 + "-1-4", T0, 3));

        assertThat(ack.reasonCode()).isZero();
        JsonObject body = http().get(READINGS_R1).json();
        assertThat(body.getString("unit")).isEqualTo("ppm");
        JsonArray readings = body.getJsonArray("readings");
        assertThat(readings).hasSize(3);
        assertThat(readings.getJsonObject(0).getMap()).containsEntry("device", "co2-r1-01")
                .containsEntry("timestamp", T0).containsEntry("time", Instant.ofEpochMilli(T0).toString())
                .containsEntry("value", 600.0);
        assertThat(readings.getJsonObject(2).getDouble("value")).isEqualTo(620.0);
        assertThat(http().metric("hub_batches_stored_total")).isEqualTo(1.0);
        assertThat(http().metric("hub_readings_stored_total")).isEqualTo(4.0);
        assertThat(http().metric("hub_events_stored_total")).isEqualTo(1.0);
        assertThat(http().metric("hub_gateways_connected")).isEqualTo(1.0);
    }

    /** Verifies that a batch sent again is acknowledged 0x00, counted as a replay and not stored twice. */
    @Test
    void acknowledgesReplayedBatchWithoutDuplicatingRows(Vertx vertx) throws Exception {
        start(vertx);
        TestGateway gateway = gateway1();
        Batch batch = Batches.classroom(GATEWAY_1, SCHOOL_1, GATEWAY_1 + "-1-4", T0, 3);

        assertThat(gateway.sendBatch(batch).reasonCode()).isZero();
        assertThat(gateway.sendBatch(batch).reasonCode()).isZero();

        assertThat(http().get(READINGS_R1).json().getJsonArray("readings")).hasSize(3);
        assertThat(http().metric("hub_batches_stored_total")).isEqualTo(1.0);
        assertThat(http().metric("hub_batches_replayed_total")).isEqualTo(1.0);
        assertThat(http().metric("hub_readings_stored_total")).isEqualTo(4.0);
    }

    /**
     * Verifies that an undecodable payload is refused with 0x99 and a reason string, stores nothing,
     * and neither that connection nor another gateway's is disturbed.
     */
    @Test
    void refusesGarbageWithPayloadFormatInvalidAndStaysUsable(Vertx vertx) throws Exception {
        start(vertx);
        TestGateway gateway = gateway1();
        TestGateway other = gateway2();

        Ack garbage = gateway.publish(UplinkTopics.batch(SCHOOL_1, GATEWAY_1),
                "{\"not\":\"a batch\"}".getBytes(StandardCharsets.UTF_8), 1, BatchCodec.CONTENT_TYPE);

        assertThat(garbage.reasonCode()).isEqualTo(0x99);
        assertThat(garbage.reasonString()).contains("not a batch frame");
        // nothing was stored: the room has never reported
        assertThat(http().get(READINGS_R1).status()).isEqualTo(404);
        assertThat(gateway.sendBatch(Batches.classroom(GATEWAY_1, SCHOOL_1, GATEWAY_1 + "-1-4", T0, 2)).reasonCode())
                .isZero();
        assertThat(other.sendBatch(Batches.classroom(GATEWAY_2, SCHOOL_2, GATEWAY_2 + "-1-4", T0, 2)).reasonCode())
                .isZero();
        assertThat(http().get(READINGS_R1).json().getJsonArray("readings")).hasSize(2);
        assertThat(http().metric("hub_batches_rejected_total{reason=\"payload_format_invalid\"}")).isEqualTo(1.0);
        assertThat(http().metric("hub_batches_stored_total")).isEqualTo(2.0);
    }

    /** Verifies that a frame of a version this hub does not know is refused with 0x99 naming the version. */
    @Test
    void refusesUnknownFrameVersionWithPayloadFormatInvalid(Vertx vertx) throws Exception {
        start(vertx);
        TestGateway gateway = gateway1();
        byte[] frame = new BatchCodec().encode(Batches.classroom(GATEWAY_1, SCHOOL_1, GATEWAY_1 + "-1-4", T0, 2));
        frame[2] = 2;

        Ack ack = gateway.publish(UplinkTopics.batch(SCHOOL_1, GATEWAY_1), frame, 1, "application/vnd.smartschool.batch.v2");

        assertThat(ack.reasonCode()).isEqualTo(0x99);
        assertThat(ack.reasonString()).contains("version 2");
    }

    /** Verifies that publishing under another school or gateway, or off the uplink topics, is refused with 0x87. */
    @Test
    void refusesForeignTopicsWithNotAuthorized(Vertx vertx) throws Exception {
        start(vertx);
        TestGateway gateway = gateway1();
        byte[] frame = new BatchCodec().encode(Batches.classroom(GATEWAY_1, SCHOOL_1, GATEWAY_1 + "-1-4", T0, 2));

        Ack otherSchool = gateway.publish(UplinkTopics.batch(SCHOOL_2, GATEWAY_1), frame, 1, BatchCodec.CONTENT_TYPE);
        Ack otherGateway = gateway.publish(UplinkTopics.batch(SCHOOL_1, GATEWAY_2), frame, 1, BatchCodec.CONTENT_TYPE);
        Ack notUplink = gateway.publish("zigbee2mqtt/r1-01/co2", frame, 1, null);

        assertThat(List.of(otherSchool.reasonCode(), otherGateway.reasonCode(), notUplink.reasonCode()))
                .containsOnly(0x87);
        assertThat(otherSchool.reasonString()).contains("not allowed");
        assertThat(http().get(READINGS_R1).status()).isEqualTo(404); // nothing stored: the room never reported
        assertThat(http().metric("hub_batches_rejected_total{reason=\"not_authorized\"}")).isEqualTo(3.0);
    }

    /** Verifies that a batch whose content names another school than the credential is refused with 0x87. */
    @Test
    void refusesBatchOfAnotherSchoolOnOwnTopic(Vertx vertx) throws Exception {
        start(vertx);
        TestGateway gateway = gateway1();

        Ack ack = gateway.sendBatch(Batches.classroom(GATEWAY_1, SCHOOL_2, GATEWAY_1 + "-1-4", T0, 2));

        assertThat(ack.reasonCode()).isEqualTo(0x87);
        assertThat(http().get(READINGS_R1.replace(SCHOOL_1, SCHOOL_2)).status()).isEqualTo(404); // nothing stored
    }

    /** Verifies that a payload over mqtt.maxMessageBytes is refused with 0x97 and the connection stays usable. */
    @Test
    void refusesOversizedPayloadWithQuotaExceeded(Vertx vertx) throws Exception {
        start(vertx);
        TestGateway gateway = gateway1();

        Ack ack = gateway.publish(UplinkTopics.batch(SCHOOL_1, GATEWAY_1), new byte[HubFixture.MAX_MESSAGE_BYTES + 1],
                1, BatchCodec.CONTENT_TYPE);

        assertThat(ack.reasonCode()).isEqualTo(0x97);
        assertThat(ack.reasonString()).contains(String.valueOf(HubFixture.MAX_MESSAGE_BYTES));
        assertThat(gateway.sendBatch(Batches.classroom(GATEWAY_1, SCHOOL_1, GATEWAY_1 + "-1-4", T0, 2)).reasonCode())
                .isZero();
        assertThat(http().metric("hub_batches_rejected_total{reason=\"quota_exceeded\"}")).isEqualTo(1.0);
    }

    /**
     * Verifies that a failed store write is answered 0x83 (the gateway keeps the batch), never 0x00,
     * and that the same batch sent again is then stored.
     */
    @Test
    void answersImplementationSpecificErrorWhenStoreFailsAndStoresTheRetry(Vertx vertx) throws Exception {
        HubConfig config = HubFixture.config(dir);
        ControllableStore store = new ControllableStore(HubFixture.openStore(config));
        hub = HubFixture.start(vertx, config, store);
        TestGateway gateway = gateway1();
        Batch batch = Batches.classroom(GATEWAY_1, SCHOOL_1, GATEWAY_1 + "-1-4", T0, 3);
        store.failNextBatches(1);

        Ack failed = gateway.sendBatch(batch);

        assertThat(failed.reasonCode()).isEqualTo(0x83);
        assertThat(failed.reasonString()).contains("retry").doesNotContain("injected");
        assertThat(http().get(READINGS_R1).status()).isEqualTo(404); // nothing stored: the room never reported
        assertThat(http().metric("hub_batches_rejected_total{reason=\"store_failed\"}")).isEqualTo(1.0);

        Ack retried = gateway.sendBatch(batch);

        assertThat(retried.reasonCode()).isZero();
        assertThat(http().get(READINGS_R1).json().getJsonArray("readings")).hasSize(3);
        assertThat(http().metric("hub_batches_stored_total")).isEqualTo(1.0);
        assertThat(http().metric("hub_batches_replayed_total")).isEqualTo(0.0);
    }

    /**
     * Verifies that the PUBACK waits for the store: while the write has not committed, the hub answers a later
     * SUBSCRIBE on the same connection (so the connection is live and in order) but not the batch.
     */
    @Test
    void sendsPubackOnlyAfterTheStoreCommitted(Vertx vertx) throws Exception {
        HubConfig config = HubFixture.config(dir);
        ControllableStore store = new ControllableStore(HubFixture.openStore(config));
        hub = HubFixture.start(vertx, config, store);
        TestGateway gateway = gateway1();
        store.closeGate();

        IMqttToken ack = gateway.publishAsync(Batches.classroom(GATEWAY_1, SCHOOL_1, GATEWAY_1 + "-1-4", T0, 3));
        assertThat(store.awaitBatchArrived(10_000)).isTrue();
        // the hub writes its answers to one connection in order: a PUBACK sent before the SUBACK would be seen first
        assertThat(gateway.subscribe(UplinkTopics.config(SCHOOL_1, GATEWAY_1), 1)).containsExactly(1);

        assertThat(ack.isComplete()).isFalse();
        // the event loop is not blocked by the waiting write: the API still answers
        assertThat(http().get("/api/v1/schools").status()).isEqualTo(200);
        assertThat(http().metric("hub_batches_in_flight")).isEqualTo(1.0);
        store.openGate();
        ack.waitForCompletion(10_000);
        assertThat(ack.getReasonCodes()).containsExactly(0);
        assertThat(http().get(READINGS_R1).json().getJsonArray("readings")).hasSize(3);
    }

    /** Verifies that a gateway subscribing to its config topic receives its desired configuration, QoS 1. */
    @Test
    void sendsDesiredConfigurationWhenGatewaySubscribes(Vertx vertx) throws Exception {
        HubConfig base = HubFixture.config(dir);
        HubConfig config = base.withGateways(List.of(
                new GatewayConfig(GATEWAY_1, SCHOOL_1, null, SECRET_1, Map.of("version", 3, "healthIntervalSeconds", 60)),
                base.gateways().get(1)));
        hub = HubFixture.start(vertx, config);
        TestGateway gateway = gateway1();

        int[] granted = gateway.subscribe(UplinkTopics.config(SCHOOL_1, GATEWAY_1), 1);
        int[] refused = gateway.subscribe(UplinkTopics.config(SCHOOL_2, GATEWAY_2), 1);

        assertThat(granted).containsExactly(1);
        assertThat(refused).containsExactly(0x87);
        Poll.until(Duration.ofSeconds(10), "the desired configuration", () -> !gateway.received().isEmpty());
        assertThat(gateway.received()).hasSize(1);
        TestGateway.Received config1 = gateway.received().get(0);
        assertThat(config1.topic()).isEqualTo(UplinkTopics.config(SCHOOL_1, GATEWAY_1));
        assertThat(config1.qos()).isEqualTo(1);
        assertThat(new JsonObject(config1.payload()).getMap())
                .isEqualTo(Map.of("version", 3, "healthIntervalSeconds", 60));
    }

    /** Verifies that a health report is recorded as the gateway's status and a malformed one is only counted. */
    @Test
    void recordsHealthReportsAndCountsMalformedOnes(Vertx vertx) throws Exception {
        start(vertx);
        TestGateway gateway = gateway1();
        String topic = UplinkTopics.health(SCHOOL_1, GATEWAY_1);

        gateway.publish(topic, "not json {".getBytes(StandardCharsets.UTF_8), 0, null);
        gateway.publish(topic, ("{\"gateway\":\"" + GATEWAY_1 + "\",\"school\":\"" + SCHOOL_1
                + "\",\"time\":1741568400000,\"uptimeSeconds\":12,\"outboxRecords\":0,\"outboxOldestMillis\":null,"
                + "\"counters\":{\"south_messages\":5}}").getBytes(StandardCharsets.UTF_8), 0, null);

        Http http = http();
        // the malformed report went first on the same connection: once the good one is recorded, it was handled
        Poll.until(Duration.ofSeconds(10), "the health report recorded", () -> http.metric("hub_health_reports_total") >= 1);
        assertThat(http.metric("hub_health_reports_total")).isEqualTo(1.0);
        assertThat(http.metric("hub_health_malformed_total")).isEqualTo(1.0);
        JsonObject school = http.get("/api/v1/schools").json().getJsonArray("schools").stream()
                .map(JsonObject.class::cast).filter(s -> s.getString("school").equals(SCHOOL_1)).findFirst().orElseThrow();
        assertThat(school.getJsonArray("gateways").getJsonObject(0).getString("lastSeen")).isNotNull();
        assertThat(gateway.isConnected()).isTrue();
    }

    /** Verifies that a second connection of the same gateway takes over and the gauge counts one gateway. */
    @Test
    void newConnectionOfSameGatewayTakesOver(Vertx vertx) throws Exception {
        start(vertx);
        TestGateway first = gateway1();
        TestGateway second = gateway1();

        Poll.until(Duration.ofSeconds(10), "the first connection closed", () -> first.disconnectReason() != null);
        assertThat(first.disconnectReason()).isEqualTo(0x8E);
        assertThat(first.isConnected()).isFalse();
        assertThat(second.sendBatch(Batches.classroom(GATEWAY_1, SCHOOL_1, GATEWAY_1 + "-1-4", T0, 2)).reasonCode())
                .isZero();
        assertThat(http().metric("hub_gateways_connected")).isEqualTo(1.0);
        assertThat(http().metric("hub_gateway_takeovers_total{gateway=\"" + GATEWAY_1 + "\"}")).isEqualTo(1.0);
    }

    /**
     * Verifies that outside text echoed in a reason string is made safe (SafeText): a topic that tries to forge a
     * log line comes back on one line, its control characters escaped.
     */
    @Test
    void echoesHostileTopicOnlyEscaped(Vertx vertx) throws Exception {
        start(vertx);
        // Paho refuses to send such a topic: a client that does not care
        try (RawMqttClient client = RawMqttClient.connect(hub.mqttPort(), GATEWAY_1, SECRET_1)) {
            client.publishRawTopic("zigbee2mqtt/r1\n[gateway: gw-le-loi] connected\u001b[31m", new byte[] {1}, 7);

            MqttWireMessage answer = client.read(Duration.ofSeconds(10));

            assertThat(answer).isInstanceOf(MqttPubAck.class);
            assertThat(answer.getReasonCodes()).containsExactly(0x87);
            assertThat(answer.getProperties().getReasonString()).contains("zigbee2mqtt/r1\\u000a[gateway: gw-le-loi] connected\\u001b[31m")
                    .doesNotContain("\n").doesNotContain("\u001b");
        }
        assertThat(http().metric("hub_batches_rejected_total{reason=\"not_authorized\"}")).isEqualTo(1.0);
    }
}
