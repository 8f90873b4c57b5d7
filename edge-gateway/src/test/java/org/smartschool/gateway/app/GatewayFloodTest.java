package org.smartschool.gateway.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

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
import org.smartschool.gateway.testsupport.TestBroker;

/**
 * Verifies that a device flooding the school's broker is cut to {@code south.deviceMaxMessagesPerSecond}
 * (the excess acknowledged, dropped and counted by device in health) while another device's readings
 * keep reaching the hub in time. Real Mosquitto on both sides; the test reads the hub's batch topic.
 * The flooder publishes as fast as Paho can, but never more than {@link #AHEAD} messages ahead of
 * the gateway: the test broker has Mosquitto's default queue (1000 messages per client), beyond
 * which the broker itself would drop messages, the steady device's too.
 */
@Timeout(90)
class GatewayFloodTest {
    private static final int FLOOD = 20_000;
    private static final Duration FLOOD_AT_MOST = Duration.ofSeconds(20);
    private static final long IN_TIME_MILLIS = 2_000;
    private static final int RATE = GatewayConfig.SouthSettings.DEFAULT_DEVICE_MAX_MESSAGES_PER_SECOND;
    private static final BatchCodec BATCHES = new BatchCodec();
    /** Flood messages the test lets wait in the broker for the gateway, at most (see the flooder). */
    private static final int AHEAD = 500;

    @TempDir
    Path dir;
    private String broker;
    private GatewayConfig config;
    private Gateway gateway;
    private String run;

    @BeforeEach
    void setUp() {
        broker = TestBroker.mqttUrl();
        run = UUID.randomUUID().toString().substring(0, 8);
        config = TestGatewayConfig.of(run, broker, dir)
                .routes(new TopicRoute("f-" + run + "/{room}/{device}", TestJsonCodec.NAME))
                .healthIntervalMillis(300).build();
    }

    @AfterEach
    void tearDown() {
        if (gateway != null) {
            gateway.close();
        }
        if (config != null) {
            BrokerClients.forgetSession(broker, config.southClientId());
        }
    }

