package org.smartschool.gateway.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemStatsTest {
    @TempDir
    Path dir;

    @Test
    void readsCpuTemperatureInMillidegreesAndResidentMemoryInKilobytes() throws Exception {
        Path thermal = Files.writeString(dir.resolve("temp"), "48312\n");
        Path status = Files.writeString(dir.resolve("status"), "Name:\tjava\nVmHWM:\t  200000 kB\nVmRSS:\t   98304 kB\nThreads:\t31\n");

        SystemStats.Snapshot snapshot = new SystemStats(dir.resolve("outbox.db"), thermal, status).read();

        assertThat(snapshot.cpuTemperatureCelsius()).hasValue(48.3);
        assertThat(snapshot.rssBytes()).hasValue(98_304L * 1024);
        assertThat(snapshot.diskFreeBytes().getAsLong()).isPositive(); // the directory of a file not yet created
        assertThat(snapshot.diskTotalBytes().getAsLong()).isGreaterThanOrEqualTo(snapshot.diskFreeBytes().getAsLong());
        assertThat(snapshot.heapMaxBytes()).isGreaterThanOrEqualTo(snapshot.heapUsedBytes());
    }

    @Test
    void whatCannotBeReadIsEmptyNotAnError() throws Exception {
        Path garbage = Files.writeString(dir.resolve("temp"), "hot\n");

        SystemStats.Snapshot snapshot = new SystemStats(dir, garbage, dir.resolve("no-such-status")).read();

        assertThat(snapshot.cpuTemperatureCelsius()).isEmpty();
        assertThat(snapshot.rssBytes()).isEmpty();
        assertThat(new SystemStats(dir, dir.resolve("none"), dir.resolve("none")).read().cpuTemperatureCelsius()).isEmpty();
    }

    @Test
    void readsThisProcessOnLinux() {
        SystemStats.Snapshot snapshot = new SystemStats(dir).read();
        if (Files.isReadable(Path.of("/proc/self/status"))) {
            assertThat(snapshot.rssBytes().getAsLong()).isGreaterThan(10L * 1024 * 1024); // a JVM is larger than 10 MB
        }
    }
}
