package org.smartschool.gateway.mqtt;

import java.util.Random;

/**
 * Exponential backoff between {@code min} and {@code max}, with jitter over the upper half of each
 * wait so that a district's gateways do not all reconnect in the same second after a hub restart.
 * Not thread-safe: one owner.
 */
public final class Backoff {
    private final long minMillis;
    private final long maxMillis;
    private final Random random;
    private long current;

    public Backoff(long minMillis, long maxMillis) {
        this(minMillis, maxMillis, new Random());
    }

    public Backoff(long minMillis, long maxMillis, Random random) {
        if (minMillis < 1 || maxMillis < minMillis) {
            throw new IllegalArgumentException("backoff needs 1 <= min <= max: " + minMillis + ", " + maxMillis);
        }
        this.minMillis = minMillis;
        this.maxMillis = maxMillis;
        this.random = random;
        this.current = minMillis;
    }

    /** The next wait, in [base/2, base], where base doubles from min up to max on every call. */
    public long next() {
        long base = current;
        current = Math.min(maxMillis, current * 2);
        long half = base / 2;
        return half + (long) (random.nextDouble() * (base - half + 1));
    }

    /** After a success: the next failure waits about {@code min} again. */
    public void reset() {
        current = minMillis;
    }
}
