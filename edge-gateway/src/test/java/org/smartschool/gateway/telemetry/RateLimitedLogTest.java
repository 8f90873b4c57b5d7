package org.smartschool.gateway.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RateLimitedLogTest {
    @Test
    void logsOneLinePerKeyPerInterval() {
        AtomicLong nanos = new AtomicLong();
        RateLimitedLog log = new RateLimitedLog(LoggerFactory.getLogger(RateLimitedLogTest.class), 1000, nanos::get);

        assertThat(log.warn("a", "first {}", 1)).isTrue();
        assertThat(log.warn("a", "again {}", 2)).isFalse();
        assertThat(log.warn("b", "other key {}", 3)).isTrue();
        nanos.addAndGet(1_000_000_000L);
        assertThat(log.warn("a", "after the interval {}", 4)).isTrue();
    }
}
