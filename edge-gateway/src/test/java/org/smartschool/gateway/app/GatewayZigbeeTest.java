package org.smartschool.gateway.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.bridge.codec.CodecRegistry;
import org.smartschool.bridge.codec.DecodeResult;
import org.smartschool.bridge.codec.RawMessage;
import org.smartschool.bridge.codec.zigbee2mqtt.Zigbee2MqttCodec;
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.Reading;
import org.smartschool.bridge.routing.TopicRoute;
import org.smartschool.bridge.sim.SchoolSimulation;
import org.smartschool.bridge.sim.SimulatedMessage;
import org.smartschool.bridge.uplink.Batch;
import org.smartschool.bridge.uplink.BatchCodec;
import org.smartschool.bridge.uplink.UplinkTopics;
import org.smartschool.gateway.config.GatewayConfig;
import org.smartschool.gateway.support.BrokerClients;
import org.smartschool.gateway.support.Poll;
import org.smartschool.gateway.testsupport.TestBroker;

/**
 * Verifies the gateway with the shipped codecs on real firmware payloads: Zigbee2MQTT JSON from
 * the virtual school firmware, through Mosquitto, to the north end.
 */
@Timeout(60)
class GatewayZigbeeTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private Gateway gateway;
    private String broker;
    private GatewayConfig config;

    @AfterEach
    void tearDown() {
        if (gateway != null) {
            gateway.close();
            BrokerClients.forgetSession(broker, config.southClientId());
        }
    }

    @Test
    void simulatedClassroomSensorsReachTheNorthEndDecoded() throws Exception {
        broker = TestBroker.mqttUrl();
        String run = UUID.randomUUID().toString().substring(0, 8);
        // Zigbee2MQTT's base topic is configurable: a per-run base keeps parallel runs apart
        String base = "z2m-" + run;
        config = new GatewayConfig("gw-" + run, "school-" + run,
                GatewayConfig.SouthSettings.defaults().withUrl(broker).withRoutes(List.of(
                        new TopicRoute(base + "/{room}/{device}/availability", "zigbee2mqtt"),
                        new TopicRoute(base + "/{room}/{device}", "zigbee2mqtt"))),
                new GatewayConfig.NorthSettings(broker, "secret"),
                new GatewayConfig.OutboxSettings(dir.resolve("outbox.db").toString(), 100_000, 100),
                new GatewayConfig.UplinkSettings(100, 200, 100, 1000, 60_000, 5000));
        SchoolSimulation school = new SchoolSimulation(config.school(), 3, 7L, 1_760_000_000_000L);
        // the Zigbee2MQTT devices of the simulated school (air sensors, lab gas and smoke detectors)
        List<SimulatedMessage> messages = school.messagesUntil(1_760_000_000_000L + 10 * 60_000L).stream()
                .filter(m -> m.topic().startsWith("zigbee2mqtt/"))
                .toList();
        List<Reading> expectedReadings = new ArrayList<>();
        List<DeviceEvent> expectedEvents = new ArrayList<>();
        Zigbee2MqttCodec codec = new Zigbee2MqttCodec();
        for (SimulatedMessage m : messages) {
            String[] levels = m.topic().split("/");
            DecodeResult result = codec.decode(new RawMessage(m.topic(), null, m.payload(), m.timestamp()),
                    new DeviceRef(config.school(), levels[1], levels[2]));
            assertThat(result.problems()).as("simulated firmware decodes cleanly").isEmpty();
            expectedReadings.addAll(result.readings());
            expectedEvents.addAll(result.events());
        }
        assertThat(expectedReadings).hasSizeGreaterThan(30);

        try (BrokerClients.Subscriber hub = new BrokerClients.Subscriber(broker,
                UplinkTopics.batch(config.school(), config.gatewayId()))) {
            gateway = Gateway.start(config, CodecRegistry.standard());
            Poll.until(WAIT, "south connected", () -> gateway.status().southConnected());
            try (BrokerClients.Publisher devices = new BrokerClients.Publisher(broker)) {
                for (SimulatedMessage m : messages) {
                    devices.publish(base + m.topic().substring("zigbee2mqtt".length()), m.payload(), 1, false);
                }
            }

            BatchCodec batches = new BatchCodec();
            Poll.until(WAIT, "every reading at the north end", () -> received(hub, batches).stream()
                    .mapToInt(b -> b.readings().size()).sum() >= expectedReadings.size());
            Poll.until(WAIT, "outbox empty, every message counted",
                    () -> gateway.outbox().size() == 0 && gateway.status().southMessages() == messages.size());

            List<Batch> got = received(hub, batches);
            // the gateway stamps receive times; the values, devices and quantities are the firmware's
            // (the batch frame groups records by device and quantity: order within a batch is not kept)
            assertThat(got.stream().flatMap(b -> b.readings().stream()).map(GatewayZigbeeTest::withoutTime).toList())
                    .containsExactlyInAnyOrderElementsOf(expectedReadings.stream().map(GatewayZigbeeTest::withoutTime).toList());
            assertThat(got.stream().flatMap(b -> b.events().stream()).map(e -> e.device() + " " + e.type()).toList())
                    .containsExactlyInAnyOrderElementsOf(expectedEvents.stream().map(e -> e.device() + " " + e.type()).toList());
            assertThat(gateway.status().decodeErrors()).isZero();
            assertThat(gateway.status().unknownDevices()).isZero();
            assertThat(gateway.status().southMessages()).isEqualTo(messages.size());
        }
    }

    private static String withoutTime(Reading r) {
        return r.room() + "/" + r.device() + " " + r.quantity().id() + "=" + r.value();
    }

    private static List<Batch> received(BrokerClients.Subscriber hub, BatchCodec codec) {
        List<Batch> out = new ArrayList<>();
        for (BrokerClients.Received frame : hub.received()) {
            try {
                out.add(codec.decode(frame.payload()));
            } catch (Exception e) {
                throw new AssertionError("undecodable frame", e);
            }
        }
        return out;
    }
}
