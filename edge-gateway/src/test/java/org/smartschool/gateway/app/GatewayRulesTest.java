package org.smartschool.gateway.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.bridge.alarm.AlarmTransition;
import org.smartschool.bridge.alarm.AlarmTransitions;
import org.smartschool.bridge.codec.CodecRegistry;
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.EventType;
import org.smartschool.bridge.routing.TopicRoute;
import org.smartschool.bridge.uplink.Batch;
import org.smartschool.bridge.uplink.BatchCodec;
import org.smartschool.bridge.uplink.UplinkTopics;
import org.smartschool.gateway.config.GatewayConfig;
import org.smartschool.gateway.config.RulesSettings;
import org.smartschool.gateway.support.BrokerClients;
import org.smartschool.gateway.support.Poll;
import org.smartschool.gateway.support.TestGatewayConfig;
import org.smartschool.gateway.support.TestJsonCodec;
import org.smartschool.gateway.testsupport.TcpProxy;
import org.smartschool.gateway.testsupport.TestBroker;

/**
 * The school's rules on a running gateway, against a real Mosquitto on both sides (the test plays
 * the hub on the north side, as {@link GatewayRemoteConfigTest} does): a device's reading over a
 * threshold leaves as an alarm event in a batch, the hub's desired configuration changes the rules
 * without a restart, and the clock raises a silence alarm without any reading.
 */
