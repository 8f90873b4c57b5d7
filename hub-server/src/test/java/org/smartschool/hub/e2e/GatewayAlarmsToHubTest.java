package org.smartschool.hub.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.smartschool.hub.testsupport.HubFixture.GATEWAY_1;
import static org.smartschool.hub.testsupport.HubFixture.SCHOOL_1;
import static org.smartschool.hub.testsupport.HubFixture.SECRET_1;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.bridge.alarm.AlarmId;
import org.smartschool.bridge.codec.CodecRegistry;
import org.smartschool.bridge.routing.TopicRoute;
import org.smartschool.gateway.app.Gateway;
import org.smartschool.gateway.config.GatewayConfig;
import org.smartschool.gateway.config.GatewayConfig.NorthSettings;
import org.smartschool.gateway.config.GatewayConfig.OutboxSettings;
import org.smartschool.gateway.config.GatewayConfig.SouthSettings;
import org.smartschool.gateway.config.GatewayConfig.UplinkSettings;
import org.smartschool.gateway.config.RulesSettings;
import org.smartschool.gateway.testsupport.TcpProxy;
import org.smartschool.gateway.testsupport.TestBroker;
import org.smartschool.hub.app.Hub;
import org.smartschool.hub.config.HubConfig;
import org.smartschool.hub.config.MqttConfig;
import org.smartschool.hub.testsupport.Http;
import org.smartschool.hub.testsupport.HubFixture;
import org.smartschool.hub.testsupport.Poll;

/**
 * The school's rules end to end, every part real: a CO2 sensor publishes to a real Mosquitto, the
 * edge gateway judges the reading with the school's rules and sends the alarm with its batch, the
 * hub applies it and shows it at {@code /api/v1/alarms}; also when the gateway's link to the hub
 * was down while the alarm was raised and cleared (replayed later under the same id).
 */
