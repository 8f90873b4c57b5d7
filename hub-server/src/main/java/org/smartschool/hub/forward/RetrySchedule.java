package org.smartschool.hub.forward;

import java.util.random.RandomGenerator;

/**
 * When a failed delivery is tried again: exponential backoff with jitter, capped, for at most
 * {@code giveUpMillis} after the event was enqueued (Standard Webhooks senders retry for about a
 * day); after that it is a dead letter. The wait after the n-th failure lies in the upper half of
 * {@code min(cap, first * 2^(n-1))}: spread out, but never a near-zero wait against a dead endpoint.
 */
public record RetrySchedule(long firstMillis, long capMillis, long giveUpMillis) {
    public static final RetrySchedule DEFAULT = new RetrySchedule(5_000, 3_600_000, 24 * 3_600_000L);

    public RetrySchedule {
        if (firstMillis < 1 || capMillis < firstMillis || giveUpMillis < firstMillis) {
            throw new IllegalArgumentException("retry schedule needs 1 <= first <= cap and first <= giveUp");
        }
    }

    /** The wait after {@code attempts} failed attempts (1 after the first failure). */
    public long waitAfter(int attempts, RandomGenerator random) {
        long ceiling = firstMillis;
        for (int i = 1; i < attempts && ceiling < capMillis; i++) {
            ceiling = Math.min(capMillis, ceiling * 2);
        }
        return ceiling / 2 + random.nextLong(ceiling - ceiling / 2 + 1);
    }

    /** Whether an event enqueued at {@code createdAt} is past its last chance at {@code now}. */
    public boolean givesUp(long createdAt, long now) {
        return now - createdAt >= giveUpMillis;
    }
}
