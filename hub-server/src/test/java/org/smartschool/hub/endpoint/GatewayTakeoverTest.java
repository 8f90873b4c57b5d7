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

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.hub.app.Hub;
import org.smartschool.hub.config.HubConfig;
import org.smartschool.hub.config.TakeoverConfig;
import org.smartschool.hub.fleet.FleetEvent;
import org.smartschool.hub.fleet.FleetEventType;
import org.smartschool.hub.config.StateConfig;
import org.smartschool.hub.state.JdbcFleetEventLog;
import org.smartschool.hub.testsupport.Batches;
import org.smartschool.hub.testsupport.Http;
import org.smartschool.hub.testsupport.HubFixture;
import org.smartschool.hub.testsupport.Poll;
import org.smartschool.hub.testsupport.TestGateway;

/** Two devices with one gateway id (docs/protocol.md, "Session take-over"), with real Paho MQTT 5 clients. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GatewayTakeoverTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private Hub hub;
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

    private TestGateway gateway1() throws MqttException {
        TestGateway g = TestGateway.connect(hub.mqttPort(), SCHOOL_1, GATEWAY_1, SECRET_1);
        closeAfter.add(g);
        return g;
    }

    /** The take-over events of a gateway (liveness events, online and offline, are FleetLivenessTest's). */
    private List<FleetEvent> fleetEvents(String gateway) {
        return takeovers(hub.fleetEvents().events(gateway, 0, Long.MAX_VALUE, 100));
    }

    private static List<FleetEvent> takeovers(List<FleetEvent> events) {
        return events.stream().filter(e -> e.type() == FleetEventType.SESSION_TAKEN_OVER
                || e.type() == FleetEventType.TAKEOVER_LOOP).toList();
    }

    /**
     * Verifies that after the configured number of take-overs the next connection with that gateway id is refused
     * with CONNACK 0x9F while the connected one stays; that take-overs are counted per gateway; and that each
     * take-over and the loop are durable fleet events, still there after a restart.
     */
    @Test
    void refusesNewcomersAfterTakeoverLoopCountsAndRecordsFleetEvents(Vertx vertx) throws Exception {
        HubConfig base = HubFixture.config(dir);
        HubConfig config = base.withMqtt(base.mqtt().withTakeover(new TakeoverConfig(2, 60, 300)));
        hub = HubFixture.start(vertx, config);
        Http http = Http.admin(hub);

        TestGateway first = gateway1();
        TestGateway second = gateway1();
        Poll.until(WAIT, "first taken over", () -> first.disconnectReason() != null);
        TestGateway third = gateway1();
        Poll.until(WAIT, "second taken over", () -> second.disconnectReason() != null);

        assertThat(first.disconnectReason()).isEqualTo(0x8E);
        assertThat(second.disconnectReason()).isEqualTo(0x8E);
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(this::gateway1).isInstanceOfSatisfying(MqttException.class,
                    e -> assertThat(e.getReasonCode()).isEqualTo(0x9F));
        }
        assertThat(third.isConnected()).isTrue();
        assertThat(third.sendBatch(Batches.classroom(GATEWAY_1, SCHOOL_1, GATEWAY_1 + "-1-1", T0, 2)).reasonCode()).isZero();
        TestGateway other = TestGateway.connect(hub.mqttPort(), SCHOOL_2, GATEWAY_2, SECRET_2);
        closeAfter.add(other);
        assertThat(other.isConnected()).isTrue();

        assertThat(http.metric("hub_gateway_takeovers_total{gateway=\"" + GATEWAY_1 + "\"}")).isEqualTo(2.0);
        assertThat(http.metric("hub_gateway_connections_refused_total{reason=\"takeover_loop\"}")).isEqualTo(2.0);
        assertThat(http.metric("hub_gateways_connected")).isEqualTo(2.0);
        Poll.until(WAIT, "three fleet events", () -> fleetEvents(GATEWAY_1).size() == 3);
        List<FleetEvent> events = fleetEvents(GATEWAY_1);
        assertThat(events).extracting(FleetEvent::type).containsExactly(FleetEventType.SESSION_TAKEN_OVER,
                FleetEventType.SESSION_TAKEN_OVER, FleetEventType.TAKEOVER_LOOP);
        assertThat(events).extracting(FleetEvent::school).containsOnly(SCHOOL_1);
        assertThat(events.get(2).detail()).contains("two devices").contains("refused");
        assertThat(fleetEvents(GATEWAY_2)).isEmpty();

        HubFixture.await(hub.close());
        hub = null;
        try (JdbcFleetEventLog log = JdbcFleetEventLog.open(StateConfig.DEFAULT.resolve(dir.resolve("hub-store.db")))) {
            assertThat(takeovers(log.events(null, 0, Long.MAX_VALUE, 100))).isEqualTo(events);
        }
    }
}
