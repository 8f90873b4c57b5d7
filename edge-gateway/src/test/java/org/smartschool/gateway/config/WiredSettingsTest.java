package org.smartschool.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.smartschool.bridge.codec.CodecRegistry;
import org.smartschool.bridge.config.ConfigException;
import org.smartschool.bridge.routing.TopicRouter;
import org.smartschool.gateway.wired.WiredRoutes;

/** Verifies the {@code wired:} section: defaults, a full example, and errors that name the key. */
class WiredSettingsTest {
    private final GatewayConfigLoader loader = new GatewayConfigLoader();
    /** Every gateway names its id and school; these tests are about other sections. */
    private static final Map<String, String> IDS = Map.of("SS_GATEWAY_GATEWAY_ID", "gw-1", "SS_GATEWAY_SCHOOL", "s1");

    @Test
    void wiredDevicesAreOffByDefault() {
        WiredSettings wired = loader.load(null, IDS).wired();
        assertThat(wired).isEqualTo(WiredSettings.defaults());
        assertThat(wired.enabled()).isFalse();
        assertThat(wired.platform()).isEqualTo("auto");
        assertThat(wired.providers().i2c()).isEqualTo("linuxfs-i2c");
        assertThat(wired.hasDevices()).isFalse();
    }

    @Test
    void readsEveryKindOfDeviceWithItsDefaults() {
        WiredSettings wired = loader.loadString("""
                wired:
                  enabled: true
                  platform: mock
                  inputs:
                    - { device: door-r101, room: r101, kind: door, pin: 17 }
                    - { device: pir-r101, room: r101, kind: motion, pin: 27, debounceMillis: 200 }
                  i2c:
                    - { device: air-r101, room: r101, chip: scd4x, address: 0x62, intervalMillis: 10000 }
                    - { device: env-r101, room: r101, chip: BME280 }
                  uart:
                    - { device: reader-gate, room: gate, port: /dev/serial0, codec: card-reader }
                  signals:
                    - { device: reader-gate, greenPin: 5, redPin: 6 }
                """, IDS).wired();
        assertThat(wired.enabled()).isTrue();
        assertThat(wired.inputs().get(0).pull()).isEqualTo("up");
        assertThat(wired.inputs().get(0).activeHigh()).isTrue();
        assertThat(wired.inputs().get(0).debounceMillis()).isEqualTo(50);
        assertThat(wired.inputs().get(1).pull()).isEqualTo("down");
        assertThat(wired.inputs().get(1).debounceMillis()).isEqualTo(200);
        assertThat(wired.i2c().get(0).address()).isEqualTo(0x62);
        assertThat(wired.i2c().get(0).bus()).isEqualTo(1);
        assertThat(wired.i2c().get(1).chip()).isEqualTo("bme280");
        assertThat(wired.i2c().get(1).address()).isEqualTo(0x76);
        assertThat(wired.i2c().get(1).intervalMillis()).isEqualTo(10_000);
        assertThat(wired.uart().get(0).baud()).isEqualTo(9600);
        assertThat(wired.uart().get(0).maxLineBytes()).isEqualTo(1024);
        assertThat(wired.signals().get(0).buzzerPin()).isNull();
        assertThat(wired.signals().get(0).acceptMillis()).isEqualTo(1_000);
        assertThat(wired.signals().get(0).refuseBeepMillis()).isEqualTo(600);
        assertThat(wired.offlineAfterFailures()).isEqualTo(3);
    }

    @Test
    void environmentSwitchesWiredDevicesOnAndPicksThePlatform() {
        WiredSettings wired = loader.load(null, withIds("SS_GATEWAY_WIRED_ENABLED", "true",
                "SS_GATEWAY_WIRED_PLATFORM", "raspberrypi")).wired();
        assertThat(wired.enabled()).isTrue();
        assertThat(wired.platform()).isEqualTo("raspberrypi");
    }

    @Test
    void badWiredValuesFailNamingTheKey() {
        assertThatThrownBy(() -> loader.loadString("wired:\n  platform: beaglebone\n", IDS))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("wired.platform must be auto, raspberrypi or mock: beaglebone");
        assertThatThrownBy(() -> loader.loadString("wired:\n  providers:\n    serial: raspberrypi-serial\n", IDS))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("wired.providers.serial must be one of [pigpio-serial]: raspberrypi-serial");
        assertThatThrownBy(() -> loader.loadString("wired:\n  inputs:\n    - { device: d1, room: r1, kind: window, pin: 4 }\n", IDS))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("wired.inputs.kind of 'd1' must be door or motion: window");
        assertThatThrownBy(() -> loader.loadString("wired:\n  inputs:\n    - { device: d1, room: r1, kind: door }\n", IDS))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("wired.inputs.pin of 'd1' is missing");
        assertThatThrownBy(() -> loader.loadString("wired:\n  i2c:\n    - { device: a1, room: r1, chip: scd4x, address: 0x80 }\n", IDS))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("wired.i2c.address of 'a1' must be a 7-bit address");
        assertThatThrownBy(() -> loader.loadString("""
                wired:
                  inputs:
                    - { device: d1, room: r1, kind: door, pin: 17 }
                  signals:
                    - { device: s1, greenPin: 17, redPin: 18 }
                """, IDS))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("wired.signals[0].greenPin: GPIO 17 is used twice");
        assertThatThrownBy(() -> loader.loadString("""
                wired:
                  i2c:
                    - { device: a1, room: r1, chip: scd4x }
                    - { device: a1, room: r2, chip: bme280 }
                """, IDS))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("wired.i2c[1].device: device 'a1' is configured twice");
        assertThatThrownBy(() -> loader.loadString("wired:\n  inputs:\n    - { device: d1, room: r1, kind: door, pin: 4, pul: up }\n", IDS))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("pul");
    }

    @Test
    void aUartCodecThatDoesNotExistIsRefusedNamingTheKey() {
        WiredSettings wired = loader.loadString(
                "wired:\n  uart:\n    - { device: u1, room: r1, port: /dev/ttyS0, codec: nmea }\n", IDS).wired();
        assertThatThrownBy(() -> WiredRoutes.router("s1", wired, CodecRegistry.standard()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("wired.uart[0].codec: unknown codec 'nmea'");
    }

    @Test
    void exampleFileDescribesWiredDevicesWhoseCodecsExist() {
        GatewayConfig config = loader.load(Path.of("config/gateway.example.yaml"), IDS);
        WiredSettings wired = config.wired();
        assertThat(wired.inputs()).extracting(WiredSettings.Input::kind).containsExactly("door", "motion");
        assertThat(wired.i2c()).extracting(WiredSettings.I2cSensor::chip).containsExactly("scd4x", "bme280");
        assertThat(wired.uart()).extracting(WiredSettings.Uart::codec).containsExactly("card-reader", "serial-line");
        assertThat(wired.signals()).hasSize(1);
        TopicRouter router = WiredRoutes.router(config.school(), wired, CodecRegistry.standard());
        assertThat(((TopicRouter.Routing.Routed) router.route("wired/reader-gate")).codec().name()).isEqualTo("card-reader");
        assertThat(((TopicRouter.Routing.Routed) router.route("wired/reader-gate/records")).codec().name()).isEqualTo("wired-records");
        assertThat(((TopicRouter.Routing.Routed) router.route("wired/air-r101/records")).device().room()).isEqualTo("r101");
        assertThat(router.route("wired/air-r101")).isInstanceOf(TopicRouter.Routing.Unknown.class);
    }

    private static Map<String, String> withIds(String... keysAndValues) {
        Map<String, String> env = new java.util.HashMap<>(IDS);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            env.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return env;
    }
}
