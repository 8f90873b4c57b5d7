package org.smartschool.hub.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(5)
class RateLimitedLogTest {

    /** A clock the test moves by hand. */
    private static final class ManualClock extends Clock {
        long millis = 1_000_000;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }
    }

    /** Verifies that one line per key and interval is logged and the next one says how many were suppressed. */
    @Test
    void logsOncePerIntervalAndCountsTheSuppressed() {
        ManualClock clock = new ManualClock();
        RateLimitedLog log = new RateLimitedLog(clock, Duration.ofSeconds(30));
        List<String> lines = new ArrayList<>();

        for (int i = 0; i < 5; i++) {
            log.log("g1", "bad batch " + i, (line, suppressed) -> lines.add(line + " +" + suppressed));
        }
        log.log("g2", "other gateway", (line, suppressed) -> lines.add(line + " +" + suppressed));
        clock.millis += 30_000;
        log.log("g1", "bad batch 5", (line, suppressed) -> lines.add(line + " +" + suppressed));

        assertThat(lines).containsExactly("bad batch 0 +0", "other gateway +0", "bad batch 5 +4");
    }
}
