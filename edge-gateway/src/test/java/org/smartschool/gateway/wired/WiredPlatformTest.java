package org.smartschool.gateway.wired;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    void anExplicitPlatformIsKept() {
        assertThat(WiredPlatform.resolve("raspberrypi", dir.resolve("absent"))).isEqualTo("raspberrypi");
        assertThat(WiredPlatform.resolve("mock", dir.resolve("absent"))).isEqualTo("mock");
    }
}