@Timeout(120)
class GatewayAlarmsToHubTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private Vertx vertx;
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final String run = "alarm-" + UUID.randomUUID().toString().substring(0, 8);
    private String broker;
    private TcpProxy north;
    private Http http;

    @BeforeEach
    void setUp() throws Exception {
        vertx = Vertx.vertx();
        broker = TestBroker.mqttUrl();
    }

    private void startHub(HubConfig config) throws Exception {
        Hub hub = HubFixture.start(vertx, config);
        toClose.add(() -> HubFixture.await(hub.close()));
        http = Http.admin(hub);
        north = new TcpProxy("tcp://127.0.0.1:" + hub.mqttPort());
        toClose.add(north);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        HubFixture.await(vertx.close());
    }

    private Gateway startGateway() throws Exception {
        return startGateway(RulesSettings.defaults().withRoomKinds(Map.of("r101", "classroom")));
    }

    private Gateway startGateway(RulesSettings rules) throws Exception {
        GatewayConfig config = new GatewayConfig(GATEWAY_1, SCHOOL_1,
                SouthSettings.defaults().withUrl(broker)
                        .withRoutes(List.of(new TopicRoute("zigbee2mqtt/" + run + "/{room}/{device}", "zigbee2mqtt")))
                        .withClientId("e2e-" + run),
                new NorthSettings(north.url(), SECRET_1),
                new OutboxSettings(dir.resolve("outbox.db").toString(), 100_000, 1_000),
                new UplinkSettings(500, 100, 100, 1_000, 5_000, 5_000))
                .withRules(rules);
        Gateway gateway = Gateway.start(config, CodecRegistry.standard());
        toClose.add(gateway);
        Poll.until(WAIT, "gateway subscribed to the school broker", () -> gateway.status().southConnected());
        return gateway;
    }

    private void sensor(String json) throws Exception {
        MqttClient device = new MqttClient(broker, "e2e-dev-" + UUID.randomUUID(), new MemoryPersistence());
        device.connect();
        try {
            device.publish("zigbee2mqtt/" + run + "/r101/co2-1", json.getBytes(StandardCharsets.UTF_8), 1, false);
        } finally {
            device.disconnect();
            device.close();
        }
    }

    private JsonArray alarms() throws Exception {
        Http.Response response = http.get("/api/v1/alarms?school=" + SCHOOL_1);
        assertThat(response.status()).isEqualTo(200);
        return response.json().getJsonArray("alarms");
    }

    private JsonObject onlyAlarm() throws Exception {
        JsonArray alarms = alarms();
        assertThat(alarms.size()).isEqualTo(1);
        return alarms.getJsonObject(0);
    }

    @Test
    void aReadingOverTheThresholdPublishedToTheSchoolBrokerBecomesAnAlarmAtTheHub() throws Exception {
        startHub(HubFixture.config(dir));
        north.up();
        Gateway gateway = startGateway();
        Poll.until(WAIT, "gateway connected to the hub", () -> gateway.status().northConnected());

        sensor("{\"co2\":1300}");
        Poll.until(WAIT, "the alarm at the hub", () -> alarms().size() == 1);
        JsonObject alarm = onlyAlarm();
        assertThat(alarm.getString("rule")).isEqualTo("co2");
        assertThat(alarm.getString("room")).isEqualTo("r101");
        assertThat(alarm.getString("device")).isEqualTo("co2-1");
        assertThat(alarm.getString("severity")).isEqualTo("warning");
        assertThat(alarm.getString("state")).isEqualTo("active");
        long raisedAt = java.time.Instant.parse(alarm.getString("raisedAt")).toEpochMilli();
        assertThat(alarm.getString("id")).isEqualTo(AlarmId.of(SCHOOL_1, "r101/co2-1", "co2", raisedAt));

        sensor("{\"co2\":850}");
        Poll.until(WAIT, "the alarm cleared at the hub", () -> "cleared".equals(onlyAlarm().getString("state")));
        assertThat(onlyAlarm().getString("id")).isEqualTo(alarm.getString("id"));
    }

    @Test
    void anAlarmRaisedAndClearedWhileTheHubWasUnreachableArrivesLaterUnderTheSameId() throws Exception {
        startHub(HubFixture.config(dir));
        Gateway gateway = startGateway(); // the link to the hub is down
        sensor("{\"co2\":1300}");
        Poll.until(WAIT, "the alarm raised at the gateway", () -> gateway.rules().activeAlarms() == 1);
        sensor("{\"co2\":850}");
        Poll.until(WAIT, "the alarm cleared at the gateway", () -> gateway.rules().transitions() == 2);
        assertThat(gateway.status().batchesSent()).isZero();
        assertThat(alarms().size()).isZero();
        // the alarm as the gateway raised it offline: two transitions of one id, waiting in its outbox
        List<String> offlineIds = gateway.outbox().peek(100).events().stream()
                .filter(e -> e.type() == org.smartschool.bridge.model.EventType.ALARM)
                .map(e -> e.attributes().get(org.smartschool.bridge.alarm.AlarmTransitions.ALARM_ID)).distinct().toList();
        assertThat(offlineIds).hasSize(1);

        north.up(); // the link is back: the outbox is replayed
        Poll.until(WAIT, "the alarm at the hub, cleared", () -> alarms().size() == 1
                && "cleared".equals(alarms().getJsonObject(0).getString("state")));
        JsonObject alarm = onlyAlarm();
        long raisedAt = java.time.Instant.parse(alarm.getString("raisedAt")).toEpochMilli();
        // the id the gateway derived offline, from the reading that raised it
        assertThat(alarm.getString("id")).isEqualTo(offlineIds.get(0))
                .isEqualTo(AlarmId.of(SCHOOL_1, "r101/co2-1", "co2", raisedAt));
        Http.Response one = http.get("/api/v1/alarms/" + alarm.getString("id"));
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.json().getJsonArray("history").size()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void theRulesInTheHubsDesiredConfigurationJudgeTheGatewaysReadings() throws Exception {
        // gateway.yaml names no room kinds: the classroom CO2 rule judges nothing until the hub's rules say r101 is one
        Map<String, Object> desired = Map.of("version", 1, "rules", Map.of("roomKinds", Map.of("r101", "classroom")));
        HubConfig config = HubFixture.config(dir);
        startHub(config.withGateways(List.of(new org.smartschool.hub.config.GatewayConfig(GATEWAY_1, SCHOOL_1, null,
                SECRET_1, desired))));
        north.up();
        Gateway gateway = startGateway(RulesSettings.defaults());
        Poll.until(WAIT, "the hub's desired configuration applied", () -> gateway.status().desiredConfigVersion().orElse(-1) == 1);

        sensor("{\"co2\":1300}");
        Poll.until(WAIT, "the alarm at the hub", () -> alarms().size() == 1);
        assertThat(onlyAlarm().getString("rule")).isEqualTo("co2");
        assertThat(onlyAlarm().getString("state")).isEqualTo("active");
    }

    /**
     * The lifecycle across a hub restart: an alarm raised by the gateway and acknowledged through the
     * API is still acknowledged (by whom, with the note) after the hub restarts on its state database,
     * and the gateway's clear ends it under the same id, its history whole and in order.
     */
    @Test
    void anAcknowledgedAlarmOutlivesAHubRestartAndClearsUnderItsId() throws Exception {
        HubConfig config = HubFixture.config(dir);
        Hub first = HubFixture.start(vertx, config);
        int mqttPort = first.mqttPort();
        http = Http.admin(first);
        north = new TcpProxy("tcp://127.0.0.1:" + mqttPort).up();
        toClose.add(north);
        Gateway gateway = startGateway();
        Poll.until(WAIT, "gateway connected to the hub", () -> gateway.status().northConnected());

        sensor("{\"co2\":1300}");
        Poll.until(WAIT, "the alarm at the hub", () -> alarms().size() == 1);
        String id = onlyAlarm().getString("id");
        Http.Response ack = http.send("POST", "/api/v1/alarms/" + id + "/ack",
                "{\"by\":\"thu.nguyen\",\"note\":\"windows opened\"}");
        assertThat(ack.status()).as(ack.body()).isEqualTo(200);

        HubFixture.await(first.close());
        Poll.until(WAIT, "the gateway saw the hub go", () -> !gateway.status().northConnected());
        Hub second = HubFixture.start(vertx, config.withMqtt(new MqttConfig("127.0.0.1", mqttPort,
                config.mqtt().maxMessageBytes())));
        toClose.add(() -> HubFixture.await(second.close()));
        http = Http.admin(second);
        JsonObject after = onlyAlarm();
        assertThat(after.getString("id")).isEqualTo(id);
        assertThat(after.getString("state")).isEqualTo("acknowledged");
        assertThat(after.getJsonObject("acknowledged").getString("by")).isEqualTo("thu.nguyen");
        assertThat(after.getJsonObject("acknowledged").getString("note")).isEqualTo("windows opened");

        Poll.until(WAIT, "the gateway connected to the new hub", () -> gateway.status().northConnected());
        sensor("{\"co2\":850}");
        Poll.until(WAIT, "the alarm cleared at the new hub", () -> "cleared".equals(onlyAlarm().getString("state")));
        Http.Response one = http.get("/api/v1/alarms/" + id);
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.json().getJsonArray("history").stream().map(e -> ((JsonObject) e).getString("what")).toList())
                .containsExactly("raised", "acknowledged", "cleared");
    }
}
