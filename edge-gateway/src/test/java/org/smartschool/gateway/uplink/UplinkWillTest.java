package org.smartschool.gateway.uplink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.bridge.uplink.BatchCodec;
import org.smartschool.bridge.uplink.UplinkTopics;
import org.smartschool.gateway.config.GatewayConfig;
import org.smartschool.gateway.outbox.Outbox;
import org.smartschool.gateway.support.Poll;
import org.smartschool.gateway.telemetry.GatewayMetrics;

/** Verifies the will in the uplink's CONNECT (docs/protocol.md 3.1): on its health topic, QoS 0, not retained, "online":false. */
@Timeout(30)
class UplinkWillTest {
    @TempDir
    Path dir;
    private StubHub hub;
    private Outbox outbox;
    private Uplink uplink;

    @AfterEach
    void tearDown() {
        if (uplink != null) {
            uplink.close();
        }
        if (outbox != null) {
            outbox.close();
        }
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void connectCarriesAWillThatMarksTheGatewayOffline() throws Exception {
        hub = new StubHub();
        outbox = Outbox.open(dir.resolve("outbox.db"), 100, 10);
        GatewayConfig config = new GatewayConfig("gw-9", "s9", GatewayConfig.SouthSettings.defaults(),
                new GatewayConfig.NorthSettings(hub.url(), "secret"), GatewayConfig.OutboxSettings.defaults(),
                new GatewayConfig.UplinkSettings(100, 50, 100, 1_000, 60_000, 2_000));
        uplink = new Uplink(config, outbox, new GatewayMetrics(new SimpleMeterRegistry(), "gw-9"), new BatchCodec(),
                new DesiredConfigStore(dir.resolve("desired.json")));
        long before = System.currentTimeMillis();
        uplink.start();

        Poll.until(Duration.ofSeconds(15), "connected", () -> hub.connects().size() == 1);
        StubHub.Connect connect = hub.connects().get(0);
        assertThat(connect.willTopic()).isEqualTo(UplinkTopics.health("s9", "gw-9"));
        assertThat(connect.willQos()).isZero();
        assertThat(connect.willRetain()).isFalse();
        JsonNode will = new ObjectMapper().readTree(connect.willPayload());
        assertThat(will.get("gateway").asText()).isEqualTo("gw-9");
        assertThat(will.get("school").asText()).isEqualTo("s9");
        assertThat(will.get("online").asBoolean()).isFalse();
        assertThat(will.get("time").asLong()).isBetween(before, System.currentTimeMillis());
    }
}