    @Test
    void aFloodingDeviceIsCutToItsRateWhileAnotherDevicesReadingsArriveInTime() throws Exception {
        try (BrokerClients.Subscriber hub = new BrokerClients.Subscriber(broker,
                UplinkTopics.batch(config.school(), config.gatewayId()));
             BrokerClients.Subscriber health = new BrokerClients.Subscriber(broker,
                     UplinkTopics.health(config.school(), config.gatewayId()));
             BrokerClients.Publisher flooder = new BrokerClients.Publisher(broker);
             BrokerClients.Publisher steady = new BrokerClients.Publisher(broker)) {
            gateway = Gateway.start(config, new CodecRegistry(List.of(new TestJsonCodec())));
            Poll.until(Duration.ofSeconds(20), "south connected", () -> gateway.status().southConnected());
            HubReadings readings = new HubReadings(hub);
            String steadyTopic = "f-" + run + "/r1/steady";

            // the path is live: a reading of the steady device reaches the hub before the flood
            steady.publish(steadyTopic, json(0), 1, false);
            Poll.until(Duration.ofSeconds(20), "the first steady reading at the hub", () -> readings.poll().containsKey(0));

            AtomicInteger flooded = new AtomicInteger();
            AtomicReference<Exception> floodFailure = new AtomicReference<>();
            Thread flood = new Thread(() -> {
                byte[] payload = "{\"co2\":9999}".getBytes(StandardCharsets.UTF_8);
                long end = System.nanoTime() + FLOOD_AT_MOST.toNanos();
                try {
                    while (flooded.get() < FLOOD && System.nanoTime() < end) {
                        flooder.publish("f-" + run + "/r1/flood", payload, 1, false);
                        // at most AHEAD messages in the broker's queue for the gateway: the test broker keeps
                        // Mosquitto's default max_queued_messages (1000) and beyond it drops messages it
                        // acknowledged, the steady device's too (the school's broker holds 200,000)
                        if (flooded.incrementAndGet() % 100 == 0) {
                            while (flooded.get() - taken() > AHEAD && System.nanoTime() < end) {
                                Thread.sleep(1);
                            }
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (Exception e) {
                    floodFailure.set(e);
                }
            }, "flooder");
            Map<Integer, Long> sentAt = new ConcurrentHashMap<>();
            AtomicInteger steadyValue = new AtomicInteger();
            ScheduledExecutorService every200ms = Executors.newSingleThreadScheduledExecutor();
            long floodStarted = System.nanoTime();
            flood.start();
            every200ms.scheduleAtFixedRate(() -> {
                int value = steadyValue.incrementAndGet();
                sentAt.put(value, System.nanoTime());
                try {
                    steady.publish(steadyTopic, json(value), 1, false);
                } catch (Exception e) {
                    floodFailure.set(e);
                }
            }, 0, 200, TimeUnit.MILLISECONDS);

            // every steady reading must reach the hub within IN_TIME_MILLIS of being published, flood or not
            long worstMillis = 0;
            int checked = 0;
            while (flood.isAlive() || checked < steadyValue.get()) {
                if (!flood.isAlive()) {
                    every200ms.shutdown();
                }
                Map<Integer, Long> arrived = readings.poll();
                int next = checked + 1;
                Long sent = sentAt.get(next);
                if (sent != null && arrived.containsKey(next)) {
                    worstMillis = Math.max(worstMillis, TimeUnit.NANOSECONDS.toMillis(arrived.get(next) - sent));
                    checked = next;
                    continue;
                }
                if (sent != null) {
                    long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
                    assertThat(waited).as("steady reading %d waited at the hub (flooded so far: %d)", next, flooded.get())
                            .isLessThan(IN_TIME_MILLIS);
                }
                Thread.sleep(10);
            }
            every200ms.shutdown();
            assertThat(every200ms.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
            long floodSeconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - floodStarted) + 1;
            assertThat(floodFailure.get()).isNull();
            assertThat(checked).as("steady readings checked during the flood").isGreaterThanOrEqualTo(3);
            assertThat(worstMillis).isLessThan(IN_TIME_MILLIS);

            // every flood message is either recorded or counted as dropped; the recorded ones fit the rate
            int steadySent = steadyValue.get() + 1; // 0 before the flood, then 1..n (one may have gone out after the loop)
            Poll.until(Duration.ofSeconds(20), "every steady reading at the hub", () -> readings.poll().size() == steadySent);
            try {
                Poll.until(Duration.ofSeconds(20), "every message taken or counted", () -> gateway.status().southMessages()
                        + gateway.metrics().dropsByReason().get("device_flood") == flooded.get() + steadySent);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + ": taken " + gateway.status().southMessages() + ", dropped "
                        + gateway.metrics().dropsByReason() + ", flood sent " + flooded.get() + ", steady sent " + steadySent, e);
            }
            long dropped = gateway.metrics().dropsByReason().get("device_flood");
            long floodRecorded = flooded.get() - dropped;
            assertThat(gateway.metrics().dropsByReason()).containsEntry("device_flood:r1/flood", dropped)
                    .doesNotContainKey("device_flood:r1/steady");
            assertThat(floodRecorded).as("flood messages recorded in %d s", floodSeconds)
                    .isLessThanOrEqualTo((long) RATE * (10 + floodSeconds));
            assertThat(dropped).as("flood messages dropped of %d", flooded.get()).isGreaterThan(flooded.get() / 2);
            System.out.printf("flood: %d QoS 1 messages in %d s, %d recorded, %d dropped; %d steady readings, slowest %d ms%n",
                    flooded.get(), floodSeconds, floodRecorded, dropped, checked, worstMillis);

            Poll.until(Duration.ofSeconds(20), "a health report with the flood's drops",
                    () -> health.received().stream().map(GatewayFloodTest::json).anyMatch(r ->
                            r.path("drops").path("device_flood").asLong() == dropped
                                    && r.path("drops").path("device_flood:r1/flood").asLong() == dropped
                                    && r.path("counters").path("dropped").asLong() == dropped));
        }
    }

    /** Device messages the gateway took in: recorded, or dropped as a flood. */
    private long taken() {
        return gateway.status().southMessages() + gateway.metrics().dropsByReason().getOrDefault("device_flood", 0L);
    }

    private static byte[] json(int value) {
        return ("{\"temperature\":" + value + "}").getBytes(StandardCharsets.UTF_8);
    }

    private static JsonNode json(BrokerClients.Received frame) {
        try {
            return new ObjectMapper().readTree(frame.payload());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The steady device's readings the hub received, by value, with when the test first saw each. */
    private static final class HubReadings {
        private final BrokerClients.Subscriber hub;
        private final Map<Integer, Long> seenAt = new ConcurrentHashMap<>();
        private int frames;

        HubReadings(BrokerClients.Subscriber hub) {
            this.hub = hub;
        }

        Map<Integer, Long> poll() {
            List<BrokerClients.Received> received = hub.received();
            long now = System.nanoTime();
            for (; frames < received.size(); frames++) {
                try {
                    Batch batch = BATCHES.decode(received.get(frames).payload());
                    for (Reading r : batch.readings()) {
                        if (r.device().equals("steady")) {
                            seenAt.putIfAbsent((int) r.value(), now);
                        }
                    }
                } catch (org.smartschool.bridge.uplink.BatchFormatException e) {
                    throw new AssertionError("undecodable batch", e);
                }
            }
            return seenAt;
        }
    }
}
