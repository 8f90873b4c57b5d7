package org.smartschool.gateway.wired;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import java.util.List;

import com.pi4j.context.Context;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.gateway.config.WiredSettings;

/** Verifies how {@code wired.platform: auto} picks the platform from the board's device tree. */
class WiredPlatformTest {
    @TempDir
    Path dir;

    @Test
    void autoPicksTheRaspberryPiWhenTheDeviceTreeNamesOne() throws Exception {
        Path model = Files.write(dir.resolve("model"), "Raspberry Pi 4 Model B Rev 1.5\0".getBytes());
        assertThat(WiredPlatform.resolve("auto", model)).isEqualTo("raspberrypi");
    }

    @Test
    void autoPicksTheMockElsewhere() throws Exception {
        Path model = Files.write(dir.resolve("model"), "Radxa ROCK 5B\0".getBytes());
        assertThat(WiredPlatform.resolve("auto", model)).isEqualTo("mock");
        assertThat(WiredPlatform.resolve("auto", dir.resolve("absent"))).isEqualTo("mock");
    }

    @Test
    void theMockContextHoldsOneProviderPerKindOfIoInUse() {
        WiredSettings settings = new WiredSettings(true, "mock", null,
                List.of(new WiredSettings.Input("door-1", "r1", "door", 17, null, null, null)),
                List.of(new WiredSettings.I2cSensor("air-1", "r1", "scd4x", null, null, null)), List.of(), List.of(),
                3, 1_000, 60_000);
        Context context = WiredPlatform.newContext("mock", settings);
        try {
            assertThat(context.hasProvider("mock-digital-input")).isTrue();
            assertThat(context.hasProvider("mock-i2c")).isTrue();
            assertThat(context.hasProvider("mock-serial")).isFalse(); // no UART configured: no provider started
            assertThat(context.hasProvider("mock-digital-output")).isFalse();
            assertThat(WiredPlatform.providerIds("mock", settings).i2c()).isEqualTo("mock-i2c");
            assertThat(WiredPlatform.providerIds("raspberrypi", settings))
                    .isEqualTo(new WiredPlatform.ProviderIds("gpiod-digital-input", "gpiod-digital-output", "linuxfs-i2c", "pigpio-serial"));
        } finally {
            context.shutdown();
        }
    }

    @Test
    void anExplicitPlatformIsKept() {
        assertThat(WiredPlatform.resolve("raspberrypi", dir.resolve("absent"))).isEqualTo("raspberrypi");
        assertThat(WiredPlatform.resolve("mock", dir.resolve("absent"))).isEqualTo("mock");
    }
}
