package org.smartschool.hub.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.smartschool.hub.testsupport.HubFixture.GATEWAY_1;
import static org.smartschool.hub.testsupport.HubFixture.SCHOOL_1;
import static org.smartschool.hub.testsupport.HubFixture.SECRET_1;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.bridge.codec.CodecRegistry;
import org.smartschool.bridge.codec.DecodeResult;
import org.smartschool.bridge.codec.RawMessage;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;
import org.smartschool.bridge.routing.TopicRoute;
import org.smartschool.bridge.routing.TopicRouter;
import org.smartschool.bridge.sim.SchoolSimulation;
import org.smartschool.bridge.sim.SimulatedMessage;
import org.smartschool.gateway.app.Gateway;
import org.smartschool.gateway.config.GatewayConfig;
import org.smartschool.gateway.config.GatewayConfig.NorthSettings;
import org.smartschool.gateway.config.GatewayConfig.OutboxSettings;
import org.smartschool.gateway.config.GatewayConfig.SouthSettings;
import org.smartschool.gateway.config.GatewayConfig.UplinkSettings;
import org.smartschool.gateway.testsupport.TestBroker;
import org.smartschool.hub.app.Hub;
import org.smartschool.hub.config.HubConfig;
import org.smartschool.hub.config.MqttConfig;
import org.smartschool.hub.testsupport.Http;
import org.smartschool.hub.testsupport.HubFixture;

/**
 * The whole path, every part real: virtual classroom firmware publishes Zigbee2MQTT JSON to a real
 * Mosquitto; the edge gateway subscribes with Paho, decodes, keeps the records in its SQLite outbox
 * and sends batches over MQTT 5 to the hub, which authenticates it, stores them and answers PUBACK;
 * the readings come back out of {@code GET /api/v1/readings}.
 */
@Timeout(180)
class WalkingSkeletonTest {
    private static final long LESSON_TIME = lastMorningLesson();
    private static final long SIMULATED_MILLIS = 3 * 60_000;
    private static final long DEADLINE_MILLIS = 60_000;

