package org.smartschool.gateway.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.bridge.codec.CodecRegistry;
import org.smartschool.bridge.routing.TopicRoute;
import org.smartschool.bridge.uplink.UplinkTopics;
import org.smartschool.gateway.config.CoapSettings;
import org.smartschool.gateway.config.GatewayConfig;
import org.smartschool.gateway.config.WiredSettings;
import org.smartschool.gateway.support.BrokerClients;
import org.smartschool.gateway.support.Poll;
import org.smartschool.gateway.support.TestGatewayConfig;
import org.smartschool.gateway.support.TestJsonCodec;
import org.smartschool.gateway.testsupport.LibcoapClient;
import org.smartschool.gateway.testsupport.TcpProxy;
import org.smartschool.gateway.testsupport.TestBroker;

/**
 * The fault "Invisible counters": dropped and retained-skipped messages and batch retries
 * were counted but shown nowhere on a running gateway. Verifies, against a real Mosquitto (which
 * also plays the hub's health topic), that the published health report carries every counter and
 * the rest of docs/protocol.md section 3.1 with the values the gateway saw.
 */
@Timeout(60)
class GatewayHealthTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private String broker;
    private String run;
    private TcpProxy north;
    private GatewayConfig config;
    private Gateway gateway;

    @BeforeEach
    void setUp() throws Exception {
        broker = TestBroker.mqttUrl();
        run = UUID.randomUUID().toString().substring(0, 8);
        north = new TcpProxy(broker);
        config = TestGatewayConfig.of(run, broker, dir).north(north.url())
                .routes(new TopicRoute("h-" + run + "/{room}/{device}", TestJsonCodec.NAME))
                .retryMaxMillis(500).healthIntervalMillis(300).build();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        north.close();
        BrokerClients.forgetSession(broker, config.southClientId());
        BrokerClients.publish(broker, "h-" + run + "/room-9/old", new byte[0], 1, true); // clear the retained message
        BrokerClients.publish(broker, UplinkTopics.config(config.school(), config.gatewayId()), new byte[0], 1, true);
    }

    @Test
    void healthReportCarriesEveryCounterTheOutboxTheDevicesAndTheMachine() throws Exception {
        // before the gateway subscribes: a retained device message (skipped) and a desired configuration it must refuse
        BrokerClients.publish(broker, "h-" + run + "/room-9/old", "{\"co2\":1}".getBytes(StandardCharsets.UTF_8), 1, true);
        BrokerClients.publish(broker, UplinkTopics.config(config.school(), config.gatewayId()),
                "{\"rules\":{}}".getBytes(StandardCharsets.UTF_8), 1, true);
        north.up();
        try (BrokerClients.Subscriber hub = new BrokerClients.Subscriber(broker,
                UplinkTopics.health(config.school(), config.gatewayId()))) {
            long before = System.currentTimeMillis();
            gateway = Gateway.start(config, new CodecRegistry(List.of(new TestJsonCodec())));
            Poll.until(WAIT, "south connected, and a report refusing the desired configuration",
                    () -> gateway.status().southConnected() && latest(hub) != null
                            && !latest(hub).path("desiredConfig").path("refusal").isNull());
            north.holdReplies(true); // from now on the hub's answers do not come: the batch waits for its PUBACK
            BrokerClients.publish(broker, "h-" + run + "/room-1/d-1", "{\"co2\":612}", 1);
            BrokerClients.publish(broker, "h-" + run + "/room-1/d-2", "oops", 1);
            BrokerClients.publish(broker, "h-" + run + "/bad room/d-3", "{\"co2\":1}", 1);

            try {
                Poll.until(WAIT, "a report showing the skipped retained message, the unknown device and the waiting record",
                        () -> latest(hub) != null && latest(hub).path("outboxRecords").asLong() == 1
                                && latest(hub).path("counters").path("south_retained_skipped").asLong() == 1
                                && latest(hub).path("counters").path("unknown_devices").asLong() == 1
                                && latest(hub).path("counters").path("south_messages").asLong() == 3);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; latest report: " + latest(hub), e);
            }
            JsonNode report = latest(hub);
            long after = System.currentTimeMillis();
            // no PUBACK within uplink.ackTimeoutMillis: the gateway closes the connection; once the hub
            // answers again it reconnects, resends the batch (a retry) and reports it
            Poll.until(WAIT, "the PUBACK timeout", () -> gateway.metrics().ackTimeouts().count() == 1);
            north.holdReplies(false);
            try {
                Poll.until(WAIT, "a report showing the batch retried and sent on a new connection",
                        () -> latest(hub).path("counters").path("batches_sent").asLong() == 1);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; latest report: " + latest(hub), e);
            }
            JsonNode counters = latest(hub).get("counters");
            assertThat(counters.get("batch_retries").asLong()).isEqualTo(1);
            assertThat(counters.get("ack_timeouts").asLong()).isEqualTo(1);
            assertThat(counters.get("records_sent").asLong()).isEqualTo(1);
            assertThat(counters.get("north_connects").asLong()).isEqualTo(2);
            assertThat(latest(hub).get("outboxRecords").asLong()).isZero();
            assertThat(latest(hub).get("outboxOldestMillis").isNull()).isTrue();

            assertThat(report.get("gateway").asText()).isEqualTo(config.gatewayId());
            assertThat(report.get("school").asText()).isEqualTo(config.school());
            assertThat(report.get("version").asText()).isNotBlank();
            assertThat(report.get("time").asLong()).isBetween(before, after);
            assertThat(report.get("links").get("south").asBoolean()).isTrue();
            assertThat(report.get("links").get("north").asBoolean()).isTrue();
            // the reading is held back with the unanswered batch
            assertThat(report.get("outboxRecords").asLong()).isEqualTo(1);
            assertThat(report.get("outboxOldestMillis").asLong()).isBetween(before, after);
            assertThat(report.get("outboxOldestAgeSeconds").asLong()).isBetween(0L, 60L);
            assertThat(report.get("outboxDeadLetters").asLong()).isEqualTo(2); // the undecodable and the unknown

            counters = report.get("counters");
            assertThat(counters.get("south_messages").asLong()).isEqualTo(3); // the skipped retained one is not taken in
            assertThat(counters.get("south_retained_skipped").asLong()).isEqualTo(1);
            assertThat(counters.get("records_appended").asLong()).isEqualTo(1);
            assertThat(counters.get("decode_errors").asLong()).isEqualTo(1);
            assertThat(counters.get("unknown_devices").asLong()).isEqualTo(1);
            assertThat(counters.get("dropped").asLong()).isZero();
            assertThat(counters.get("batches_sent").asLong()).isZero();
            assertThat(counters.get("batches_rejected").asLong()).isZero();
            assertThat(counters.get("batch_retries").asLong()).isZero(); // not yet: the PUBACK is still awaited
            assertThat(counters.get("ack_timeouts").asLong()).isZero();
            assertThat(counters.get("records_sent").asLong()).isZero();
            assertThat(counters.get("north_connects").asLong()).isEqualTo(1);

            assertThat(report.get("drops").get("south_qos0_queue_full").asLong()).isZero();
            assertThat(report.get("decodeErrors").get(TestJsonCodec.NAME).asLong()).isEqualTo(1);
            assertThat(report.get("unknownDevices").get("mqtt").asLong()).isEqualTo(1);
            JsonNode devices = report.get("devices");
            assertThat(devices.size()).isEqualTo(2);
            assertThat(devices.get("room-1/d-1").asLong()).isBetween(before, after);
            assertThat(devices.get("room-1/d-2").asLong()).isBetween(before, after); // heard from, if not understood

            JsonNode system = report.get("system");
            assertThat(system.get("diskFreeBytes").asLong()).isPositive();
            assertThat(system.get("diskTotalBytes").asLong()).isGreaterThanOrEqualTo(system.get("diskFreeBytes").asLong());
            assertThat(system.get("heapUsedBytes").asLong()).isPositive();
            assertThat(system.get("heapMaxBytes").asLong()).isGreaterThanOrEqualTo(system.get("heapUsedBytes").asLong());
            assertThat(system.get("rssBytes").asLong()).isGreaterThan(system.get("heapUsedBytes").asLong() / 4);
            assertThat(system.has("cpuTemperatureCelsius")).isTrue(); // null where the machine has no thermal zone

            JsonNode desired = report.get("desiredConfig");
            assertThat(desired.get("version").isNull()).isTrue();
            assertThat(desired.get("refusal").asText())
                    .isEqualTo("version: must be an integer of 0 or more, not missing");
        }
    }

    /**
     * Verifies that the published report carries the CoAP and wired counters: a CoAP device's
     * undecodable POST (4.00) under {@code coap.refused}, a wired BME280 that does not answer (Pi4J's
     * mock I2C has no chip behind it) under {@code wired.devices} with its failures.
     */
    @Test
    void healthReportCarriesCoapRefusalsAndWiredSensorFailures() throws Exception {
        LibcoapClient coapClient = LibcoapClient.find();
        WiredSettings wired = new WiredSettings(true, "mock", null, List.of(),
                List.of(new WiredSettings.I2cSensor("env-r101", "r101", "bme280", 1, 0x76, 100L)),
                List.of(), List.of(), 3, 1_000, 2_000);
        config = new GatewayConfig(config.gatewayId(), config.school(), config.south().withRoutes(List.of()),
                new GatewayConfig.NorthSettings(broker, "secret"), config.outbox(), config.uplink(), wired,
                CoapSettings.defaults().withPorts("127.0.0.1", 0, true, 0).withEnabled(true), null);
        try (BrokerClients.Subscriber hub = new BrokerClients.Subscriber(broker,
                UplinkTopics.health(config.school(), config.gatewayId()))) {
            gateway = Gateway.start(config, CodecRegistry.standard());
            Poll.until(WAIT, "a health report", () -> latest(hub) != null);
            assertThat(latest(hub).path("coap").path("requests").asLong()).isZero();

            LibcoapClient.Result result = coapClient.run(Duration.ofSeconds(20), "-B", "10", "-m", "post", "-t", "110",
                    "-e", "not senml", "coap://127.0.0.1:" + gateway.coapServer().port() + "/r101/air");
            assertThat(result.output()).contains("4.00");

            try {
                Poll.until(WAIT, "a report with the CoAP refusal and the wired sensor's failures",
                        () -> latest(hub).path("coap").path("refused").path("bad_request").asLong() == 1
                                && latest(hub).path("wired").path("devices").path("env-r101").path("failures").asLong() >= 3);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; latest report: " + latest(hub), e);
            }
            JsonNode report = latest(hub);
            JsonNode coap = report.get("coap");
            assertThat(coap.get("requests").asLong()).isEqualTo(1);
            assertThat(coap.get("refused").size()).isEqualTo(1);
            assertThat(coap.get("dtlsFailures").size()).isZero();
            assertThat(coap.get("observeRegistrations").asLong()).isZero();
            JsonNode sensor = report.get("wired").get("devices").get("env-r101");
            assertThat(sensor.get("kind").asText()).isEqualTo("bme280");
            assertThat(sensor.get("online").asBoolean()).isFalse();
            assertThat(sensor.get("samples").asLong()).isZero();
            assertThat(sensor.get("lastSampleMillis").isNull()).isTrue();
            assertThat(sensor.get("lastProblem").asText()).contains("No available data to read");
            // the sensor's device-offline event, committed to the outbox
            assertThat(report.get("wired").get("recorded").asLong()).isEqualTo(1);
            assertThat(report.get("wired").get("dropped").asLong()).isZero();
        }
    }

    private static JsonNode latest(BrokerClients.Subscriber hub) {
        List<BrokerClients.Received> received = hub.received();
        if (received.isEmpty()) {
            return null;
        }
        try {
            return JSON.readTree(received.get(received.size() - 1).payload());
        } catch (Exception e) {
            throw new AssertionError("health report is not JSON", e);
        }
    }
}
