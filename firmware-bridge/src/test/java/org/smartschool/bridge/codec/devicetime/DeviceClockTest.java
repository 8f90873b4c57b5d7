package org.smartschool.bridge.codec.devicetime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class DeviceClockTest {
    private static final long NOW = Instant.parse("2025-03-10T02:15:00Z").toEpochMilli();

    @Test
    void trustsARecentOrSlightlyAheadClock() {
        assertThat(DeviceClock.problem(NOW - 3_600_000, NOW)).isNull();
        assertThat(DeviceClock.problem(NOW + 59 * 60_000, NOW)).isNull();
    }

    @Test
    void refusesAnUnsetOrRunawayClock() {
        assertThat(DeviceClock.problem(2_008_000, NOW)).contains("not set");
        assertThat(DeviceClock.problem(NOW + 2 * 3_600_000, NOW)).contains("ahead");
    }

    @Test
    void convertsFractionalSecondsAndRefusesNonsense() {
        assertThat(DeviceClock.fromEpochSeconds(1680962879.62)).isEqualTo(1_680_962_879_620L);
        assertThat(DeviceClock.fromEpochSeconds(Double.NaN)).isEqualTo(Long.MIN_VALUE);
        assertThat(DeviceClock.fromEpochSeconds(-1)).isEqualTo(Long.MIN_VALUE);
        assertThat(DeviceClock.fromEpochSeconds(1e300)).isEqualTo(Long.MIN_VALUE);
    }
}
