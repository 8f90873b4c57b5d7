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
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;
import org.smartschool.bridge.routing.TopicRoute;
import org.smartschool.bridge.uplink.Batch;
import org.smartschool.bridge.uplink.BatchCodec;
import org.smartschool.bridge.uplink.UplinkTopics;
import org.smartschool.gateway.config.GatewayConfig;
import org.smartschool.gateway.outbox.Outbox;
import org.smartschool.gateway.support.BrokerClients;
import org.smartschool.gateway.support.BrokerClients.Received;
import org.smartschool.gateway.support.Poll;
import org.smartschool.gateway.support.TestGatewayConfig;
import org.smartschool.gateway.support.TestJsonCodec;
import org.smartschool.gateway.testsupport.TcpProxy;
import org.smartschool.gateway.testsupport.TestBroker;

/**
 * Verifies the whole gateway against a real Mosquitto: devices publish on the south side (MQTT
 * 3.1.1); the north side is Mosquitto too (MQTT 5), where a test subscriber plays the hub's
 * storage and decodes the batches. A {@link TcpProxy} in front of the north end cuts the link or
 * holds back the PUBACKs.
 */
@Timeout(60)
class GatewayTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final CodecRegistry CODECS = new CodecRegistry(List.of(new TestJsonCodec()));
    private static final BatchCodec BATCHES = new BatchCodec();

    @TempDir
    Path dir;
    private String broker;
    private String run;
    private TcpProxy north;
    private final List<Gateway> gateways = new ArrayList<>();
    private GatewayConfig config;

    @BeforeEach
    void setUp() throws Exception {
        broker = TestBroker.mqttUrl();
        run = UUID.randomUUID().toString().substring(0, 8);
        north = new TcpProxy(broker);
        config = TestGatewayConfig.of(run, broker, dir).north(north.url())
                .routes(new TopicRoute("t-" + run + "/{room}/{device}", TestJsonCodec.NAME)).lingerMillis(100).build();
    }

    @AfterEach
    void tearDown() {
        gateways.forEach(Gateway::close);
        north.close();
        BrokerClients.forgetSession(broker, config.southClientId());
    }

    private Gateway start(GatewayConfig cfg) {
        Gateway gateway = Gateway.start(cfg, CODECS);
        gateways.add(gateway);
        return gateway;
    }

    private void publishDevice(String room, String device, String json) throws Exception {
        BrokerClients.publish(broker, "t-" + run + "/" + room + "/" + device, json, 1);
    }

    private static List<Batch> decode(List<Received> frames) {
        List<Batch> out = new ArrayList<>();
        for (Received frame : frames) {
            try {
                out.add(BATCHES.decode(frame.payload()));
            } catch (Exception e) {
                throw new AssertionError("the gateway sent an undecodable frame", e);
            }
        }
        return out;
    }

    private static List<Reading> readingsOf(List<Batch> batches) {
        return batches.stream().flatMap(b -> b.readings().stream()).toList();
    }

    @Test
    void deviceJsonPublishedToTheBrokerReachesTheOutbox() throws Exception {
        Gateway gateway = start(config); // north down: everything stays in the outbox
        Poll.until(WAIT, "south connected", () -> gateway.status().southConnected());

        publishDevice("room-101", "multi-1", "{\"temperature\":29.4,\"humidity\":71,\"co2\":812}");

        Poll.until(WAIT, "3 records in the outbox, the message counted",
                () -> gateway.outbox().size() == 3 && gateway.status().southMessages() == 1);
        List<Reading> readings = gateway.outbox().peek(10).readings();
        assertThat(readings).extracting(Reading::quantity)
                .containsExactly(Quantity.TEMPERATURE, Quantity.HUMIDITY, Quantity.CO2);
        assertThat(readings).extracting(Reading::value).containsExactly(29.4, 71.0, 812.0);
        assertThat(readings).allSatisfy(r -> {
            assertThat(r.school()).isEqualTo(config.school());
            assertThat(r.room()).isEqualTo("room-101");
            assertThat(r.device()).isEqualTo("multi-1");
        });
    }

    @Test
    void messagesPublishedWhileTheGatewayIsStoppedArriveAfterRestart() throws Exception {
        Gateway first = start(config);
        Poll.until(WAIT, "south connected", () -> first.status().southConnected());
        publishDevice("room-1", "d-1", "{\"co2\":500}");
        publishDevice("room-1", "d-1", "not json"); // dead-lettered, and acknowledged like the rest
        Poll.until(WAIT, "first message recorded", () -> first.outbox().size() == 1 && first.status().decodeErrors() == 1);
        first.close();

        for (int i = 1; i <= 5; i++) {
            publishDevice("room-1", "d-1", "{\"co2\":" + (500 + i) + "}");
        }

        Gateway second = start(config);
        Poll.until(WAIT, "6 records in the outbox", () -> second.outbox().size() == 6);
        // a message published now comes after anything the broker would redeliver by mistake
        publishDevice("room-1", "d-1", "{\"co2\":506}");
        Poll.until(WAIT, "the live message after the queued ones", () -> second.outbox().size() >= 7);
        assertThat(second.outbox().peek(100).readings()).extracting(Reading::value)
                .containsExactly(500.0, 501.0, 502.0, 503.0, 504.0, 505.0, 506.0);
        assertThat(second.outbox().deadLetterCount()).isEqualTo(1);
        assertThat(second.status().southMessages()).isEqualTo(6);
    }

    @Test
    void retainedMessagesReplayedOnSubscribingAreSkippedUnlessAccepted() throws Exception {
        String topic = "t-" + run + "/room-1/d-1";
        BrokerClients.publish(broker, topic, "{\"co2\":999}".getBytes(StandardCharsets.UTF_8), 1, true);
        try {
            Gateway skipping = start(config);
            Poll.until(WAIT, "retained message skipped", () -> skipping.metrics().southRetainedSkipped().count() == 1);
            publishDevice("room-1", "d-1", "{\"co2\":1000}");
            Poll.until(WAIT, "live message recorded", () -> skipping.outbox().size() == 1);
            assertThat(skipping.outbox().peek(10).readings()).extracting(Reading::value).containsExactly(1000.0);
            skipping.close();

            Gateway accepting = start(config.withSouth(config.south().withAcceptRetained(true))
                    .withOutbox(new GatewayConfig.OutboxSettings(dir.resolve("accepting.db").toString(), 100, 100)));
            Poll.until(WAIT, "retained message recorded", () -> accepting.outbox().size() == 1);
            assertThat(accepting.outbox().peek(10).readings()).extracting(Reading::value).containsExactly(999.0);
        } finally {
            BrokerClients.publish(broker, topic, new byte[0], 1, true);
        }
    }

    @Test
    void readingsTravelToTheNorthEndAndLeaveTheOutbox() throws Exception {
        north.up();
        try (BrokerClients.Subscriber hub = new BrokerClients.Subscriber(broker,
                UplinkTopics.batch(config.school(), config.gatewayId()))) {
            Gateway gateway = start(config);
            Poll.until(WAIT, "both sides connected", () -> gateway.status().southConnected() && gateway.status().northConnected());

            publishDevice("room-101", "multi-1", "{\"temperature\":29.4,\"humidity\":71,\"co2\":812}");
            publishDevice("room-102", "multi-2", "{\"co2\":455}");

            Poll.until(WAIT, "4 readings at the north end", () -> readingsOf(decode(hub.received())).size() == 4);
            // counted just after the outbox removal
            Poll.until(WAIT, "4 records sent and out of the outbox",
                    () -> gateway.status().recordsSent() == 4 && gateway.outbox().size() == 0);
            List<Batch> batches = decode(hub.received());
            assertThat(readingsOf(batches)).extracting(Reading::room, Reading::quantity, Reading::value).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("room-101", Quantity.TEMPERATURE, 29.4),
                    org.assertj.core.groups.Tuple.tuple("room-101", Quantity.HUMIDITY, 71.0),
                    org.assertj.core.groups.Tuple.tuple("room-101", Quantity.CO2, 812.0),
                    org.assertj.core.groups.Tuple.tuple("room-102", Quantity.CO2, 455.0));
            assertThat(batches).allSatisfy(batch -> {
                assertThat(batch.gatewayId()).isEqualTo(config.gatewayId());
                assertThat(batch.school()).isEqualTo(config.school());
                assertThat(batch.batchId()).matches(config.gatewayId() + "-\\d+-\\d+");
            });
            assertThat(hub.received()).allSatisfy(frame -> assertThat(frame.contentType()).isEqualTo(BatchCodec.CONTENT_TYPE));
            assertThat(gateway.status().batchesSent()).isEqualTo(batches.size());
            assertThat(gateway.status().recordsSent()).isEqualTo(4);
        }
    }

    @Test
    void outboxIsKeptWhileTheNorthEndIsUnreachableAndDrainedWhenItComesUp() throws Exception {
        try (BrokerClients.Subscriber hub = new BrokerClients.Subscriber(broker,
                UplinkTopics.batch(config.school(), config.gatewayId()))) {
            Gateway gateway = start(config);
            Poll.until(WAIT, "south connected", () -> gateway.status().southConnected());
            for (int i = 0; i < 10; i++) {
                publishDevice("room-1", "d-1", "{\"co2\":" + (600 + i) + "}");
            }
            Poll.until(WAIT, "10 records in the outbox", () -> gateway.outbox().size() == 10);
            // the north end is down: a socket that takes each connection and closes it, counting the attempts
            try (UnreachableHub down = new UnreachableHub(north.port())) {
                Poll.until(WAIT, "three connection attempts with the north end down", () -> down.attempts() >= 3);
            }
            assertThat(gateway.outbox().size()).isEqualTo(10);
            assertThat(hub.received()).isEmpty();
            assertThat(gateway.status().northConnected()).isFalse();

            north.up();

            // the broker acknowledges to the gateway and forwards to the subscriber in no fixed order
            Poll.until(WAIT, "outbox drained and 10 readings at the north end",
                    () -> gateway.outbox().size() == 0 && readingsOf(decode(hub.received())).size() == 10);
            assertThat(readingsOf(decode(hub.received()))).extracting(Reading::value)
                    .containsExactly(600.0, 601.0, 602.0, 603.0, 604.0, 605.0, 606.0, 607.0, 608.0, 609.0);
        }
    }

    @Test
    void theUplinkReconnectsAfterAnEstablishedLinkDropsAndResumes() throws Exception {
        north.up();
        try (BrokerClients.Subscriber hub = new BrokerClients.Subscriber(broker,
                UplinkTopics.batch(config.school(), config.gatewayId()))) {
            Gateway gateway = start(config);
            Poll.until(WAIT, "both sides connected", () -> gateway.status().southConnected() && gateway.status().northConnected());
            publishDevice("room-1", "d-1", "{\"co2\":800}");
            Poll.until(WAIT, "first reading sent", () -> gateway.status().recordsSent() == 1);

            north.down(); // the school's internet link drops
            Poll.until(WAIT, "north disconnected", () -> !gateway.status().northConnected());
            publishDevice("room-1", "d-1", "{\"co2\":801}");
            publishDevice("room-1", "d-1", "{\"co2\":802}");
            Poll.until(WAIT, "2 records kept", () -> gateway.outbox().size() == 2);
            north.up();

            Poll.until(WAIT, "all sent after the reconnect and at the north end",
                    () -> gateway.status().recordsSent() == 3 && readingsOf(decode(hub.received())).size() == 3);
            assertThat(gateway.outbox().size()).isZero();
            assertThat(readingsOf(decode(hub.received()))).extracting(Reading::value).containsExactly(800.0, 801.0, 802.0);
        }
    }

    @Test
    void theSouthSideReconnectsAfterItsLinkDropsAndGetsWhatWasPublishedMeanwhile() throws Exception {
        try (TcpProxy south = new TcpProxy(broker)) {
            south.up();
            Gateway gateway = start(config.withSouth(config.south().withUrl(south.url())));
            Poll.until(WAIT, "south connected", () -> gateway.status().southConnected());
            publishDevice("room-1", "d-1", "{\"co2\":900}");
            Poll.until(WAIT, "first record", () -> gateway.outbox().size() == 1);

            south.down();
            Poll.until(WAIT, "south disconnected", () -> !gateway.status().southConnected());
            publishDevice("room-1", "d-1", "{\"co2\":901}"); // the broker queues it for the gateway's session
            south.up();

            Poll.until(WAIT, "queued message recorded", () -> gateway.outbox().peek(10).readings().stream()
                    .anyMatch(r -> r.value() == 901.0));
            // 900 may come twice: when the link dropped before its PUBACK got through, the broker
            // redelivers it (at least once; the hub stores duplicates idempotently)
            assertThat(gateway.outbox().peek(10).readings()).extracting(Reading::value)
                    .containsOnly(900.0, 901.0).endsWith(901.0);
        }
    }

    @Test
    void theOutboxEmptiesOnlyAfterThePuback() throws Exception {
        north.up();
        try (BrokerClients.Subscriber hub = new BrokerClients.Subscriber(broker,
                UplinkTopics.batch(config.school(), config.gatewayId()))) {
            Gateway gateway = start(config);
            Poll.until(WAIT, "both sides connected", () -> gateway.status().southConnected() && gateway.status().northConnected());
            north.holdReplies(true); // the batch reaches the broker, its PUBACK does not reach the gateway

            publishDevice("room-1", "d-1", "{\"co2\":700}");

            Poll.until(WAIT, "the batch at the north end", () -> hub.received().size() >= 1);
            assertThat(gateway.metrics().ackTimeouts().count()).as("within the ack timeout").isZero();
            // past the ack timeout (2 s): the gateway gives the connection up to resend the same batch
            Poll.until(WAIT, "the ack timeout", () -> gateway.metrics().ackTimeouts().count() >= 1);
            assertThat(gateway.outbox().size()).isEqualTo(1);
            assertThat(gateway.status().batchesSent()).isZero();

            north.holdReplies(false);

            Poll.until(WAIT, "outbox empty after the PUBACK", () -> gateway.outbox().size() == 0);
            List<Batch> batches = decode(hub.received());
            assertThat(batches).extracting(Batch::batchId).containsOnly(batches.get(0).batchId()); // resent with the same id
            assertThat(readingsOf(batches)).extracting(Reading::value).containsOnly(700.0);
        }
    }

    @Test
    void whenTheOutboxIsFullAFloodDropsTheOldestReadingsCountedWithoutLosingTheConnection() throws Exception {
        try (BrokerClients.Subscriber hub = new BrokerClients.Subscriber(broker,
                UplinkTopics.batch(config.school(), config.gatewayId()))) {
            // one device's burst fills the outbox: the outbox's overflow policy, not the device flood limit
            Gateway gateway = start(config.withOutbox(new GatewayConfig.OutboxSettings(
                    dir.resolve("small.db").toString(), 10, 100)).withSouth(config.south().withDeviceMaxMessagesPerSecond(0)));
            Poll.until(WAIT, "south connected", () -> gateway.status().southConnected());
            publishDevice("room-1", "d-1", "{\"co2\":1}");
            Poll.until(WAIT, "first reading recorded", () -> gateway.outbox().size() == 1);

            int flood = 1500;
            try (BrokerClients.Publisher device = new BrokerClients.Publisher(broker)) {
                for (int i = 0; i < flood; i++) {
                    device.publish("t-" + run + "/room-1/d-1", ("{\"co2\":" + (1000 + i) + "}").getBytes(StandardCharsets.UTF_8), 0, false);
                }
            }
            Poll.until(WAIT, "the flood taken in", () -> gateway.status().southMessages()
                    + gateway.metrics().southDropped().count() == 1 + flood);
            assertThat(gateway.status().southConnected()).isTrue();
            assertThat(gateway.outbox().size()).isEqualTo(10);
            double outboxDrops = gateway.metrics().dropped(Outbox.DROP_MAX_RECORDS).count();
            assertThat(outboxDrops).isPositive();

            north.up();

            // the newest readings reach the north end; every other message is counted as dropped
            Poll.until(WAIT, "the outbox sent", () -> gateway.outbox().size() == 0);
            List<Reading> sent = readingsOf(decode(hub.received()));
            assertThat(sent).hasSize(10);
            // the newest recorded: in order, and the last published unless QoS 0 dropped it on the way in
            assertThat(sent).extracting(Reading::value).isSorted().doesNotHaveDuplicates();
            if (gateway.metrics().southDropped().count() == 0) {
                assertThat(sent.get(sent.size() - 1).value()).isEqualTo(1000.0 + flood - 1);
            }
            assertThat(sent.size() + outboxDrops + gateway.metrics().southDropped().count()).isEqualTo(1.0 + flood);
        }
    }

    @Test
    void publishesItsHealthReport() throws Exception {
        north.up();
        try (BrokerClients.Subscriber hub = new BrokerClients.Subscriber(broker,
                UplinkTopics.health(config.school(), config.gatewayId()))) {
            Gateway gateway = start(config.withUplink(new GatewayConfig.UplinkSettings(500, 100, 100, 1000, 200, 2000)));
            Poll.until(WAIT, "south connected", () -> gateway.status().southConnected());
            publishDevice("room-1", "d-1", "oops");

            // counters are read one by one: a report made while the message was being taken in may count its
            // decode error but not yet the message, so the report looked at is one that counts both
            java.util.function.Predicate<String> countsIt = text -> text.contains("\"decode_errors\":1")
                    && text.contains("\"south_messages\":1");
            Poll.until(WAIT, "a health report counting the message and its decode error",
                    () -> hub.received().stream().anyMatch(r -> countsIt.test(r.text())));
            JsonNode report = new ObjectMapper().readTree(hub.received().stream().filter(r -> countsIt.test(r.text()))
                    .findFirst().orElseThrow().payload());
            assertThat(report.get("gateway").asText()).isEqualTo(config.gatewayId());
            assertThat(report.get("school").asText()).isEqualTo(config.school());
            assertThat(report.get("outboxRecords").asLong()).isZero();
            assertThat(report.get("outboxOldestMillis").isNull()).isTrue();
            assertThat(report.get("counters").get("south_messages").asLong()).isEqualTo(1);
            assertThat(report.get("time").asLong()).isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(10_000L));
        }
    }

    @Test
    void storesTheDesiredConfigurationTheHubSends() throws Exception {
        north.up();
        String topic = UplinkTopics.config(config.school(), config.gatewayId());
        // Mosquitto plays the hub: a retained message reaches the gateway when it subscribes
        BrokerClients.publish(broker, topic, "{\"version\":7,\"rules\":{}}".getBytes(StandardCharsets.UTF_8), 1, true);
        try {
            Gateway gateway = start(config);

            Poll.until(WAIT, "desired config version 7", () -> gateway.status().desiredConfigVersion().orElse(-1) == 7);
            Path stored = dir.resolve("outbox.desired-config.json");
            assertThat(Files.readString(stored)).isEqualTo("{\"version\":7,\"rules\":{}}");
        } finally {
            BrokerClients.publish(broker, topic, new byte[0], 1, true); // clear the retained message
        }
    }

    /** A north end that takes each connection and closes it at once, counting the attempts. */
    private static final class UnreachableHub implements AutoCloseable {
        private final java.net.ServerSocket socket;
        private final java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();

        UnreachableHub(int port) throws java.io.IOException {
            socket = new java.net.ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port));
            Thread acceptor = new Thread(() -> {
                while (!socket.isClosed()) {
                    try (java.net.Socket connection = socket.accept()) {
                        attempts.incrementAndGet();
                    } catch (java.io.IOException e) {
                        return; // closed
                    }
                }
            }, "unreachable-hub");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int attempts() {
            return attempts.get();
        }

        @Override
        public void close() throws java.io.IOException {
            socket.close();
        }
    }
}
