package org.smartschool.gateway.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.bridge.codec.CodecRegistry;
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.EventType;
import org.smartschool.gateway.config.GatewayConfig;
import org.smartschool.gateway.config.WiredSettings;
import org.smartschool.gateway.support.Poll;
import org.smartschool.gateway.wired.WiredStatus;

/**
 * Verifies that a gateway started with {@code wired.enabled} runs its wired devices on the
 * configured platform (here Pi4J's mock, as on a PC) and records what they report in its outbox,
 * and that a gateway without them touches no pins. Neither broker is needed: both links are down.
 */
@Timeout(60)
class GatewayWiredTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path dir;
    private Gateway gateway;

    @AfterEach
    void tearDown() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private GatewayConfig config(WiredSettings wired) {
        return new GatewayConfig("gw-wired", "school-wired",
                GatewayConfig.SouthSettings.defaults().withUrl("tcp://127.0.0.1:1"),
                new GatewayConfig.NorthSettings("tcp://127.0.0.1:1", "secret"),
                new GatewayConfig.OutboxSettings(dir.resolve("outbox.db").toString(), 10_000, 100),
                GatewayConfig.UplinkSettings.defaults(), wired, null, null);
    }

    @Test
    void wiredDevicesOnTheMockPlatformReportToTheOutbox() throws Exception {
        WiredSettings wired = new WiredSettings(true, "mock", null,
                List.of(new WiredSettings.Input("door-r101", "r101", "door", 17, "up", true, 20L)),
                List.of(new WiredSettings.I2cSensor("env-r101", "r101", "bme280", 1, 0x76, 100L)),
                List.of(new WiredSettings.Uart("reader-gate", "gate", "/dev/serial0", 9600, "card-reader", null)),
                List.of(new WiredSettings.Signal("reader-gate", 5, 6, null, null, null, null, null)),
                3, 1_000, 2_000);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        gateway = Gateway.start(config(wired), CodecRegistry.standard(), registry);

        assertThat(gateway.wired()).isNotNull();
        assertThat(gateway.wired().status()).extracting(WiredStatus::device)
                .containsExactly("door-r101", "env-r101", "reader-gate", "reader-gate");
        Poll.until(WAIT, "door state and sensor offline in the outbox", () -> gateway.outbox().peek(100).events().size() == 2);
        List<DeviceEvent> events = gateway.outbox().peek(100).events();
        assertThat(events).extracting(DeviceEvent::type).containsExactlyInAnyOrder(EventType.DOOR_CLOSED, EventType.DEVICE_OFFLINE);
        DeviceEvent offline = events.stream().filter(e -> e.type() == EventType.DEVICE_OFFLINE).findFirst().orElseThrow();
        // the mock I2C has no chip behind it: reading the BME280's chip id fails like a NACK
        assertThat(offline.device()).isEqualTo("env-r101");
        assertThat(offline.school()).isEqualTo("school-wired");
        assertThat(offline.attributes().get("reason")).isEqualTo("I2C error: No available data to read");
        assertThat(gateway.wired().signal("reader-gate")).isPresent();

        // the same health as meters, for the health report and /metrics
        assertThat(registry.get("gateway_wired_online").tags("device", "env-r101", "kind", "bme280").gauge().value()).isEqualTo(0.0);
        assertThat(registry.get("gateway_wired_online").tags("device", "door-r101", "kind", "door").gauge().value()).isEqualTo(1.0);
        assertThat(registry.get("gateway_wired_read_failures_total").tags("device", "env-r101").functionCounter().count())
                .isGreaterThanOrEqualTo(3.0);
        Poll.until(WAIT, "both messages counted as recorded",
                () -> registry.get("gateway_wired_messages_total").tags("outcome", "recorded").functionCounter().count() == 2.0);
    }

    @Test
    void wiredDevicesStayOffUnlessEnabled() {
        gateway = Gateway.start(config(null), CodecRegistry.standard());
        assertThat(gateway.wired()).isNull();
        assertThat(gateway.config().wired().enabled()).isFalse();
    }
}
