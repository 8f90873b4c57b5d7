package org.smartschool.hub.fleet;

import static org.assertj.core.api.Assertions.assertThat;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.bridge.uplink.UplinkTopics;
import org.smartschool.hub.app.Hub;
import org.smartschool.hub.config.FleetConfig;
import org.smartschool.hub.config.HubConfig;
import org.smartschool.hub.testsupport.Batches;
import org.smartschool.hub.testsupport.ControllableStore;
import org.smartschool.hub.testsupport.Http;
import org.smartschool.hub.testsupport.HubFixture;
import org.smartschool.hub.testsupport.ManualClock;
import org.smartschool.hub.testsupport.Poll;
import org.smartschool.hub.testsupport.TestGateway;

/**
 * Fleet liveness against a real hub, with real Paho MQTT 5 clients and a clock the test moves: the periodic check
 * is set to an hour, so only the checks the test runs itself happen.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FleetLivenessTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** 2027-01-15T08:00:00Z: the hub's clock, far from the readings' own times. */
    private static final long NOW = 1_800_000_000_000L;
    /** The gateway's will as docs/protocol.md (3.1) defines it. */
    private static final String WILL = "{\"gateway\":\"gw-le-loi\",\"school\":\"th-le-loi\",\"time\":1800000000000,"
            + "\"online\":false}";

    @TempDir
    Path dir;

    private Hub hub;
    private final ManualClock clock = new ManualClock(NOW);
    private final List<AutoCloseable> closeAfter = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closeAfter) {
            c.close();
        }
        if (hub != null) {
            HubFixture.await(hub.close());
        }
    }

    private Hub start(Vertx vertx, FleetConfig fleet) throws Exception {
        HubConfig config = HubFixture.config(dir).withFleet(fleet);
        return start(vertx, config, new ControllableStore(HubFixture.openStore(config)));
    }

    private Hub start(Vertx vertx, HubConfig config, ControllableStore store) throws Exception {
        hub = HubFixture.await(Hub.start(vertx, config, store, clock));
        return hub;
    }

    private TestGateway gateway1() throws Exception {
        TestGateway g = TestGateway.connect(hub.mqttPort(), SCHOOL_1, GATEWAY_1, SECRET_1);
        closeAfter.add(g);
        return g;
    }

    /** The recorded events of one gateway, oldest first, once everything handed over is recorded. */
    private List<FleetEvent> events(String gateway) throws Exception {
        hub.fleetMonitor().flush().get(10, TimeUnit.SECONDS);
        List<FleetEvent> newestFirst = hub.fleetEvents().query(new FleetEventQuery(null, gateway, null, 0, Long.MAX_VALUE, 1000));
        List<FleetEvent> out = new ArrayList<>(newestFirst);
        java.util.Collections.reverse(out);
        return out;
    }

    private List<String> types(String gateway) throws Exception {
        return events(gateway).stream().map(e -> e.type().label() + (e.cause() == null ? "" : "/" + e.cause())).toList();
    }

    private void awaitTypes(String gateway, String... expected) throws Exception {
        Poll.until(WAIT, gateway + " events " + List.of(expected), () -> types(gateway).equals(List.of(expected)));
    }

    private List<FleetEvent> check() throws Exception {
        return hub.fleetMonitor().check().get(10, TimeUnit.SECONDS);
    }

    private static MqttAsyncClient pahoWithWill(int port) throws Exception {
        MqttAsyncClient client = new MqttAsyncClient("tcp://127.0.0.1:" + port, GATEWAY_2, new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setUserName(GATEWAY_2);
        options.setPassword(SECRET_2.getBytes(StandardCharsets.UTF_8));
        options.setCleanStart(true);
        options.setAutomaticReconnect(false);
        options.setWill(UplinkTopics.health(SCHOOL_2, GATEWAY_2),
                new MqttMessage(WILL.getBytes(StandardCharsets.UTF_8)));
        client.connect(options).waitForCompletion(10_000);
        return client;
    }

    /**
     * Verifies online/offline from the connection: connect, a clean DISCONNECT, a connection lost without
     * DISCONNECT, a lost connection of a gateway that set a will, and DISCONNECT 0x04 (with will); and that a
     * session take-over does not make the gateway offline.
     */
    @Test
    void onlineAndOfflineFollowTheConnectionAndTheWill(Vertx vertx) throws Exception {
        start(vertx, FleetConfig.DEFAULT.withCheckSeconds(3600));

        TestGateway first = gateway1();
        awaitTypes(GATEWAY_1, "gateway_online");
        first.close();
        awaitTypes(GATEWAY_1, "gateway_online", "gateway_offline/disconnected");

        TestGateway second = gateway1();
        TestGateway third = gateway1();
        Poll.until(WAIT, "take-over recorded", () -> types(GATEWAY_1).contains("session_taken_over"));
        third.client().disconnectForcibly(0, 0, false);
        awaitTypes(GATEWAY_1, "gateway_online", "gateway_offline/disconnected", "gateway_online", "session_taken_over",
                "gateway_offline/connection_lost");
        assertThat(second.isConnected()).isFalse();

        MqttAsyncClient willing = pahoWithWill(hub.mqttPort());
        closeAfter.add(() -> willing.close(true));
        awaitTypes(GATEWAY_2, "gateway_online");
        willing.disconnectForcibly(0, 0, false);
        awaitTypes(GATEWAY_2, "gateway_online", "gateway_offline/will");
        assertThat(events(GATEWAY_2).get(1).detail()).isEqualTo("will on topic 'ss/v1/th-le-loi/gw-le-loi/health' ("
                + WILL.length() + " bytes)");

        MqttAsyncClient again = pahoWithWill(hub.mqttPort());
        closeAfter.add(() -> again.close(true));
        awaitTypes(GATEWAY_2, "gateway_online", "gateway_offline/will", "gateway_online");
        again.disconnect(5_000, null, null, 0x04, new org.eclipse.paho.mqttv5.common.packet.MqttProperties())
                .waitForCompletion(10_000);
        awaitTypes(GATEWAY_2, "gateway_online", "gateway_offline/will", "gateway_online", "gateway_offline/will");
        assertThat(events(GATEWAY_2)).allSatisfy(e -> {
            assertThat(e.time()).isEqualTo(NOW);
            assertThat(e.school()).isEqualTo(SCHOOL_2);
        });
        assertThat(hub.fleetMonitor().gateways()).extracting(GatewayLiveness::gateway, GatewayLiveness::online)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(GATEWAY_2, false),
                        org.assertj.core.groups.Tuple.tuple(GATEWAY_1, false));
    }

    /**
     * Verifies that a gateway silent for fleet.gatewaySilentSeconds becomes gateway_silent (and offline, cause
     * silent) once, cleared by its next message; that a sensor silent for 3 of its learned interval (10 s) becomes
     * sensor_silent with its school, room and device while one with a single reading waits for the default
     * interval (60 s); that a stored reading clears it; and that the API and the metrics show all of it.
     */
    @Test
    void silentGatewaysAndSensorsBecomeEventsOnceAndClear(Vertx vertx) throws Exception {
        start(vertx, new FleetConfig(3600, 90, 3, 60, 0));
        Http http = Http.admin(hub);
        TestGateway gateway = gateway1();
        // co2-r1-01: readings 10 s apart; th-r1-01: a single reading
        assertThat(gateway.sendBatch(Batches.classroom(GATEWAY_1, SCHOOL_1, "b-1", T0, 6)).reasonCode()).isZero();
        gateway.publish(UplinkTopics.health(SCHOOL_1, GATEWAY_1),
                "{\"gateway\":\"gw-nguyen-du\",\"time\":1800000000000,\"uptimeSeconds\":12,\"outboxRecords\":3}"
                        .getBytes(StandardCharsets.UTF_8), 0, null);
        Poll.until(WAIT, "health recorded", () -> hub.fleetMonitor().gateways().get(0).health() != null);
        assertThat(hub.fleetMonitor().expectedIntervalMillis(SCHOOL_1, "co2-r1-01")).isEqualTo(10_000);
        assertThat(hub.fleetMonitor().expectedIntervalMillis(SCHOOL_1, "th-r1-01")).isEqualTo(60_000);

        clock.advance(29_999);
        assertThat(check()).isEmpty();
        clock.advance(1);
        List<FleetEvent> co2Silent = check();
        assertThat(co2Silent).extracting(FleetEvent::type, FleetEvent::school, FleetEvent::room, FleetEvent::device,
                        FleetEvent::gateway, FleetEvent::time)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(FleetEventType.SENSOR_SILENT, SCHOOL_1, "r1-01",
                        "co2-r1-01", GATEWAY_1, NOW + 30_000));
        assertThat(check()).isEmpty();
        assertThat(http.metric("hub_fleet_sensors_silent")).isEqualTo(1.0);

        clock.advance(60_000);
        List<FleetEvent> gatewaySilent = check();
        assertThat(gatewaySilent).extracting(e -> e.type().label() + "/" + e.cause())
                .containsExactly("gateway_silent/null", "gateway_offline/silent");
        assertThat(check()).isEmpty();
        JsonObject silentGateway = http.get("/api/v1/fleet/gateways").json().getJsonArray("gateways").getJsonObject(0);
        assertThat(silentGateway.getBoolean("online")).isFalse();
        assertThat(silentGateway.getString("silentSince")).isEqualTo("2027-01-15T08:01:30Z");
        assertThat(silentGateway.getJsonObject("health").getLong("outboxRecords")).isEqualTo(3L);
        assertThat(silentGateway.getJsonObject("health").getLong("uptimeSeconds")).isEqualTo(12L);
        assertThat(http.metric("hub_fleet_gateways_silent")).isEqualTo(1.0);
        assertThat(http.metric("hub_fleet_gateways_online")).isEqualTo(0.0);

        // the gateway speaks again: back and online; a health report 100 s later keeps it so
        assertThat(gateway.sendBatch(Batches.classroom(GATEWAY_1, SCHOOL_1, "b-2", T0 + 60_000, 6)).reasonCode()).isZero();
        clock.advance(100_000);
        gateway.publish(UplinkTopics.health(SCHOOL_1, GATEWAY_1), "{}".getBytes(StandardCharsets.UTF_8), 0, null);
        Poll.until(WAIT, "health seen", () -> hub.fleetMonitor().gateways().get(0).lastSeen() == NOW + 190_000);
        clock.advance(80_000);
        // 180 s after b-2: th-r1-01 reaches 3 x its default 60 s, co2-r1-01 is long past 3 x 10 s
        List<FleetEvent> later = check();
        assertThat(later).extracting(e -> e.type().label() + "/" + e.device()).containsExactlyInAnyOrder(
                "sensor_silent/th-r1-01", "sensor_silent/co2-r1-01");

        assertThat(gateway.sendBatch(Batches.classroom(GATEWAY_1, SCHOOL_1, "b-3", T0 + 120_000, 6)).reasonCode()).isZero();
        awaitTypes(GATEWAY_1, "gateway_online", "sensor_silent", "gateway_silent", "gateway_offline/silent",
                "gateway_back", "gateway_online", "sensor_back", "sensor_silent", "sensor_silent", "sensor_back",
                "sensor_back");

        Http.Response sensorEvents = http.get("/api/v1/fleet/events?school=" + SCHOOL_1 + "&type=sensor_silent&limit=2");
        assertThat(sensorEvents.status()).isEqualTo(200);
        JsonArray newestFirst = sensorEvents.json().getJsonArray("events");
        assertThat(newestFirst.size()).isEqualTo(2);
        assertThat(newestFirst.getJsonObject(0).getString("time")).isEqualTo("2027-01-15T08:04:30Z");
        assertThat(newestFirst.getJsonObject(0).getString("room")).isEqualTo("r1-01");
        assertThat(newestFirst.getJsonObject(0).getString("gateway")).isEqualTo(GATEWAY_1);
        assertThat(http.get("/api/v1/fleet/events?gateway=" + GATEWAY_2).json().getJsonArray("events")).isEmpty();
        assertThat(http.metric("hub_fleet_sensors_silent")).isEqualTo(0.0);
        assertThat(http.metric("hub_fleet_gateways_silent")).isEqualTo(0.0);
        assertThat(http.metric("hub_fleet_gateways_online")).isEqualTo(1.0);
        assertThat(http.metric("hub_fleet_events_total{type=\"sensor_silent\"}")).isEqualTo(3.0);
        assertThat(http.metric("hub_fleet_events_total{type=\"sensor_back\"}")).isEqualTo(3.0);
    }

    /** Verifies that bad parameters of the events query are answered 400 naming the parameter. */
    @Test
    void badEventQueriesNameTheParameter(Vertx vertx) throws Exception {
        start(vertx, FleetConfig.DEFAULT);
        Http http = Http.admin(hub);

        assertThat(http.get("/api/v1/fleet/events?type=gateway_on").json().getString("parameter")).isEqualTo("type");
        assertThat(http.get("/api/v1/fleet/events?school=bad%20id").json().getString("parameter")).isEqualTo("school");
        assertThat(http.get("/api/v1/fleet/events?from=yesterday").json().getString("parameter")).isEqualTo("from");
        assertThat(http.get("/api/v1/fleet/events?from=2027-01-02T00:00:00Z&to=2027-01-01T00:00:00Z").json()
                .getString("parameter")).isEqualTo("from");
        Http.Response limit = http.get("/api/v1/fleet/events?limit=0");
        assertThat(limit.status()).isEqualTo(400);
        assertThat(limit.json().getString("parameter")).isEqualTo("limit");
        assertThat(limit.json().getString("error")).isEqualTo("limit must be from 1 to 10000: 0");
        assertThat(http.get("/api/v1/fleet/events?gateway=" + GATEWAY_1).status()).isEqualTo(200);
    }

    /**
     * Verifies the ordering guarantee: a batch of a silent sensor is in the store (not yet committed) when the check
     * runs; the check finds the sensor silent, and the commit that follows records sensor_back after it, so the log
     * never ends on a stale sensor_silent.
     */
    @Test
    void aReadingStoredAtTheInstantOfTheCheckClearsTheSilenceAfterIt(Vertx vertx) throws Exception {
        HubConfig config = HubFixture.config(dir).withFleet(new FleetConfig(3600, 3600, 3, 60, 0));
        ControllableStore store = new ControllableStore(HubFixture.openStore(config));
        start(vertx, config, store);
        TestGateway gateway = gateway1();
        assertThat(gateway.sendBatch(Batches.classroom(GATEWAY_1, SCHOOL_1, "b-1", T0, 6)).reasonCode()).isZero();

        store.closeGate();
        var pending = gateway.publishAsync(Batches.classroom(GATEWAY_1, SCHOOL_1, "b-2", T0 + 60_000, 6));
        Poll.until(WAIT, "second batch in the store", () -> store.batchesArrived() == 2);
        clock.advance(30_000);
        List<FleetEvent> found = check();
        store.openGate();
        pending.waitForCompletion(10_000);

        assertThat(found).extracting(FleetEvent::device).containsExactly("co2-r1-01");
        List<FleetEvent> co2 = events(GATEWAY_1).stream().filter(e -> "co2-r1-01".equals(e.device())).toList();
        assertThat(co2).extracting(FleetEvent::type)
                .containsExactly(FleetEventType.SENSOR_SILENT, FleetEventType.SENSOR_BACK);
        assertThat(co2.get(1).time()).isGreaterThanOrEqualTo(co2.get(0).time());
        assertThat(Http.admin(hub).metric("hub_fleet_sensors_silent")).isEqualTo(0.0);
    }
}
