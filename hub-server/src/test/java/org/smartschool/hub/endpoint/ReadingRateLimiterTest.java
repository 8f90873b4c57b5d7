package org.smartschool.hub.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.smartschool.hub.config.RateLimitConfig;
import org.smartschool.hub.testsupport.ManualClock;

/** The per-gateway token bucket, on a clock the test moves. */
class ReadingRateLimiterTest {
    private final ManualClock clock = new ManualClock(1_000_000);

    /** Verifies that a burst passes, then batches wait in turn for the refill, and one too far ahead is refused. */
    @Test
    void burstPassesThenBatchesWaitInTurnAndTooFarAheadIsRefused() {
        ReadingRateLimiter limiter = new ReadingRateLimiter(new RateLimitConfig(100, 200, 1_000), clock);

        assertThat(limiter.reserve(150)).isZero();
        assertThat(limiter.reserve(50)).isZero();
        assertThat(limiter.reserve(50)).isEqualTo(500);
        assertThat(limiter.reserve(50)).isEqualTo(1_000);
        assertThat(limiter.reserve(1)).isEqualTo(ReadingRateLimiter.REFUSED);

        clock.advance(1_000);
        assertThat(limiter.reserve(1)).isEqualTo(10);
    }

    /** Verifies that a full bucket takes a batch larger than the burst, which could never pass otherwise. */
    @Test
    void fullBucketTakesBatchLargerThanTheBurst() {
        ReadingRateLimiter limiter = new ReadingRateLimiter(new RateLimitConfig(100, 200, 1_000), clock);

        assertThat(limiter.reserve(1_000)).isZero();
        assertThat(limiter.reserve(1)).isEqualTo(ReadingRateLimiter.REFUSED);

        clock.advance(10_000);
        assertThat(limiter.reserve(1_000)).isZero();
    }

    /** Verifies that the bucket never holds more than the burst, however long the gateway was quiet. */
    @Test
    void refillStopsAtTheBurst() {
        ReadingRateLimiter limiter = new ReadingRateLimiter(new RateLimitConfig(100, 200, 1_000), clock);
        clock.advance(3_600_000);

        assertThat(limiter.reserve(200)).isZero();
        assertThat(limiter.reserve(100)).isEqualTo(1_000);
    }

    /** Verifies that readingsPerSecond 0 turns the limit off. */
    @Test
    void zeroRateMeansNoLimit() {
        ReadingRateLimiter limiter = new ReadingRateLimiter(RateLimitConfig.OFF, clock);

        for (int i = 0; i < 1_000; i++) {
            assertThat(limiter.reserve(100_000)).isZero();
        }
    }
}
