package org.smartschool.hub.alarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.smartschool.hub.testsupport.Batches.T0;
import static org.smartschool.hub.testsupport.HubFixture.GATEWAY_1;
import static org.smartschool.hub.testsupport.HubFixture.SCHOOL_1;
import static org.smartschool.hub.testsupport.HubFixture.SCHOOL_2;
import static org.smartschool.hub.testsupport.HubFixture.SECRET_1;

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
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;
import org.smartschool.bridge.uplink.Batch;
import org.smartschool.bridge.uplink.BatchCodec;
import org.smartschool.bridge.uplink.UplinkTopics;
import org.smartschool.hub.app.Hub;
import org.smartschool.hub.config.AlarmsConfig;
import org.smartschool.hub.config.FleetConfig;
import org.smartschool.hub.config.HubConfig;
import org.smartschool.hub.config.HubRulesConfig;
import org.smartschool.hub.testsupport.Http;
import org.smartschool.hub.testsupport.HubFixture;
import org.smartschool.hub.testsupport.ManualClock;
import org.smartschool.hub.testsupport.Poll;
import org.smartschool.hub.testsupport.TestGateway;

/**
 * The hub's own rules through the real endpoint: real Paho MQTT 5 clients send health reports and batches, connect
 * with wrong secrets and publish where they may not; the alarms appear in {@code /api/v1/alarms} and clear. The
 * hub's clock is the test's, and the periodic checks are set to an hour, so only the checks the test runs happen.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class HubRulesEndpointTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final long MIN = 60_000;

    @TempDir
    Path dir;

    private Hub hub;
    private Http http;
    /** Batches.T0 is a multiple of the completeness buckets, so the windows judged are easy to follow. */
    private final ManualClock clock = new ManualClock(T0);
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

    /** Defaults but for manual checks and a 10-minute completeness window. */
    private HubConfig config() {
        HubRulesConfig d = HubRulesConfig.DEFAULT;
        HubRulesConfig rules = new HubRulesConfig(3600, d.districtSchool(), d.backlogRaiseMinutes(),
                d.backlogGrowingReports(), d.backlogClearMinutes(), 10, d.completenessRaisePercent(),
                d.completenessClearPercent(), d.authFailureLimit(), d.authFailureWindowMinutes(),
                d.authFailureDistrictLimit(), d.authFailureTrackedIds(), d.securityEventLimit(),
                d.securityWindowMinutes(), d.quietMinutes());
        return HubFixture.config(dir).withFleet(FleetConfig.DEFAULT.withCheckSeconds(3600))
                .withAlarms(AlarmsConfig.DEFAULT.withHubRules(rules));
    }

    private void start(Vertx vertx) throws Exception {
        HubConfig config = config();
        hub = HubFixture.await(Hub.start(vertx, config, HubFixture.openStore(config), clock));
        http = Http.admin(hub);
    }

    private TestGateway gateway1() throws Exception {
        TestGateway g = TestGateway.connect(hub.mqttPort(), SCHOOL_1, GATEWAY_1, SECRET_1);
        closeAfter.add(g);
        return g;
    }

    private List<JsonObject> alarms(String school, String state, String rule) throws Exception {
        JsonArray all = http.get("/api/v1/alarms?school=" + school + "&state=" + state).json().getJsonArray("alarms");
        List<JsonObject> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            if (all.getJsonObject(i).getString("rule").equals(rule)) {
                out.add(all.getJsonObject(i));
            }
        }
        return out;
    }

    private JsonObject awaitOne(String school, String state, String rule) throws Exception {
        Poll.until(WAIT, rule + " alarm " + state + " for " + school, () -> alarms(school, state, rule).size() == 1);
        return alarms(school, state, rule).get(0);
    }

    private List<RuleVerdict> check() throws Exception {
        return hub.hubRules().check().get(10, TimeUnit.SECONDS);
    }

    private static void health(TestGateway gateway, String json) throws MqttException {
        TestGateway.Ack ack = gateway.publish(UplinkTopics.health(SCHOOL_1, GATEWAY_1),
                json.getBytes(StandardCharsets.UTF_8), 1, "application/json");
        assertThat(ack.reasonCode()).isZero();
    }

    /**
     * Verifies that health reports whose outbox's oldest record passes 15 min and keeps growing raise
     * gateway-backlog for the gateway (once), and that a drained outbox clears it.
     */
    @Test
    void aGrowingOutboxBacklogRaisesAndClearsWhenDrained(Vertx vertx) throws Exception {
        start(vertx);
        TestGateway gateway = gateway1();
        for (int i = 0; i < 5; i++) {
            health(gateway, "{\"gateway\":\"gw-nguyen-du\",\"time\":" + clock.millis() + ",\"outboxRecords\":"
                    + (3000 + 100 * i) + ",\"outboxOldestAgeSeconds\":" + (900 + 30 * i) + "}");
            clock.advance(30_000);
        }
        JsonObject raised = awaitOne(SCHOOL_1, "active", "gateway-backlog");
        assertThat(raised.getString("room")).isEqualTo("gateway");
        assertThat(raised.getString("device")).isEqualTo(GATEWAY_1);
        assertThat(raised.getString("severity")).isEqualTo("major");
        assertThat(raised.getDouble("value")).isEqualTo(990.0);
        assertThat(raised.getString("id")).isEqualTo(org.smartschool.bridge.alarm.AlarmId.of(SCHOOL_1,
                "gateway/" + GATEWAY_1, "gateway-backlog", T0 + 3 * 30_000));
        assertThat(raised.getString("detail")).contains("3300 records waiting, oldest 16 min old");

        health(gateway, "{\"gateway\":\"gw-nguyen-du\",\"outboxRecords\":0,\"outboxOldestMillis\":null,"
                + "\"outboxOldestAgeSeconds\":null}");
        JsonObject cleared = awaitOne(SCHOOL_1, "cleared", "gateway-backlog");
        assertThat(cleared.getString("id")).isEqualTo(raised.getString("id"));
        assertThat(alarms(SCHOOL_1, "active", "gateway-backlog")).isEmpty();
        assertThat(http.metric("hub_rule_alarms_total{rule=\"gateway-backlog\",transition=\"raised\"}")).isEqualTo(1.0);
        assertThat(http.metric("hub_rule_alarms_total{rule=\"gateway-backlog\",transition=\"cleared\"}")).isEqualTo(1.0);
    }

    private static Batch readings(String batchId, String device, long from, long to) {
        List<Reading> readings = new ArrayList<>();
        for (long t = from; t < to; t += 10_000) {
            readings.add(Reading.of(new DeviceRef(SCHOOL_1, "r1-01", device), Quantity.CO2, 600, t));
        }
        return new Batch(batchId, GATEWAY_1, SCHOOL_1, readings, List.of());
    }

    /**
     * Verifies that a school whose second sensor delivered only half of its readings in the window falls below 80 %
     * and raises data-completeness (not while its gateway reports a backlog it is still delivering), and that the
     * missing readings, replayed later, clear it.
     */
    @Test
    void missingReadingsRaiseDataCompletenessAndTheirReplayClearsIt(Vertx vertx) throws Exception {
        start(vertx);
        TestGateway gateway = gateway1();
        clock.advance(5 * MIN);
        assertThat(gateway.sendBatch(readings("a-1", "co2-a", T0, T0 + 5 * MIN)).reasonCode()).isZero();
        assertThat(gateway.sendBatch(readings("b-1", "co2-b", T0, T0 + 5 * MIN)).reasonCode()).isZero();
        clock.advance(7 * MIN + 10_000);
        assertThat(gateway.sendBatch(readings("a-2", "co2-a", T0 + 5 * MIN, T0 + 12 * MIN)).reasonCode()).isZero();
        assertThat(hub.fleetMonitor().expectedIntervalMillis(SCHOOL_1, "co2-b")).isEqualTo(10_000);

        // the window judged: [T0, T0 + 10 min); co2-a 60 of 60, co2-b 30 of 60; not while the gateway reports
        // records 7 min old still waiting (it replays)
        health(gateway, "{\"gateway\":\"gw-nguyen-du\",\"time\":" + clock.millis() + ",\"outboxRecords\":42,"
                + "\"outboxOldestMillis\":" + (clock.millis() - 7 * MIN) + "}");
        Poll.until(WAIT, "health summary", () -> hub.fleetMonitor().gateways().stream()
                .anyMatch(g -> g.health() != null && g.health().outboxRecords() == 42L));
        assertThat(check()).isEmpty();
        health(gateway, "{\"gateway\":\"gw-nguyen-du\",\"time\":" + clock.millis() + ",\"outboxRecords\":0,"
                + "\"outboxOldestMillis\":null}");
        assertThat(check()).extracting(RuleVerdict::kind).containsExactly(RuleVerdict.Kind.RAISE);
        JsonObject raised = awaitOne(SCHOOL_1, "active", "data-completeness");
        assertThat(raised.getString("room")).isEqualTo("school");
        assertThat(raised.getString("device")).isEqualTo(SCHOOL_1);
        assertThat(raised.getString("severity")).isEqualTo("minor");
        assertThat(raised.getDouble("value")).isEqualTo(75.0);
        assertThat(raised.getString("detail")).contains("least complete: co2-b 50%, co2-a 100%");

        assertThat(gateway.sendBatch(readings("b-2", "co2-b", T0 + 5 * MIN, T0 + 12 * MIN)).reasonCode()).isZero();
        assertThat(check()).extracting(RuleVerdict::kind).containsExactly(RuleVerdict.Kind.CLEAR);
        JsonObject cleared = awaitOne(SCHOOL_1, "cleared", "data-completeness");
        assertThat(cleared.getString("id")).isEqualTo(raised.getString("id"));
        assertThat(http.metric("hub_rule_completeness_devices")).isEqualTo(2.0);
    }

    private void failToConnect(String gatewayId, String secret) {
        assertThatThrownBy(() -> TestGateway.connect(hub.mqttPort(), SCHOOL_1, gatewayId, secret))
                .isInstanceOfSatisfying(MqttException.class, e -> assertThat(e.getReasonCode()).isEqualTo(0x86));
    }

    /**
     * Verifies that ten CONNECTs with a wrong secret raise auth-failures for the gateway's school, and ten with an
     * unknown gateway id one for the district; that both survive a hub restart; and that they clear after 30 quiet
     * minutes.
     */
    @Test
    void repeatedAuthenticationFailuresRaiseSecurityAlarmsThatSurviveARestartAndClear(Vertx vertx) throws Exception {
        start(vertx);
        for (int i = 0; i < 10; i++) {
            failToConnect(GATEWAY_1, "not-the-secret");
            failToConnect("gw-intruder", "guess-" + i);
        }
        JsonObject own = awaitOne(SCHOOL_1, "active", "auth-failures");
        assertThat(own.getString("device")).isEqualTo(GATEWAY_1);
        assertThat(own.getString("severity")).isEqualTo("major");
        assertThat(own.getString("detail")).isEqualTo("10 refused CONNECTs claiming gateway id gw-nguyen-du of school "
                + "thcs-nguyen-du within 10 min (limit 10)");
        JsonObject district = awaitOne("district", "active", "auth-failures");
        assertThat(district.getString("device")).isEqualTo("gw-intruder");
        assertThat(http.metric("hub_rule_signals_total{signal=\"auth_failure\"}")).isEqualTo(20.0);
        assertThat(http.metric("hub_rule_alarms_open{rule=\"auth-failures\"}")).isEqualTo(2.0);

        HubFixture.await(hub.close());
        start(vertx);
        hub.hubRules().flush().get(10, TimeUnit.SECONDS);
        assertThat(alarms(SCHOOL_1, "active", "auth-failures")).extracting(a -> a.getString("id"))
                .containsExactly(own.getString("id"));
        assertThat(http.metric("hub_rule_alarms_open{rule=\"auth-failures\"}")).as("taken back").isEqualTo(2.0);

        clock.advance(29 * MIN);
        assertThat(check()).isEmpty();
        clock.advance(MIN);
        assertThat(check()).extracting(RuleVerdict::kind).containsExactly(RuleVerdict.Kind.CLEAR, RuleVerdict.Kind.CLEAR);
        assertThat(awaitOne(SCHOOL_1, "cleared", "auth-failures").getString("id")).isEqualTo(own.getString("id"));
        assertThat(awaitOne("district", "cleared", "auth-failures").getString("id")).isEqualTo(district.getString("id"));
    }

    /**
     * Verifies that unknown-device messages reported in health and topics refused with PUBACK 0x87 add up for the
     * school to a school-security alarm, cleared after 30 quiet minutes.
     */
    @Test
    void unknownDevicesAndRefusedTopicsOfOneSchoolRaiseASecurityAlarm(Vertx vertx) throws Exception {
        start(vertx);
        TestGateway gateway = gateway1();
        health(gateway, "{\"gateway\":\"gw-nguyen-du\",\"uptimeSeconds\":100,\"unknownDevices\":{\"mqtt\":4}}");
        health(gateway, "{\"gateway\":\"gw-nguyen-du\",\"uptimeSeconds\":130,\"unknownDevices\":{\"mqtt\":14,\"coap\":5}}");
        byte[] frame = new BatchCodec().encode(readings("x-1", "co2-a", T0, T0 + MIN));
        for (int i = 0; i < 5; i++) {
            assertThat(gateway.publish(UplinkTopics.batch(SCHOOL_2, GATEWAY_1), frame, 1, BatchCodec.CONTENT_TYPE)
                    .reasonCode()).isEqualTo(0x87);
        }
        JsonObject raised = awaitOne(SCHOOL_1, "active", "school-security");
        assertThat(raised.getString("room")).isEqualTo("school");
        assertThat(raised.getString("device")).isEqualTo(SCHOOL_1);
        assertThat(raised.getString("detail")).isEqualTo("15 messages of unknown devices and 5 refused topics from school "
                + "thcs-nguyen-du within 10 min (limit 20)");
        assertThat(alarms(SCHOOL_2, "active", "school-security")).as("the topic's school is not the offender").isEmpty();
        assertThat(http.metric("hub_rule_signals_total{signal=\"topic_refused\"}")).isEqualTo(5.0);

        clock.advance(30 * MIN);
        assertThat(check()).extracting(RuleVerdict::rule).containsExactly("school-security");
        assertThat(awaitOne(SCHOOL_1, "cleared", "school-security").getString("id")).isEqualTo(raised.getString("id"));
    }
}
