package org.smartschool.gateway.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
import org.smartschool.bridge.model.Reading;
import org.smartschool.bridge.routing.TopicRoute;
import org.smartschool.bridge.uplink.Batch;
import org.smartschool.bridge.uplink.BatchCodec;
import org.smartschool.bridge.uplink.UplinkTopics;
import org.smartschool.gateway.config.GatewayConfig;
import org.smartschool.gateway.support.BrokerClients;
import org.smartschool.gateway.support.Poll;
import org.smartschool.gateway.support.TestGatewayConfig;
import org.smartschool.gateway.support.TestJsonCodec;
import org.smartschool.gateway.testsupport.TcpProxy;
import org.smartschool.gateway.testsupport.TestBroker;

/**
 * The hub's desired configuration applied to a running gateway (docs/protocol.md 3.2), against a
 * real Mosquitto on both sides: the devices' broker, and the north end (through a {@link TcpProxy})
 * where the test plays the hub, publishing the desired configuration retained on the gateway's
 * config topic (the hub sends it when the gateway subscribes) and reading the batches.
 */
@Timeout(90)
class GatewayRemoteConfigTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final CodecRegistry CODECS = new CodecRegistry(List.of(new TestJsonCodec()));
    private static final BatchCodec BATCHES = new BatchCodec();

    @TempDir
    Path dir;
    private String broker;
    private String run;
    private TcpProxy north;
    private GatewayConfig config;
    private String configTopic;
    private final List<Gateway> gateways = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        broker = TestBroker.mqttUrl();
        run = UUID.randomUUID().toString().substring(0, 8);
        north = new TcpProxy(broker);
        // gateway.yaml: one route, subscribed wide, so a device no route maps reaches the gateway
        config = TestGatewayConfig.of(run, broker, dir).north(north.url())
                .routes(new TopicRoute("r-" + run + "/a/{room}/{device}", TestJsonCodec.NAME, null, null, "r-" + run + "/#"))
                .healthIntervalMillis(300).build();
        configTopic = UplinkTopics.config(config.school(), config.gatewayId());
    }

    @AfterEach
    void tearDown() throws Exception {
        gateways.forEach(Gateway::close);
        if (north != null) {
            north.close();
        }
        BrokerClients.forgetSession(broker, config.southClientId());
        BrokerClients.publish(broker, configTopic, new byte[0], 1, true); // clear the retained message
    }

    private Gateway start() {
        Gateway gateway = Gateway.start(config, CODECS);
        gateways.add(gateway);
        return gateway;
    }

    /** Version 5: route r-{run}/b too, and a new topic u-{run}; the wide r-{run}/# is given up. */
    private String version5() {
        return "{\"version\":5,\"south\":{\"routes\":["
                + "{\"pattern\":\"r-" + run + "/a/{room}/{device}\",\"codec\":\"test-json\"},"
                + "{\"pattern\":\"r-" + run + "/b/{room}/{device}\",\"codec\":\"test-json\"},"
                + "{\"pattern\":\"u-" + run + "/door\",\"codec\":\"test-json\",\"room\":\"hall\",\"device\":\"door-1\"}]}}";
    }

    private void hubSends(String desired) throws Exception {
        BrokerClients.publish(broker, configTopic, desired.getBytes(StandardCharsets.UTF_8), 1, true);
    }

    private void device(String topic, String json) throws Exception {
        BrokerClients.publish(broker, topic, json, 1);
    }

    private static List<Reading> readings(BrokerClients.Subscriber hub) {
        List<Reading> out = new ArrayList<>();
        for (BrokerClients.Received frame : hub.received()) {
            try {
                Batch batch = BATCHES.decode(frame.payload());
                out.addAll(batch.readings());
            } catch (org.smartschool.bridge.uplink.BatchFormatException e) {
                throw new AssertionError("undecodable batch", e);
            }
        }
        return out;
    }

    private static boolean hasReading(BrokerClients.Subscriber hub, String room, String device, double value) {
        return readings(hub).stream().anyMatch(r -> r.room().equals(room) && r.device().equals(device) && r.value() == value);
    }

    @Test
    void aRouteTheHubAddsTurnsTheNextMessageIntoAReadingWithoutARestart() throws Exception {
        north.up();
        try (BrokerClients.Subscriber hub = new BrokerClients.Subscriber(broker,
                UplinkTopics.batch(config.school(), config.gatewayId()))) {
            Gateway gateway = start();
            Poll.until(WAIT, "south connected", () -> gateway.status().southConnected());

            device("r-" + run + "/b/room-2/d-7", "{\"co2\":700}");
            Poll.until(WAIT, "the unmapped device dead-lettered", () -> gateway.outbox().deadLetterCount() == 1);
            assertThat(gateway.outbox().deadLetters(10).get(0).topic()).isEqualTo("r-" + run + "/b/room-2/d-7");
            assertThat(gateway.metrics().unknownDevicesBySource()).containsEntry("mqtt", 1L);
            assertThat(gateway.status().desiredConfigVersion()).isEmpty();

            hubSends(version5());
            Poll.until(WAIT, "version 5 applied", () -> gateway.status().desiredConfigVersion().orElse(-1) == 5);

            // the new subscription u-{run}/door: the broker drops what it sends before the SUBSCRIBE is in
            // (the subscription is made asynchronously): send again until one arrives, each with its deadline
            boolean arrived = false;
            for (int door = 1; door <= 20 && !arrived; door++) {
                device("u-" + run + "/door", "{\"co2\":" + door + "}");
                int value = door;
                try {
                    Poll.until(Duration.ofSeconds(1), "door reading " + value, () -> hasReading(hub, "hall", "door-1", value));
                    arrived = true;
                } catch (AssertionError e) {
                    // not subscribed yet when it was sent
                }
            }
            assertThat(arrived).as("a reading of the new topic u-%s/door", run).isTrue();
            long messagesBefore = gateway.status().southMessages();
            // r-{run}/c is mapped by nothing and only r-{run}/# covered it: unsubscribed, it no longer arrives
            device("r-" + run + "/c/room-4/d-1", "{\"co2\":1}");
            device("r-" + run + "/b/room-2/d-7", "{\"co2\":701}"); // the topic dead-lettered before

            Poll.until(WAIT, "the next message of the topic dead-lettered before is a reading",
                    () -> hasReading(hub, "room-2", "d-7", 701));
            Reading reading = readings(hub).stream().filter(r -> r.device().equals("d-7")).findFirst().orElseThrow();
            assertThat(reading.school()).isEqualTo(config.school());
            assertThat(reading.room()).isEqualTo("room-2");
            assertThat(gateway.status().southMessages()).isEqualTo(messagesBefore + 1);
            assertThat(gateway.outbox().deadLetterCount()).isEqualTo(1);
            assertThat(Files.readString(dir.resolve("outbox.desired-config.json"))).isEqualTo(version5());
        }
    }

    @Test
    void anInvalidConfigurationIsReportedInHealthAndTheGatewayKeepsTheLastGoodVersion() throws Exception {
        north.up();
        hubSends(version5());
        try (BrokerClients.Subscriber hub = new BrokerClients.Subscriber(broker,
                UplinkTopics.batch(config.school(), config.gatewayId()));
             BrokerClients.Subscriber health = new BrokerClients.Subscriber(broker,
                     UplinkTopics.health(config.school(), config.gatewayId()))) {
            Gateway gateway = start();
            Poll.until(WAIT, "version 5 applied", () -> gateway.status().desiredConfigVersion().orElse(-1) == 5);

            // version 6 names a codec the gateway does not have and drops r-{run}/b
            hubSends("{\"version\":6,\"south\":{\"routes\":[{\"pattern\":\"r-" + run
                    + "/a/{room}/{device}\",\"codec\":\"zigbee-9000\"}]}}");
            String reason = "version 6: south.routes[0].codec: unknown codec 'zigbee-9000': known codecs are [test-json]";
            Poll.until(WAIT, "a health report refusing version 6", () -> health.received().stream()
                    .map(GatewayRemoteConfigTest::json).anyMatch(r -> r.path("desiredConfig").path("refusal").asText().equals(reason)));
            JsonNode report = health.received().stream().map(GatewayRemoteConfigTest::json)
                    .filter(r -> r.path("desiredConfig").path("refusal").asText().equals(reason)).findFirst().orElseThrow();
            assertThat(report.path("desiredConfig").path("version").asLong()).isEqualTo(5);
            assertThat(gateway.status().desiredConfigVersion()).hasValue(5);
            assertThat(Files.readString(dir.resolve("outbox.desired-config.json"))).isEqualTo(version5());

            // still running version 5: r-{run}/b is routed
            device("r-" + run + "/b/room-2/d-7", "{\"co2\":702}");
            Poll.until(WAIT, "a reading under version 5", () -> hasReading(hub, "room-2", "d-7", 702));
            assertThat(gateway.outbox().deadLetterCount()).isZero();

            // the hub fixes it: version 7 applies and the refusal is gone from health
            hubSends("{\"version\":7}");
            Poll.until(WAIT, "a health report with version 7 and no refusal", () -> health.received().stream()
                    .map(GatewayRemoteConfigTest::json).anyMatch(r -> r.path("desiredConfig").path("version").asLong() == 7
                            && r.path("desiredConfig").path("refusal").isNull()));
        }
    }

    @Test
    void afterARestartWithoutTheHubItRunsOnTheLastAppliedVersionAndIgnoresOldOnes() throws Exception {
        north.up();
        hubSends(version5());
        Gateway first = start();
        Poll.until(WAIT, "version 5 applied", () -> first.status().desiredConfigVersion().orElse(-1) == 5);
        first.close();
        north.down(); // the reboot happens while the hub is unreachable

        Gateway second = start();
        assertThat(second.status().desiredConfigVersion()).hasValue(5);
        Poll.until(WAIT, "south connected", () -> second.status().southConnected());
        // r-{run}/b is a route of version 5 only; gateway.yaml would dead-letter it
        device("r-" + run + "/b/room-2/d-7", "{\"co2\":703}");
        Poll.until(WAIT, "a record in the outbox", () -> second.outbox().size() == 1);
        Reading reading = second.outbox().peek(10).readings().get(0);
        assertThat(reading.room()).isEqualTo("room-2");
        assertThat(reading.device()).isEqualTo("d-7");
        assertThat(reading.value()).isEqualTo(703.0);
        assertThat(second.outbox().deadLetterCount()).isZero();

        // the hub is back with an older retained version (a replay): ignored, nothing refused
        hubSends("{\"version\":4,\"south\":{\"routes\":[]}}");
        assertThat(second.remoteConfiguration().ignoredVersions()).isZero();
        north.up();
        Poll.until(WAIT, "version 4 ignored", () -> second.remoteConfiguration().ignoredVersions() == 1);
        assertThat(second.status().desiredConfigVersion()).hasValue(5);
        assertThat(second.remoteConfiguration().refusal()).isNull();
        Poll.until(WAIT, "the batch sent", () -> second.outbox().size() == 0);
        assertThat(Files.readString(dir.resolve("outbox.desired-config.json"))).isEqualTo(version5());
        device("r-" + run + "/b/room-2/d-7", "{\"co2\":704}");
        Poll.until(WAIT, "version 5's route still in use", () -> second.status().southMessages() == 2
                && second.metrics().recordsAppended().count() == 2);
        assertThat(second.outbox().deadLetterCount()).isZero();
    }

    private static JsonNode json(BrokerClients.Received frame) {
        try {
            return new ObjectMapper().readTree(frame.payload());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
