package org.smartschool.gateway.mqtt;

import java.util.Random;

/**
 * Exponential backoff with full jitter, capped: the n-th wait is drawn uniformly from
 * {@code [0, min(max, min * 2^n)]}. Full jitter (not a fixed doubling, not jitter over half the
 * wait) spreads a province's 700 gateways that lost the hub at the same moment over the whole
 * window, so they do not come back in the same second; the cap bounds how long a gateway stays
 * away after the hub is back. The one policy for reconnecting both links and for resending.
 *
 * <p>{@link #equalJitter} draws from the upper half instead, {@code [ceiling / 2, ceiling]}: for
 * retrying one local device (a sensor on the Pi's bus), where no crowd needs spreading and a wait
 * near zero would be a hot loop against a dead device.
 * Not thread-safe: one owner.
 */
public final class Backoff {
    private final long minMillis;
    private final long maxMillis;
    private final Random random;
    private final boolean fullJitter;
    private long ceiling;

    public Backoff(long minMillis, long maxMillis) {
        this(minMillis, maxMillis, new Random());
    }

    /** @param random the source of jitter; a seeded one in tests */
    public Backoff(long minMillis, long maxMillis, Random random) {
        this(minMillis, maxMillis, random, true);
    }

    /** Waits in {@code [ceiling / 2, ceiling]}: never much less than the ceiling (see the class comment). */
    public static Backoff equalJitter(long minMillis, long maxMillis) {
        return equalJitter(minMillis, maxMillis, new Random());
    }

    public static Backoff equalJitter(long minMillis, long maxMillis, Random random) {
        return new Backoff(minMillis, maxMillis, random, false);
    }

    private Backoff(long minMillis, long maxMillis, Random random, boolean fullJitter) {
        if (minMillis < 1 || maxMillis < minMillis) {
            throw new IllegalArgumentException("backoff needs 1 <= min <= max: " + minMillis + ", " + maxMillis);
        }
        this.minMillis = minMillis;
        this.maxMillis = maxMillis;
        this.random = random;
        this.fullJitter = fullJitter;
        this.ceiling = minMillis;
    }

    /**
     * The next wait, in {@code [0, ceiling]} ({@code [ceiling / 2, ceiling]} for equal jitter); the
     * ceiling doubles from min up to max on every call.
     */
    public long next() {
        long bound = ceiling;
        ceiling = Math.min(maxMillis, ceiling * 2);
        long floor = fullJitter ? 0 : bound / 2;
        return floor + (long) (random.nextDouble() * (bound - floor + 1));
    }

    /** The upper bound of the next wait. */
    public long ceiling() {
        return ceiling;
    }

    public long maxMillis() {
        return maxMillis;
    }

    /** After a success: the next failure waits at most {@code min} again. */
    public void reset() {
        ceiling = minMillis;
    }
}