    @TempDir
    Path dir;
    private Vertx vertx;
    private final List<AutoCloseable> toClose = new ArrayList<>();
    /** A level that keeps this run's topics apart: the broker is shared with other tests and other runs. */
    private final String run = "e2e-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeEach
    void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stopAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        HubFixture.await(vertx.close());
    }

    /** Verifies that every reading the firmware published is returned by the hub's API, with the same values and times. */
    @Test
    void simulatedClassroomReadingsReachTheHubApiThroughMosquittoAndTheGateway() throws Exception {
        String broker = TestBroker.mqttUrl();
        Hub hub = startHub(HubFixture.config(dir));
        SchoolSimulation simulation = new SchoolSimulation(SCHOOL_1, 2, 7L, LESSON_TIME);
        List<SimulatedMessage> messages = simulation.messagesUntil(LESSON_TIME + SIMULATED_MILLIS);
        Expected expected = Expected.decode(simulation, messages);
        assertThat(expected.co2OfFirstRoom()).hasSizeGreaterThanOrEqualTo(15);

        Gateway gateway = startGateway(broker, hub.mqttPort());
        publish(broker, messages);

        Http http = Http.admin(hub);
        awaitTrue("all readings stored", () -> metric(http, "hub_readings_stored_total") == expected.readings().size());
        assertThat(co2OfFirstRoom(http, simulation)).containsExactlyElementsOf(expected.co2OfFirstRoom());
        awaitTrue("outbox emptied", () -> gateway.status().outboxRecords() == 0);
        assertThat(gateway.status().decodeErrors()).isZero();
        assertThat(gateway.status().unknownDevices()).isZero();
    }

    /**
     * Verifies that readings taken while the hub is down wait in the gateway's outbox and all reach
     * the hub once it is back, each stored once.
     */
    @Test
    void replaysOutboxAfterHubRestartWithoutLoss() throws Exception {
        String broker = TestBroker.mqttUrl();
        HubConfig config = HubFixture.config(dir);
        Hub firstHub = HubFixture.start(vertx, config);
        int mqttPort = firstHub.mqttPort();
        HubFixture.await(firstHub.close()); // the hub is down before the school day starts

        SchoolSimulation simulation = new SchoolSimulation(SCHOOL_1, 2, 11L, LESSON_TIME);
        List<SimulatedMessage> messages = simulation.messagesUntil(LESSON_TIME + SIMULATED_MILLIS);
        Expected expected = Expected.decode(simulation, messages);
        Gateway gateway = startGateway(broker, mqttPort);
        publish(broker, messages);
        awaitTrue("records held in the outbox", () -> gateway.status().outboxRecords() == expected.records());
        assertThat(gateway.status().batchesSent()).isZero();

        Hub hub = startHub(config.withMqtt(new MqttConfig("127.0.0.1", mqttPort, config.mqtt().maxMessageBytes())));
        Http http = Http.admin(hub);
        awaitTrue("outbox drained", () -> gateway.status().outboxRecords() == 0);
        awaitTrue("all readings stored", () -> metric(http, "hub_readings_stored_total") == expected.readings().size());
        assertThat(co2OfFirstRoom(http, simulation)).containsExactlyElementsOf(expected.co2OfFirstRoom());
    }

    /**
     * 08:30 in Hanoi on the latest school day that is over an hour past: a lesson is on, CO2 is rising.
     * In the past, because the codecs rightly refuse device clocks that run ahead of the gateway's.
     */
    private static long lastMorningLesson() {
        ZoneId hanoi = ZoneId.of("Asia/Ho_Chi_Minh");
        ZonedDateTime now = ZonedDateTime.now(hanoi);
        ZonedDateTime lesson = now.toLocalDate().atTime(8, 30).atZone(hanoi);
        while (lesson.isAfter(now.minusHours(1)) || lesson.getDayOfWeek().getValue() > 5) {
            lesson = lesson.minusDays(1);
        }
        return lesson.toInstant().toEpochMilli();
    }

    private Hub startHub(HubConfig config) throws Exception {
        Hub hub = HubFixture.start(vertx, config);
        toClose.add(() -> HubFixture.await(hub.close()));
        return hub;
    }

    private Gateway startGateway(String broker, int hubMqttPort) throws InterruptedException {
        List<TopicRoute> routes = new SchoolSimulation(SCHOOL_1, 2, 0L, LESSON_TIME).routes().stream()
                .map(r -> new TopicRoute(namespaced(r.pattern()), r.codec(), r.room(), r.device(), null))
                .toList();
        GatewayConfig config = new GatewayConfig(GATEWAY_1, SCHOOL_1,
                SouthSettings.defaults().withUrl(broker).withRoutes(routes)
                        .withClientId("e2e-" + UUID.randomUUID()),
                new NorthSettings("tcp://127.0.0.1:" + hubMqttPort, SECRET_1),
                new OutboxSettings(dir.resolve("outbox.db").toString(), 100_000, 1_000),
                new UplinkSettings(500, 200, 100, 1_000, 5_000, 5_000));
        Gateway gateway = Gateway.start(config, CodecRegistry.standard());
        toClose.add(gateway);
        // QoS 1 messages are kept for the gateway only once its subscription exists
        awaitTrue("gateway subscribed to the school broker", () -> gateway.status().southConnected());
        return gateway;
    }

    /** Publishes as the school's devices would: QoS 1, in order, on this run's topics. */
    private void publish(String broker, List<SimulatedMessage> messages) throws Exception {
        MqttClient devices = new MqttClient(broker, "e2e-devices-" + UUID.randomUUID(), new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMaxInflight(1_000);
        devices.connect(options);
        try {
            for (SimulatedMessage message : messages) {
                devices.publish(namespaced(message.topic()), message.payload(), 1, false);
            }
        } finally {
            devices.disconnect();
            devices.close();
        }
    }

    /** {@code zigbee2mqtt/r101/r101-air} becomes {@code zigbee2mqtt/e2e-xxxx/r101/r101-air}: the base topic stays first. */
    private String namespaced(String topic) {
        int slash = topic.indexOf('/');
        return topic.substring(0, slash + 1) + run + topic.substring(slash);
    }

    private static List<Point> co2OfFirstRoom(Http http, SchoolSimulation simulation) throws Exception {
        String query = "/api/v1/readings?school=" + SCHOOL_1 + "&room=" + simulation.rooms().get(0) + "&quantity=co2"
                + "&from=" + Instant.ofEpochMilli(LESSON_TIME - 60_000) + "&to=" + Instant.ofEpochMilli(LESSON_TIME + SIMULATED_MILLIS + 60_000);
        Http.Response response = http.get(query);
        assertThat(response.status()).isEqualTo(200);
        JsonObject body = response.json();
        assertThat(body.getString("unit")).isEqualTo("ppm");
        JsonArray readings = body.getJsonArray("readings");
        List<Point> points = new ArrayList<>();
        for (int i = 0; i < readings.size(); i++) {
            JsonObject r = readings.getJsonObject(i);
            points.add(new Point(r.getLong("timestamp"), r.getDouble("value")));
        }
        return points;
    }

    private static double metric(Http http, String name) {
        try {
            return http.metric(name);
        } catch (Exception e) {
            return -1;
        }
    }

    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + DEADLINE_MILLIS;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("not within " + DEADLINE_MILLIS + " ms: " + what);
            }
            Thread.sleep(100);
        }
    }

    record Point(long timestamp, double value) {
    }

    /** What the gateway should deliver: the same messages decoded directly, without any transport. */
    record Expected(List<Reading> readings, int records, List<Point> co2OfFirstRoom) {
        static Expected decode(SchoolSimulation simulation, List<SimulatedMessage> messages) {
            TopicRouter router = new TopicRouter(SCHOOL_1, simulation.routes(), CodecRegistry.standard());
            List<Reading> readings = new ArrayList<>();
            int records = 0;
            for (SimulatedMessage message : messages) {
                TopicRouter.Routing.Routed routed = (TopicRouter.Routing.Routed) router.route(message.topic());
                DecodeResult result = routed.codec().decode(
                        new RawMessage(message.topic(), null, message.payload(), message.timestamp()), routed.device());
                assertThat(result.problems()).isEmpty();
                readings.addAll(result.readings());
                records += result.recordCount();
            }
            String firstRoom = simulation.rooms().get(0);
            List<Point> co2 = readings.stream()
                    .filter(r -> r.room().equals(firstRoom) && r.quantity() == Quantity.CO2)
                    .sorted(Comparator.comparingLong(Reading::timestamp))
                    .map(r -> new Point(r.timestamp(), r.value()))
                    .toList();
            return new Expected(readings, records, co2);
        }
    }
}