@Timeout(90)
class GatewayRulesTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final CodecRegistry CODECS = new CodecRegistry(List.of(new TestJsonCodec()));
    private static final BatchCodec BATCHES = new BatchCodec();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private String broker;
    private String run;
    private TcpProxy north;
    private GatewayConfig config;
    private String configTopic;
    private Gateway gateway;

    @BeforeEach
    void setUp() throws Exception {
        broker = TestBroker.mqttUrl();
        run = UUID.randomUUID().toString().substring(0, 8);
        north = new TcpProxy(broker);
        config = TestGatewayConfig.of(run, broker, dir).north(north.url())
                .routes(new TopicRoute("r-" + run + "/{room}/{device}", TestJsonCodec.NAME))
                .healthIntervalMillis(300).build()
                .withRules(RulesSettings.defaults().withRoomKinds(Map.of("r101", "classroom")));
        configTopic = UplinkTopics.config(config.school(), config.gatewayId());
    }

    @AfterEach
    void tearDown() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (north != null) {
            north.close();
        }
        BrokerClients.forgetSession(broker, config.southClientId());
        BrokerClients.publish(broker, configTopic, new byte[0], 1, true); // clear the retained message
    }

    private static List<AlarmTransition> alarms(BrokerClients.Subscriber hub) {
        List<AlarmTransition> out = new ArrayList<>();
        for (BrokerClients.Received frame : hub.received()) {
            try {
                Batch batch = BATCHES.decode(frame.payload());
                for (DeviceEvent e : batch.events()) {
                    if (e.type() == EventType.ALARM) {
                        out.add(AlarmTransitions.fromEvent(e));
                    }
                }
            } catch (org.smartschool.bridge.uplink.BatchFormatException e) {
                throw new AssertionError("undecodable batch", e);
            }
        }
        return out;
    }

    private static List<String> kinds(BrokerClients.Subscriber hub) {
        return alarms(hub).stream().map(t -> t.kind().id() + ":" + t.rule()).toList();
    }

    private void device(String room, String device, String json) throws Exception {
        BrokerClients.publish(broker, "r-" + run + "/" + room + "/" + device, json, 1);
    }

    private void hubSends(String desired) throws Exception {
        BrokerClients.publish(broker, configTopic, desired.getBytes(StandardCharsets.UTF_8), 1, true);
    }

    @Test
    void aReadingOverTheThresholdLeavesAsAnAlarmAndTheHubsRulesApplyWithoutARestart() throws Exception {
        north.up();
        try (BrokerClients.Subscriber hub = new BrokerClients.Subscriber(broker,
                UplinkTopics.batch(config.school(), config.gatewayId()))) {
            gateway = Gateway.start(config, CODECS);
            Poll.until(WAIT, "south connected", () -> gateway.status().southConnected());

            device("r101", "co2-1", "{\"co2\":1250}");
            Poll.until(WAIT, "the CO2 alarm at the hub", () -> kinds(hub).contains("raised:co2"));
            AlarmTransition raised = alarms(hub).get(0);
            assertThat(raised.severity().id()).isEqualTo("warning");
            assertThat(raised.source()).isEqualTo("r101/co2-1");
            assertThat(gateway.rules().activeAlarms()).isEqualTo(1);

            // the hub's rules: r101 no longer a classroom, a rule of the school's own for every room
            hubSends("{\"version\":3,\"rules\":{\"roomKinds\":{},\"rules\":[{\"id\":\"co2-high\",\"quantity\":\"co2\","
                    + "\"levels\":[{\"severity\":\"major\",\"condition\":\"above\",\"limit\":1100}]}]}}");
            Poll.until(WAIT, "version 3 applied", () -> gateway.status().desiredConfigVersion().orElse(-1) == 3);
            // the alarm whose rule no longer applies is cleared under its id, without a reading
            Poll.until(WAIT, "the CO2 alarm cleared", () -> kinds(hub).contains("cleared:co2"));
            assertThat(alarms(hub).get(1).alarmId()).isEqualTo(raised.alarmId());
            assertThat(gateway.rules().activeAlarms()).isZero();

            device("r101", "co2-1", "{\"co2\":1250}");
            Poll.until(WAIT, "the school's own rule raised", () -> kinds(hub).contains("raised:co2-high"));
            assertThat(kinds(hub)).containsExactly("raised:co2", "cleared:co2", "raised:co2-high");
            assertThat(gateway.rules().activeAlarms()).isEqualTo(1);
            // health carries the rules' state
            try (BrokerClients.Subscriber health = new BrokerClients.Subscriber(broker,
                    UplinkTopics.health(config.school(), config.gatewayId()))) {
                Poll.until(WAIT, "a health report", () -> !health.received().isEmpty());
                JsonNode rules = JSON.readTree(health.received().get(0).payload()).get("rules");
                assertThat(rules.get("activeAlarms").asLong()).isEqualTo(1);
                assertThat(rules.get("tracks").asLong()).isGreaterThanOrEqualTo(1);
                assertThat(rules.get("transitions").asLong()).isEqualTo(3);
            }
        }
    }

    @Test
    void rulesTheGatewayCannotUnderstandAreRefusedNamingTheKeyAndTheOldOnesRunOn() throws Exception {
        north.up();
        try (BrokerClients.Subscriber hub = new BrokerClients.Subscriber(broker,
                UplinkTopics.batch(config.school(), config.gatewayId()))) {
            gateway = Gateway.start(config, CODECS);
            Poll.until(WAIT, "south connected", () -> gateway.status().southConnected());
            hubSends("{\"version\":4,\"rules\":{\"rules\":[{\"id\":\"co2\",\"quantity\":\"co2\","
                    + "\"levels\":[{\"severity\":\"warning\",\"condition\":\"silent\",\"limit\":5}]}]}}");
            Poll.until(WAIT, "version 4 refused", () -> gateway.remoteConfiguration().refusal() != null);
            assertThat(gateway.remoteConfiguration().refusal())
                    .isEqualTo("version 4: rules.rules[0].levels[0]: limit: not a parameter of condition 'silent' (it takes [afterMinutes])");

            device("r101", "co2-1", "{\"co2\":1250}"); // gateway.yaml's rules still judge
            Poll.until(WAIT, "the CO2 alarm at the hub", () -> kinds(hub).contains("raised:co2"));
        }
    }

    @Test
    void theClockRaisesASilenceAlarmWithoutAnyReading() throws Exception {
        config = config.withRules(new RulesSettings(Map.of(), null, List.of(new RulesSettings.RuleSettings("fridge-silent",
                "temperature", List.of(), "fridge-*", null, null, null, List.of(new RulesSettings.LevelSettings("major",
                "silent", null, null, null, null, null, null, null, null, 0.05, null, null)))), List.of()));
        north.up();
        try (BrokerClients.Subscriber hub = new BrokerClients.Subscriber(broker,
                UplinkTopics.batch(config.school(), config.gatewayId()))) {
            gateway = Gateway.start(config, CODECS);
            Poll.until(WAIT, "south connected", () -> gateway.status().southConnected());
            device("lab1", "fridge-1", "{\"temperature\":4.5}");
            // judged by the school's rule and by the default lab-fridge rule (devices *fridge*)
            Poll.until(WAIT, "the reading judged", () -> gateway.rules().trackCount() == 2);
            assertThat(kinds(hub)).isEmpty();
            // 3 s of silence, judged every 5 s
            Poll.until(WAIT, "the silence alarm at the hub", () -> kinds(hub).contains("raised:fridge-silent"));
            assertThat(alarms(hub).get(0).detail()).isEqualTo("no reading for 3 s");
        }
    }
}
