package org.smartschool.hub.config;

/**
 * How many readings (plus events) per second one gateway may send (docs/protocol.md, "Rate limit"). A token
 * bucket: {@code burstReadings} may come at once, then {@code readingsPerSecond} refill it. A batch that finds
 * the bucket short waits for its PUBACK until the bucket has refilled, when that is at most
 * {@code maxDelayMillis} away (with Receive Maximum, this slows the gateway down); a gateway further ahead is
 * disconnected with 0x96 Message rate too high and resends after its reconnect backoff: nothing is lost. A full
 * bucket takes any batch, even one larger than the burst (the bucket then goes into debt).
 *
 * @param readingsPerSecond 0 turns the limit off
 */
public record RateLimitConfig(int readingsPerSecond, int burstReadings, int maxDelayMillis) {
    /**
     * 3,600 times what a school of 40 rooms sends (28 readings/s), and twice the rate at which a
     * gateway should replay a day-long outage (50,000 readings/s, issue 6): a limit at that rate
     * itself would cap every replay just below it. Fairness between gateways replaying at once comes
     * from the Receive Maximum; this only stops one gateway from taking the whole hub.
     */
    public static final RateLimitConfig DEFAULT = new RateLimitConfig(100_000, 200_000, 2_000);
    public static final RateLimitConfig OFF = new RateLimitConfig(0, 0, 0);

    public RateLimitConfig {
        if (readingsPerSecond < 0) {
            throw new IllegalArgumentException("mqtt.rateLimit.readingsPerSecond must be 0 (off) or more: "
                    + readingsPerSecond);
        }
        if (readingsPerSecond > 0 && burstReadings < 1) {
            throw new IllegalArgumentException("mqtt.rateLimit.burstReadings must be at least 1: " + burstReadings);
        }
        if (maxDelayMillis < 0 || maxDelayMillis > 60_000) {
            throw new IllegalArgumentException("mqtt.rateLimit.maxDelayMillis must be between 0 and 60000: "
                    + maxDelayMillis);
        }
    }

    public boolean enabled() {
        return readingsPerSecond > 0;
    }
}
