package org.smartschool.gateway.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.bridge.codec.CodecRegistry;
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
import org.smartschool.gateway.testsupport.TestBroker;

/**
 * An alarm does not wait for a batch to fill: with a linger of a minute, the batch holding a
 * raised alarm (and the readings before it) leaves at once. The real Mosquitto plays the hub.
 */
@Timeout(90)
class GatewayAlarmUrgencyTest {
    private static final long LINGER_MILLIS = 60_000;
    /** Far below the linger: only the alarm's urgency can send the batch this soon. */
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final BatchCodec BATCHES = new BatchCodec();

    @TempDir
    Path dir;
    private String broker;
    private GatewayConfig config;
    private Gateway gateway;

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
    void aRaisedAlarmLeavesWithoutWaitingForTheLinger() throws Exception {
        broker = TestBroker.mqttUrl();
        String run = UUID.randomUUID().toString().substring(0, 8);
        config = TestGatewayConfig.of(run, broker, dir).north(broker).lingerMillis(LINGER_MILLIS)
                .routes(new TopicRoute("u-" + run + "/{room}/{device}", TestJsonCodec.NAME)).build()
                .withRules(RulesSettings.defaults().withRoomKinds(Map.of("r101", "classroom")));
        try (BrokerClients.Subscriber hub = new BrokerClients.Subscriber(broker,
                UplinkTopics.batch(config.school(), config.gatewayId()))) {
            gateway = Gateway.start(config, new CodecRegistry(List.of(new TestJsonCodec())));
            Poll.until(WAIT, "south and north connected",
                    () -> gateway.status().southConnected() && gateway.status().northConnected());

            BrokerClients.publish(broker, "u-" + run + "/r101/co2-1", "{\"co2\":640}", 1);
            Poll.until(WAIT, "the routine reading in the outbox", () -> gateway.outbox().size() == 1);
            assertThat(hub.received()).as("a routine reading lingers").isEmpty();

            long raisedAt = System.nanoTime();
            BrokerClients.publish(broker, "u-" + run + "/r101/co2-1", "{\"co2\":1250}", 1);
            Poll.until(WAIT, "a batch at the hub", () -> !hub.received().isEmpty());
            assertThat(Duration.ofNanos(System.nanoTime() - raisedAt)).isLessThan(Duration.ofMillis(LINGER_MILLIS / 2));

            Batch batch = BATCHES.decode(hub.received().get(0).payload());
            assertThat(batch.readings()).extracting(r -> r.value()).containsExactly(640.0, 1250.0);
            assertThat(batch.events()).extracting(e -> e.type()).containsExactly(EventType.ALARM);
            Poll.until(WAIT, "the outbox emptied by the PUBACK", () -> gateway.outbox().size() == 0);
        }
    }
}
