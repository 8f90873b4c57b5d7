package org.smartschool.hub.endpoint;

import java.time.Clock;

import org.smartschool.hub.config.RateLimitConfig;

/**
 * One gateway's token bucket of readings (docs/protocol.md, "Rate limit"). Not thread-safe: owned by the
 * endpoint's event loop, one per gateway id, so that reconnecting does not refill it.
 */
final class ReadingRateLimiter {
    /** {@link #reserve} answer: the batch is too far ahead; nothing was taken from the bucket. */
    static final long REFUSED = -1;

    private final RateLimitConfig config;
    private final Clock clock;
    private double tokens;
    private long refilledAt;

    ReadingRateLimiter(RateLimitConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.tokens = config.burstReadings();
        this.refilledAt = clock.millis();
    }

    /**
     * Takes {@code readings} tokens. The bucket may go into debt, so that batches waiting behind each other
     * wait in turn.
     *
     * @return 0 to go on now, the milliseconds to wait before storing the batch, or {@link #REFUSED} when that
     *     wait would be longer than {@code maxDelayMillis}
     */
    long reserve(int readings) {
        if (!config.enabled()) {
            return 0;
        }
        long now = clock.millis();
        tokens = Math.min(config.burstReadings(), tokens + (now - refilledAt) * config.readingsPerSecond() / 1000.0);
        refilledAt = now;
        // a full bucket takes any batch, also one larger than the burst: otherwise that batch could never pass
        if (tokens >= readings || tokens >= config.burstReadings()) {
            tokens -= readings;
            return 0;
        }
        long wait = (long) Math.ceil((readings - tokens) * 1000.0 / config.readingsPerSecond());
        if (wait > config.maxDelayMillis()) {
            return REFUSED;
        }
        tokens -= readings;
        return wait;
    }
}
