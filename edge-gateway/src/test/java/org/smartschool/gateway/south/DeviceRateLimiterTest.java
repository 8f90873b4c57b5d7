package org.smartschool.gateway.south;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class DeviceRateLimiterTest {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final DeviceRateLimiter limiter = new DeviceRateLimiter(5, nanos::get);

    private int allowed(String device, int tries) {
        int n = 0;
        for (int i = 0; i < tries; i++) {
            if (limiter.tryAcquire(device)) {
                n++;
            }
        }
        return n;
    }

    private void advanceMillis(long millis) {
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
    }

    @Test
    void aDeviceMaySendTenSecondsWorthAtOnceThenItsRate() {
        assertThat(allowed("r1/flood", 100)).isEqualTo(5 * DeviceRateLimiter.BURST_SECONDS);
        advanceMillis(1_000);
        assertThat(allowed("r1/flood", 100)).isEqualTo(5);
        advanceMillis(200);
        assertThat(allowed("r1/flood", 100)).isEqualTo(1);
    }

    @Test
    void oneDevicesFloodLeavesAnotherDeviceAlone() {
        allowed("r1/flood", 1_000);
        assertThat(allowed("r1/steady", 3)).isEqualTo(3);
    }

    @Test
    void afterAnOutageEachDeviceMayDeliverWhatItCouldHaveSentMeanwhile() {
        allowed("r1/a", 1_000); // empty
        limiter.credit(60_000); // a minute away: 5/s x 60 s on top of a full burst
        assertThat(allowed("r1/a", 1_000)).isEqualTo(5 * 60 + 5 * DeviceRateLimiter.BURST_SECONDS);
        assertThat(allowed("r1/new", 1_000)).isEqualTo(5 * 60 + 5 * DeviceRateLimiter.BURST_SECONDS);
        advanceMillis(1_000);
        assertThat(allowed("r1/a", 1_000)).as("then the rate again").isEqualTo(5);
    }

    @Test
    void zeroMeansNoLimit() {
        DeviceRateLimiter off = new DeviceRateLimiter(0, nanos::get);
        for (int i = 0; i < 100_000; i++) {
            assertThat(off.tryAcquire("r1/any")).isTrue();
        }
    }
}
